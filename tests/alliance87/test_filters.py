import django_filters
import pytest

from alliance87.filters import LARGEST_ID, FilterSet, database_id
from alliance87.models import Country


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (str(LARGEST_ID), LARGEST_ID), ("9" * 40, None), ("0", None), ("-1", None),
     ("²", None), ("١٢", None), ("12 ", None), ("", None)],
)  # fmt: skip
def test_database_id_reads_only_ids_the_database_can_hold(text, expected):
    assert database_id(text) == expected


class CountryNumbers(FilterSet):
    number = django_filters.NumberFilter(field_name="pk")
    year = django_filters.NumberFilter(field_name="pk", max_value=2100)
    name = django_filters.ChoiceFilter(field_name="name", choices=[("Fiji", "Fiji")])


def test_a_number_beyond_the_database_is_refused_next_to_its_field(db):
    filters = CountryNumbers({"number": "9" * 40}, queryset=Country.objects.all())

    assert not filters.is_valid()
    assert "less than or equal to 9223372036854775807" in str(filters.errors["number"])


def test_a_number_filter_keeps_a_narrower_range_of_its_own(db):
    filters = CountryNumbers({"year": "2200"}, queryset=Country.objects.all())

    assert "less than or equal to 2100" in str(filters.errors["year"])


def test_every_filter_field_refuses_nul_characters_by_name(db):
    filters = CountryNumbers(
        {"number": "1\x00", "year": "\x00", "name": "Fiji\x00"}, queryset=Country.objects.all()
    )

    assert not filters.is_valid()
    for name in ("number", "year", "name"):
        assert filters.errors[name] == ["Null characters are not allowed."], name
