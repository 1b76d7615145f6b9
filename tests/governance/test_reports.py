import pytest

from alliance87.reports import services
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_the_composition_report_prints_members_vacancies_and_the_chair(
    gcg, gcg_member, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.report_request(
            user=gcg_member, kind="gcg_composition", parameters={}, language="en"
        )

    report.refresh_from_db()
    text = pdf_text(report)
    assert report.status == "done", report.error_detail
    assert "GCG composition and rotation report" in text
    assert "Pathfinder Country representatives" in text
    assert "Argentina" in text and "Walk Free" in text and "France" in text
    assert "Vacant" in text and "PFC seat 2" in text


def test_a_focal_point_may_not_ask_for_the_composition_report(gcg, focal_point):
    with pytest.raises(services.PermissionDenied):
        services.report_request(
            user=focal_point, kind="gcg_composition", parameters={}, language="en"
        )
