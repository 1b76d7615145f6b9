"""Amounts and tables of the financing pages.

A gap table holds some hundreds of cells: formatting each through Django's intcomma or
number_format (which look the active language's formats up on every call) and through a
template node per cell was most of the gap page's time. The separators are looked up once
per table here and the figures grouped with str.format, giving the same text as intcomma and
number_format (tests/financing/test_templatetags.py compares them in each language).
"""

from collections.abc import Callable
from decimal import Decimal

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import get_format, number_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ONE = Decimal(1)
TENTH = Decimal("0.1")
NONE = "—"


def _group(text: str, thousand_sep: str) -> str:
    """`text` (a whole number, digits and commas from format(",")) with the language's
    thousands separator."""
    return text if thousand_sep == "," else text.replace(",", thousand_sep)


class _Formats:
    """The active language's number formats, read once. With `html`, the separators are
    escaped, so a figure's text is already HTML (escaping works character by character)."""

    __slots__ = ("decimal_sep", "thousand_sep", "fast", "html")

    def __init__(self, *, html: bool = False) -> None:
        self.html = html
        self.decimal_sep = get_format("DECIMAL_SEPARATOR")
        self.thousand_sep = get_format("THOUSAND_SEPARATOR")
        if html:
            self.decimal_sep = escape(self.decimal_sep)
            self.thousand_sep = escape(self.thousand_sep)
        # Groups of three (every language of the portal) are what format(",") writes;
        # any other grouping goes through Django's own formatting.
        self.fast = get_format("NUMBER_GROUPING") == 3

    def _django(self, text: str) -> str:
        """Text from Django's own formatting, escaped when HTML is asked for."""
        return escape(text) if self.html else text

    def usd(self, value: Decimal | None) -> str:
        if value is None:
            return NONE
        amount = Decimal(value).quantize(ONE)
        if not self.fast:
            return self._django(intcomma(amount))
        # A whole number within 28 digits (quantize refuses more): as intcomma writes it.
        return _group(f"{amount:,f}", self.thousand_sep)

    def percent(self, value: Decimal | None) -> str:
        if value is None:
            return NONE
        if not (isinstance(value, Decimal) and self.fast):
            return self._django(f"{number_format(value, 1)} %")
        # As django.utils.numberformat.format with one decimal place.
        if abs(value) < TENTH:
            value = Decimal(0)
        text = f"{value:f}"
        if len(text) > 100:  # Django writes such numbers in scientific notation
            return self._django(f"{number_format(value, 1)} %")
        sign = ""
        if text[0] == "-":
            sign, text = "-", text[1:]
        whole, _point, decimals = text.partition(".")
        if settings.USE_THOUSAND_SEPARATOR:
            whole = _group(f"{int(whole):,}", self.thousand_sep)
        return f"{sign}{whole}{self.decimal_sep}{(decimals[:1] or '0')} %"

    def amount(self, value: Decimal | None) -> str:
        """An amount in its own currency: two decimals, grouped, in the reader's locale."""
        if value is None:
            return NONE
        return self._django(number_format(value, 2, force_grouping=True))

    def months(self, value: Decimal | None) -> str:
        if value is None:
            return NONE
        return self._django(number_format(value, 1, force_grouping=True))

    def date(self, value) -> str:
        return NONE if value is None else value.isoformat()

    def cell(self, value, kind: str) -> str:
        if kind == "usd":
            return self.usd(value)
        if kind == "percent":
            return self.percent(value)
        if kind == "amount":
            return self.amount(value)
        if kind == "months":
            return self.months(value)
        if kind == "date":
            return self.date(value)
        if value is None:
            return NONE if kind == "number" else ""
        return str(value)

    def cell_formatter(self, kind: str) -> Callable[[object], str]:
        if kind == "usd":
            return self.usd
        if kind == "percent":
            return self.percent
        return lambda value: self.cell(value, kind)


@register.filter
def usd(value: Decimal | None) -> str:
    """Whole US dollars with thousands separators, e.g. 1,250,000."""
    return _Formats().usd(value)


@register.filter
def percent(value: Decimal | None) -> str:
    return _Formats().percent(value)


@register.filter
def amount(value: Decimal | None) -> str:
    """An amount in its own currency, with two decimals, e.g. 1,250,000.50."""
    return _Formats().amount(value)


@register.filter
def months(value: Decimal | None) -> str:
    """A number of months with one decimal, e.g. 13.5."""
    return _Formats().months(value)


@register.filter
def cell(value, kind: str) -> str:
    """A table cell as the page shows it, by the column's kind."""
    return _Formats().cell(value, kind)


def _cells_html(row: list, columns: list, formatters: list) -> str:
    """A row's cells as _table.html wrote them: the first a row header, figures right-aligned.

    A formatter gives HTML (a figure) or text to escape (None for the figures in hand)."""
    parts = []
    for index, (value, column, (formatter, is_html)) in enumerate(
        zip(row, columns, formatters, strict=True)
    ):
        text = formatter(value) if is_html else conditional_escape(formatter(value))
        if index == 0:
            parts.append(f'<th scope="row">{text}</th>')
        elif column.kind not in ("text", "date"):
            parts.append(f'<td class="num">{text}</td>')
        else:
            parts.append(f"<td>{text}</td>")
    return "".join(parts)


def _formatters(columns: list) -> list[tuple[Callable[[object], str], bool]]:
    """Each column's formatter, and whether it gives HTML already."""
    formats = _Formats()
    html_formats = _Formats(html=True) if formats.fast else None
    return [
        (html_formats.cell_formatter(column.kind), True)
        if html_formats and column.kind in ("usd", "percent")
        else (formats.cell_formatter(column.kind), False)
        for column in columns
    ]


@register.simple_tag
def table_rows(table) -> SafeString:
    """The body rows of a financing Table, written in Python rather than a node per cell."""
    formatters = _formatters(table.columns)
    return mark_safe(  # noqa: S308  every cell is escaped in _cells_html
        "".join(
            f"\n        <tr>\n          {_cells_html(row, table.columns, formatters)}\n        </tr>\n      "
            for row in table.rows
        )
    )


@register.simple_tag
def table_total(table) -> SafeString:
    """The cells of a Table's total row."""
    return mark_safe(  # noqa: S308  every cell is escaped in _cells_html
        _cells_html(table.total, table.columns, _formatters(table.columns))
    )
