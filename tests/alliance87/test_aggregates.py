import threading
import time

import pytest
from django.core.cache import cache

from alliance87 import aggregates
from alliance87.aggregates import AREAS, aggregates_changed, cached_aggregate, cached_under
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


# --- Computed once for all who ask at the same time ---------------------------------------------


def _ask_in_thread(key, compute):
    """cached_under(key, compute) in another thread: its answer, or what it raised."""
    outcome = {}

    def ask():
        try:
            outcome["value"] = cached_under(key, compute)
        except Exception as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=ask)
    thread.start()
    return thread, outcome


def test_readers_who_miss_at_once_wait_for_one_computation():
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow_render():
        calls.append(1)
        started.set()
        assert release.wait(5)
        return "the page"

    first, first_outcome = _ask_in_thread("aggregates:test:busy-page", slow_render)
    assert started.wait(5)
    others = [_ask_in_thread("aggregates:test:busy-page", slow_render) for _ in range(3)]
    time.sleep(0.1)  # the others are waiting, not computing
    assert len(calls) == 1
    release.set()
    for thread, _outcome in [(first, first_outcome), *others]:
        thread.join(5)
    assert [outcome["value"] for _thread, outcome in others] == ["the page"] * 3
    assert first_outcome["value"] == "the page"
    assert len(calls) == 1


def test_a_waiter_computes_by_itself_when_the_first_computation_fails():
    started, release = threading.Event(), threading.Event()

    def refused():
        started.set()
        assert release.wait(5)
        raise PermissionError("not theirs")

    first, first_outcome = _ask_in_thread("aggregates:test:refused", refused)
    assert started.wait(5)
    waiter, waiter_outcome = _ask_in_thread("aggregates:test:refused", lambda: "computed again")
    time.sleep(0.1)
    released = time.monotonic()
    release.set()
    first.join(5)
    waiter.join(5)
    # It stopped waiting as the lock went, not at the end of the wait.
    assert time.monotonic() - released < aggregates.WAIT_SECONDS / 2
    assert isinstance(first_outcome["error"], PermissionError)
    assert waiter_outcome["value"] == "computed again"
    # Nothing was kept of the failure, and the lock is gone: the next reader does not wait.
    assert cached_under("aggregates:test:refused", lambda: "next") == "computed again"


def test_a_waiter_stops_waiting_after_the_wait_is_over(monkeypatch):
    monkeypatch.setattr(aggregates, "WAIT_SECONDS", 0.05)
    cache.add("aggregates:test:stuck:computing", 1, 60)  # held by a process that hangs
    started = time.monotonic()
    assert cached_under("aggregates:test:stuck", lambda: "by itself") == "by itself"
    assert time.monotonic() - started < 1


def test_an_answer_not_to_be_kept_is_answered_once_and_computed_anew_next_time():
    answers = iter(["refused", "the page"])

    def compute():
        answer = next(answers)
        if answer == "refused":
            raise aggregates.NotKept(answer)
        return answer

    assert cached_under("aggregates:test:not-kept", compute) == "refused"
    assert cached_under("aggregates:test:not-kept", compute) == "the page"
    assert cached_under("aggregates:test:not-kept", compute) == "the page"  # kept now
