# A day in a table or a sentence: 27 Dec 2026.
MEDIUM_DATE_FORMAT = "j M Y"
# The same with the time: 27 Dec 2026, 14:05.
MEDIUM_DATETIME_FORMAT = "j M Y, H:i"
# A day written out: 27 December 2026; with its weekday: Sunday 27 December 2026.
LONG_DATE_FORMAT = "j F Y"
WEEKDAY_DATE_FORMAT = "l j F Y"
# A month: Dec 2026.
MONTH_YEAR_FORMAT = "M Y"
