"""Percentages in the reader's convention, the one way the portal writes them.

The number is Django's (number_format in the active language: "12.5", "12,5"); where the
percent sign goes and what joins it to the number are CLDR's, read through Babel from the
locale's percent pattern: "12.5%" in English, "12,5\u00a0%" (a no-break space) in French
and Spanish. Pages, charts, PDFs and emails all call `format_percent`; exports keep the
bare number.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format

# What a page shows for a figure it does not have.
NONE = "—"


@functools.cache
def _percent_affixes(language: str) -> tuple[str, str]:
    """What CLDR writes before and after a positive percentage in that language."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse(settings.LANGUAGE_CODE)
    pattern = locale.percent_formats[None]
    symbols = locale.number_symbols.get(locale.default_numbering_system, {})
    sign = symbols.get("percentSign", "%")
    prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    return prefix.replace("%", sign), suffix.replace("%", sign)


def with_percent_sign(number: str, language: str | None = None) -> str:
    """A number already written in the reader's convention, as a percentage."""
    prefix, suffix = _percent_affixes(language or translation.get_language() or "en")
    return f"{prefix}{number}{suffix}"


def format_number(
    value: Decimal | float | int, decimal_pos: int | None = None, *, force_grouping: bool = False
) -> str:
    """A number in the reader's convention, rounded half up to `decimal_pos` decimals (None
    keeps its own). Django's number_format cuts the decimals it does not show (66.66 would
    read 66.6): the figure is rounded first."""
    if decimal_pos is not None:
        exponent = Decimal(1).scaleb(-decimal_pos)
        value = Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos, use_l10n=True, force_grouping=force_grouping)


def format_percent(
    value: Decimal | float | None, decimal_pos: int | None = None, *, force_grouping: bool = False
) -> str:
    """A percentage (12.5 for 12.5 %) in the reader's convention; NONE when missing.

    `decimal_pos` as in number_format: None keeps the value's own decimals.
    """
    if value is None:
        return NONE
    return with_percent_sign(format_number(value, decimal_pos, force_grouping=force_grouping))
