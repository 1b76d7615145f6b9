"""Scale data of the workshops app (loaded by `manage.py seed_scale`).

Events topped up to the target and marked as demo data, then agenda items and follow-up
actions spread over the generated events until their totals reach the targets.
"""

import datetime
import random

from django.db.models import Max

from alliance87.models import Country
from governance.models import Organisation
from workshops.models import AgendaItem, Event, FollowUpAction

EVENTS = 500
AGENDA_ITEMS = 4_000
FOLLOW_UPS = 10_000
BATCH = 1000
PREFIX = "Scale event"
KINDS = [
    Event.Kind.NATIONAL_WORKSHOP,
    Event.Kind.REGIONAL_CONSULTATION,
    Event.Kind.STRATEGY_WORKSHOP,
    Event.Kind.WEBINAR,
]
TOPICS = [
    "Labour inspection",
    "Birth registration",
    "Fair recruitment",
    "Supply chain due diligence",
    "Social protection floors",
    "Victim identification",
]


def target_counts(factor: float) -> dict[str, int]:
    return {
        "events": round(EVENTS * factor),
        "agenda items": round(AGENDA_ITEMS * factor),
        "follow-up actions": round(FOLLOW_UPS * factor),
    }


def _events(target: int, rng: random.Random) -> int:
    missing = target - Event.objects.count()
    if missing <= 0:
        return 0
    titles = set(Event.objects.filter(title__startswith=PREFIX).values_list("title", flat=True))
    country_ids = list(Country.objects.values_list("pk", flat=True))
    today = datetime.date.today()
    new: list[Event] = []
    number = 0
    while len(new) < missing:
        number += 1
        kind = KINDS[number % len(KINDS)]
        title = f"{PREFIX} {number:04d}: {TOPICS[number % len(TOPICS)]}"
        if title in titles:
            continue
        start = today + datetime.timedelta(days=rng.randint(-6 * 365, 365))
        online = kind == Event.Kind.WEBINAR
        new.append(
            Event(
                kind=kind,
                title=title,
                start_date=start,
                end_date=start + datetime.timedelta(days=0 if online else rng.randint(0, 2)),
                city="" if online else "Capital city",
                country_id=None if online else rng.choice(country_ids),
                is_online=online,
                purpose="Scale data: a generated event for load tests.",
                status=Event.Status.HELD if start < today else Event.Status.PLANNED,
                is_public=number % 3 == 0,
                is_demo=True,
            )
        )
    Event.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _scale_events() -> list[tuple[int, datetime.date]]:
    return list(
        Event.objects.filter(title__startswith=PREFIX, is_demo=True)
        .order_by("pk")
        .values_list("pk", "start_date")
    )


def _agenda_items(target: int, events: list[tuple[int, datetime.date]]) -> int:
    missing = target - AgendaItem.objects.count()
    if missing <= 0 or not events:
        return 0
    last = dict(
        AgendaItem.objects.filter(event_id__in=[pk for pk, _day in events])
        .values("event_id")
        .annotate(last=Max("order"))
        .values_list("event_id", "last")
    )
    new = []
    for number in range(missing):
        event_id, day = events[number % len(events)]
        order = last.get(event_id, 0) + 1
        last[event_id] = order
        hour = 9 + (order - 1) % 8
        new.append(
            AgendaItem(
                event_id=event_id,
                order=order,
                title=f"Session {order}: {TOPICS[order % len(TOPICS)]}",
                day=day,
                starts_at=datetime.time(hour, 0),
                ends_at=datetime.time(hour, 45),
                expected_output="Agreed next steps (scale data)",
            )
        )
    AgendaItem.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _follow_ups(target: int, events: list[tuple[int, datetime.date]], rng: random.Random) -> int:
    missing = target - FollowUpAction.objects.count()
    if missing <= 0 or not events:
        return 0
    owners = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:500])
    statuses = list(FollowUpAction.Status.values)
    new = []
    for number in range(missing):
        event_id, day = events[number % len(events)]
        due = day + datetime.timedelta(days=rng.randint(30, 240))
        status = rng.choice(statuses)
        new.append(
            FollowUpAction(
                event_id=event_id,
                description=f"Follow-up action {number + 1} agreed at the event (scale data).",
                owner_id=rng.choice(owners),
                due_date=due,
                status=status,
                completed_on=due if status == FollowUpAction.Status.DONE else None,
            )
        )
    FollowUpAction.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def seed(*, factor: float, stdout=None) -> dict[str, int]:
    rng = random.Random(f"workshops-scale-{factor}")
    targets = target_counts(factor)
    created = {"events": _events(targets["events"], rng)}
    events = _scale_events()
    created["agenda items"] = _agenda_items(targets["agenda items"], events)
    created["follow-up actions"] = _follow_ups(targets["follow-up actions"], events, rng)
    return created
