"""Reporting figures in Chromium: a country granted status late is not expected; a Fiji
report submitted after midnight in Suva on the deadline day is late, in Fiji's time."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from alliance87.accounts import roles
from pathfinders.models import IndicatorType, ProgressReport, ReportStatus, Stage
from tests.browser.conftest import sign_in_through_form
from tests.factories import CountryFactory, FocalPointFactory, UserFactory
from tests.pathfinders.factories import (
    FrameworkVersionFactory,
    IndicatorFactory,
    PathfinderFactory,
    PeriodFactory,
    ReportFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIJI = zoneinfo.ZoneInfo("Pacific/Fiji")


@pytest.fixture
def version():
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
    return version


def test_a_country_granted_status_after_the_due_date_reads_not_expected(page, live_server, version):

    PeriodFactory(
        label="2025",
        framework_version=version,
        opens_on=datetime.date(2026, 1, 15),
        due_on=datetime.date(2026, 3, 31),
        grace_days=14,
    )
    late = CountryFactory(iso_code="XL", name="Lateland", ilo_region="africa")
    PathfinderFactory(
        country=late,
        stage=Stage.STATUS_GRANTED,
        status_granted_on=datetime.date(2026, 12, 1),
        implementation_started_on=None,
    )
    member = UserFactory(email="member@example.org", role=roles.GCG_MEMBER)
    sign_in_through_form(page, live_server, member)

    page.goto(f"{live_server.url}/pathfinders/")
    page.get_by_label("Reporting period").select_option(label="2025")
    page.get_by_role("button", name="Apply").click()
    row = page.locator("table.pf-overview tbody tr", has_text="Lateland")
    assert "Not expected" in row.inner_text()
    assert "Overdue" not in row.inner_text()
    assert "expected to report" in page.locator(".figures").inner_text()

    page.get_by_role("link", name="Lateland").click()
    record = page.locator("table.pf-record tbody tr", has_text="2025")
    assert record.locator("td").nth(0).inner_text() == "No"
    assert "Not expected" in record.inner_text()
    page.get_by_text("How these figures are worked out").click()
    assert "held Pathfinder status by the period's due date" in page.locator("main").inner_text()


def test_a_fiji_report_submitted_after_midnight_in_suva_is_late(page, live_server, version):
    fiji = CountryFactory(
        iso_code="FJ", name="Fiji", ilo_region="asia_pacific", time_zone="Pacific/Fiji"
    )
    pathfinder = PathfinderFactory(country=fiji)
    # The deadline was yesterday in Suva: a report submitted now came after local midnight,
    # whatever the date in UTC.
    yesterday_in_fiji = timezone.now().astimezone(FIJI).date() - datetime.timedelta(days=1)
    period = PeriodFactory(
        label="2026 H2",
        framework_version=version,
        opens_on=yesterday_in_fiji - datetime.timedelta(days=40),
        due_on=yesterday_in_fiji,
        grace_days=0,
    )
    ReportFactory(pathfinder=pathfinder, period=period)
    focal_point = FocalPointFactory(country=fiji, user__email="mere@example.org").user
    sign_in_through_form(page, live_server, focal_point)

    page.goto(f"{live_server.url}/pathfinders/countries/FJ/")
    page.get_by_role("link", name="Continue the report").click()
    page.locator("#indicator-PR2").get_by_label("Value").fill("1250")
    page.get_by_role("button", name="Review before submitting").click()
    page.get_by_role("button", name="Submit to the Secretariat").click()
    assert "Report submitted" in page.get_by_role("status").inner_text()
    report = ProgressReport.objects.get(pathfinder=pathfinder, period=period)
    assert report.status == ReportStatus.SUBMITTED

    page.goto(f"{live_server.url}/pathfinders/countries/FJ/")
    record = page.locator("table.pf-record tbody tr", has_text="2026 H2")
    assert "Late" in record.inner_text()
    # The time shown is the reader's, in Fiji's zone by default for a Fiji focal point, and
    # the zone is named as its place (CLDR's name in the reader's language).
    assert "(Fiji)" in record.inner_text()
    assert "time zone, Fiji)" in page.locator("table.pf-record caption").inner_text()
    page.get_by_role("link", name="2026 H2").click()
    assert "Late" in page.locator(".figures").inner_text()
