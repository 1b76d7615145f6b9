"""No page forwards anyone off the portal, whatever `next` it is given."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from alliance87.redirects import is_safe_next
from tests.factories import PASSWORD
from tests.workshops.factories import FollowUpActionFactory

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example",
    "http://evil.example/dashboard/",
    "//evil.example",
    "///evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "https:/\\evil.example",
    "http://testserver@evil.example/",
    "\x01//evil.example",
    " //evil.example",
    "data:text/html,<script>alert(1)</script>",
]
ON_SITE = ["/dashboard/", "/events/follow-ups/?status=open#action-3", "http://testserver/reports/"]


def off_site(response) -> bool:
    """Where the browser would go: elsewhere than this host (browsers read \\ as /)."""
    location = response.headers.get("Location", "").replace("\\", "/")
    parts = urlsplit(location.strip())
    return (
        location != location.lstrip(" \x00\x01\t\n\r")
        or parts.scheme not in ("", "http", "https")
        or parts.netloc not in ("", "testserver")
    )


@pytest.mark.parametrize("target", OFF_SITE)
def test_an_address_off_the_portal_is_never_a_safe_next(target):
    assert not is_safe_next(RequestFactory().get("/"), target)


@pytest.mark.parametrize("target", ON_SITE)
def test_an_address_on_the_portal_is_a_safe_next(target):
    assert is_safe_next(RequestFactory().get("/"), target)


def test_a_plain_http_address_is_refused_once_the_request_came_over_https():
    request = RequestFactory().get("/", secure=True)

    assert not is_safe_next(request, "http://testserver/dashboard/")
    assert is_safe_next(request, "https://testserver/dashboard/")


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_rate_limited_report_request_stays_on_the_portal(
    client_for, gcg_member, settings, target
):
    settings.REPORT_REQUESTS_PER_HOUR = 0

    response = client_for(gcg_member).post(
        reverse("reports:request"), {"kind": "gcg_composition", "next": target}
    )

    assert response.status_code == 302
    assert response.url == reverse("reports:my_reports") and not off_site(response)


def test_a_rate_limited_report_request_returns_to_the_page_it_came_from(
    client_for, gcg_member, settings
):
    settings.REPORT_REQUESTS_PER_HOUR = 0

    response = client_for(gcg_member).post(
        reverse("reports:request"), {"kind": "gcg_composition", "next": "/governance/"}
    )

    assert response.url == "/governance/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_follow_up_status_change_stays_on_the_portal(client_for, secretariat, target):
    action = FollowUpActionFactory()

    response = client_for(secretariat).post(
        reverse("workshops:followup_status", args=[action.pk]),
        {"status": "in_progress", "next": target},
    )

    assert response.url == reverse("workshops:followup_board")


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_stays_on_the_portal(client, target):
    response = client.post(reverse("set_language"), {"language": "fr", "next": target})

    assert response.status_code == 302
    assert not off_site(response)


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_in_stays_on_the_portal(client, gcg_member, target):
    response = client.post(
        "/accounts/login/", {"login": gcg_member.email, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


@pytest.mark.parametrize("target", OFF_SITE)
def test_signing_out_stays_on_the_portal(client_for, gcg_member, target):
    response = client_for(gcg_member).post("/accounts/logout/", {"next": target})

    assert response.status_code == 302
    assert not off_site(response)


@pytest.mark.parametrize("target", OFF_SITE)
def test_confirming_the_password_again_stays_on_the_portal(client, gcg_member, target):
    client.post("/accounts/login/", {"login": gcg_member.email, "password": PASSWORD})

    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD, "next": target})

    assert response.status_code == 302
    assert not off_site(response)


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_admin_sign_in_stays_on_the_portal(client, client_for, secretariat, target):
    anonymous = client.get("/admin/login/", {"next": target})
    signed_in = client_for(secretariat).get("/admin/login/", {"next": target})

    assert not off_site(anonymous)
    assert signed_in.status_code == 302 and not off_site(signed_in)


def test_only_the_redirect_helper_reads_next_from_a_request():
    # Every view that follows a `next` goes through alliance87.redirects; a view reading it
    # itself would escape the checks above.
    reads_next = re.compile(r"""(POST|GET|REQUEST|QUERY_STRING)\b.{0,20}["']next["']""")
    readers = [
        str(path.relative_to(settings.BASE_DIR))
        for package in ("alliance87", "pathfinders", "governance", "financing", "workshops")
        for path in (settings.BASE_DIR / package).rglob("*.py")
        if reads_next.search(path.read_text(encoding="utf-8"))
    ]

    assert readers == []
    assert "NEXT_FIELD" in Path(settings.BASE_DIR / "alliance87/redirects.py").read_text()
