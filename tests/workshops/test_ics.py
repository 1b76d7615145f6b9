import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.workshops.factories import EventFactory
from workshops.ics import event_to_ics
from workshops.models import Event

pytestmark = pytest.mark.django_db


def parse(content: bytes):
    calendar = Calendar.from_ical(content)
    (entry,) = calendar.walk("VEVENT")
    return calendar, entry


def test_the_ics_file_parses_back_into_one_all_day_event(client_for, gcg_member):
    event = EventFactory(
        title="Pacific Consultation on Alliance 8.7",
        start_date=datetime.date(2017, 10, 3),
        end_date=datetime.date(2017, 10, 5),
        city="Nadi",
        venue="Tanoa International Hotel",
        country__iso_code="FJ",
        country__name="Fiji",
        purpose="Ending child labour in the Pacific.",
    )

    response = client_for(gcg_member).get(reverse("workshops:event_ics", args=[event.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    calendar, entry = parse(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    assert str(entry["SUMMARY"]) == "Pacific Consultation on Alliance 8.7"
    assert entry.decoded("DTSTART") == datetime.date(2017, 10, 3)
    # DTEND of an all-day entry is exclusive: the day after the last day.
    assert entry.decoded("DTEND") == datetime.date(2017, 10, 6)
    assert str(entry["LOCATION"]) == "Tanoa International Hotel, Nadi, Fiji"
    assert str(entry["UID"]).startswith(f"workshops-event-{event.pk}@")
    assert entry["DTSTAMP"]
    assert str(entry["URL"]).endswith(reverse("workshops:event_detail", args=[event.pk]))
    assert "Ending child labour in the Pacific." in str(entry["DESCRIPTION"])


def test_a_cancelled_event_is_cancelled_in_the_calendar():
    event = EventFactory(status=Event.Status.CANCELLED)

    _calendar, entry = parse(event_to_ics(event, url="https://example.org/events/1/"))

    assert str(entry["STATUS"]) == "CANCELLED"


def test_an_online_event_says_so_as_its_location():
    event = EventFactory(country=None, city="", is_online=True)

    _calendar, entry = parse(event_to_ics(event, url="https://example.org/events/1/"))

    assert str(entry["LOCATION"]) == "Online"


def test_the_ics_lines_are_folded_and_end_with_crlf():
    event = EventFactory(purpose="A long purpose. " * 20)

    content = event_to_ics(event, url="https://example.org/events/1/")

    lines = content.split(b"\r\n")
    assert content.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in lines)


def test_the_ics_file_of_an_event_a_person_may_not_see_is_refused(client_for, focal_point):
    event = EventFactory(is_public=False)

    response = client_for(focal_point).get(reverse("workshops:event_ics", args=[event.pk]))

    assert response.status_code == 404
