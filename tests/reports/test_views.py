from unittest import mock

import pytest
from django.urls import reverse

from alliance87.reports import services
from alliance87.reports.models import ReportRequest
from alliance87.reports.tasks import render_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def done_report(gcg_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.report_request(
            user=gcg_member, kind="test_kind", parameters={"country": "FJ"}, language="en"
        )
    report.refresh_from_db()
    return report


def test_asking_for_a_report_redirects_to_its_status_page(client_for, gcg_member):
    with mock.patch.object(render_report, "apply_async"):
        response = client_for(gcg_member).post(
            reverse("reports:request"), {"kind": "test_kind", "country": "FJ"}
        )

    report = ReportRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:report_detail", args=[report.pk])


def test_a_queued_report_page_refreshes_itself_and_says_it_waits(client_for, gcg_member):
    with mock.patch.object(render_report, "apply_async", side_effect=ConnectionError):
        client_for(gcg_member).post(
            reverse("reports:request"), {"kind": "test_kind", "country": "FJ"}
        )
    report = ReportRequest.objects.get()

    html = (
        client_for(gcg_member)
        .get(reverse("reports:report_detail", args=[report.pk]))
        .content.decode()
    )

    assert '<meta http-equiv="refresh" content="3">' in html
    assert "not reachable right now" in html


def test_the_owner_downloads_the_pdf(client_for, gcg_member, done_report):
    response = client_for(gcg_member).get(reverse("reports:report_download", args=[done_report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_focal_point_cannot_fetch_a_report_on_another_country_by_its_url(
    client_for, focal_point, done_report
):
    client = client_for(focal_point)

    assert client.get(reverse("reports:report_download", args=[done_report.pk])).status_code == 404
    assert client.get(reverse("reports:report_detail", args=[done_report.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, done_report):
    response = client.get(reverse("reports:report_download", args=[done_report.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_my_reports_lists_the_reports_i_asked_for_or_joined(
    client_for, gcg_member, gcg_observer, done_report
):
    assert "FJ" in client_for(gcg_member).get(reverse("reports:my_reports")).content.decode()
    assert (
        "test_kind:FJ"
        not in client_for(gcg_observer).get(reverse("reports:my_reports")).content.decode()
    )


def test_the_rate_limit_is_explained_to_the_person(client_for, gcg_member, settings):
    settings.REPORT_REQUESTS_PER_HOUR = 0

    response = client_for(gcg_member).post(
        reverse("reports:request"), {"kind": "test_kind", "country": "FJ"}, follow=True
    )

    assert "many reports in the last hour" in response.content.decode()
    assert not ReportRequest.objects.exists()


def test_staff_see_the_full_error_and_others_the_readable_message(
    client_for, gcg_member, secretariat, done_report
):
    ReportRequest.objects.filter(pk=done_report.pk).update(
        status="failed", error_message="could not be produced", error_detail="Traceback: KeyError"
    )
    url = reverse("reports:report_detail", args=[done_report.pk])

    assert "Traceback" not in client_for(gcg_member).get(url).content.decode()
    assert "Traceback: KeyError" in client_for(secretariat).get(url).content.decode()
