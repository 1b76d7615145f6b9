"""The portal's pages as each role sees them, picked from the demo data (`seed_demo`).

The accessibility and layout tests walk them all; a signed-in person's session is made with
Django's test client and handed to the browser as its cookie, so each page is one load.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from alliance87.accounts.models import User
from pathfinders.models import ProgressReport, ReportStatus
from workshops.models import Event

SECRETARIAT = "secretariat@alliance87.test"
GCG_MEMBER = "gcg.member@alliance87.test"
GCG_OBSERVER = "gcg.observer@alliance87.test"
FOCAL_POINT = "focal.point@alliance87.test"


@dataclass(frozen=True)
class PortalPage:
    name: str
    email: str | None  # None: read signed out
    path: str


def portal_pages() -> list[PortalPage]:
    draft = ProgressReport.objects.get(
        pathfinder__country__iso_code="FJ", status=ReportStatus.DRAFT
    )
    submitted = ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).order_by("pk").first()
    event = (
        Event.objects.annotate(items=Count("agenda_items", distinct=True))
        .order_by("-items", "pk")
        .first()
    )
    return [
        PortalPage("sign-in", None, reverse("account_login")),
        PortalPage("dashboard (Secretariat)", SECRETARIAT, reverse("dashboard")),
        PortalPage("dashboard (GCG member)", GCG_MEMBER, reverse("dashboard")),
        PortalPage("dashboard (GCG observer)", GCG_OBSERVER, reverse("dashboard")),
        PortalPage("dashboard (focal point)", FOCAL_POINT, reverse("dashboard")),
        PortalPage("Pathfinder overview", GCG_MEMBER, reverse("pathfinders:overview")),
        PortalPage("country page", FOCAL_POINT, reverse("pathfinders:country_detail", args=["FJ"])),
        PortalPage(
            "progress form", FOCAL_POINT, reverse("pathfinders:report_edit", args=[draft.pk])
        ),
        PortalPage(
            "review page", SECRETARIAT, reverse("pathfinders:report_review", args=[submitted.pk])
        ),
        PortalPage("event page", SECRETARIAT, reverse("workshops:event_detail", args=[event.pk])),
        PortalPage("follow-up board", SECRETARIAT, reverse("workshops:followup_board")),
        PortalPage("financing gaps", GCG_MEMBER, reverse("financing:gaps")),
        PortalPage("GCG composition", GCG_MEMBER, reverse("governance:composition")),
        PortalPage("GCG rotation", GCG_MEMBER, reverse("governance:rotation")),
        PortalPage(
            "admin: progress reports",
            SECRETARIAT,
            reverse("admin:pathfinders_progressreport_changelist"),
        ),
        PortalPage(
            "admin: funding flows", SECRETARIAT, reverse("admin:financing_fundingflow_changelist")
        ),
    ]


def session_cookies(live_server_url: str, language: str) -> dict[str | None, list[dict]]:
    """Each demo person's signed-in session cookie, their account set to `language`."""
    cookies: dict[str | None, list[dict]] = {None: []}
    for email in (SECRETARIAT, GCG_MEMBER, GCG_OBSERVER, FOCAL_POINT):
        user = User.objects.get(email=email)
        User.objects.filter(pk=user.pk).update(language=language)
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies[email] = [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server_url}
        ]
    cookies[None] = [
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server_url}
    ]
    return cookies
