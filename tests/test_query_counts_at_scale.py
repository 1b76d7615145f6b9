"""Every page of issue 8 runs as many queries at the demo size as at a larger size.

The demo is loaded, each page is counted, seed_scale adds more of everything (more Pathfinder
Countries, reports and values, partners and engagements, funding flows, events with agenda
items and follow-ups), and each page is counted again. A page whose count grows with the data
runs a query per row (an N+1); the assertion names each such page with both counts and the
queries that repeat.
"""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance87.accounts.models import User
from pathfinders.models import ProgressReport, ReportStatus
from workshops.models import Event

# Large enough that every list grows: Pathfinder Countries 26 -> 30, Fiji's reports 4 -> 9,
# partners 223 -> 2,500, funding flows 325 -> 10,000, events 10 -> 250.
FACTOR = 0.5

SECRETARIAT = "secretariat@alliance87.test"
GCG_MEMBER = "gcg.member@alliance87.test"
FOCAL_POINT = "focal.point@alliance87.test"


def _pages() -> dict[str, tuple[str, str]]:
    """Page name -> (who looks at it, its address), picked from the data present now."""
    draft = ProgressReport.objects.get(
        pathfinder__country__iso_code="FJ", status=ReportStatus.DRAFT
    )
    # The event with the longest agenda: the demo's at demo size, a generated one at scale.
    event = (
        Event.objects.annotate(items=Count("agenda_items", distinct=True))
        .order_by("-items", "pk")
        .first()
    )
    # The same report at both sizes: reports differ in their parts (transitions, comments,
    # commitment updates), so the row count is varied on one report in the test below.
    fullest = (
        ProgressReport.objects.filter(period__label__regex=r"^\d{4}$")
        .annotate(values_count=Count("values"))
        .order_by("-values_count", "pk")
        .first()
    )
    return {
        "Pathfinder overview": (SECRETARIAT, reverse("pathfinders:overview")),
        "country page": (FOCAL_POINT, reverse("pathfinders:country_detail", args=["FJ"])),
        "progress form (GET)": (FOCAL_POINT, reverse("pathfinders:report_edit", args=[draft.pk])),
        "GCG composition": (GCG_MEMBER, reverse("governance:composition")),
        "partner analysis": (GCG_MEMBER, reverse("governance:partner_analysis")),
        "financing gaps": (SECRETARIAT, reverse("financing:gaps")),
        "event page": (SECRETARIAT, reverse("workshops:event_detail", args=[event.pk])),
        "follow-up board": (SECRETARIAT, reverse("workshops:followup_board")),
        "admin: progress reports": (
            SECRETARIAT,
            reverse("admin:pathfinders_progressreport_changelist"),
        ),
        # Indicator values have no changelist of their own: they are an inline of the report.
        "admin: a demo report with its indicator values": (
            SECRETARIAT,
            reverse("admin:pathfinders_progressreport_change", args=[fullest.pk]),
        ),
        "admin: funding flows": (SECRETARIAT, reverse("admin:financing_fundingflow_changelist")),
        # The API's lists and figures, read with the session as the portal's pages would.
        "API: Pathfinder overview": (SECRETARIAT, "/api/v1/pathfinders/overview/"),
        "API: Pathfinder Countries": (GCG_MEMBER, "/api/v1/pathfinders/countries/"),
        "API: progress reports": (SECRETARIAT, "/api/v1/pathfinders/reports/"),
        "API: a focal point's reports": (FOCAL_POINT, "/api/v1/pathfinders/reports/"),
        "API: Fiji's page": (FOCAL_POINT, "/api/v1/pathfinders/countries/FJ/"),
        "API: GCG composition": (GCG_MEMBER, "/api/v1/governance/composition/"),
        "API: groups": (GCG_MEMBER, "/api/v1/governance/groups/"),
        "API: meetings": (GCG_MEMBER, "/api/v1/governance/meetings/"),
        "API: events": (SECRETARIAT, "/api/v1/events/"),
        "API: funding flows": (SECRETARIAT, "/api/v1/financing/flows/"),
        "API: funding requirements": (SECRETARIAT, "/api/v1/financing/requirements/"),
        "API: financing gaps": (SECRETARIAT, "/api/v1/financing/gaps/"),
        "API: open data, commitments": (GCG_MEMBER, "/api/v1/public/commitments/"),
    }


def _measure(client) -> dict[str, tuple[int, list[str]]]:
    results = {}
    for name, (email, url) in _pages().items():
        client.force_login(User.objects.get(email=email))
        warm = client.get(url)  # caches filled once (content types, translations, sessions)
        assert warm.status_code == 200, (name, url, warm.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        results[name] = (len(queries), [query["sql"] for query in queries.captured_queries])
    return results


def _repeated(statements: list[str]) -> list[str]:
    """The statements that ran more than once, with numbers stripped so rows compare."""
    shapes = Counter(re.sub(r"\b\d+\b", "N", sql) for sql in statements)
    return [
        f"{count}x {sql[:100]} ... {sql[-160:]}" if len(sql) > 300 else f"{count}x {sql}"
        for sql, count in shapes.most_common()
        if count > 1
    ]


@pytest.mark.django_db
def test_every_page_runs_as_many_queries_at_scale_as_at_demo_size(client):
    call_command("seed_demo", stdout=StringIO())
    at_demo = _measure(client)

    call_command("seed_scale", factor=FACTOR, stdout=StringIO())
    at_scale = _measure(client)

    grown = [
        f"{name}: {at_demo[name][0]} queries at demo size, {at_scale[name][0]} at scale; "
        "repeated at scale:\n  " + "\n  ".join(_repeated(at_scale[name][1]))
        for name in at_demo
        if at_demo[name][0] != at_scale[name][0]
    ]
    assert not grown, "\n".join(grown)


@pytest.mark.django_db
def test_admin_report_page_runs_as_many_queries_for_fewer_indicator_values(client_for, secretariat):
    from demo.pathfinders import seed_countries
    from demo.scale.pathfinders import seed as seed_scale_reports

    seed_countries()
    seed_scale_reports(factor=0.02)  # one report with a value for each of 40 indicators
    report = ProgressReport.objects.get()
    url = reverse("admin:pathfinders_progressreport_change", args=[report.pk])
    client = client_for(secretariat)
    client.get(url)
    with CaptureQueriesContext(connection) as forty:
        assert client.get(url).status_code == 200

    report.values.filter(pk__in=list(report.values.values_list("pk", flat=True)[:20])).delete()
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(url).status_code == 200

    assert len(forty) == len(twenty), _repeated([q["sql"] for q in forty.captured_queries])
