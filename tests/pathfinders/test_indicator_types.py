import datetime
from decimal import Decimal

import pytest
from django import forms

from pathfinders.indicator_types import INDICATOR_TYPES, indicator_type
from pathfinders.models import IndicatorType


def test_every_indicator_type_has_its_object():
    assert set(INDICATOR_TYPES) == set(IndicatorType.values)


@pytest.mark.parametrize(
    ("kind", "stored", "shown", "cell"),
    [
        ("number", (Decimal("250.00"), None, ""), "250", ("250", 250.0)),
        ("percentage", (Decimal("12.50"), None, ""), "12.5 %", ("12.5", 12.5)),
        ("yes_no", (Decimal(1), None, ""), "Yes", ("Yes", None)),
        ("milestone", (None, datetime.date(2026, 3, 1), ""), "1 Mar 2026", ("1 Mar 2026", None)),
        ("text", (None, None, "Law adopted"), "Law adopted", ("Law adopted", None)),
    ],
)
def test_each_type_shows_its_value_on_pages_and_in_the_trend_table(kind, stored, shown, cell):
    assert indicator_type(kind).display(*stored) == shown
    assert indicator_type(kind).trend_cell(*stored) == cell


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("number", forms.DecimalField),
        ("percentage", forms.DecimalField),
        ("yes_no", forms.ChoiceField),
        ("milestone", forms.DateField),
        ("text", forms.CharField),
    ],
)
def test_each_type_is_entered_with_its_own_field(kind, field, indicators):
    indicator = next(i for i in indicators.values() if i.kind == kind)

    assert isinstance(indicator.type.form_field(indicator), field)


def test_only_numbers_and_percentages_are_charted():
    assert {k for k, t in INDICATOR_TYPES.items() if t.charted} == {"number", "percentage"}


def test_the_trend_table_writes_numbers_in_the_readers_convention():
    from django.utils import translation

    with translation.override("fr"):
        assert indicator_type("percentage").trend_cell(Decimal("12.50"), None, "") == (
            "12,5",
            12.5,
        )
        assert (
            indicator_type("percentage").display_local(Decimal("12.50"), None, "") == "12,5\u00a0%"
        )
    with translation.override("en"):
        assert indicator_type("number").trend_cell(Decimal("1200.00"), None, "") == ("1200", 1200.0)
