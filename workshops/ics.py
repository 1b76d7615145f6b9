"""An event as an iCalendar file (RFC 5545) that common calendar apps import."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import Event

PRODID = "-//Alliance 8.7//Coordination portal//EN"
_STATUS: dict[str, str] = {
    Event.Status.PLANNED: "CONFIRMED",
    Event.Status.ONGOING: "CONFIRMED",
    Event.Status.HELD: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
}


def _uid_domain() -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "alliance87.org"


def event_to_ics(event: Event, *, url: str) -> bytes:
    """All-day entries from the first to the last day (DTEND is exclusive, so the day after)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")

    entry = CalendarEvent()
    entry.add("uid", f"workshops-event-{event.pk}@{_uid_domain()}")
    entry.add("dtstamp", timezone.now())
    entry.add("last-modified", event.updated_at)
    entry.add("dtstart", event.start_date)
    entry.add("dtend", event.end_date + datetime.timedelta(days=1))
    entry.add("summary", event.title)
    location = ", ".join(
        part
        for part in [event.venue, event.city, event.country.local_name if event.country else ""]
        if part
    )
    if event.is_online and not location:
        location = gettext("Online")
    if location:
        entry.add("location", location)
    description = "\n\n".join(part for part in [event.purpose, url] if part)
    entry.add("description", description)
    entry.add("url", url)
    entry.add("status", _STATUS[event.status])
    entry.add("transp", "TRANSPARENT")
    calendar.add_component(entry)
    return calendar.to_ical()
