"""The progress-report workflow: every change of state, version and workflow date goes through
pathfinders.services; the admin, History/Revert and stale pages cannot go around it."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from pathfinders import services
from pathfinders.models import IndicatorValue, ProgressReport, ReportStatus

from .test_services import full_input, submitted

REVERT_REFUSED = "Reverting a progress report or its values to an earlier version is refused"


def accepted(report, focal_point, secretariat, indicators, commitments) -> ProgressReport:
    report = submitted(report, focal_point, indicators, commitments)
    return services.report_accept(report=report, user=secretariat)


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:pathfinders_{name}", args=args)


def page_text(response) -> str:
    return response.content.decode()


# --- Reopen: the Secretariat's explicit way back from "accepted" -----------------------------


def test_reopen_keeps_the_dates_raises_the_version_and_logs_who_and_why(
    report, focal_point, secretariat, indicators, commitments
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)
    first_submitted, accepted_at, version = (
        report.first_submitted_at,
        report.accepted_at,
        report.version,
    )

    report = services.report_reopen(report=report, user=secretariat, reason="Corrected survey.")

    assert report.status == ReportStatus.REOPENED and report.is_editable
    assert report.version == version + 1
    assert (report.first_submitted_at, report.accepted_at) == (first_submitted, accepted_at)
    last = report.transitions.order_by("at", "pk").last()
    assert (last.from_status, last.to_status, last.by, last.comment) == (
        "accepted",
        "reopened",
        secretariat,
        "Corrected survey.",
    )


def test_reopen_emails_each_focal_point_in_their_language_with_the_reason(
    report,
    focal_point,
    second_focal_point,
    secretariat,
    indicators,
    commitments,
    django_capture_on_commit_callbacks,
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)

    with django_capture_on_commit_callbacks(execute=True):
        services.report_reopen(report=report, user=secretariat, reason="Corrected survey.")

    reopened = [m for m in mail.outbox if "reopened" in m.subject or "rouvert" in m.subject]
    assert sorted(m.to[0] for m in mail.outbox if "Corrected survey." in m.body) == [
        "focal@example.org",
        "workers@example.org",
    ]
    assert any(m.to == ["focal@example.org"] for m in reopened)


def test_reopen_needs_a_reason(report, focal_point, secretariat, indicators, commitments):
    report = accepted(report, focal_point, secretariat, indicators, commitments)

    with pytest.raises(ValidationError) as error:
        services.report_reopen(report=report, user=secretariat, reason="   ")

    assert "Give the reason for reopening" in str(error.value)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_only_the_secretariat_reopens(report, focal_point, secretariat, indicators, commitments):
    report = accepted(report, focal_point, secretariat, indicators, commitments)

    with pytest.raises(PermissionDenied):
        services.report_reopen(report=report, user=focal_point, reason="I want to change it")

    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_only_an_accepted_report_can_be_reopened(report, focal_point, secretariat, indicators):
    with pytest.raises(services.TransitionRefused) as error:
        services.report_reopen(report=report, user=secretariat, reason="Why not")

    assert "Only an accepted report can be reopened; this one is draft." in str(error.value)


def test_reopened_report_is_revised_resubmitted_and_accepted_again(
    report, focal_point, secretariat, indicators, commitments
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)
    report = services.report_reopen(report=report, user=secretariat, reason="Corrected survey.")
    data = full_input(indicators, commitments)
    data.values[indicators["NUM"].pk].value_number = Decimal(300)

    services.report_save(
        report=report, user=focal_point, expected_version=report.version, data=data
    )
    report = services.report_submit(
        report=report, user=focal_point, expected_version=report.version
    )
    report = services.report_accept(report=report, user=secretariat)

    assert report.status == ReportStatus.ACCEPTED
    assert (
        IndicatorValue.objects.get(report=report, indicator=indicators["NUM"]).value_number == 300
    )
    assert list(report.transitions.values_list("to_status", flat=True)) == [
        "submitted",
        "accepted",
        "reopened",
        "submitted",
        "accepted",
    ]


def test_resubmission_after_reopening_tells_the_secretariat_so(
    report, focal_point, secretariat, indicators, commitments, django_capture_on_commit_callbacks
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)
    report = services.report_reopen(report=report, user=secretariat, reason="Corrected survey.")

    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, user=focal_point, expected_version=report.version)

    [email] = mail.outbox
    assert email.to == ["secretariat@example.org"]
    assert "submitted again for review" in email.subject
    assert "again, revised after it was reopened" in email.body
    assert reverse("pathfinders:report_review", args=[report.pk]) in email.body


# --- Decisions on a report that moved meanwhile -----------------------------------------------


def test_accepting_a_report_another_reviewer_returned_is_refused_naming_the_rule(
    report, focal_point, secretariat, indicators, commitments
):
    report = submitted(report, focal_point, indicators, commitments)
    services.report_return(report=report, user=secretariat, comment="Check EN2.")

    with pytest.raises(services.TransitionRefused) as error:
        services.report_accept(report=report, user=secretariat)

    assert "Only a submitted report can be accepted; this one is returned for revision." in str(
        error.value
    )
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED


def test_a_decision_taken_on_a_stale_version_is_refused_as_a_conflict(
    report, focal_point, secretariat, indicators, commitments
):
    report = submitted(report, focal_point, indicators, commitments)

    with pytest.raises(services.ReportConflict):
        services.report_accept(report=report, user=secretariat, expected_version=report.version - 1)

    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_focal_point_cannot_accept_their_own_report(report, focal_point, indicators, commitments):
    report = submitted(report, focal_point, indicators, commitments)

    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, user=focal_point)


# --- The admin goes through the same workflow ------------------------------------------------


def test_revert_in_the_admin_history_is_refused_and_moves_nothing(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)
    draft_version = report.history.order_by("history_date", "history_id").first()
    before = ProgressReport.objects.values(
        "status", "version", "first_submitted_at", "accepted_at"
    ).get(pk=report.pk)

    response = client_for(secretariat).post(
        admin_url("progressreport_simple_history", report.pk, draft_version.history_id),
        {"summary": "", "expected_version": draft_version.version},
        follow=True,
    )

    assert REVERT_REFUSED in page_text(response)
    after = ProgressReport.objects.values(
        "status", "version", "first_submitted_at", "accepted_at"
    ).get(pk=report.pk)
    assert after == before


def test_an_earlier_version_says_why_it_cannot_be_reverted(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)
    draft_version = report.history.order_by("history_date", "history_id").first()

    response = client_for(secretariat).get(
        admin_url("progressreport_simple_history", report.pk, draft_version.history_id)
    )

    assert REVERT_REFUSED in page_text(response)
    assert 'name="_save"' not in response.content.decode()


def test_revert_of_an_indicator_value_is_refused(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    submitted(report, focal_point, indicators, commitments)
    value = IndicatorValue.objects.get(report=report, indicator=indicators["NUM"])
    first = value.history.order_by("history_date", "history_id").first()

    response = client_for(secretariat).post(
        admin_url("indicatorvalue_simple_history", value.pk, first.history_id),
        {"value_number": "1", "expected_version": 1},
        follow=True,
    )

    assert REVERT_REFUSED in page_text(response)
    assert IndicatorValue.objects.get(pk=value.pk).value_number == 250


def test_history_of_a_report_can_still_be_read_without_a_revert_button(
    client_for, report, secretariat
):
    first = report.history.first()

    response = client_for(secretariat).get(
        admin_url("progressreport_simple_history", report.pk, first.history_id)
    )

    assert response.status_code == 200
    assert 'name="_save"' not in page_text(response)


def test_admin_edit_of_a_draft_claims_the_version_and_cannot_set_the_status(
    client_for, report, secretariat
):
    response = client_for(secretariat).post(
        admin_url("progressreport_change", report.pk),
        {
            "summary": "Corrected by the Secretariat",
            "expected_version": report.version,
            "status": "accepted",
            "version": "1",
            **inline_management(),
        },
    )

    assert response.status_code == 302
    stored = ProgressReport.objects.get(pk=report.pk)
    assert stored.summary == "Corrected by the Secretariat"
    assert (stored.status, stored.version) == (ReportStatus.DRAFT, report.version + 1)


def test_stale_admin_form_gets_the_conflict_message_and_saves_nothing(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    opened_at = report.version
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=full_input(indicators, commitments),
    )

    response = client_for(secretariat).post(
        admin_url("progressreport_change", report.pk),
        {"summary": "Old page", "expected_version": opened_at, **inline_management()},
    )

    assert response.status_code == 200
    assert "Someone else saved this report after you opened it" in page_text(response)
    assert ProgressReport.objects.get(pk=report.pk).summary == "Good year"


def test_stale_indicator_value_form_in_the_admin_is_refused(
    client_for, report, focal_point, secretariat, indicators, commitments, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    value = IndicatorValue.objects.create(
        report=report, indicator=indicators["NUM"], value_number=3
    )
    opened_at = report.version
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=full_input(indicators, commitments),
    )

    response = client_for(secretariat).post(
        admin_url("indicatorvalue_change", value.pk),
        {"value_number": "7", "narrative": "", "expected_version": opened_at},
    )

    assert "Someone else saved this report after you opened it" in page_text(response)
    assert IndicatorValue.objects.get(pk=value.pk).value_number == 250


def test_submitted_report_is_read_only_in_the_admin(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    report = submitted(report, focal_point, indicators, commitments)

    response = client_for(secretariat).post(
        admin_url("progressreport_change", report.pk),
        {"summary": "Changed", "expected_version": report.version, **inline_management()},
    )

    assert response.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).summary == "Good year"


def test_accepted_report_in_the_admin_offers_reopen_with_a_reason(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)

    response = client_for(secretariat).get(admin_url("progressreport_change", report.pk))

    reopen = reverse("pathfinders:report_reopen", args=[report.pk])
    assert f'href="{reopen}"' in page_text(response)


def inline_management() -> dict:
    """The admin's inline formsets of a report, unchanged."""
    data = {}
    for prefix in ("values", "commitment_updates", "transitions", "review_comments"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


# --- The pages --------------------------------------------------------------------------------


def test_secretariat_reopens_from_the_page_with_a_reason(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)
    client = client_for(secretariat)
    url = reverse("pathfinders:report_reopen", args=[report.pk])

    refused = client.post(url, {"reason": "", "version": report.version})
    done = client.post(url, {"reason": "Corrected survey.", "version": report.version})

    assert refused.status_code == 400
    assert "Give the reason for reopening" in page_text(refused)
    assert done.status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.REOPENED


def test_focal_point_cannot_reopen_their_accepted_report(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)

    response = client_for(focal_point).post(
        reverse("pathfinders:report_reopen", args=[report.pk]),
        {"reason": "Let me fix it", "version": report.version},
    )

    assert response.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_focal_point_sees_the_report_reopened_with_the_reason_and_may_revise_it(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)
    services.report_reopen(report=report, user=secretariat, reason="Corrected survey.")

    response = client_for(focal_point).get(reverse("pathfinders:report_detail", args=[report.pk]))

    text = page_text(response)
    assert "Reopened by the Secretariat" in text and "Corrected survey." in text
    assert reverse("pathfinders:report_edit", args=[report.pk]) in text


def test_accepted_report_cannot_be_edited_from_the_page(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    report = accepted(report, focal_point, secretariat, indicators, commitments)

    response = client_for(focal_point).get(
        reverse("pathfinders:report_edit", args=[report.pk]), follow=True
    )

    assert "This report is accepted: it can no longer be changed." in page_text(response)


def test_review_decision_from_a_stale_page_is_refused_as_a_conflict(
    client_for, report, focal_point, secretariat, indicators, commitments
):
    report = submitted(report, focal_point, indicators, commitments)

    response = client_for(secretariat).post(
        reverse("pathfinders:report_review", args=[report.pk]),
        {"decision": "accept", "comment": "", "version": report.version - 1},
    )

    assert response.status_code == 400
    assert "Someone else saved this report after you opened it" in page_text(response)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


# --- The database's own guard -----------------------------------------------------------------


def test_the_database_refuses_to_lower_a_reports_version(report, focal_point, secretariat):
    ProgressReport.objects.filter(pk=report.pk).update(version=9)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.filter(pk=report.pk).update(version=5)

    assert ProgressReport.objects.get(pk=report.pk).version == 9


def test_a_stale_model_save_cannot_lower_the_version(report):
    stale = ProgressReport.objects.get(pk=report.pk)
    ProgressReport.objects.filter(pk=report.pk).update(version=F("version") + 3)

    with pytest.raises(IntegrityError), transaction.atomic():
        stale.save()

    assert ProgressReport.objects.get(pk=report.pk).version == report.version + 3
