"""The demo seed follows the two source documents kept in demo/data/, word for word."""

import datetime
import re
from pathlib import Path

import pytest

from demo import workshops as demo
from demo.pathfinders import seed_countries
from workshops.models import AgendaItem, Event, FollowUpAction, Output

DATA = Path(demo.__file__).parent / "data"

# How the agenda abbreviates names the portal spells out.
WRITTEN_AS = {
    "US": "United States",
    "UK": "United Kingdom",
    "the Netherlands": "Netherlands",
    "Global March": "Global March Against Child Labour",
}


def parse_agenda(text: str) -> list[dict]:
    """The agenda items of strategy-workshop-agenda.txt: title, co-leads, description, output."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = lines[lines.index("Key Agenda Items") + 1 :]
    header = re.compile(r"^(?P<title>.*?)\s+-?\s*co-leads:?\s+(?P<leads>.+)$")
    items, current = [], None
    for index, line in enumerate(lines):
        match = header.match(line)
        if match or index == len(lines) - 1:
            current = {
                "title": match["title"] if match else line,
                "co_leads": split_co_leads(match["leads"]) if match else [],
                "description": "",
                "output": "",
                "in_output": False,
            }
            items.append(current)
        elif line.startswith("Output:"):
            current["output"] = line.removeprefix("Output:").strip()
            current["in_output"] = True
        elif current["in_output"]:
            current["output"] += " " + line
        else:
            current["description"] = line
    return items


def split_co_leads(text: str) -> list[str]:
    names = []
    for part in text.split(","):
        # "Alliance Chair (France) Mexico": a missing comma after an office holder.
        names += [name.strip() for name in re.split(r"(?<=\))\s+", part.strip()) if name.strip()]
    return [WRITTEN_AS.get(name, name) for name in names]


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the seed uploads two documents
    seed_countries()
    demo.seed()


def strategy_workshop() -> Event:
    return Event.objects.get(kind=Event.Kind.STRATEGY_WORKSHOP, start_date__year=2022)


def test_parser_reads_all_eight_items_of_the_source():
    items = parse_agenda((DATA / "strategy-workshop-agenda.txt").read_text(encoding="utf-8"))

    assert len(items) == 8
    assert items[1]["co_leads"] == ["Alliance Chair (France)", "Mexico", "Free the Slaves", "ILO"]
    assert items[6]["output"].endswith("funding needs for mid-term sustainability.")
    assert items[7] == {
        "title": "Conclusions and next steps",
        "co_leads": [],
        "description": "",
        "output": "",
        "in_output": False,
    }


def test_copied_seed_texts_match_the_shared_originals_when_present():
    shared = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    for name in ("strategy-workshop-agenda.txt", "pacific-consultation-2017.txt"):
        original = shared / name
        if original.exists():
            assert (DATA / name).read_bytes() == original.read_bytes()


def test_seeded_agenda_matches_the_source_item_by_item_and_co_lead_by_co_lead(seeded):
    source = parse_agenda((DATA / "strategy-workshop-agenda.txt").read_text(encoding="utf-8"))
    seeded_items = list(
        AgendaItem.objects.filter(event=strategy_workshop())
        .prefetch_related("co_leads")
        .order_by("order")
    )

    assert [item.title for item in seeded_items] == [item["title"] for item in source]
    for item, expected in zip(seeded_items, source, strict=True):
        co_leads = list(item.co_leads.order_by("order"))
        assert len(co_leads) == len(expected["co_leads"]), item.title
        for co_lead, written in zip(co_leads, expected["co_leads"], strict=True):
            assert written in names_of(co_lead), (item.title, written)
        assert item.description == expected["description"], item.title
        assert item.expected_output == expected["output"], item.title


def names_of(co_lead) -> set[str]:
    """How a co-lead may be written: its label, or its organisation's name or acronym."""
    names = {co_lead.label}
    if co_lead.organisation_id:
        names |= {co_lead.organisation.name, co_lead.organisation.acronym}
    return names


def test_vision_and_progress_is_co_led_by_the_deputy_chair_of_the_time(seeded):
    item = AgendaItem.objects.get(event=strategy_workshop(), title="Vision and progress")

    assert [c.label for c in item.co_leads.order_by("order")] == [
        "Alliance Deputy Chair (Argentina)",
        "Australia",
        "IOE",
        "ITUC",
        "ILO",
    ]
    assert item.expected_output == ""


def test_strategy_workshop_is_led_by_the_chair_and_feeds_the_gcg_meeting_after_it(seeded):
    workshop = strategy_workshop()
    (meeting,) = workshop.feeds_into.all()

    assert workshop.start_date.month == 12
    assert workshop.organised_by == "GCG members and Pathfinder Countries"
    assert workshop.led_by == "Alliance Chair (France)"
    assert workshop.supported_by == "Alliance 8.7 Secretariat"
    assert meeting.kind == Event.Kind.GCG_MEETING
    assert meeting.start_date > workshop.end_date
    assert meeting.gcg_meeting is not None


def test_pacific_consultation_has_the_six_objectives_of_the_note(seeded):
    note = (DATA / "pacific-consultation-2017.txt").read_text(encoding="utf-8")
    expected = [
        line.strip().removeprefix("•").strip()
        for line in note.splitlines()
        if line.strip().startswith("•")
    ]
    pacific = Event.objects.get(title=demo.PACIFIC_TITLE)

    assert len(expected) == 6
    assert [o.text for o in pacific.objectives.order_by("order")] == expected
    assert (pacific.start_date, pacific.end_date) == (
        datetime.date(2017, 10, 3),
        datetime.date(2017, 10, 5),
    )
    assert (pacific.city, pacific.country.name) == ("Nadi", "Fiji")
    assert [org.acronym for org in pacific.organisers.all()] == ["ILO"]


def test_pacific_consultation_feeds_the_iv_global_conference_in_buenos_aires(seeded):
    (conference,) = Event.objects.get(title=demo.PACIFIC_TITLE).feeds_into.all()

    assert conference.kind == Event.Kind.GLOBAL_CONFERENCE
    assert (conference.city, conference.country.name) == ("Buenos Aires", "Argentina")
    assert (conference.start_date, conference.end_date) == (
        datetime.date(2017, 11, 14),
        datetime.date(2017, 11, 16),
    )


def test_demo_has_outputs_in_every_status_and_some_overdue_follow_ups(seeded):
    statuses = set(Output.objects.values_list("status", flat=True))

    assert statuses == set(Output.Status.values)
    assert FollowUpAction.objects.overdue().count() >= 2
    assert FollowUpAction.objects.exclude(carried_to=None).exists()


def test_seeding_twice_changes_nothing(seeded):
    counts = (Event.objects.count(), Output.objects.count(), FollowUpAction.objects.count())

    demo.seed()

    assert (Event.objects.count(), Output.objects.count(), FollowUpAction.objects.count()) == counts
