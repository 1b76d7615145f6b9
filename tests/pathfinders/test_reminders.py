"""Which reminder is due for whom: the expectation rule, each country's own calendar, and
reminders that would reach nobody (listed for the Secretariat, never recorded as sent)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from alliance87.outbox.models import OutboxEmail
from pathfinders import services
from pathfinders.models import ReminderSent, Stage
from pathfinders.reminders import reminder_stage_due, reminders_due
from tests.factories import FocalPointFactory

from .factories import PathfinderFactory, PeriodFactory

UTC = datetime.UTC


@pytest.fixture
def due_period(framework):
    return PeriodFactory(
        label="2026",
        framework_version=framework,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 3, 31),
        grace_days=7,
    )


@pytest.fixture
def fiji(country):
    country.time_zone = "Pacific/Fiji"  # UTC+12
    country.save()
    return PathfinderFactory(country=country)


def due(**when) -> list[tuple[str, str, str]]:
    return [(r.pathfinder.country.name, r.period.label, r.stage) for r in reminders_due(**when)]


def test_fijis_fourteen_day_reminder_follows_fijis_calendar(due_period, fiji, other_pathfinder):
    # 13:00 UTC on 16 March is 01:00 on 17 March in Suva: 14 days before the due date there,
    # still 15 days before it in Accra.
    now = datetime.datetime(2026, 3, 16, 13, 0, tzinfo=UTC)

    assert due(now=now) == [("Fiji", "2026", "14_days")]
    assert reminder_stage_due(period=due_period, now=now, zone=fiji.country.zone) == "14_days"
    assert reminder_stage_due(period=due_period, now=now) is None


def test_fiji_is_overdue_once_its_deadline_ends_at_midnight_in_suva(
    due_period, fiji, other_pathfinder
):
    # The deadline is 7 April (31 March plus 7 grace days); 8 April starts in Suva at 12:00 UTC.
    assert due(now=datetime.datetime(2026, 4, 7, 11, 59, tzinfo=UTC)) == []
    assert due(now=datetime.datetime(2026, 4, 7, 12, 0, tzinfo=UTC)) == [
        ("Fiji", "2026", "overdue")
    ]
    assert due(now=datetime.datetime(2026, 4, 8, 0, 0, tzinfo=UTC)) == [
        ("Fiji", "2026", "overdue"),
        ("Ghana", "2026", "overdue"),
    ]


def test_a_country_granted_status_after_the_due_date_gets_no_reminder(
    due_period, pathfinder, focal_point
):
    # Granted on 1 April: it holds the status now, but did not by the period's due date.
    pathfinder.status_granted_on = datetime.date(2026, 4, 1)
    pathfinder.implementation_started_on = None
    pathfinder.stage = Stage.STATUS_GRANTED
    pathfinder.save()

    run = services.reminders_send_due(today=datetime.date(2026, 4, 20))

    assert run.due == [] and run.sent == []
    assert not ReminderSent.objects.exists()


def test_a_country_inactive_when_the_period_opened_gets_no_reminder(
    due_period, pathfinder, focal_point
):
    pathfinder.inactive_since = datetime.date(2025, 6, 1)
    pathfinder.reactivated_on = datetime.date(2026, 2, 1)
    pathfinder.save()

    assert due(today=datetime.date(2026, 3, 20)) == []


def test_a_country_that_left_the_journey_is_still_reminded_of_a_period_it_owes(
    due_period, pathfinder, focal_point
):
    # Inactive since after the period opened: it was expected to report, and still is.
    pathfinder.stage = Stage.INACTIVE
    pathfinder.inactive_since = datetime.date(2026, 3, 1)
    pathfinder.save()

    assert due(today=datetime.date(2026, 3, 20)) == [("Fiji", "2026", "14_days")]


def test_a_country_without_focal_point_gets_no_reminder_sent_row(
    due_period, pathfinder, other_pathfinder, focal_point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.reminders_send_due(today=datetime.date(2026, 3, 20))

    assert [r.pathfinder.country.name for r in run.sent] == ["Fiji"]
    assert [r.pathfinder.country.name for r in run.unreached] == ["Ghana"]
    assert list(ReminderSent.objects.values_list("pathfinder__country__name", flat=True)) == [
        "Fiji"
    ]
    assert [m.to for m in mail.outbox] == [["focal@example.org"]]


def test_an_inactive_focal_point_reaches_nobody(due_period, pathfinder, focal_point):
    focal_point.is_active = False
    focal_point.save()

    run = services.reminders_send_due(today=datetime.date(2026, 3, 20))

    assert [r.pathfinder.country.name for r in run.unreached] == ["Fiji"]
    assert not ReminderSent.objects.exists()


def test_once_a_focal_point_is_added_the_next_run_sends_the_reminder(
    due_period, pathfinder, django_capture_on_commit_callbacks
):
    today = datetime.date(2026, 3, 20)
    services.reminders_send_due(today=today)
    FocalPointFactory(country=pathfinder.country, user__email="new@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        run = services.reminders_send_due(today=today)
        services.reminders_send_due(today=today)

    assert [r.stage for r in run.sent] == ["14_days"]
    assert ReminderSent.objects.get().recipients == 1
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert due(today=today) == []


def test_a_stage_recorded_with_no_recipient_before_is_sent_once_someone_can_receive_it(
    due_period, pathfinder, focal_point, django_capture_on_commit_callbacks
):
    # Earlier runs recorded a reminder that reached nobody as sent.
    ReminderSent.objects.create(
        pathfinder=pathfinder, period=due_period, stage="14_days", recipients=0
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send_due(today=datetime.date(2026, 3, 20))
        services.reminders_send_due(today=datetime.date(2026, 3, 21))

    assert ReminderSent.objects.get().recipients == 1
    assert OutboxEmail.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["focal@example.org"]]


# --- The review queue lists the reminders that reach nobody ------------------------------------


@pytest.fixture
def overdue_now(framework):
    """A period whose deadline ended yesterday, whatever the day the tests run."""
    today = datetime.date.today()
    return PeriodFactory(
        label="Last year",
        framework_version=framework,
        opens_on=today - datetime.timedelta(days=60),
        due_on=today - datetime.timedelta(days=3),
        grace_days=1,
    )


def test_the_review_queue_lists_a_country_without_focal_point_with_a_link_to_add_one(
    overdue_now, pathfinder, other_pathfinder, focal_point, client_for, secretariat
):
    response = client_for(secretariat).get(reverse("pathfinders:review_queue"))

    page = response.content.decode()
    assert "Reminders that reach nobody" in page
    add = reverse("admin:alliance87_focalpoint_add") + f"?country={other_pathfinder.country_id}"
    assert f'Ghana, Last year, Overdue, <a href="{add}">add a focal point' in page
    assert "Fiji, Last year" not in page  # Fiji has a focal point
    assert not ReminderSent.objects.exists()


def test_the_review_queue_drops_a_country_once_it_has_a_focal_point(
    overdue_now, other_pathfinder, client_for, secretariat
):
    FocalPointFactory(country=other_pathfinder.country)

    response = client_for(secretariat).get(reverse("pathfinders:review_queue"))

    assert "Ghana, Last year" not in response.content.decode()
    assert "None: every reminder due reaches someone." in response.content.decode()
