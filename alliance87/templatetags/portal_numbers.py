"""Numbers on every page in the reader's convention: `{% load portal_numbers %}`."""

from decimal import Decimal

from django import template

from alliance87.numbers import format_percent

register = template.Library()


@register.filter
def percent(value: Decimal | float | None, decimal_pos: int | str | None = None) -> str:
    """`{{ share|percent }}`: 12.5% in English, 12,5 % in French; `|percent:1` rounds to one
    decimal; a missing value is a dash."""
    places = None if decimal_pos is None or decimal_pos == "" else int(decimal_pos)
    return format_percent(value, places)
