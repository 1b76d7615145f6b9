"""`manage.py send_reminders`: the reminders by hand, with the service beat calls."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from alliance87.outbox.models import OutboxEmail
from pathfinders.models import ReminderSent

from .factories import PeriodFactory

EXPECTED_LINES = [
    "Fiji, 2026, 14 days before the due date: focal@example.org, workers@example.org",
    "Ghana, 2026, 14 days before the due date: nobody: no focal point",
]


@pytest.fixture
def due_period(framework, pathfinder, other_pathfinder, focal_point, second_focal_point):
    """Fiji has two focal points, Ghana none."""
    return PeriodFactory(
        label="2026",
        framework_version=framework,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 3, 31),
        grace_days=7,
    )


def send_reminders(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().splitlines()


def test_dry_run_lists_the_reminders_and_their_recipients_and_writes_nothing(
    due_period, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lines = send_reminders("--dry-run", "--today", "2026-03-20")

    assert lines == [
        "Dry run: nothing is sent or recorded.",
        *EXPECTED_LINES,
        "1 reminder(s) would be sent; 1 reach nobody (listed on the review queue until the "
        "country has a focal point).",
    ]
    assert callbacks == []
    assert not ReminderSent.objects.exists() and not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_without_dry_run_it_sends_records_and_prints_the_same_list(
    due_period, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lines = send_reminders("--today", "2026-03-20")
        again = send_reminders("--today", "2026-03-20")

    assert lines == [
        *EXPECTED_LINES,
        "1 reminder(s) sent; 1 reach nobody (listed on the review queue until the country has "
        "a focal point).",
    ]
    assert list(ReminderSent.objects.values_list("pathfinder__country__name", "recipients")) == [
        ("Fiji", 2)
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["focal@example.org", "workers@example.org"]
    assert again == [EXPECTED_LINES[1], again[-1]]  # Fiji's stage went out already
    assert again[-1].startswith("0 reminder(s) sent; 1 reach nobody")


def test_a_day_that_is_not_a_date_is_refused_plainly(db):
    with pytest.raises(CommandError, match="--today takes a date as YYYY-MM-DD, not '20/03/2026'"):
        send_reminders("--today", "20/03/2026")
