import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance87.accounts.middleware import UserTimeZoneMiddleware
from alliance87.timezones import SESSION_KEY
from tests.factories import CountryFactory, FocalPointFactory, UserFactory

pytestmark = pytest.mark.django_db
NOON_UTC = datetime.datetime(2026, 12, 6, 12, 0, tzinfo=datetime.UTC)


def _page_for(user) -> str:
    """What a page showing NOON_UTC says to this person, through the middleware."""
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    template = Template("{% load portal_time %}{{ at|moment }}")
    middleware = UserTimeZoneMiddleware(
        lambda request: HttpResponse(template.render(Context({"at": NOON_UTC})))
    )
    return middleware(request).content.decode()


def test_anonymous_readers_see_utc_named():
    assert _page_for(AnonymousUser()) == "Dec. 6, 2026, noon (UTC)"


def test_a_person_who_chose_paris_sees_paris_time():
    assert _page_for(UserFactory(time_zone="Europe/Paris")) == "Dec. 6, 2026, 1 p.m. (France)"


def test_a_fiji_focal_point_sees_fiji_time():
    fiji = CountryFactory(iso_code="FJ", name="Fiji", time_zone="Pacific/Fiji")
    assert _page_for(FocalPointFactory(country=fiji).user) == "Dec. 7, 2026, midnight (Fiji)"


def test_the_zone_is_given_back_after_the_request():
    _page_for(UserFactory(time_zone="Europe/Paris"))

    assert timezone.get_current_timezone_name() == "UTC"


def test_the_country_s_zone_is_looked_up_at_sign_in_not_on_every_page(client):
    fiji = CountryFactory(iso_code="FJ", name="Fiji", time_zone="Pacific/Fiji")
    client.force_login(FocalPointFactory(country=fiji).user)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("healthz"))

    assert client.session[SESSION_KEY] == "Pacific/Fiji"
    assert not [q for q in queries.captured_queries if "pathfinders_focalpoint" in q["sql"]]
