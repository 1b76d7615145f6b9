"""Pathfinder journeys in Chromium: the focal point's report and the Secretariat's review."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from pathfinders import services
from pathfinders.models import IndicatorType, IndicatorValue, ProgressReport, ReportStatus
from pathfinders.services import ReportInput, UpdateInput, ValueInput
from tests.browser.conftest import sign_in_through_form
from tests.factories import PASSWORD, CountryFactory, FocalPointFactory, SecretariatFactory
from tests.pathfinders.factories import (
    CommitmentFactory,
    FrameworkVersionFactory,
    IndicatorFactory,
    PathfinderFactory,
    PeriodFactory,
    RoadmapFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def review_and_submit(page) -> None:
    """The form's last step: save and review, see what will be sent, then confirm."""
    page.get_by_role("button", name="Review before submitting").click()
    assert "What will be sent" in page.locator("main").inner_text()
    page.get_by_role("button", name="Submit to the Secretariat").click()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setting(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fiji = CountryFactory(iso_code="FJ", name="Fiji", ilo_region="asia_pacific")
    pathfinder = PathfinderFactory(country=fiji)
    version = FrameworkVersionFactory(number=1)
    IndicatorFactory(
        version=version,
        code="PR2",
        title="Children withdrawn from child labour",
        kind=IndicatorType.NUMBER,
        minimum=0,
        maximum=100000,
        order=1,
    )
    IndicatorFactory(
        version=version,
        code="PL3",
        title="Share of the budget funded nationally",
        kind=IndicatorType.PERCENTAGE,
        baseline=10,
        target=60,
        order=2,
    )
    period = PeriodFactory(
        label="2026 H1",
        framework_version=version,
        opens_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    roadmap = RoadmapFactory(pathfinder=pathfinder, title="Fiji roadmap")
    commitment = CommitmentFactory(
        roadmap=roadmap, code="1.1", title="Revise the hazardous work list"
    )
    focal_point = FocalPointFactory(
        country=fiji, user__email="mere@example.org", user__first_name="Mere"
    ).user
    return {
        "pathfinder": pathfinder,
        "period": period,
        "commitment": commitment,
        "focal_point": focal_point,
        "version": version,
    }


def test_focal_point_drafts_comes_back_attaches_evidence_submits_and_sees_the_return(
    page, live_server, setting
):
    focal_point = setting["focal_point"]
    sign_in_through_form(page, live_server, focal_point)

    page.goto(f"{live_server.url}/pathfinders/countries/FJ/")
    page.get_by_role("button", name="Start the report").click()
    page.locator("#indicator-PR2").get_by_label("Value").fill("1250")
    page.locator("#indicator-PL3").get_by_label("Value (%)").fill("140")
    page.get_by_role("button", name="Save draft").click()

    # A bad percentage is refused beside its field; what was typed stays.
    assert "A percentage is between 0 and 100." in page.locator("#indicator-PL3").inner_text()
    assert page.locator("#indicator-PR2").get_by_label("Value").input_value() == "1250"
    page.locator("#indicator-PL3").get_by_label("Value (%)").fill("35")
    page.get_by_role("button", name="Save draft").click()
    assert "Draft saved" in page.get_by_role("status").inner_text()

    # Leave, then come back from the dashboard: the draft is there.
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("link", name="Continue the 2026 H1 report").click()
    assert page.locator("#indicator-PR2").get_by_label("Value").input_value() == "1250"

    page.locator("#evidence-PR2").get_by_label("Evidence").set_input_files(
        files=[{"name": "withdrawals.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("#commitment-1\\.1").get_by_label("Status").select_option("delayed")
    page.get_by_role("button", name="Review before submitting").click()
    # A delayed commitment needs a narrative: refused, nothing lost, then fixed. The summary
    # at the top takes focus and leads to the field.
    summary = page.get_by_role("alert")
    assert summary.evaluate("element => element === document.activeElement")
    summary.get_by_role("link", name=re.compile("Commitment 1.1 Narrative")).click()
    narrative = page.locator("#commitment-1\\.1").get_by_label("Narrative")
    assert narrative.evaluate("element => element === document.activeElement")
    assert "delayed or off track" in page.locator("#commitment-1\\.1").inner_text()
    page.locator("#commitment-1\\.1").get_by_label("Narrative").fill(
        "Waiting for the tripartite committee."
    )
    page.locator("#evidence-PR2").get_by_label("Evidence").set_input_files(
        files=[{"name": "withdrawals.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    review_and_submit(page)

    assert "Report submitted" in page.get_by_role("status").inner_text()
    assert page.get_by_role("link", name="withdrawals.pdf").is_visible()
    assert page.get_by_role("link", name="Continue the report").count() == 0
    report = ProgressReport.objects.get(pathfinder=setting["pathfinder"])
    assert report.status == ReportStatus.SUBMITTED

    # The Secretariat returns it with a comment on one field.
    secretariat = SecretariatFactory(email="sara@example.org")
    indicator = setting["version"].indicators.get(code="PR2")
    services.report_return(
        report=report,
        user=secretariat,
        comment="Nearly there.",
        indicator_comments={indicator.pk: "Does this include the pilot districts?"},
    )

    page.reload()
    assert "Returned for revision" in page.locator("main").inner_text()
    page.get_by_role("link", name="Revise the report").click()
    comment = page.locator("#indicator-PR2").get_by_role("complementary")
    assert "Does this include the pilot districts?" in comment.inner_text()
    assert "Nearly there." in page.locator(".pf-returned").inner_text()


def test_secretariat_returns_a_report_then_accepts_it(page, live_server, setting):
    focal_point = setting["focal_point"]
    report = services.report_start(
        pathfinder=setting["pathfinder"], period=setting["period"], user=focal_point
    )
    indicator = setting["version"].indicators.get(code="PR2")
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=ReportInput(
            values={indicator.pk: ValueInput(value_number=Decimal(800))},
            updates={setting["commitment"].pk: UpdateInput(status="on_track", progress_percent=40)},
        ),
    )
    services.report_submit(report=report, user=focal_point)
    secretariat = SecretariatFactory(email="sara@example.org")
    sign_in_through_form(page, live_server, secretariat)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    page.get_by_role("link", name="Review the report of Fiji").click()
    page.get_by_label("Comment on PR2").fill("Please give the source of this figure.")
    page.get_by_label("Return it for revision").check()
    page.get_by_role("button", name="Record the decision").click()

    assert "Report returned" in page.get_by_role("status").inner_text()
    assert "Nothing to review." in page.locator("main").inner_text()
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.review_comments.get().text == "Please give the source of this figure."

    # The focal point revises and submits again; the Secretariat accepts.
    value = IndicatorValue.objects.get(report=report)
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=ReportInput(
            values={
                indicator.pk: ValueInput(
                    value_number=value.value_number, narrative="Ministry records, 2026."
                )
            }
        ),
    )
    services.report_submit(report=report, user=focal_point)
    page.reload()
    page.get_by_role("link", name="Review the report of Fiji").click()
    page.get_by_label("Accept the report").check()
    page.get_by_role("button", name="Record the decision").click()

    assert "Report accepted" in page.get_by_role("status").inner_text()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    page.goto(f"{live_server.url}/pathfinders/reports/{report.pk}/")
    assert "Locked" in page.locator("main").inner_text()
    assert "Change history" in page.locator("main").inner_text()


def test_secretariat_reopens_an_accepted_report_and_history_cannot_revert_it(
    page, live_server, setting
):
    focal_point = setting["focal_point"]
    report = services.report_start(
        pathfinder=setting["pathfinder"], period=setting["period"], user=focal_point
    )
    indicator = setting["version"].indicators.get(code="PR2")
    services.report_save(
        report=report,
        user=focal_point,
        expected_version=report.version,
        data=ReportInput(
            values={indicator.pk: ValueInput(value_number=Decimal(800))},
            updates={setting["commitment"].pk: UpdateInput(status="on_track", progress_percent=40)},
        ),
    )
    services.report_submit(report=report, user=focal_point)
    secretariat = SecretariatFactory(email="sara@example.org")
    report = services.report_accept(report=report, user=secretariat)
    accepted_version = report.version
    sign_in_through_form(page, live_server, secretariat)

    # History: an earlier version can be looked at; posting it back (a revert) is refused.
    page.goto(f"{live_server.url}/admin/pathfinders/progressreport/{report.pk}/change/")
    page.get_by_role("link", name="History").click()
    page.locator("#change-history tbody tr").last.locator("a").first.click()
    assert page.get_by_role("button", name="Revert").count() == 0
    page.locator("#content-main form").evaluate("form => form.submit()")
    page.wait_for_load_state()
    assert "Reverting a progress report or its values" in page.locator(".messagelist").inner_text()
    report.refresh_from_db()
    assert (report.status, report.version) == (ReportStatus.ACCEPTED, accepted_version)

    # The admin's button leads to the page that asks for the reason.
    page.goto(f"{live_server.url}/admin/pathfinders/progressreport/{report.pk}/change/")
    page.get_by_role("link", name="Reopen (asks for the reason)").click()
    page.get_by_role("button", name="Reopen the report").click()
    assert "Give the reason for reopening" in page.locator("main").inner_text()
    page.get_by_label("Reason for reopening").fill("The survey was corrected: update PR2.")
    page.get_by_role("button", name="Reopen the report").click()
    assert "Report reopened" in page.get_by_role("status").inner_text()
    report.refresh_from_db()
    assert report.status == ReportStatus.REOPENED and report.version == accepted_version + 1

    # The focal point sees why, revises and submits again.
    page.context.clear_cookies()
    sign_in_through_form(page, live_server, focal_point)
    page.goto(f"{live_server.url}/pathfinders/reports/{report.pk}/")
    assert "Reopened by the Secretariat" in page.locator("main").inner_text()
    assert "The survey was corrected: update PR2." in page.locator(".pf-returned").inner_text()
    page.get_by_role("link", name="Revise the report").click()
    review_and_submit(page)
    assert "Report submitted" in page.get_by_role("status").inner_text()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert list(report.transitions.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "accepted",
        "reopened",
        "submitted",
    ]


def test_values_typed_before_the_session_expired_come_back_after_signing_in(
    page, live_server, setting
):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    focal_point = setting["focal_point"]
    report = services.report_start(
        pathfinder=setting["pathfinder"], period=setting["period"], user=focal_point
    )
    sign_in_through_form(page, live_server, focal_point)
    page.goto(f"{live_server.url}/pathfinders/reports/{report.pk}/edit/")
    page.locator("#indicator-PR2").get_by_label("Value").fill("2024")

    # The session expires while the person types.
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    page.get_by_role("button", name="Save draft").click()

    assert "/accounts/login/" in page.url
    assert "Your session had expired" in page.locator("main").inner_text()
    page.get_by_label("Email").fill(focal_point.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    assert page.locator("#indicator-PR2").get_by_label("Value").input_value() == "2024"
    assert "before your session expired" in page.locator("main").inner_text()
    review_and_submit(page)
    assert "Report submitted" in page.get_by_role("status").inner_text()


def test_a_tenfold_jump_asks_the_focal_point_for_an_explanation_and_the_reviewer_sees_it(
    page, live_server, setting
):
    focal_point = setting["focal_point"]
    earlier = PeriodFactory(
        label="2025",
        framework_version=setting["version"],
        opens_on=setting["period"].opens_on - datetime.timedelta(days=365),
        due_on=setting["period"].opens_on - datetime.timedelta(days=300),
    )
    accepted = ProgressReport.objects.create(
        pathfinder=setting["pathfinder"],
        period=earlier,
        status=ReportStatus.ACCEPTED,
        first_submitted_at=timezone.now() - datetime.timedelta(days=320),
        accepted_at=timezone.now() - datetime.timedelta(days=310),
    )
    IndicatorValue.objects.create(
        report=accepted, indicator=setting["version"].indicators.get(code="PR2"), value_number=120
    )
    sign_in_through_form(page, live_server, focal_point)
    page.goto(f"{live_server.url}/pathfinders/countries/FJ/")
    page.get_by_role("button", name="Start the report").click()
    item = page.locator("#indicator-PR2")
    assert "Previous accepted value: 120 (2025)" in item.inner_text()

    item.get_by_label("Value").fill("1200")
    page.get_by_role("button", name="Review before submitting").click()

    item = page.locator("#indicator-PR2")
    assert "1200 is a large change from the previous accepted value, 120 (2025)" in (
        item.inner_text()
    )
    assert item.get_by_label("Value").input_value() == "1200"
    item.get_by_label("Explanation of a large change").fill("The survey now covers every island.")
    page.locator("#commitment-1\\.1").get_by_label("Status").select_option("on_track")
    review_and_submit(page)
    assert "Report submitted" in page.get_by_role("status").inner_text()

    page.context.clear_cookies()
    sign_in_through_form(page, live_server, SecretariatFactory(email="sara@example.org"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    assert "Needs a look: 1 value" in page.locator("main").inner_text()
    page.get_by_role("link", name="Review the report of Fiji").click()
    row = page.get_by_role("row").filter(has_text="PR2")
    assert "120 (2025) → 1200" in row.inner_text()
    assert "The survey now covers every island." in row.inner_text()
