"""The "Vision and progress" chapter of the Alliance-wide PDF, rendered for real."""

import pytest

from alliance87.reports import services
from pathfinders import selectors as pathfinder_selectors
from tests.pdf import pdf_text
from vision import selectors

from .factories import child_labour_estimates

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_alliance_report_opens_with_vision_and_progress(
    accepted, gcg_member, django_capture_on_commit_callbacks
):
    child_labour_estimates()

    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.report_request(
            user=gcg_member, kind="alliance_accountability", parameters={}, language="en"
        )
    report.refresh_from_db()

    assert report.status == "done", report.error_detail
    text = pdf_text(report)
    assert "Vision and progress" in text and "Target 8.7's deadlines" in text
    assert "5.5 million children fewer a year" in text
    assert "The Pathfinder pipeline" in text and "The Durban Call to Action" in text


def test_the_chapter_reads_the_same_selectors_as_the_page(accepted, gcg_member):
    child_labour_estimates()

    context = selectors.alliance_accountability_report()
    page = selectors.vision_page(user=gcg_member, params={})

    chapter = context["vision"]
    assert (
        chapter["estimates"]["tracked"][0]["trend"]["lines"]
        == (page["estimates"]["tracked"][0]["trend"]["lines"])
    )
    assert chapter["pipeline"]["stages"] == page["pipeline"]["stages"]
    assert [a["funding"] for a in chapter["durban"]] == [a["funding"] for a in page["durban"]]
    assert context["figures"] == page["accountability"]["figures"]
    assert context["figures"] == pathfinder_selectors.accountability_headline()["figures"]
