"""A kept part is rendered anew each quarter hour of UTC, on which every midnight falls."""

import datetime
import zoneinfo

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
