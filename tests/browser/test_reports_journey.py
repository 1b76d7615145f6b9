"""A GCG member asks for a country dossier, watches it complete, downloads it and opens it."""

import io

import pytest
from pypdf import PdfReader

from alliance87 import jobs
from alliance87.reports.models import ReportRequest
from alliance87.reports.tasks import render_report
from tests.browser.conftest import sign_in_through_form
from tests.pathfinders.factories import CommitmentFactory, PathfinderFactory, RoadmapFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fiji(settings, tmp_path, country):
    settings.MEDIA_ROOT = tmp_path
    pathfinder = PathfinderFactory(country=country)
    roadmap = RoadmapFactory(pathfinder=pathfinder, title="National roadmap on Target 8.7")
    CommitmentFactory(roadmap=roadmap, code="1.1", title="Revise the hazardous work list")
    return pathfinder


def test_member_asks_for_a_dossier_watches_it_complete_and_opens_the_pdf(
    page, live_server, gcg_member, fiji, monkeypatch
):
    sent: list[int] = []
    # The worker comes later, below.
    monkeypatch.setattr(jobs, "_send", lambda model, pk, countdown: sent.append(pk))
    sign_in_through_form(page, live_server, gcg_member, next_path="/pathfinders/countries/FJ/")

    page.get_by_role("button", name="Accountability dossier (PDF)").click()

    status = page.get_by_role("status")
    assert "Waiting for" in status.inner_text()
    assert page.locator("progress").is_visible()
    render_report.apply(args=[sent[0]])  # a worker takes it
    page.get_by_role("link", name="Download the PDF").wait_for(timeout=15_000)
    assert "Done" in status.inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert download.value.suggested_filename == "country_dossier-FJ-en.pdf"
    assert (
        "Pathfinder country accountability dossier" in text
        and "Revise the hazardous work list" in text
    )
    assert ReportRequest.objects.get().status == "done"


def test_my_reports_lists_the_dossier_with_its_download_link(page, live_server, gcg_member, fiji):
    sign_in_through_form(page, live_server, gcg_member, next_path="/pathfinders/countries/FJ/")
    page.get_by_role("button", name="Accountability dossier (PDF)").click()

    page.get_by_role("link", name="PDF reports").click()

    row = page.get_by_role("row", name="Pathfinder country accountability dossier")
    assert "Done" in row.inner_text()
    assert row.get_by_role("link", name="Download").is_visible()
