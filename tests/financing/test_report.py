"""The financing gap PDF (alliance87.reports kind "financing_gap") shows the page's figures."""

import datetime
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from alliance87.reports.kinds import KINDS
from financing.models import RecipientKind
from financing.selectors import financing_gap_report
from tests.financing.factories import (
    FundingFlowFactory,
    FundingRequirementFactory,
    SecretariatFunctionFactory,
)

pytestmark = pytest.mark.django_db


def test_financing_gap_report_renders_the_figures_of_the_gap_page(country, other_country):
    FundingRequirementFactory(country=country, amount=Decimal("100000"))
    FundingRequirementFactory(country=other_country, amount=Decimal("50000"))
    FundingFlowFactory(country=country, amount=Decimal("40000"))
    SecretariatFunctionFactory(name="Communications", annual_cost=Decimal("120000"))
    FundingFlowFactory(
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        theme="",
        amount=Decimal("60000"),
        year_start=datetime.date.today().year,
    )
    kind = KINDS["financing_gap"]

    context = kind.build_context({})
    html = render_to_string(
        kind.template,
        {
            **context,
            "report_title": "Financing gap report",
            "generated_at": timezone.now(),
            "data_as_of": timezone.now(),
            "language": "en",
        },
    )

    assert context["report"].total.funded == Decimal("100000.00")
    assert "<td>Fiji</td>" in html
    assert "Asia and the Pacific" in html
    assert "covers 6.0 months" in html
    assert "Communications" in html


def test_report_context_is_the_same_data_as_the_page(country):
    FundingRequirementFactory(country=country, amount=Decimal("100"))

    context = financing_gap_report()

    assert context["country_table"].rows[0][:2] == ["Fiji", Decimal("100")]
    assert context["region_table"].total == context["country_table"].total
