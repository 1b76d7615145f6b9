from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

register = template.Library()


@register.filter
def usd(value: Decimal | None) -> str:
    """Whole US dollars with thousands separators, e.g. 1,250,000."""
    if value is None:
        return "—"
    return intcomma(Decimal(value).quantize(Decimal(1)))


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{number_format(value, 1)} %"


@register.filter
def cell(value, kind: str) -> str:
    """A table cell as the page shows it, by the column's kind."""
    if kind == "usd":
        return usd(value)
    if kind == "percent":
        return percent(value)
    if value is None:
        return "—" if kind == "number" else ""
    return str(value)
