"""Every percentage is written as the reader's language writes it (CLDR): "12.5%" in English,
"12,5 %" with a no-break space in French and Spanish, so the sign never starts a line."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from alliance87.numbers import NONE, format_percent
from tests.financing.factories import FundingFlowFactory, FundingRequirementFactory

pytestmark = pytest.mark.django_db

TWELVE_AND_A_HALF = {"en": "12.5%", "fr": "12,5\u00a0%", "es": "12,5\u00a0%"}
ALL = {"en": "100.0%", "fr": "100,0\u00a0%", "es": "100,0\u00a0%"}


def format_percent_in(language: str, value, decimal_pos=None) -> str:
    with translation.override(language):
        return format_percent(value, decimal_pos)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_gap_page_writes_coverage_in_the_readers_convention(
    client_for, gcg_member, country, language
):
    FundingRequirementFactory(country=country, amount=Decimal("80000"))
    FundingFlowFactory(country=country, amount=Decimal("10000"))
    gcg_member.language = language
    gcg_member.save()

    text = client_for(gcg_member).get(reverse("financing:gaps")).content.decode()

    assert f'id="figure-coverage">{TWELVE_AND_A_HALF[language]}<' in text
    # One donor gives all the funding.
    assert f'id="figure-top-share">{ALL[language]}<' in text


@pytest.mark.parametrize(
    ("language", "green"),
    [
        ("en", "Green: 60% or more"),
        ("fr", "Vert\u00a0: 60\u00a0% ou plus"),
        ("es", "Verde: 60\u00a0% o más"),
    ],
)
def test_a_translated_sentence_gets_its_percentages_written_for_its_reader(
    client_for, gcg_member, language, green
):
    gcg_member.language = language
    gcg_member.save()

    text = client_for(gcg_member).get(reverse("pathfinders:overview")).content.decode()

    assert green in text


def test_a_missing_percentage_is_the_portals_dash():
    assert format_percent(None) == NONE == "—"


@pytest.mark.parametrize(
    ("value", "decimal_pos", "english", "french"),
    [
        (Decimal("12.50"), None, "12.50%", "12,50\u00a0%"),  # the value's own decimals
        (Decimal("12.50"), 1, "12.5%", "12,5\u00a0%"),
        (40, None, "40%", "40\u00a0%"),
        (Decimal("-3.5"), 1, "-3.5%", "-3,5\u00a0%"),
        (0, 1, "0.0%", "0,0\u00a0%"),
        # Rounded, not cut: two thirds is 66.7 %, and 12.45 rounds half up.
        (Decimal(200) / Decimal(3), 1, "66.7%", "66,7\u00a0%"),
        (Decimal("12.45"), 1, "12.5%", "12,5\u00a0%"),
        (2 / 3 * 100, 0, "67%", "67\u00a0%"),
    ],
)
def test_the_formatter_keeps_the_numbers_convention_and_places_the_sign(
    value, decimal_pos, english, french
):
    assert format_percent_in("en", value, decimal_pos) == english
    assert format_percent_in("fr", value, decimal_pos) == french
    assert format_percent_in("es", value, decimal_pos) == french


def test_the_template_filter_is_the_formatter():
    template = Template(
        "{% load portal_numbers %}{{ share|percent }} {{ share|percent:1 }} {{ none|percent }}"
    )
    with translation.override("fr"):
        shown = template.render(Context({"share": Decimal("12.50"), "none": None}))

    assert shown == "12,50\u00a0% 12,5\u00a0% —"
