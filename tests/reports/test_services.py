import dataclasses
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from alliance87 import jobs
from alliance87.reports import kinds, services
from alliance87.reports.models import ReportRequest
from alliance87.reports.tasks import render_report
from tests.pdf import pdf_text
from tests.reports.kinds_for_tests import NARRATIVE

pytestmark = pytest.mark.django_db
Status = ReportRequest.Status


def ask(user, country="FJ", language="en"):
    return services.report_request(
        user=user, kind="test_kind", parameters={"country": country}, language=language
    )


def test_a_request_is_rendered_to_a_pdf_with_cover_contents_and_figures(
    gcg_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report, joined = ask(gcg_member)

    report.refresh_from_db()
    assert (report.status, report.attempts, joined) == (Status.DONE, 1, False)
    text = pdf_text(report)
    assert "Test report" in text and "Test subject FJ" in text
    assert "Contents" in text and "Indicator total 4217" in text
    assert "Data as of" in text
    assert str(report.token) in report.file.name


def test_a_rollback_enqueues_nothing(gcg_member, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(render_report, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ask(gcg_member)
        raise RuntimeError("the surrounding work failed")

    send.assert_not_called()
    assert not ReportRequest.objects.exists()


def test_an_identical_request_joins_the_queued_one(gcg_member, gcg_observer):
    with mock.patch.object(render_report, "apply_async"):
        first, _ = ask(gcg_member)
        second, joined = ask(gcg_observer)

    assert joined and second.pk == first.pk
    assert set(first.requesters.all()) == {gcg_member, gcg_observer}
    assert ReportRequest.objects.count() == 1


def test_another_language_is_another_report(gcg_member):
    with mock.patch.object(render_report, "apply_async"):
        ask(gcg_member, language="en")
        _, joined = ask(gcg_member, language="fr")

    assert not joined and ReportRequest.objects.count() == 2


def test_a_duplicate_delivery_does_nothing(gcg_member):
    with mock.patch.object(render_report, "apply_async"):
        report, _ = ask(gcg_member)

    render_report.apply(args=[report.pk])
    render_report.apply(args=[report.pk])

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Status.DONE, 1)
    files = report.file.storage.listdir(f"reports/{report.token}")[1]
    assert files == ["test_kind-1.pdf"]


def test_people_who_may_not_see_the_subject_cannot_ask(focal_point):
    with pytest.raises(PermissionDenied):
        ask(focal_point, country="GH")


def test_asking_is_rate_limited_per_person(gcg_member, settings):
    settings.REPORT_REQUESTS_PER_HOUR = 2
    with mock.patch.object(render_report, "apply_async"):
        ask(gcg_member, country="AA")
        ask(gcg_member, country="BB")
        with pytest.raises(services.ReportRateLimited):
            ask(gcg_member, country="CC")


def test_a_broker_outage_leaves_the_request_queued_and_the_sweep_sends_it_later(
    gcg_member, django_capture_on_commit_callbacks, settings
):
    settings.JOB_RESEND_AFTER_SECONDS = 0
    with (
        mock.patch.object(render_report, "apply_async", side_effect=ConnectionError("redis down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report, _ = ask(gcg_member)
    report.refresh_from_db()
    assert (report.status, report.enqueued_at) == (Status.QUEUED, None)

    ReportRequest.objects.filter(pk=report.pk).update(
        due_at=timezone.now() - timezone.timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep()["reports.ReportRequest"]["resent"] == 1

    report.refresh_from_db()
    assert report.status == Status.DONE


def test_the_sweep_renders_again_a_request_whose_worker_went_silent(
    gcg_member, django_capture_on_commit_callbacks
):
    with mock.patch.object(render_report, "apply_async"):
        report, _ = ask(gcg_member)
    jobs.claim(ReportRequest, report.pk)  # a worker took it, then died
    ReportRequest.objects.filter(pk=report.pk).update(
        heartbeat_at=timezone.now() - timezone.timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep()

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Status.DONE, 2)


def test_a_late_finish_of_a_lost_attempt_keeps_only_the_winners_file(gcg_member):
    with mock.patch.object(render_report, "apply_async"):
        report, _ = ask(gcg_member)
    lost = jobs.claim(ReportRequest, report.pk)
    ReportRequest.objects.filter(pk=report.pk).update(status=Status.QUEUED)
    winner = jobs.claim(ReportRequest, report.pk)
    assert services.report_render(request_id=report.pk, attempt=winner)

    assert not services.report_render(request_id=report.pk, attempt=lost)

    report.refresh_from_db()
    assert report.file.name.endswith(f"test_kind-{winner}.pdf")
    assert report.file.storage.listdir(f"reports/{report.token}")[1] == [f"test_kind-{winner}.pdf"]


def test_a_failing_render_shows_a_readable_message_and_keeps_the_error_for_staff(
    gcg_member, test_kind, monkeypatch
):
    with mock.patch.object(render_report, "apply_async"):
        report, _ = ask(gcg_member)
    failing = mock.Mock(side_effect=KeyError("indicator"))
    monkeypatch.setitem(kinds.KINDS, "test_kind", dataclasses.replace(test_kind, context=failing))
    render_report.apply(args=[report.pk])

    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert "could not be produced" in report.error_message
    assert "KeyError" in report.error_detail


def test_old_files_are_pruned_but_their_requests_kept(
    gcg_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = ask(gcg_member)
    report.refresh_from_db()
    name = report.file.name
    ReportRequest.objects.filter(pk=report.pk).update(
        finished_at=timezone.now() - timezone.timedelta(days=100)
    )

    assert services.report_prune_files(older_than_days=90) == 1

    report.refresh_from_db()
    assert report.file.name == "" and report.file_pruned_at is not None
    assert not report.file.storage.exists(name)


def test_user_text_is_printed_not_fetched(gcg_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = ask(gcg_member)

    report.refresh_from_db()
    text = pdf_text(report)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")
    assert "169.254.169.254" in text


def test_the_pdf_loads_its_own_stylesheet_and_logo_and_nothing_else():
    context = {"report_title": "T", "narrative": NARRATIVE, "figure": 1, "report_subject": "S"}

    _pdf, fetcher = services.render_pdf(
        template="reports/pdf/test_kind.html", context=context, language="en"
    )

    assert set(fetcher.fetched) == {"/static/css/pdf.css", "/static/img/logo.svg"}
    assert fetcher.refused == []


def test_a_remote_or_local_file_in_a_template_is_refused(settings, tmp_path):
    template = tmp_path / "hostile.html"
    template.write_text(
        '<link rel="stylesheet" href="/static/css/pdf.css">'
        '<img src="file:///etc/passwd"><img src="http://169.254.169.254/latest/x.png">'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]

    _pdf, fetcher = services.render_pdf(template="hostile.html", context={}, language="en")

    assert fetcher.fetched == ["/static/css/pdf.css"]
    assert sorted(fetcher.refused) == ["file:///etc/passwd", "http://169.254.169.254/latest/x.png"]


def test_a_pdf_is_shared_so_its_times_are_in_utc_named_whoever_asked(
    gcg_member, django_capture_on_commit_callbacks
):
    gcg_member.time_zone = "Pacific/Fiji"
    gcg_member.save()

    # In development the render runs in the request, with the asker's zone active.
    with timezone.override("Pacific/Fiji"), django_capture_on_commit_callbacks(execute=True):
        report, _joined = ask(gcg_member)

    report.refresh_from_db()
    text = pdf_text(report)
    assert "(UTC)" in text and "(Fiji)" not in text


@pytest.mark.parametrize(
    ("language", "contents", "data_as_of"),
    [("fr", "Sommaire", "Données arrêtées au"), ("es", "Índice", "Datos a fecha de")],
)
def test_the_pdf_is_tagged_for_screen_readers_in_the_requesters_language(
    gcg_member, django_capture_on_commit_callbacks, caplog, language, contents, data_as_of
):
    import io

    from pypdf import PdfReader

    with django_capture_on_commit_callbacks(execute=True):
        report, _joined = ask(gcg_member, language=language)
    report.refresh_from_db()

    with report.file.open("rb") as handle:
        catalog = PdfReader(io.BytesIO(handle.read())).trailer["/Root"]
    assert catalog["/Lang"] == language
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/StructTreeRoot"]["/Type"] == "/StructTreeRoot"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    text = pdf_text(report)
    assert contents in text and data_as_of in text
    assert not [r for r in caplog.records if r.name == "weasyprint" and r.levelname == "ERROR"]
