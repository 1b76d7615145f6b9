import datetime

import pytest
from django.core import mail
from django.utils import formats, translation

from pathfinders import services, tasks
from pathfinders.models import ReminderSent, ReportStatus
from pathfinders.reminders import reminder_stage_due

from .factories import PeriodFactory, ReportFactory


@pytest.fixture
def due_period(framework):
    return PeriodFactory(
        label="2026",
        framework_version=framework,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 3, 31),
        grace_days=7,
    )


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (datetime.date(2026, 3, 16), None),
        (datetime.date(2026, 3, 17), "14_days"),
        (datetime.date(2026, 3, 27), "14_days"),
        (datetime.date(2026, 3, 28), "3_days"),
        (datetime.date(2026, 3, 31), "3_days"),
        (datetime.date(2026, 4, 7), None),
        (datetime.date(2026, 4, 8), "overdue"),
    ],
)
def test_reminder_stage_follows_the_due_date_and_grace(due_period, today, stage):
    assert reminder_stage_due(period=due_period, today=today) == stage


def test_reminder_goes_to_each_focal_point_in_their_language(
    due_period, pathfinder, focal_point, second_focal_point, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # sent by the outbox after commit
        run = services.reminders_send_due(today=datetime.date(2026, 3, 20))

    assert len(run.sent) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["focal@example.org", "workers@example.org"]
    french = next(m for m in mail.outbox if m.to == ["workers@example.org"])
    with translation.override("fr"):
        assert (
            formats.date_format(due_period.due_on, "LONG_DATE_FORMAT") in french.body
        )  # 31 mars 2026
    english = next(m for m in mail.outbox if m.to == ["focal@example.org"])
    assert "31 March 2026" in english.body


def test_each_stage_is_sent_once_even_when_the_task_runs_twice(
    due_period, pathfinder, focal_point, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    services_today = datetime.date(2026, 3, 20)

    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send_due(today=services_today)
        services.reminders_send_due(today=services_today)
        services.reminders_send_due(today=services_today + datetime.timedelta(days=2))

    assert len(mail.outbox) == 1
    assert ReminderSent.objects.filter(stage="14_days").count() == 1


def test_three_day_and_overdue_reminders_follow_the_fourteen_day_one(
    due_period, pathfinder, focal_point, django_capture_on_commit_callbacks
):
    for day in (datetime.date(2026, 3, 20), datetime.date(2026, 3, 29), datetime.date(2026, 4, 9)):
        with django_capture_on_commit_callbacks(execute=True):
            services.reminders_send_due(today=day)
            services.reminders_send_due(today=day)

    assert list(ReminderSent.objects.order_by("sent_at").values_list("stage", flat=True)) == [
        "14_days",
        "3_days",
        "overdue",
    ]
    assert "overdue" in mail.outbox[-1].subject


def test_no_reminder_once_the_report_is_submitted(due_period, pathfinder, focal_point):
    ReportFactory(
        pathfinder=pathfinder,
        period=due_period,
        status=ReportStatus.SUBMITTED,
        first_submitted_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
    )

    assert services.reminders_send_due(today=datetime.date(2026, 3, 29)).sent == []
    assert mail.outbox == []


def test_no_reminder_for_a_country_without_pathfinder_status(due_period, pathfinder, focal_point):
    pathfinder.stage = "roadmap_submitted"
    pathfinder.status_granted_on = pathfinder.implementation_started_on = None
    pathfinder.save()

    assert services.reminders_send_due(today=datetime.date(2026, 3, 29)).due == []


def test_beat_task_sends_the_reminders_due_today(
    pathfinder, focal_point, framework, django_capture_on_commit_callbacks
):
    today = datetime.date.today()
    PeriodFactory(
        framework_version=framework,
        opens_on=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=2),
    )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_date_reminders.delay()
        tasks.send_due_date_reminders.delay()

    assert len(mail.outbox) == 1
    assert "3 days" in mail.outbox[0].subject


def test_returned_report_gets_the_due_date_reminder_but_is_never_called_overdue(
    due_period, pathfinder, focal_point
):
    submitted = datetime.datetime(2026, 3, 10, tzinfo=datetime.UTC)
    ReportFactory(
        pathfinder=pathfinder,
        period=due_period,
        status=ReportStatus.RETURNED,
        first_submitted_at=submitted,
        submitted_at=submitted,
        returned_at=submitted,
    )

    services.reminders_send_due(today=datetime.date(2026, 3, 29))
    services.reminders_send_due(today=datetime.date(2026, 4, 20))

    assert list(ReminderSent.objects.values_list("stage", flat=True)) == ["3_days"]


def test_the_alliance_report_is_produced_once_after_each_deadline_in_every_language(
    framework, settings, tmp_path, django_capture_on_commit_callbacks
):
    from alliance87.reports.models import ReportRequest
    from pathfinders.tasks import regenerate_alliance_report

    settings.MEDIA_ROOT = tmp_path
    today = datetime.date.today()
    PeriodFactory(
        label="Just closed",
        framework_version=framework,
        opens_on=today - datetime.timedelta(days=90),
        due_on=today - datetime.timedelta(days=3),
        grace_days=1,
    )
    PeriodFactory(
        label="Still open",
        framework_version=framework,
        opens_on=today - datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=20),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert regenerate_alliance_report() == 3
        assert regenerate_alliance_report() == 0  # the next day's run asks for nothing new

    reports = ReportRequest.objects.filter(kind="alliance_accountability")
    assert sorted(reports.values_list("language", flat=True)) == ["en", "es", "fr"]
    assert set(reports.values_list("status", flat=True)) == {"done"}


def test_a_notification_run_again_after_a_partial_send_emails_nobody_twice(
    report,
    focal_point,
    second_focal_point,
    secretariat,
    flaky_smtp,
    django_capture_on_commit_callbacks,
):
    from alliance87.outbox import services as outbox
    from alliance87.outbox.models import OutboxEmail
    from pathfinders.models import ReportTransition

    transition = ReportTransition.objects.create(
        report=report, from_status="submitted", to_status="returned", by=secretariat
    )
    flaky_smtp.refuse = {2}  # the mail server drops the second email
    with django_capture_on_commit_callbacks() as sends:
        tasks.notify_report_transition(transition.pk)
    for send in sends:
        send()  # one email goes out, the other waits for a later attempt
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_report_transition(transition.pk)  # the notification, run again
        for email in OutboxEmail.objects.filter(status="queued"):
            outbox.outbox_send(email_id=email.pk)  # the later attempt

    assert sorted(m.to[0] for m in mail.outbox) == ["focal@example.org", "workers@example.org"]
    assert list(OutboxEmail.objects.values_list("status", flat=True)) == ["done", "done"]


def test_files_kept_after_a_refused_save_are_deleted_once_their_token_has_run_out(
    settings, tmp_path
):
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    old = default_storage.save("evidence-kept/a1/old.pdf", ContentFile(b"%PDF-1.4 old"))
    new = default_storage.save("evidence-kept/b2/new.pdf", ContentFile(b"%PDF-1.4 new"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))

    assert tasks.sweep_kept_evidence() == 1

    assert not default_storage.exists(old)
    assert default_storage.exists(new)
