"""A kept part is rendered anew each quarter hour of UTC, on which every midnight falls; a kept
answer is kept only when it answers 200."""

import datetime
import zoneinfo

from django.http import HttpResponse

from alliance87 import fragments
from alliance87.fragments import time_slot

UTC = datetime.UTC


def test_moments_of_one_quarter_hour_share_a_slot_and_the_next_starts_a_new_one():
    start = datetime.datetime(2026, 12, 6, 18, 0, tzinfo=UTC)

    assert time_slot(start) == time_slot(start + datetime.timedelta(minutes=14, seconds=59))
    assert time_slot(start) != time_slot(start + datetime.timedelta(minutes=15))
    assert time_slot(start - datetime.timedelta(seconds=1)) != time_slot(start)


def test_every_zones_midnight_starts_a_slot():
    """A report turns late at midnight in its country's time: Kathmandu (UTC+5:45), Chatham
    (UTC+12:45) and Adelaide (UTC+9:30 or +10:30) included."""
    for name in zoneinfo.available_timezones():
        midnight = datetime.datetime(2026, 12, 7, tzinfo=zoneinfo.ZoneInfo(name))
        just_before = midnight - datetime.timedelta(seconds=1)
        assert time_slot(just_before) != time_slot(midnight), name


def test_a_kept_answer_is_rebuilt_from_its_payload_and_a_refusal_is_never_kept():
    answers = iter([HttpResponse("busy", status=503), HttpResponse("the list")])

    def respond():
        return next(answers)

    def payload(answer):
        return answer.content if answer.status_code == 200 else None

    key = "fragment:test:answer"
    first = fragments.cached_response(key, respond, payload=payload, rebuild=HttpResponse)
    second = fragments.cached_response(key, respond, payload=payload, rebuild=HttpResponse)
    third = fragments.cached_response(key, respond, payload=payload, rebuild=HttpResponse)

    assert (first.status_code, first.content) == (503, b"busy")
    assert (second.status_code, second.content) == (200, b"the list")
    assert (third.status_code, third.content) == (200, b"the list")  # rebuilt from the cache
    assert third is not second
