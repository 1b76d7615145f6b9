# Months in lower case (27 dic 2026, 27 de diciembre de 2026): "de" between day, month and year
# where written out, parts joined by non-breaking spaces.
MEDIUM_DATE_FORMAT = "j\u00a0b\u00a0Y"
MEDIUM_DATETIME_FORMAT = "j\u00a0b\u00a0Y, H:i"
LONG_DATE_FORMAT = "j\u00a0\\d\\e\u00a0F\u00a0\\d\\e\u00a0Y"
WEEKDAY_DATE_FORMAT = "l, j\u00a0\\d\\e\u00a0F\u00a0\\d\\e\u00a0Y"
MONTH_YEAR_FORMAT = "F\u00a0\\d\\e\u00a0Y"
