"""The pages that keep figures or rendered fields in the cache show every write at once."""

import datetime
import re
from decimal import Decimal

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from alliance87.models import FocalPoint
from pathfinders import services
from pathfinders.models import (
    CommitmentUpdate,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    ReportTransition,
    ReviewComment,
)
from pathfinders.services import ReportInput, UpdateInput, ValueInput

from .factories import PeriodFactory, ReportFactory
from .test_views import form_data, submit_report


def _save_value(report, user, indicators, commitments, number: int) -> None:
    services.report_save(
        report=report,
        user=user,
        expected_version=report.version,
        data=ReportInput(
            values={indicators["NUM"].pk: ValueInput(value_number=Decimal(number))},
            updates={
                c.pk: UpdateInput(status="on_track", progress_percent=10) for c in commitments
            },
        ),
    )


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_overview_shows_a_saved_value_in_the_completeness_at_once(
    client_for, gcg_member, focal_point, report, indicators, commitments
):
    client = client_for(gcg_member)
    url = reverse("pathfinders:overview")
    assert '<td class="num">0%</td>' in client.get(url).content.decode()

    _save_value(report, focal_point, indicators, commitments, 5)

    assert '<td class="num">20%</td>' in client.get(url).content.decode()


def test_overview_figures_are_kept_apart_for_each_set_of_countries(
    client_for, gcg_member, focal_point, report, other_report, indicators, commitments
):
    _save_value(report, focal_point, indicators, commitments, 5)
    client_for(gcg_member).get(reverse("pathfinders:overview"))  # every country, cached

    page = client_for(focal_point).get(reverse("pathfinders:overview")).content.decode()

    table = page.split('class="pf-overview"')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 1
    assert '<td class="num">20%</td>' in page


def test_country_page_trends_show_a_report_accepted_since_the_last_visit(
    client_for, gcg_member, secretariat, focal_point, pathfinder, framework, indicators, commitments
):
    client = client_for(gcg_member)
    url = reverse("pathfinders:country_detail", args=[pathfinder.country.iso_code])
    assert "No accepted report yet." in client.get(url).content.decode()
    period = PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=datetime.date(2025, 1, 15),
        due_on=datetime.date(2025, 3, 31),
    )
    report = ReportFactory(pathfinder=pathfinder, period=period)

    report = submit_report(report, focal_point, indicators, commitments)
    services.report_accept(report=report, user=secretariat, comment="")

    page = client.get(url).content.decode()
    assert "No accepted report yet." not in page
    assert '<th scope="col" class="num">2025</th>' in page


def test_trend_charts_have_ids_unique_within_the_page(pathfinder, framework, indicators):
    from pathfinders import selectors

    for year, value in ((2024, 10), (2025, 20)):
        report = ReportFactory(
            pathfinder=pathfinder,
            period=PeriodFactory(
                label=str(year),
                framework_version=framework,
                opens_on=datetime.date(year, 1, 15),
                due_on=datetime.date(year, 3, 31),
            ),
            status=ReportStatus.ACCEPTED,
            first_submitted_at=datetime.datetime(year, 3, 1, tzinfo=datetime.UTC),
            accepted_at=datetime.datetime(year, 3, 2, tzinfo=datetime.UTC),
        )
        for code in ("NUM", "PCT"):
            IndicatorValue.objects.create(
                report=report, indicator=indicators[code], value_number=value
            )

    charts = [i["chart"] for i in selectors.indicator_trends(pathfinder=pathfinder)["indicators"]]

    ids = re.findall(r'id="(chart-[\w-]+)"', "".join(c for c in charts if c))
    assert len(ids) == 4 and len(set(ids)) == 4


def test_progress_form_shows_what_was_saved_since_it_was_last_opened(
    client_for, focal_point, report, indicators, commitments
):
    client = client_for(focal_point)
    url = reverse("pathfinders:report_edit", args=[report.pk])
    rendered = client.get(url).content.decode()
    assert _without_csrf(client.get(url).content.decode()) == _without_csrf(rendered)

    _save_value(report, focal_point, indicators, commitments, 4321)

    page = client.get(url).content.decode()
    assert 'value="4321"' in page
    assert f'name="version" value="{report.version}"' in page


def test_saving_the_form_unchanged_writes_no_value_or_update_history(
    client_for, focal_point, report, indicators, commitments
):
    client = client_for(focal_point)
    url = reverse("pathfinders:report_edit", args=[report.pk])
    client.post(url, form_data(report, indicators, commitments, NUM="321", YN="yes"))
    report.refresh_from_db()
    values, updates = IndicatorValue.history.count(), CommitmentUpdate.history.count()

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, form_data(report, indicators, commitments, NUM="321", YN="yes"))

    assert response.status_code == 302
    assert (IndicatorValue.history.count(), CommitmentUpdate.history.count()) == (values, updates)
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))
    ]
    # The version claimed, the report saved with its history row, the session saved.
    assert len(writes) == 4, writes


def test_admin_report_checkbox_is_djangos(secretariat, report):
    report = ProgressReport.objects.select_related("pathfinder__country", "period").get()
    model_admin = admin.site._registry[ProgressReport]

    assert model_admin.action_checkbox(report) == ModelAdmin.action_checkbox(model_admin, report)


def test_admin_report_page_asks_no_query_per_transition_or_comment(
    client_for, secretariat, focal_point, report, indicators, commitments
):
    url = reverse("admin:pathfinders_progressreport_change", args=[report.pk])
    client = client_for(secretariat)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    report = submit_report(report, focal_point, indicators, commitments)
    services.report_return(
        report=report,
        user=secretariat,
        comment="Check",
        indicator_comments={indicators["NUM"].pk: "Source?", indicators["PCT"].pk: "Year?"},
        commitment_comments={commitments[0].pk: "Date?"},
    )
    assert ReportTransition.objects.count() >= 2 and ReviewComment.objects.count() == 3
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200

    assert len(more) == len(few)


def _period_in_its_grace_days(framework) -> ReportingPeriod:
    today = datetime.date.today()
    return PeriodFactory(
        label="Closing",
        framework_version=framework,
        opens_on=today - datetime.timedelta(days=60),
        due_on=today - datetime.timedelta(days=3),
        grace_days=7,
    )


def test_overview_turns_a_missing_report_overdue_the_minute_its_deadline_ends(
    gcg_member, pathfinder, framework
):
    from pathfinders import selectors
    from pathfinders.access import visible_pathfinders

    period = _period_in_its_grace_days(framework)
    ends = period.deadline_ends_at(pathfinder.country.zone)

    def timeliness(now: datetime.datetime) -> str:
        result = selectors.overview(pathfinders=visible_pathfinders(gcg_member), params={}, now=now)
        return result["rows"][0]["timeliness_key"]

    assert timeliness(ends - datetime.timedelta(minutes=1)) == "grace"
    assert timeliness(ends - datetime.timedelta(seconds=1)) == "grace"  # kept in the cache
    assert timeliness(ends) == "overdue"


def test_country_record_turns_a_missing_report_overdue_the_minute_its_deadline_ends(
    pathfinder, framework
):
    from pathfinders import selectors

    period = _period_in_its_grace_days(framework)
    ends = period.deadline_ends_at(pathfinder.country.zone)

    def timeliness(now: datetime.datetime) -> str:
        record = selectors.country_reporting(pathfinder=pathfinder, now=now)
        return record["rows"][0]["cell"].key

    assert timeliness(ends - datetime.timedelta(minutes=1)) == "grace"
    assert timeliness(ends) == "overdue"


def test_overview_rows_are_kept_apart_for_each_language(client_for, gcg_member, report):
    client = client_for(gcg_member)
    url = reverse("pathfinders:overview")
    assert ">Draft</span>" in client.get(url).content.decode()

    gcg_member.language = "fr"
    gcg_member.save()

    assert ">Projet</span>" in client.get(url).content.decode()


# The country page and the form are kept for the person once they were let in: whatever
# could shut them out since is a write the kept page follows.


def test_a_focal_point_taken_off_their_country_loses_its_page_and_form_at_once(
    client_for, focal_point, pathfinder, report
):
    client = client_for(focal_point)
    country_url = reverse("pathfinders:country_detail", args=[pathfinder.country.iso_code])
    form_url = reverse("pathfinders:report_edit", args=[report.pk])
    assert client.get(country_url).status_code == 200
    assert client.get(form_url).status_code == 200

    FocalPoint.objects.filter(user=focal_point).delete()

    assert client.get(country_url).status_code == 404
    assert client.get(form_url).status_code == 404


def test_the_form_kept_before_the_report_was_submitted_is_not_shown_after(
    client_for, focal_point, report, indicators, commitments
):
    client = client_for(focal_point)
    url = reverse("pathfinders:report_edit", args=[report.pk])
    assert client.get(url).status_code == 200

    submit_report(report, focal_point, indicators, commitments)

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("pathfinders:report_detail", args=[report.pk])


def test_a_member_of_the_secretariat_no_longer_staff_loses_the_country_page_at_once(
    client_for, secretariat, pathfinder
):
    client = client_for(secretariat)
    url = reverse("pathfinders:country_detail", args=[pathfinder.country.iso_code])
    assert client.get(url).status_code == 200

    secretariat.is_staff = False
    secretariat.save(update_fields=["is_staff"])

    assert client.get(url).status_code == 404


def test_the_country_page_names_the_country_in_its_title_in_the_readers_language(
    client_for, gcg_member, pathfinder
):
    gcg_member.language = "fr"
    gcg_member.save(update_fields=["language"])
    url = reverse("pathfinders:country_detail", args=[pathfinder.country.iso_code])

    client = client_for(gcg_member)
    first, kept = client.get(url).content.decode(), client.get(url).content.decode()

    with translation.override("fr"):
        name = pathfinder.country.local_name
    for page in (first, kept):
        assert re.search(rf"<title>{re.escape(name)} · ", page)
