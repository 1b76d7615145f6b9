import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, translation

from alliance87.outbox.models import OutboxEmail
from pathfinders import services
from pathfinders.models import (
    Commitment,
    IndicatorValue,
    ProgressReport,
    ReportStatus,
    ReviewComment,
)
from pathfinders.services import ReportInput, UpdateInput, ValueInput

from .conftest import PDF_BYTES
from .factories import IndicatorFactory, PeriodFactory


def full_input(indicators, commitments, **overrides) -> ReportInput:
    data = ReportInput(
        summary="Good year",
        values={
            indicators["NUM"].pk: ValueInput(value_number=Decimal(250), narrative="From records"),
            indicators["PCT"].pk: ValueInput(value_number=Decimal("12.5")),
            indicators["YN"].pk: ValueInput(value_number=Decimal(1)),
        },
        updates={c.pk: UpdateInput(status="on_track", progress_percent=40) for c in commitments},
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def submitted(report, focal_point, indicators, commitments):
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=full_input(indicators, commitments),
    )
    return services.report_submit(report=report, user=focal_point)


def test_report_start_creates_one_draft_and_records_who(pathfinder, period, focal_point):
    report = services.report_start(pathfinder=pathfinder, period=period, user=focal_point)
    again = services.report_start(pathfinder=pathfinder, period=period, user=focal_point)

    assert again == report
    assert report.status == ReportStatus.DRAFT
    assert list(report.transitions.values_list("to_status", "by")) == [("draft", focal_point.pk)]


def test_report_start_refuses_a_country_without_pathfinder_status(pathfinder, period, focal_point):
    pathfinder.stage = "workshop_held"
    pathfinder.save()

    with pytest.raises(ValidationError):
        services.report_start(pathfinder=pathfinder, period=period, user=focal_point)


def test_report_start_refuses_a_period_not_yet_open(pathfinder, framework, focal_point):
    future = PeriodFactory(
        framework_version=framework,
        opens_on=datetime.date.today() + datetime.timedelta(days=5),
        due_on=datetime.date.today() + datetime.timedelta(days=50),
    )
    with pytest.raises(ValidationError):
        services.report_start(pathfinder=pathfinder, period=future, user=focal_point)


def test_save_stores_values_and_updates_and_bumps_the_version(
    report, focal_point, indicators, commitments
):
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=1,
        data=full_input(indicators, commitments),
    )

    report.refresh_from_db()
    assert report.version == 2
    assert report.updated_by == focal_point
    assert report.values.get(indicator=indicators["NUM"]).value_number == 250
    assert report.commitment_updates.count() == 2


def test_stale_save_is_refused_and_changes_nothing(report, focal_point, indicators, commitments):
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=1,
        data=full_input(indicators, commitments),
    )
    stale = ProgressReport.objects.get(pk=report.pk)
    stale.version = 1
    other = full_input(indicators, commitments)
    other.values[indicators["NUM"].pk] = ValueInput(value_number=Decimal(999))

    with pytest.raises(services.ReportConflict) as caught:
        services.report_save(report=stale, user=focal_point, expected_version=1, data=other)

    assert "Someone else saved this report" in caught.value.messages[0]
    assert IndicatorValue.objects.get(indicator=indicators["NUM"]).value_number == 250
    assert ProgressReport.objects.get(pk=report.pk).version == 2


def test_invalid_value_rolls_back_the_whole_save(report, focal_point, indicators, commitments):
    data = full_input(indicators, commitments)
    data.values[indicators["PCT"].pk] = ValueInput(value_number=Decimal(140))

    with pytest.raises(ValidationError):
        services.report_save(report=report, user=focal_point, expected_version=1, data=data)

    report.refresh_from_db()
    assert report.version == 1
    assert not report.values.exists()


def test_evidence_is_stored_and_can_be_removed(
    report, focal_point, indicators, commitments, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = full_input(indicators, commitments)
    data.values[indicators["NUM"].pk].evidence = SimpleUploadedFile("census.pdf", PDF_BYTES)
    services.report_save(report=report, user=focal_point, expected_version=1, data=data)
    value = IndicatorValue.objects.get(indicator=indicators["NUM"])
    assert value.evidence_filename == "census.pdf"

    data = full_input(indicators, commitments)
    data.values[indicators["NUM"].pk].clear_evidence = True
    services.report_save(report=report, user=focal_point, expected_version=2, data=data)

    value.refresh_from_db()
    assert not value.evidence


def test_submit_records_who_and_when_and_blocks_saving(
    report, focal_point, indicators, commitments
):
    report = submitted(report, focal_point, indicators, commitments)

    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_by == focal_point
    assert report.first_submitted_at is not None
    with pytest.raises(services.ReportNotEditable):
        services.report_save(
            report=report,
            user=focal_point,
            expected_version=report.version,
            data=full_input(indicators, commitments),
        )


def test_submit_needs_a_status_for_every_commitment(report, focal_point, commitments):
    with pytest.raises(ValidationError, match=r"1\.1, 1\.2"):
        services.report_submit(report=report, user=focal_point)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_return_needs_a_comment(report, focal_point, secretariat, indicators, commitments):
    report = submitted(report, focal_point, indicators, commitments)

    with pytest.raises(ValidationError):
        services.report_return(report=report, user=secretariat, comment="  ")


def test_return_keeps_comments_per_field_and_emails_each_focal_point_in_their_language(
    report,
    focal_point,
    second_focal_point,
    secretariat,
    indicators,
    commitments,
    django_capture_on_commit_callbacks,
):
    report = submitted(report, focal_point, indicators, commitments)

    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_return(
            report=report,
            user=secretariat,
            comment="Please check two points.",
            indicator_comments={indicators["NUM"].pk: "Give the source."},
            commitment_comments={commitments[1].pk: "Status looks wrong."},
        )

    assert report.status == ReportStatus.RETURNED
    assert report.returned_by == secretariat
    assert set(ReviewComment.objects.values_list("text", flat=True)) == {
        "Give the source.",
        "Status looks wrong.",
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["focal@example.org", "workers@example.org"]
    english = next(m for m in mail.outbox if m.to == ["focal@example.org"])
    assert "returned" in english.subject
    assert "Give the source." in english.body
    french = next(m for m in mail.outbox if m.to == ["workers@example.org"])
    with translation.override("fr"):
        french_date = formats.date_format(report.returned_at, "LONG_DATE_FORMAT")
    assert french_date in french.body
    assert french_date not in english.body


def test_returned_report_can_be_edited_and_resubmitted(
    report, focal_point, secretariat, indicators, commitments
):
    report = submitted(report, focal_point, indicators, commitments)
    report = services.report_return(report=report, user=secretariat, comment="Fix NUM")

    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=full_input(indicators, commitments),
    )
    report = services.report_submit(report=report, user=focal_point)

    assert report.status == ReportStatus.SUBMITTED
    assert [t.to_status for t in report.transitions.order_by("pk")] == [
        "submitted",
        "returned",
        "submitted",
    ]


@pytest.fixture
def secretariat_team(secretariat):
    """The Secretariat in three languages, and people who must not get its emails."""
    from alliance87.accounts import roles
    from tests.factories import SecretariatFactory, UserFactory

    SecretariatFactory(email="sec.fr@example.org", first_name="Amélie", language="fr")
    SecretariatFactory(email="sec.es@example.org", first_name="Lucía", language="es")
    SecretariatFactory(email="gone@example.org", is_active=False)
    UserFactory(email="member@example.org", role=roles.GCG_MEMBER)
    return secretariat


def test_submit_emails_each_secretariat_member_in_their_language_with_the_review_link(
    report,
    focal_point,
    secretariat_team,
    indicators,
    commitments,
    django_capture_on_commit_callbacks,
):
    from alliance87.outbox.models import OutboxEmail

    with django_capture_on_commit_callbacks(execute=True):
        report = submitted(report, focal_point, indicators, commitments)

    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == [
        "sec.es@example.org",
        "sec.fr@example.org",
        "secretariat@example.org",
    ]
    english = by_address["secretariat@example.org"]
    assert english.subject == "[Alliance 8.7] The 2026 H1 report of Fiji was submitted for review"
    assert english.body.startswith("Dear Sara,")
    assert f"/pathfinders/reports/{report.pk}/review/" in english.body
    assert "again" not in english.subject + english.body
    french = by_address["sec.fr@example.org"]
    assert french.body.startswith("Bonjour Amélie,")
    with translation.override("fr"):
        assert formats.date_format(report.submitted_at, "LONG_DATE_FORMAT") in french.body
    assert by_address["sec.es@example.org"].body.startswith("Estimado/a Lucía:")
    # The country is named in each recipient's language (CLDR), its stored name in English.
    assert "Fidji" in french.subject and "Fidji" in french.body and "Fiji" not in french.body
    spanish = by_address["sec.es@example.org"]
    assert "Fiyi" in spanish.subject and "Fiyi" in spanish.body
    assert dict(OutboxEmail.objects.values_list("to", "language")) == {
        "secretariat@example.org": "en",
        "sec.fr@example.org": "fr",
        "sec.es@example.org": "es",
    }


def test_a_submission_is_not_lost_for_want_of_a_broker_the_emails_wait_in_the_outbox(
    report,
    focal_point,
    secretariat_team,
    indicators,
    commitments,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from alliance87.outbox.models import OutboxEmail
    from pathfinders import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to the broker")

    monkeypatch.setattr(tasks.notify_report_transition, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        report = submitted(report, focal_point, indicators, commitments)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert sorted(OutboxEmail.objects.values_list("to", flat=True)) == [
        "sec.es@example.org",
        "sec.fr@example.org",
        "secretariat@example.org",
    ]


def test_resubmission_after_return_tells_the_secretariat_it_was_revised(
    report,
    focal_point,
    secretariat,
    indicators,
    commitments,
    django_capture_on_commit_callbacks,
):
    report = submitted(report, focal_point, indicators, commitments)
    report = services.report_return(report=report, user=secretariat, comment="Fix NUM")

    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(report=report, user=focal_point)

    [email] = mail.outbox
    assert email.to == ["secretariat@example.org"]
    assert email.subject == (
        "[Alliance 8.7] The 2026 H1 report of Fiji was submitted again for review"
    )
    assert "again, revised after it was returned for revision" in email.body


def test_a_submission_nobody_commits_emails_nobody(
    report, focal_point, secretariat, indicators, commitments, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submitted(report, focal_point, indicators, commitments)
        raise RuntimeError("the request failed after the submission")

    assert mail.outbox == []
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_accept_locks_the_report_updates_commitments_and_emails(
    report,
    focal_point,
    secretariat,
    indicators,
    commitments,
    django_capture_on_commit_callbacks,
):
    report = submitted(report, focal_point, indicators, commitments)

    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_accept(report=report, user=secretariat)

    assert report.is_locked and report.accepted_by == secretariat
    assert Commitment.objects.get(pk=commitments[0].pk).progress_percent == 40
    assert len(mail.outbox) == 1 and "accepted" in mail.outbox[0].subject
    with pytest.raises(services.ReportNotEditable):
        services.report_save(
            report=report,
            user=focal_point,
            expected_version=report.version,
            data=full_input(indicators, commitments),
        )
    with pytest.raises(ValidationError):
        services.report_return(report=report, user=secretariat, comment="Too late")


def test_draft_cannot_be_accepted_or_returned(report, secretariat):
    with pytest.raises(ValidationError):
        services.report_accept(report=report, user=secretariat)
    with pytest.raises(ValidationError):
        services.report_return(report=report, user=secretariat, comment="No")


def test_every_value_change_is_in_the_history_with_its_author(
    report, focal_point, indicators, commitments
):
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=1,
        data=full_input(indicators, commitments),
    )
    data = full_input(indicators, commitments)
    data.values[indicators["NUM"].pk] = ValueInput(
        value_number=Decimal(300), narrative="From records"
    )
    services.report_save(report=report, user=focal_point, expected_version=2, data=data)

    history = IndicatorValue.history.filter(indicator=indicators["NUM"]).order_by("history_date")
    assert [h.value_number for h in history] == [250, 300]


def test_framework_copy_makes_a_new_version_and_leaves_the_old_untouched(framework):
    new = services.framework_version_copy(version=framework)

    assert new.number == 2
    assert sorted(new.indicators.values_list("code", flat=True)) == sorted(
        framework.indicators.values_list("code", flat=True)
    )
    assert framework.indicators.count() == 5


def test_value_of_another_framework_version_is_refused(report, focal_point, commitments):
    foreign = IndicatorFactory(code="OTHER")
    data = ReportInput(values={foreign.pk: ValueInput(value_number=Decimal(1))})

    with pytest.raises(ValidationError):
        services.report_save(report=report, user=focal_point, expected_version=1, data=data)


def test_an_email_gives_its_date_in_the_recipient_s_time_zone(
    report,
    focal_point,
    second_focal_point,
    secretariat,
    country,
    indicators,
    commitments,
    django_capture_on_commit_callbacks,
):
    """Returned at 20:00 UTC on 5 December: already the 6th in Fiji, still the 5th in Paris."""
    country.time_zone = "Pacific/Fiji"
    country.save()
    second_focal_point.time_zone = "Europe/Paris"
    second_focal_point.save()
    report = submitted(report, focal_point, indicators, commitments)
    services.report_return(report=report, user=secretariat, comment="Check.")
    transition = report.transitions.get(to_status=ReportStatus.RETURNED)
    transition.at = datetime.datetime(2026, 12, 5, 20, 0, tzinfo=datetime.UTC)
    transition.save()
    OutboxEmail.objects.all().delete()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.report_transition_notify(transition=transition)

    fiji = next(m for m in mail.outbox if m.to == ["focal@example.org"])
    paris = next(m for m in mail.outbox if m.to == ["workers@example.org"])
    assert "On 6 December 2026" in fiji.body
    assert "5\u00a0décembre\u00a02026" in paris.body  # non-breaking spaces: one line
