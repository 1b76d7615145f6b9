"""Numbers typed in the reader's convention (alliance87.forms): read with the active
language's marks, shown the same way, and refused rather than guessed when ambiguous."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from alliance87.forms import LocalizedDecimalField, LocalizedIntegerField


def decimal_field() -> LocalizedDecimalField:
    return LocalizedDecimalField(required=False, max_digits=16, decimal_places=2)


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        ("fr", "5,5", "5.5"),
        ("fr", "0,75", "0.75"),
        ("fr", "1 234,5", "1234.5"),
        ("fr", "1\u00a0234,5", "1234.5"),
        ("fr", "1\u202f234\u202f567", "1234567"),
        ("es", "5,5", "5.5"),
        ("es", "1.234,5", "1234.5"),
        ("es", "1 234,5", "1234.5"),
        ("es", "1.234.567", "1234567"),
        ("en", "5.5", "5.5"),
        ("en", "1,234.5", "1234.5"),
        ("en", " -12 ", "-12"),
    ],
)
def test_a_number_is_read_in_the_active_language(language, typed, read):
    with translation.override(language):
        assert decimal_field().clean(typed) == Decimal(read)


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "5.5"),  # a point is no decimal mark in French
        ("fr", "1.234,5"),
        ("es", "1.5"),  # a point groups thousands by three in Spanish
        ("es", "12.34"),
        ("en", "5,5"),
        ("en", "1,23.5"),
        ("fr", "1 23,5"),
    ],
)
def test_a_number_that_reads_two_ways_is_refused_not_guessed(language, typed):
    with translation.override(language), pytest.raises(forms.ValidationError) as refused:
        decimal_field().clean(typed)

    assert refused.value.code == "ambiguous"


@pytest.mark.parametrize("typed", ["abc", "5,5,5", "12 %", "5e3", "--5"])
def test_a_malformed_number_is_refused_with_an_example(typed):
    with translation.override("fr"), pytest.raises(forms.ValidationError) as refused:
        decimal_field().clean(typed)

    assert "1\u00a0234,5" in refused.value.messages[0]


def test_too_many_decimals_are_refused_not_rounded():
    with translation.override("fr"), pytest.raises(forms.ValidationError):
        decimal_field().clean("5,555")


@pytest.mark.parametrize(
    ("language", "shown"), [("fr", "1234,5"), ("es", "1234,5"), ("en", "1234.5")]
)
def test_a_stored_number_is_shown_with_the_active_language_decimal_mark(language, shown):
    with translation.override(language):
        html = decimal_field().widget.render("value", Decimal("1234.5"))

    assert f'value="{shown}"' in html
    assert 'type="text"' in html
    assert 'inputmode="decimal"' in html


def test_a_whole_number_field_refuses_decimals_and_keeps_its_bounds():
    field = LocalizedIntegerField(min_value=0, max_value=100)

    with translation.override("fr"):
        assert field.clean("55") == 55
        with pytest.raises(forms.ValidationError) as decimals:
            field.clean("5,5")
    with pytest.raises(forms.ValidationError) as beyond:
        field.clean("101")

    assert decimals.value.code == "whole"
    assert beyond.value.messages == ["Ensure this value is less than or equal to 100."]
