import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import escape

from financing.selectors import Table, TableColumn
from financing.templatetags.financing import amount, cell, months, percent, usd

AMOUNTS = [
    Decimal(0),
    Decimal("-0"),
    Decimal("0.4"),
    Decimal("-0.4"),
    Decimal("0.5"),
    Decimal("7"),
    Decimal("999"),
    Decimal("1000"),
    Decimal("-1000"),
    Decimal("123456.49"),
    Decimal("1250000"),
    Decimal("-98765432109"),
    Decimal("1E+6"),
    1250000,
    -42,
]
SHARES = [
    Decimal(0),
    Decimal("0.0"),
    Decimal("0.04"),
    Decimal("-0.04"),
    Decimal("0.1"),
    Decimal("12.3"),
    Decimal("-12.3"),
    Decimal("100.0"),
    Decimal("1234.5"),
    Decimal("12.36"),
    Decimal("5"),
    7,
    2.5,
]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_usd_writes_what_intcomma_writes(language):
    with translation.override(language):
        for amount in AMOUNTS:
            assert usd(amount) == intcomma(Decimal(amount).quantize(Decimal(1))), amount
        assert usd(None) == "—"


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("grouping", [False, True])
def test_percent_writes_the_share_rounded_to_one_decimal(language, grouping, settings):
    settings.USE_THOUSAND_SEPARATOR = grouping
    sign = {"en": "%", "fr": "\u00a0%", "es": "\u00a0%"}[language]
    with translation.override(language):
        for share in SHARES:
            rounded = Decimal(str(share)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            assert percent(share) == f"{number_format(rounded, 1)}{sign}", share
        assert percent(None) == "—"


def test_cell_by_kind():
    with translation.override("en"):
        assert cell(Decimal("1500"), "usd") == "1,500"
        assert cell(Decimal("12.5"), "percent") == "12.5%"
        assert cell(None, "number") == "—"
        assert cell(None, "text") == ""
        assert cell(3, "number") == "3"


def _per_cell_template(table: Table) -> str:
    """The rows and the total as a node per cell writes them."""
    return Template(
        "{% load financing %}{% for row in table.typed_rows %}"
        "<tr>{% for value, kind in row %}{% if forloop.first %}"
        '<th scope="row">{{ value|cell:kind }}</th>{% else %}'
        '<td{% if kind != "text" %} class="num"{% endif %}>{{ value|cell:kind }}</td>'
        "{% endif %}{% endfor %}</tr>{% endfor %}"
        "|{% for value, kind in table.typed_total %}{% if forloop.first %}"
        '<th scope="row">{{ value|cell:kind }}</th>{% else %}'
        '<td{% if kind != "text" %} class="num"{% endif %}>{{ value|cell:kind }}</td>'
        "{% endif %}{% endfor %}"
    ).render(Context({"table": table}))


def _rows_and_total(page: str) -> str:
    """The body rows and the total row's cells of a rendered financing table."""
    page = re.sub(r">\s+<", "><", page)
    body = re.search(r"<tbody>(.*)</tbody>", page, re.S).group(1)
    total = re.search(r'<tr class="financing-total">(.*?)</tr>', page, re.S).group(1)
    return f"{body}|{total}"


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_table_writes_each_cell_as_its_column_formats_it(language):
    table = Table(
        key="gaps",
        caption="Gaps",
        columns=[
            TableColumn("Country"),
            TableColumn("Type"),
            TableColumn("Requirement", "usd"),
            TableColumn("Coverage", "percent"),
            TableColumn("Count", "number"),
        ],
        rows=[
            ["Côte d'Ivoire", "<b>NGO</b>", Decimal("1250000"), Decimal("12.5"), 3],
            ["Fiji & Tonga", None, Decimal("-4000"), None, None],
        ],
        total=["Total", "", Decimal("1246000"), Decimal("100.0"), 3],
    )
    with translation.override(language):
        expected = _per_cell_template(table)
        rendered = _rows_and_total(render_to_string("financing/_table.html", {"table": table}))
    assert rendered == expected
    assert escape("Côte d'Ivoire") in rendered
    assert "&lt;b&gt;NGO&lt;/b&gt;" in rendered


def test_amounts_and_months_are_rounded_not_cut():
    with translation.override("en"):
        assert amount(Decimal("1234.567")) == "1,234.57"
        assert months(Decimal("13.46")) == "13.5"
    with translation.override("fr"):
        assert months(Decimal("13.46")) == "13,5"
