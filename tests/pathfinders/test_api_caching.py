"""The API's answers are kept in the cache for their reader (alliance87.api.caching): a
write shows on the next read, one person's answer never reaches another, and a file or an
error is never served from what was kept. Read through the progress reports' list; the
answer in the reader's language: tests/governance/test_record_translations.py."""

import pytest

from pathfinders import services
from pathfinders.services import ReportInput
from tests.api_clients import token_client

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/pathfinders/reports/"


def versions(client) -> dict[int, int]:
    return {row["id"]: row["version"] for row in client.get(REPORTS).json()["results"]}


def statuses(client) -> dict[int, str]:
    return {row["id"]: row["status"] for row in client.get(REPORTS).json()["results"]}


def test_a_saved_draft_shows_on_the_next_read(focal_point, report, secretariat):
    staff = token_client(secretariat)
    assert versions(staff)[report.pk] == 1

    # Through the draft's own service, as the portal and the API write it.
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=ReportInput(values={}, updates={}),
    )
    report.refresh_from_db()

    assert versions(staff)[report.pk] == 2


def test_one_persons_answer_is_not_served_to_another(
    focal_point, secretariat, report, other_report
):
    assert set(statuses(token_client(secretariat))) == {report.pk, other_report.pk}

    assert set(statuses(token_client(focal_point))) == {report.pk}


def test_a_refused_filter_is_never_kept_and_a_good_one_is_answered(secretariat, report):
    client = token_client(secretariat)
    assert client.get(REPORTS, {"status": "no-such-status"}).status_code == 400

    assert client.get(REPORTS, {"status": "draft"}).status_code == 200
    assert client.get(REPORTS, {"status": "no-such-status"}).status_code == 400


def test_csv_is_written_afresh_after_a_json_read(secretariat, report):
    client = token_client(secretariat)
    client.get(REPORTS)

    csv = client.get(REPORTS, {"format": "csv"})

    assert csv["Content-Type"].startswith("text/csv")
    assert report.pathfinder.country.name in csv.content.decode()
