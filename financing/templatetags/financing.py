"""Amounts of the financing pages, in the reader's language and number conventions.

Each filter is Django's own formatting (humanize's intcomma, django.utils.formats'
number_format) with the portal's rounding and its dash for a missing figure.
"""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats

from alliance87.numbers import NONE, format_number, format_percent
from alliance87.templatetags.record_texts import marked
from alliance87.translated import RecordText

register = template.Library()

ONE = Decimal(1)


@register.filter
def usd(value: Decimal | int | None) -> str:
    """Whole US dollars with thousands separators, e.g. 1,250,000."""
    if value is None:
        return NONE
    return intcomma(Decimal(value).quantize(ONE))


def percent(value: Decimal | float | None) -> str:
    """A share with one decimal, as every percentage is written (12.5% in English, 12,5 % in
    French); the pages write it with portal_numbers' `|percent:1`."""
    return format_percent(value, 1)


@register.filter
def amount(value: Decimal | None) -> str:
    """An amount in its own currency, with two decimals, e.g. 1,250,000.50."""
    if value is None:
        return NONE
    return format_number(value, 2, force_grouping=True)


@register.filter
def months(value: Decimal | None) -> str:
    """A number of months with one decimal, e.g. 13.5."""
    if value is None:
        return NONE
    return format_number(value, 1, force_grouping=True)


CELL_FORMATS = {"usd": usd, "percent": percent, "amount": amount, "months": months}


@register.filter
def cell(value, kind: str) -> str:
    """A table cell as the page shows it, by the column's kind."""
    if kind in CELL_FORMATS:
        return CELL_FORMATS[kind](value)
    if kind == "date":
        return NONE if value is None else formats.date_format(value, "MEDIUM_DATE_FORMAT")
    if value is None:
        return NONE if kind == "number" else ""
    if isinstance(value, RecordText):
        # A recorded text shown in English for want of a translation says so.
        return marked(value)
    return str(value)
