"""Reads of the workshops area: the query shapes behind each page, returning plain data."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Collate
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from alliance87.access import Person, can_read_everything, is_secretariat
from alliance87.aggregates import cached_aggregate
from alliance87.charts import bar_chart
from alliance87.models import Country

from .access import can_view_follow_up_board, can_view_participants, visible_events
from .filters import EventFilter, FollowUpFilter
from .models import (
    AgendaItem,
    CoLead,
    Event,
    EventDocument,
    FollowUpAction,
    Minutes,
    Output,
    Participant,
    office_holders_on,
)


def _co_leads() -> Prefetch:
    return Prefetch(
        "co_leads",
        queryset=CoLead.objects.select_related(
            "organisation", "country", "holder_country", "holder_organisation"
        ).order_by("order"),
    )


def _codepoint(field: str) -> Collate | F:
    """A text column ordered by code point, as Python orders strings, whatever the database's
    own collation (PostgreSQL's may be a language's)."""
    if connection.vendor == "postgresql":
        return Collate(field, "C")
    return F(field)  # SQLite compares UTF-8 bytes: code point order already


def event_rows(*, user: Person, params: QueryDict) -> tuple[EventFilter, QuerySet[Event]]:
    """The events the person may see with the events page's filters, soonest first, each
    with its country: for one page of them at a time (the API's list).

    Queries: the filter's years; then the caller's (the count, one page).
    """
    event_filter = EventFilter(params, queryset=visible_events(user, Event.objects.all()))
    events = event_filter.qs.select_related("country").order_by("start_date", _codepoint("title"))
    return event_filter, events


def event_list(*, user: Person, params: QueryDict) -> dict:
    """Upcoming events (soonest first) and past ones (latest first) the person may see.

    Queries: the filter's years, the events with their countries, their organisers.
    """
    base = visible_events(user, Event.objects.all())
    event_filter = EventFilter(params, queryset=base)
    events = list(
        event_filter.qs.select_related("country")
        .prefetch_related("organisers")
        .order_by("start_date", "title")
    )
    today = timezone.localdate()
    upcoming = [event for event in events if event.end_date >= today]
    past = [event for event in events if event.end_date < today]
    past.reverse()
    return {"filter": event_filter, "upcoming": upcoming, "past": past}


@dataclass
class AgendaRow:
    item: AgendaItem
    outputs: list[Output] = field(default_factory=list)
    carried_follow_ups: list[FollowUpAction] = field(default_factory=list)


def _linked_events(*, event: Event, user: Person) -> tuple[list[Event], list[Event]]:
    """The events this one feeds into and those feeding it that the person may see, read
    together from the links between events."""
    query = Event.feeds_into.through.objects.filter(Q(from_event=event) | Q(to_event=event))
    if not can_read_everything(user):
        visible = visible_events(user)
        query = query.filter(
            Q(from_event=event, to_event__in=visible) | Q(to_event=event, from_event__in=visible)
        )
    links = list(query.select_related("from_event", "to_event"))

    def by_date(events: list[Event]) -> list[Event]:
        return sorted(events, key=lambda other: (other.start_date, other.pk))

    return (
        by_date([link.to_event for link in links if link.from_event_id == event.pk]),
        by_date([link.from_event for link in links if link.to_event_id == event.pk]),
    )


def event_detail(*, event: Event, user: Person) -> dict:
    """The event's own follow-up actions, its minutes and the person's own registration (the
    rest of the event page comes from `event_sections`).

    Queries: the follow-up actions agreed at the event, minutes, own registration.
    """
    follow_ups = list(
        FollowUpAction.objects.filter(event=event)
        .select_related("owner", "event", "carried_to__event")
        .order_by("due_date", "pk")
    )
    minutes = Minutes.objects.filter(event=event).select_related("approved_at").first()
    if minutes is not None and minutes.status == Minutes.Status.DRAFT and not is_secretariat(user):
        minutes = None
    # Signed-in readers only reach the event page; the guard tells the type checker so.
    registration = (
        Participant.objects.filter(event=event, user=user).select_related("organisation").first()
        if user.is_authenticated
        else None
    )
    return {
        "event": event,
        "follow_ups": follow_ups,
        "minutes": minutes,
        "registration": registration,
    }


def event_sections(*, event: Event, user: Person) -> dict:
    """The agenda (with the actions carried into it), outputs, objectives, organisers, linked
    events, documents and (for the Secretariat) participants of the event page.

    Queries: agenda items, their co-leads, outputs, the actions carried into the agenda,
    participants (Secretariat only), the linked events, objectives, organisers, documents.
    Kept apart from the event's own actions: one query for both takes an OR across a join,
    which reads the whole table.
    """
    items = list(
        AgendaItem.objects.filter(event=event).prefetch_related(_co_leads()).order_by("order")
    )
    outputs = list(
        Output.objects.filter(event=event)
        .select_related("agenda_item", "decided_at", "gcg_decision")
        .order_by("agenda_item__order", "pk")
    )
    rows = {item.pk: AgendaRow(item=item) for item in items}
    unattached: list[Output] = []
    for output in outputs:
        row = rows.get(output.agenda_item_id) if output.agenda_item_id is not None else None
        (row.outputs if row else unattached).append(output)
    _check_office_co_leads(event, items)
    carried = (
        FollowUpAction.objects.filter(carried_to__event=event)
        .select_related("owner", "event", "carried_to__event")
        .order_by("due_date", "pk")
    )
    for action in carried:
        rows[action.carried_to_id].carried_follow_ups.append(action)
    participants: list[Participant] = []
    if can_view_participants(user):
        participants = list(
            Participant.objects.filter(event=event)
            .select_related("user", "organisation")
            .order_by("role", "name", "pk")
        )
    feeds_into, fed_by = _linked_events(event=event, user=user)
    return {
        "event": event,
        "objectives": list(event.objectives.order_by("order")),
        "organisers": list(event.organisers.all()),
        "feeds_into": feeds_into,
        "fed_by": fed_by,
        "agenda": list(rows.values()),
        "unattached_outputs": unattached,
        "outputs": outputs,
        "documents": list(
            EventDocument.objects.filter(event=event)
            .select_related("uploaded_by")
            .order_by("kind", "title")
        ),
        "participants": participants,
        "attendance": _attendance_counts(participants),
    }


def _check_office_co_leads(event: Event, items: list[AgendaItem]) -> None:
    """Mark each co-lead named by an office whose holder the records contradict on that day.

    One query for the office holders of each day that has such a co-lead (none otherwise).
    """
    holders_by_day: dict = {}
    for item in items:
        for co_lead in item.co_leads.all():
            co_lead.office_record = None
            if co_lead.kind != CoLead.Kind.OFFICE:
                continue
            day = item.day or event.start_date
            if day not in holders_by_day:
                holders_by_day[day] = office_holders_on(day)
            co_lead.office_record = co_lead.office_record_mismatch(holders_by_day[day])


def _attendance_counts(participants: list[Participant]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for participant in participants:
        counts[participant.invitation] += 1
        counts[participant.attendance] += 1
    return dict(counts)


def event_agenda(*, event: Event) -> list[AgendaItem]:
    """The agenda for printing: items with co-leads, in order."""
    items = list(
        AgendaItem.objects.filter(event=event).prefetch_related(_co_leads()).order_by("order")
    )
    _check_office_co_leads(event, items)
    return items


BOARD_PAGE_SIZE = 50


def _status_counts(actions: QuerySet[FollowUpAction], today: datetime.date) -> dict[str, int]:
    return actions.aggregate(
        open=Count("pk", filter=Q(status__in=FollowUpAction.OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=FollowUpAction.OPEN_STATUSES, due_date__lt=today)),
        done=Count("pk", filter=Q(status=FollowUpAction.Status.DONE)),
    )


def follow_up_counts(*, today: datetime.date) -> dict[str, int]:
    """Open, overdue and done actions of every event: a scan of every action, so cached
    until the workshops' data changes (and per day, as actions fall overdue)."""
    return cached_aggregate(
        ["workshops"],
        f"workshops:follow-up-counts:{today.isoformat()}",
        lambda: _status_counts(FollowUpAction.objects.all(), today),
    )


def follow_up_rows(
    *, user: Person, params: QueryDict
) -> tuple[FollowUpFilter, QuerySet[FollowUpAction]]:
    """The follow-up actions the person may see (of private events, only those of events they
    may see), with the board's filters, earliest due first, each with its owner, event and
    review item: the board page's rows and the API's.

    Queries: none until the caller reads (the filters are text searches).
    """
    if can_read_everything(user):
        base = FollowUpAction.objects.all()
    else:
        base = FollowUpAction.objects.filter(event__in=visible_events(user))
    board_filter = FollowUpFilter(params, queryset=base)
    actions = board_filter.qs.select_related("owner", "event", "carried_to__event").order_by(
        "due_date", "pk"
    )
    return board_filter, actions


def follow_up_board(*, user: Person, params: QueryDict) -> dict:
    """Every follow-up action the person may see, filtered; overdue ones flagged.

    Queries: the number of matching actions, one page of them with their owner, event and
    review item, the status counts (cached for readers of everything). The filters are text
    searches, so the form reads nothing.
    """
    today = timezone.localdate()
    board_filter, actions_found = follow_up_rows(user=user, params=params)
    if can_read_everything(user):
        counts = follow_up_counts(today=today)
    else:
        counts = _status_counts(board_filter.queryset, today)
    paginator = Paginator(actions_found, BOARD_PAGE_SIZE)
    page = paginator.get_page(params.get("page"))
    actions = list(page.object_list)
    query = params.copy()
    query.pop("page", None)
    return {
        "filter": board_filter,
        "actions": actions,
        "page": page,
        "page_query": query.urlencode(),
        "counts": counts,
    }


def my_registrations(*, user: Person) -> list[Participant]:
    if not user.is_authenticated:  # the page asks for sign-in; this tells the type checker
        return []
    return list(
        Participant.objects.filter(user=user)
        .select_related("event__country", "organisation")
        .order_by("-event__start_date")
    )


def dashboard_summary(*, user: Person) -> dict | None:
    """Next events, open and overdue actions, outputs waiting for a decision.

    Queries: the upcoming events; for readers of everything, the action counts and the
    output counts, both scans of a whole table and so cached until the workshops' data changes.
    """
    if not user.is_authenticated:
        return None
    today = timezone.localdate()
    events = visible_events(user)
    upcoming = list(
        events.filter(end_date__gte=today)
        .exclude(status=Event.Status.CANCELLED)
        .select_related("country")
        .order_by("start_date")[:3]
    )
    summary: dict = {
        "upcoming": upcoming,
        "event_list_url": reverse("workshops:event_list"),
        "board_url": None,
    }
    if can_view_follow_up_board(user):
        summary["board_url"] = reverse("workshops:followup_board")
        counts = follow_up_counts(today=today)
        summary["actions"] = {"open": counts["open"], "overdue": counts["overdue"]}
    if can_read_everything(user):
        counts = cached_aggregate(
            ["workshops"],
            "workshops:output-counts",
            lambda: dict(
                Output.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
            ),
        )
        rows = [(str(label), counts.get(value, 0)) for value, label in Output.Status.choices]
        summary["output_rows"] = rows
        summary["output_chart"] = bar_chart(rows, title=gettext("Outputs by status"))
    return summary


# --- PDF reports -----------------------------------------------------------------------------


def event_outcome_report(*, event: int) -> dict:
    """The event outcome report (PDF): objectives, agenda with co-leads, outputs, follow-ups.

    It holds what every GCG reader sees on the event page; participants and their notes are
    never part of it.
    """
    record = Event.objects.select_related("country").get(pk=event)
    outputs = list(
        Output.objects.filter(event=record)
        .select_related("agenda_item", "decided_at", "gcg_decision")
        .order_by("agenda_item__order", "pk")
    )
    by_item: dict[int | None, list[Output]] = defaultdict(list)
    for output in outputs:
        by_item[output.agenda_item_id].append(output)
    agenda = [
        AgendaRow(item=item, outputs=by_item.get(item.pk, []))
        for item in event_agenda(event=record)
    ]
    follow_ups = list(
        FollowUpAction.objects.filter(event=record)
        .select_related("owner", "output")
        .order_by("due_date", "pk")
    )
    status_counts: dict[str, int] = defaultdict(int)
    for output in outputs:
        status_counts[output.get_status_display()] += 1
    return {
        "report_subject": record.title,
        "event": record,
        "objectives": list(record.objectives.order_by("order")),
        "organisers": list(record.organisers.all()),
        "agenda": agenda,
        "unattached_outputs": by_item.get(None, []),
        "outputs": outputs,
        "follow_ups": follow_ups,
        "output_chart": bar_chart(sorted(status_counts.items()), title=gettext("Outputs by status"))
        if outputs
        else None,
        "open_follow_ups": sum(1 for f in follow_ups if f.status != FollowUpAction.Status.DONE),
        "overdue_follow_ups": sum(1 for f in follow_ups if f.is_overdue),
    }


def country_events(*, country: Country) -> list[Event]:
    """Events a country took part in: held there, organised by it, or attended by its people
    (for the country dossier)."""
    return list(
        Event.objects.filter(
            Q(country=country)
            | Q(organisers__country=country)
            | Q(participants__organisation__country=country)
        )
        .exclude(status=Event.Status.CANCELLED)
        .distinct()
        .order_by("-start_date")[:30]
    )


def durban_area_events(*, events: QuerySet[Event]) -> dict[str, list[Event]]:
    """The events that worked on each Durban Call to Action area (tagged to it), among the
    given ones (those a person may see), latest first; cancelled events are left out.

    Queries: the tagged events.
    """
    tagged = list(
        events.exclude(durban_areas="")
        .exclude(status=Event.Status.CANCELLED)
        .order_by("-start_date", "title")
    )
    by_area: dict[str, list[Event]] = defaultdict(list)
    for event in tagged:
        for area in event.durban_areas:
            by_area[area].append(event)
    return dict(by_area)
