"""The portal's own date formats, per language, on top of Django's (FORMAT_MODULE_PATH).

Templates name them (`{{ day|date:"MEDIUM_DATE_FORMAT" }}`) instead of writing a pattern, so each
language gets its own convention: "27 Dec 2026", "27 déc. 2026", "27 dic 2026". French and
Spanish join the parts with non-breaking spaces, so a date never breaks across lines.
"""
