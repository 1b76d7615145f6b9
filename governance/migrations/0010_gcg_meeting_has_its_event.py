"""One record per meeting, guaranteed by the database: every GCG meeting has its event.

The link moves from the event (workshops.Event.gcg_meeting, which could be empty) to the meeting
(GCGMeeting.event, required and unique). Each meeting takes the event that pointed at it; a
meeting without one takes the unlinked GCG-meeting event held on its date, or gets a new event
(title, date, place and format from the meeting). No meeting, event or decision is removed.
Reversible: going back puts the link on the event again. 0010 makes the link required.
"""

import datetime

from django.db import migrations


def _event_for(meeting, Event, claimed: set[int]):
    event = Event.objects.filter(gcg_meeting=meeting).first()
    if event is not None:
        return event
    event = (
        Event.objects.filter(kind="gcg_meeting", gcg_meeting__isnull=True, start_date=meeting.date)
        .exclude(pk__in=claimed)
        .order_by("pk")
        .first()
    )
    if event is not None:
        return event
    title = meeting.title or f"GCG meeting {meeting.number}"
    if Event.objects.filter(title=title[:250], start_date=meeting.date).exists():
        title = f"{title} (GCG meeting {meeting.number})"
    return Event.objects.create(
        kind="gcg_meeting",
        title=title[:250],
        start_date=meeting.date,
        end_date=meeting.date,
        city=meeting.location[:100],
        is_online=meeting.is_virtual,
        status="held" if meeting.date < datetime.date.today() else "planned",
        is_demo=meeting.is_demo,
    )


def link_each_meeting_to_its_event(apps, schema_editor) -> None:
    Event = apps.get_model("workshops", "Event")
    GCGMeeting = apps.get_model("governance", "GCGMeeting")
    History = apps.get_model("governance", "HistoricalGCGMeeting")
    claimed: set[int] = set()
    for meeting in GCGMeeting.objects.order_by("number"):
        event = _event_for(meeting, Event, claimed)
        claimed.add(event.pk)
        if event.kind != "gcg_meeting":
            Event.objects.filter(pk=event.pk).update(kind="gcg_meeting")
        GCGMeeting.objects.filter(pk=meeting.pk).update(event=event)
        History.objects.filter(id=meeting.pk).update(event_id=event.pk)


def link_each_event_to_its_meeting(apps, schema_editor) -> None:
    Event = apps.get_model("workshops", "Event")
    GCGMeeting = apps.get_model("governance", "GCGMeeting")
    for meeting in GCGMeeting.objects.exclude(event__isnull=True):
        Event.objects.filter(pk=meeting.event_id).update(gcg_meeting=meeting)


class Migration(migrations.Migration):
    dependencies = [("governance", "0009_gcg_meeting_event_column")]

    operations = [
        migrations.RunPython(link_each_meeting_to_its_event, link_each_event_to_its_meeting),
    ]
