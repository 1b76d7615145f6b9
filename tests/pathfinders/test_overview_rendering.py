"""The overview's rows and filter fields built outside the template, and the admin lists'
cheaper cells, show what the template and Django showed."""

import datetime

from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.urls import reverse

from pathfinders.models import IndicatorValue, ProgressReport, ReportStatus

from .factories import PeriodFactory


def test_overview_rows_escape_the_country_name(client_for, gcg_member, pathfinder):
    pathfinder.country.name = "Fiji <b>& Co</b>"
    pathfinder.country.save()

    page = client_for(gcg_member).get(reverse("pathfinders:overview")).content.decode()

    assert ">Fiji &lt;b&gt;&amp; Co&lt;/b&gt;</a></th>" in page


def test_overview_row_links_to_the_country_and_its_report(client_for, gcg_member, report):
    page = client_for(gcg_member).get(reverse("pathfinders:overview")).content.decode()

    assert f'<a href="/pathfinders/countries/{report.pathfinder.country.iso_code}/">' in page
    assert f'<a href="/pathfinders/reports/{report.pk}/"><span class="badge' in page


def test_overview_filter_lists_a_period_opened_since_the_last_visit(
    client_for, gcg_member, pathfinder, period, framework
):
    client = client_for(gcg_member)
    client.get(reverse("pathfinders:overview"))  # the filter fields are now cached

    added = PeriodFactory(
        label="2024 special",
        framework_version=framework,
        opens_on=datetime.date(2024, 1, 15),
        due_on=datetime.date(2024, 3, 31),
    )

    page = client.get(reverse("pathfinders:overview")).content.decode()
    assert f'<option value="{added.pk}">2024 special</option>' in page


def test_overview_filter_shows_each_request_its_own_choice_and_language(
    client_for, gcg_member, pathfinder
):
    client = client_for(gcg_member)
    url = reverse("pathfinders:overview")
    client.get(url, {"region": "africa"})

    page = client.get(url, {"region": "americas"}).content.decode()
    assert '<option value="americas" selected>' in page
    assert '<option value="africa" selected>' not in page

    gcg_member.language = "fr"
    gcg_member.save()
    assert "Toutes les régions" in client.get(url, {"region": "americas"}).content.decode()


def test_overview_filter_reports_an_invalid_choice(client_for, gcg_member, pathfinder):
    page = client_for(gcg_member).get(reverse("pathfinders:overview"), {"region": "moon"})

    assert "field--error" in page.content.decode()


def test_evidence_column_shows_django_boolean_icons(client_for, secretariat, report, indicators):
    IndicatorValue.objects.create(report=report, indicator=indicators["NUM"], value_text="x")

    page = client_for(secretariat).get(reverse("admin:pathfinders_indicatorvalue_changelist"))

    assert _boolean_icon(False) in page.content.decode()


def test_indicator_values_list_links_each_value_to_its_change_page(
    client_for, secretariat, report, indicators
):
    value = IndicatorValue.objects.create(
        report=report, indicator=indicators["NUM"], value_text="x"
    )
    url = reverse("admin:pathfinders_indicatorvalue_change", args=[value.pk])

    page = client_for(secretariat).get(reverse("admin:pathfinders_indicatorvalue_changelist"))

    assert f'<a href="{url}">' in page.content.decode()


def _django_own_list(client, model, url: str) -> str:
    """The same list through Django's own changelist template and row-by-row cells."""
    model_admin = admin.site._registry[model]
    template_name = model_admin.change_list_template
    model_admin.change_list_template = None
    try:
        return client.get(url).content.decode()
    finally:
        model_admin.change_list_template = template_name


def _rows(text: str) -> str:
    return text.split('<table id="result_list">', 1)[1].split("</table>", 1)[0]


def test_progress_reports_list_writes_the_same_rows_as_django(
    client_for, secretariat, report, other_report
):
    ProgressReport.objects.filter(pk=other_report.pk).update(
        status=ReportStatus.ACCEPTED,
        first_submitted_at=datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC),
        accepted_at=datetime.datetime(2026, 3, 10, 16, 0, tzinfo=datetime.UTC),
    )
    client = client_for(secretariat)
    url = reverse("admin:pathfinders_progressreport_changelist")

    shared = client.get(url).content.decode()

    assert _rows(shared) == _rows(_django_own_list(client, ProgressReport, url))
    assert _rows(shared).count("<tr") == 3  # the header and two reports


def test_indicator_values_list_writes_the_same_rows_as_django(
    client_for, secretariat, report, indicators
):
    for index, indicator in enumerate(indicators.values()):
        IndicatorValue.objects.create(
            report=report,
            indicator=indicator,
            value_text="" if index % 2 else "x",
            evidence="evidence/a.pdf" if index % 2 else "",
        )
    client = client_for(secretariat)
    url = reverse("admin:pathfinders_indicatorvalue_changelist")

    shared = client.get(url, {"report__status__exact": "draft"}).content.decode()
    own = _django_own_list(client, IndicatorValue, f"{url}?report__status__exact=draft")

    assert _rows(shared) == _rows(own)
    assert "icon-yes.svg" in _rows(shared) and "icon-no.svg" in _rows(shared)


def test_trend_rows_escape_titles_and_mark_missing_values():
    from pathfinders.templatetags.pathfinders_tags import trend_rows

    trends = {
        "indicators": [
            {"code": "PR1", "title": "Children <5> & more", "cells": ["12.5", ""]},
        ]
    }

    html = str(trend_rows(trends))

    assert "Children &lt;5&gt; &amp; more" in html
    assert '<td class="num">12.5</td><td class="num">–</td>' in html
