"""Every surface shows the same reporting figures, and they agree with a recomputation.

The edge cases: a country granted status after a period's due date, a draft-only report, a
returned report, one resubmitted after the deadline, an inactive country, a country without
focal point, a Fiji submission after local midnight and a Honduras one in the evening of the
deadline day. The recomputation below reads the database with its own queries and applies
the written rules itself; it shares no code with pathfinders.reporting or the selectors.
"""

import datetime
import io
import re
import zoneinfo
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alliance87.reports import services as report_services
from pathfinders.models import PathfinderCountry, ProgressReport, ReportingPeriod, Stage
from tests.exports import csv_parts
from tests.factories import CountryFactory, FocalPointFactory
from tests.pdf import pdf_text

from .factories import PathfinderFactory, PeriodFactory, ReportFactory

D = datetime.date


def at(zone: str, *args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


@pytest.fixture
def edge_cases(framework, period):
    """Eight countries and three periods: 2024 and 2025 closed, the current one open."""
    today = datetime.date.today()
    p2024 = PeriodFactory(
        label="2024",
        framework_version=framework,
        opens_on=D(2025, 1, 15),
        due_on=D(2025, 3, 31),
        grace_days=14,
    )
    p2025 = PeriodFactory(
        label="2025",
        framework_version=framework,
        opens_on=D(2026, 1, 15),
        due_on=D(2026, 3, 31),
        grace_days=14,
    )

    def country(iso, name, region, zone="UTC", **journey):
        place = CountryFactory(iso_code=iso, name=name, ilo_region=region, time_zone=zone)
        pathfinder = PathfinderFactory(country=place, **journey)
        if iso != "XN":
            FocalPointFactory(country=place)
        return pathfinder

    late = country(
        "XL",
        "Lateland",
        "africa",
        stage=Stage.STATUS_GRANTED,
        status_granted_on=today - datetime.timedelta(days=5),
        implementation_started_on=None,
        roadmap_submitted_on=today - datetime.timedelta(days=30),
    )
    draft = country("XD", "Draftland", "africa")
    returned = country("XR", "Returnland", "americas")
    resubmitted = country("XS", "Resubland", "americas")
    inactive = country(
        "XI",
        "Idleland",
        "arab_states",
        stage=Stage.INACTIVE,
        inactive_since=D(2025, 6, 1),
    )
    country("XN", "Nobodyland", "arab_states")
    fiji = country("FJ", "Fiji", "asia_pacific", "Pacific/Fiji")
    honduras = country("HN", "Honduras", "americas", "America/Tegucigalpa")

    def report(pathfinder, period, status, first=None, **fields):
        return ReportFactory(
            pathfinder=pathfinder,
            period=period,
            status=status,
            first_submitted_at=first,
            submitted_at=fields.pop("submitted_at", first),
            accepted_at=first if status == "accepted" else None,
            **fields,
        )

    on_time_2024 = datetime.datetime(2025, 3, 20, 9, tzinfo=datetime.UTC)
    for pathfinder in (draft, returned, resubmitted, fiji, honduras):
        report(pathfinder, p2024, "accepted", on_time_2024)
    report(draft, p2025, "draft")
    report(returned, p2025, "returned", datetime.datetime(2026, 3, 30, 9, tzinfo=datetime.UTC))
    report(
        resubmitted,
        p2025,
        "submitted",
        datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC),
        submitted_at=datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC),
    )
    # 00:30 on 15 April in Suva: after the deadline (14 April) there, before it in UTC.
    report(fiji, p2025, "accepted", at("Pacific/Fiji", 2026, 4, 15, 0, 30))
    # 20:00 on 14 April in Tegucigalpa: on time there, already 15 April in UTC.
    report(honduras, p2025, "submitted", at("America/Tegucigalpa", 2026, 4, 14, 20, 0))
    return {"periods": [p2024, p2025, period], "late": late, "inactive": inactive}


def whole_percent(part: int, whole: int) -> int | None:
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def recompute(now: datetime.datetime) -> dict:
    """The written rules, applied to the database's own rows."""
    periods = list(ReportingPeriod.objects.filter(opens_on__lte=now.date()).values())
    countries = list(
        PathfinderCountry.objects.values(
            "pk",
            "country__name",
            "country__ilo_region",
            "country__time_zone",
            "status_granted_on",
            "inactive_since",
            "reactivated_on",
        )
    )
    reports = {
        (r["pathfinder_id"], r["period_id"]): r
        for r in ProgressReport.objects.values(
            "pathfinder_id", "period_id", "status", "first_submitted_at"
        )
    }
    result = {"periods": {}, "countries": defaultdict(lambda: [0, 0, 0]), "cells": {}}
    awaiting = sum(1 for r in reports.values() if r["status"] == "submitted")
    for period in periods:
        deadline = period["due_on"] + datetime.timedelta(days=period["grace_days"])
        expected = received = on_time = overdue = 0
        for c in countries:
            zone = zoneinfo.ZoneInfo(c["country__time_zone"])
            granted = c["status_granted_on"]
            inactive = (
                c["inactive_since"] is not None
                and c["inactive_since"] <= period["opens_on"]
                and (c["reactivated_on"] is None or c["reactivated_on"] > period["opens_on"])
            )
            is_expected = granted is not None and granted <= period["due_on"] and not inactive
            row = reports.get((c["pk"], period["id"]))
            first = row["first_submitted_at"] if row else None
            closed = now.astimezone(zone).date() > deadline
            timely = first is not None and first.astimezone(zone).date() <= deadline
            if first is not None:
                key = "On time" if timely else "Late"
            elif not is_expected:
                key = "Not expected"
            elif closed:
                key = "Overdue"
            else:
                key = "other"
            result["cells"][c["country__name"], period["label"]] = key
            if not is_expected:
                continue
            expected += 1
            received += first is not None
            on_time += timely
            overdue += key == "Overdue"
            if closed:
                counts = result["countries"][c["country__name"]]
                counts[0] += 1
                counts[1] += first is not None
                counts[2] += timely
        result["periods"][period["label"]] = {
            "expected": expected,
            "received": received,
            "on_time": on_time,
            "overdue": overdue,
            "completeness": whole_percent(received, expected),
            "timeliness": whole_percent(on_time, expected),
        }
    result["awaiting_review"] = awaiting
    return result


def figures(html: str) -> dict[str, str]:
    """The headline figures of a page: label -> value."""
    return {
        " ".join(label.split()): value.strip()
        for value, label in re.findall(
            r'figure__value">(.*?)</span><span class="figure__label">(.*?)</span>', html, re.S
        )
    }


def percent_text(value: int | None) -> str:
    """A rate as an English page writes it."""
    return "–" if value is None else f"{value}%"


def test_the_edge_cases_follow_the_written_rules(edge_cases):
    truth = recompute(datetime.datetime.now(datetime.UTC))

    assert truth["cells"]["Lateland", "2025"] == "Not expected"
    assert truth["cells"]["Idleland", "2025"] == "Not expected"
    assert truth["cells"]["Idleland", "2024"] == "Overdue"
    assert truth["cells"]["Draftland", "2025"] == "Overdue"
    assert truth["cells"]["Resubland", "2025"] == "On time"
    assert truth["cells"]["Fiji", "2025"] == "Late"
    assert truth["cells"]["Honduras", "2025"] == "On time"
    assert truth["periods"]["2025"] == {
        "expected": 6,
        "received": 4,
        "on_time": 3,
        "overdue": 2,
        "completeness": 67,
        "timeliness": 50,
    }
    assert truth["periods"]["2024"]["completeness"] == 71  # 5 of 7


def test_overview_page_csv_and_xlsx_agree_with_the_recomputation(
    edge_cases, client_for, gcg_member
):
    truth = recompute(datetime.datetime.now(datetime.UTC))
    client = client_for(gcg_member)
    p2025 = edge_cases["periods"][1]
    query = {"period": p2025.pk}

    page = client.get(reverse("pathfinders:overview"), query).content.decode()
    shown = figures(page)
    expected = truth["periods"]["2025"]
    assert shown["expected to report"] == str(expected["expected"])
    assert shown[f"completeness: {expected['received']} reports received"] == percent_text(
        expected["completeness"]
    )
    assert shown[f"timeliness: {expected['on_time']} on time"] == percent_text(
        expected["timeliness"]
    )
    assert shown["overdue"] == str(expected["overdue"])

    # The countries table: each country's timeliness in 2025.
    _filters, lines = csv_parts(
        client.get(reverse("pathfinders:overview_export", args=["csv"]), query)
    )
    header, rows = lines[0], lines[1:]
    timeliness = header.index("Timeliness")
    assert len(rows) == 8
    for row in rows:
        assert row[timeliness] == truth["cells"][row[0], "2025"]
        assert (row[-1] == "Overdue") == (truth["cells"][row[0], "2025"] == "Overdue")

    # The rates by period, in the page's table, its CSV and the XLSX.
    _filters, lines = csv_parts(
        client.get(
            reverse("pathfinders:overview_export", args=["csv"]), {**query, "table": "periods"}
        )
    )
    assert lines[0] == [
        "Reporting period",
        "Expected",
        "Received",
        "On time",
        "Completeness (%)",
        "Timeliness (%)",
    ]
    by_label = {line[0]: line[1:] for line in lines[1:]}
    for label in ("2024", "2025"):
        numbers = truth["periods"][label]
        row = [
            str(numbers[name])
            for name in ("expected", "received", "on_time", "completeness", "timeliness")
        ]
        assert by_label[label] == row
        # The page writes the same figures, its percentages as English writes them.
        cells = "".join(
            f'<td class="num">{value}{"%" if position >= 3 else ""}</td>'
            for position, value in enumerate(row)
        )
        assert re.sub(r"\s+", "", cells) in re.sub(r"\s+", "", page)

    book = load_workbook(
        io.BytesIO(client.get(reverse("pathfinders:overview_export", args=["xlsx"]), query).content)
    )
    sheet_rows = {
        row[0]: [str(v) for v in row[1:]]
        for sheet in book.worksheets
        if sheet.title.startswith("Reporting rates by period")
        for row in sheet.iter_rows(values_only=True)
        if row and row[0] in ("2024", "2025")
    }
    assert sheet_rows["2025"] == by_label["2025"]
    assert sheet_rows["2024"] == by_label["2024"]


def test_dashboard_agrees_with_the_recomputation(edge_cases, client_for, gcg_member):
    truth = recompute(datetime.datetime.now(datetime.UTC))

    shown = figures(client_for(gcg_member).get(reverse("dashboard")).content.decode())

    assert shown["overdue for 2025"] == str(truth["periods"]["2025"]["overdue"])
    assert shown["completeness for 2025"] == percent_text(truth["periods"]["2025"]["completeness"])
    assert shown["timeliness for 2025"] == percent_text(truth["periods"]["2025"]["timeliness"])
    # Awaiting review: every submitted report, whatever its period, as the review queue.
    assert shown["awaiting review (all periods)"] == str(truth["awaiting_review"]) == "2"


@pytest.mark.parametrize(
    "name", ["Lateland", "Draftland", "Returnland", "Resubland", "Idleland", "Fiji", "Honduras"]
)
def test_each_country_page_agrees_with_the_recomputation(edge_cases, client_for, gcg_member, name):
    truth = recompute(datetime.datetime.now(datetime.UTC))
    iso = PathfinderCountry.objects.get(country__name=name).country.iso_code

    page = client_for(gcg_member).get(reverse("pathfinders:country_detail", args=[iso]))
    shown = figures(page.content.decode())

    expected, received, on_time = truth["countries"].get(name, [0, 0, 0])
    label = "report" if expected == 1 else "reports"  # the label agrees with its number
    assert shown[f"{label} expected (deadline passed)"] == str(expected)
    assert shown[f"completeness: {received} received"] == percent_text(
        whole_percent(received, expected)
    )
    assert shown[f"timeliness: {on_time} on time"] == percent_text(whole_percent(on_time, expected))
    record = page.content.decode().split('class="pf-record"')[1]
    if name == "Lateland":
        assert re.search(r"2025</th>\s*<td>No</td>.*?Not expected", record, re.S)
    if name == "Fiji":
        # The submission time in Fiji's own time, which decided "Late".
        assert "15 Apr 2026, 00:30" in record
        assert re.search(r"2025</a></th>.*?badge--amber\">Late", record, re.S)


def test_the_alliance_report_prints_the_same_rates(
    edge_cases, gcg_member, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    truth = recompute(datetime.datetime.now(datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = report_services.report_request(
            user=gcg_member, kind="alliance_accountability", parameters={}, language="en"
        )
    report.refresh_from_db()
    assert report.status == "done", report.error_detail

    text = pdf_text(report)

    for label in ("2024", "2025"):
        n = truth["periods"][label]
        row = (
            f"{label} {n['expected']} {n['received']} {n['on_time']} "
            f"{n['completeness']}% {n['timeliness']}%"
        )
        assert row in text
