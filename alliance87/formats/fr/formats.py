# Months in lower case and abbreviated as French typography does (déc., juin, juil.), joined by
# non-breaking spaces.
MEDIUM_DATE_FORMAT = "j\u00a0N\u00a0Y"
MEDIUM_DATETIME_FORMAT = "j\u00a0N\u00a0Y, H:i"
LONG_DATE_FORMAT = "j\u00a0F\u00a0Y"
WEEKDAY_DATE_FORMAT = "l j\u00a0F\u00a0Y"
MONTH_YEAR_FORMAT = "F\u00a0Y"
