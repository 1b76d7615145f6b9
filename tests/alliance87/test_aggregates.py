import pytest

from alliance87.aggregates import AREAS, aggregates_changed, cached_aggregate
from tests.factories import CountryFactory, FocalPointFactory


def _counting(result):
    calls = []

    def compute():
        calls.append(1)
        return result

    return compute, calls


def test_figures_are_computed_once_while_the_area_is_unchanged(db):
    compute, calls = _counting({"total": 3})
    assert cached_aggregate(["financing"], "gap", compute) == {"total": 3}
    assert cached_aggregate(["financing"], "gap", compute) == {"total": 3}
    assert len(calls) == 1


def test_a_save_in_the_area_makes_the_figures_recomputed(db):
    compute, calls = _counting(1)
    cached_aggregate(["pathfinders"], "overview", compute)
    CountryFactory(iso_code="GH", name="Ghana")
    cached_aggregate(["pathfinders"], "overview", compute)
    assert len(calls) == 2


@pytest.mark.parametrize("area", AREAS)
def test_a_renamed_country_makes_every_areas_figures_recomputed(db, area):
    country = CountryFactory(iso_code="GH", name="Ghana")
    compute, calls = _counting(1)
    cached_aggregate([area], "names", compute)
    country.name = "Republic of Ghana"
    country.save()
    cached_aggregate([area], "names", compute)
    assert len(calls) == 2


def test_a_new_focal_point_makes_the_figures_recomputed(db):
    focal_point = FocalPointFactory()
    other_country = CountryFactory(iso_code="GH", name="Ghana")
    compute, calls = _counting(1)
    cached_aggregate(["pathfinders"], "overview", compute)
    FocalPointFactory(user=focal_point.user, country=other_country)
    cached_aggregate(["pathfinders"], "overview", compute)
    assert len(calls) == 2


def test_a_change_elsewhere_keeps_the_figures(db):
    compute, calls = _counting(1)
    cached_aggregate(["governance"], "partners", compute)
    aggregates_changed("financing")
    cached_aggregate(["governance"], "partners", compute)
    assert len(calls) == 1


def test_figures_over_two_areas_follow_either(db):
    compute, calls = _counting(1)
    cached_aggregate(["financing", "pathfinders"], "gap", compute)
    aggregates_changed("pathfinders")
    cached_aggregate(["financing", "pathfinders"], "gap", compute)
    assert len(calls) == 2


def test_keys_keep_different_figures_apart(db):
    assert cached_aggregate(["financing"], "gap:region", lambda: "by region") == "by region"
    assert cached_aggregate(["financing"], "gap:year", lambda: "by year") == "by year"


def test_a_bulk_write_is_announced_by_its_service(db):
    compute, calls = _counting(None)  # None is a result like any other
    cached_aggregate(["financing"], "gap", compute)
    cached_aggregate(["financing"], "gap", compute)
    assert len(calls) == 1
    aggregates_changed("financing")
    cached_aggregate(["financing"], "gap", compute)
    assert len(calls) == 2
