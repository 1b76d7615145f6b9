"""The dashboard's sections come from the cache for their reader while nothing they show has
changed (alliance87.dashboard): a write, another language or a new sign-in renders them anew."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pathfinders.models import ProgressReport
from tests.factories import FocalPointFactory
from tests.pathfinders.factories import PathfinderFactory, PeriodFactory
from tests.workshops.factories import EventFactory
from workshops.models import Event

pytestmark = pytest.mark.django_db


def upcoming_event(title: str) -> Event:
    return EventFactory(
        title=title,
        start_date=timezone.localdate() + datetime.timedelta(days=3),
        status=Event.Status.PLANNED,
    )


def test_an_event_recorded_after_a_visit_is_on_the_next_visit(client_for, gcg_member):
    upcoming_event("Coming meeting")
    client = client_for(gcg_member)
    assert "Coming meeting" in client.get(reverse("dashboard")).content.decode()

    upcoming_event("Regional consultation, Addis Ababa")
    html = client.get(reverse("dashboard")).content.decode()

    assert "Coming meeting" in html
    assert "Regional consultation, Addis Ababa" in html


def test_the_sections_follow_the_readers_language(client_for, gcg_member):
    upcoming_event("Coming meeting")
    client = client_for(gcg_member)
    assert "Events and follow-ups" in client.get(reverse("dashboard")).content.decode()

    # The person's language lives on their account, which no area's figures depend on.
    gcg_member.language = "fr"
    gcg_member.save(update_fields=["language"])
    html = client.get(reverse("dashboard")).content.decode()

    assert "Events and follow-ups" not in html
    assert "Événements et suivi" in html


def test_a_section_form_works_after_signing_in_again(country):
    """The focal point's "Start the report" form carries a CSRF token of the session that
    rendered it: after signing out and in again, the dashboard gives one that is accepted."""
    pathfinder = PathfinderFactory(country=country)
    PeriodFactory(label="2026 H1")
    focal_point = FocalPointFactory(country=country, user__email="mere@example.org").user
    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_point)
    assert "Start the report" in client.get(reverse("dashboard")).content.decode()
    client.logout()
    client.force_login(focal_point)

    html = client.get(reverse("dashboard")).content.decode()
    form = html[html.index('action="' + reverse("pathfinders:report_start", args=["FJ"])) :]
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        reverse("pathfinders:report_start", args=["FJ"]), {"csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert ProgressReport.objects.filter(pathfinder=pathfinder).count() == 1


def test_the_welcome_and_the_countries_follow_the_person_at_once(country, other_country):
    """The whole dashboard is kept for its reader: a new name (kept on the account, not in any
    area) and a country given to a focal point show on the next visit."""
    PathfinderFactory(country=country)
    focal_point = FocalPointFactory(country=country, user__first_name="Mere").user
    client = Client()
    client.force_login(focal_point)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Welcome, Mere" in html
    assert other_country.name not in html

    focal_point.first_name = "Mereani"
    focal_point.save(update_fields=["first_name"])
    assert "Welcome, Mereani" in client.get(reverse("dashboard")).content.decode()

    FocalPointFactory(country=other_country, user=focal_point)
    html = client.get(reverse("dashboard")).content.decode()

    assert f"Focal point for {country.name}, {other_country.name}" in html
