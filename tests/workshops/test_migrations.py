"""The move to one record per GCG meeting keeps every meeting, event and decision."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from governance.models import Decision, GCGMeeting
from workshops.models import Event, Output

BEFORE = [
    ("governance", "0005_decision_numbered_by_meeting"),
    ("workshops", "0003_file_links_lead_to_the_download_page"),
]
D = datetime.date


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def old_apps():
    executor = _migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    # Whatever happened, leave the database at the latest schema for the next tests.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_meeting_its_event_and_every_decision_its_number(old_apps):
    OldMeeting = old_apps.get_model("governance", "GCGMeeting")
    OldDecision = old_apps.get_model("governance", "Decision")
    OldEvent = old_apps.get_model("workshops", "Event")
    OldOutput = old_apps.get_model("workshops", "Output")
    seventh = OldMeeting.objects.create(number=7, date=D(2020, 5, 19), title="7th meeting")
    ninth = OldMeeting.objects.create(number=9, date=D(2020, 10, 28), title="9th meeting")
    twentieth = OldMeeting.objects.create(number=20, date=D(2026, 5, 12), title="20th meeting")
    OldEvent.objects.create(
        kind="gcg_meeting",
        title="GCG, May 2026",
        start_date=D(2026, 5, 12),
        end_date=D(2026, 5, 12),
    )
    OldEvent.objects.create(
        kind="gcg_meeting",
        title="9th GCG",
        start_date=D(2020, 10, 28),
        end_date=D(2020, 10, 28),
        gcg_meeting=ninth,
    )
    exchange = OldEvent.objects.create(
        kind="regional_consultation",
        title="Regional peer exchange",
        start_date=D(2026, 3, 1),
        end_date=D(2026, 3, 2),
    )
    OldDecision.objects.create(meeting=seventh, reference="GCG/7/1", date=D(2020, 5, 19), text="a")
    candidacy = OldDecision.objects.create(
        meeting=ninth, reference="GCG/9/1", date=D(2020, 10, 28), text="Candidacy."
    )
    OldDecision.objects.create(
        meeting=twentieth, reference="GCG/7/9", date=D(2020, 12, 1), text="b"
    )
    OldDecision.objects.create(
        meeting=twentieth, reference="GCG/20/1", date=D(2026, 5, 12), text="c"
    )
    OldDecision.objects.create(meeting=twentieth, reference="Chair", date=D(2026, 5, 12), text="d")
    OldOutput.objects.create(
        event=exchange,
        kind="agreement",
        title="Common indicators",
        text="Six indicators.",
        status="adopted",
        decided_at=exchange,
        decided_on=D(2026, 3, 2),
        gcg_decision=candidacy,
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    meetings = {m.number: m for m in GCGMeeting.objects.select_related("event")}
    assert meetings[7].event.title == "7th meeting"  # created from the meeting
    assert meetings[9].event.title == "9th GCG"  # kept
    assert meetings[20].event.title == "GCG, May 2026"  # the unlinked event of that day
    assert Event.objects.count() == 4
    decisions = {d.text: d for d in Decision.objects.select_related("meeting")}
    assert len(decisions) == 5
    moved = decisions["b"]
    assert (moved.meeting.number, moved.reference, moved.date) == (7, "GCG/7/9", D(2020, 5, 19))
    assert "Was filed under GCG meeting 20" in moved.review_note
    assert "Was dated 2020-12-01" in moved.review_note
    assert (decisions["c"].reference, decisions["c"].review_note) == ("GCG/20/1", "")
    kept = decisions["d"]
    assert (kept.meeting.number, kept.reference) == (20, "GCG/20/2")
    assert "Recorded as 'Chair'" in kept.review_note
    assert "Common indicators" in decisions["Candidacy."].review_note
    assert Output.objects.get().gcg_decision == decisions["Candidacy."]  # flagged, not unlinked


BEFORE_EVENT_REQUIRED = [
    ("governance", "0007_constituency_seats_held_by"),
    ("workshops", "0004_one_record_per_gcg_meeting"),
]


@pytest.fixture
def linked_on_the_event_apps():
    executor = _migrate(BEFORE_EVENT_REQUIRED)
    yield executor.loader.project_state(BEFORE_EVENT_REQUIRED).apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_every_gcg_meeting_keeps_or_gets_its_event_when_the_link_becomes_required(
    linked_on_the_event_apps,
):
    apps = linked_on_the_event_apps
    OldMeeting = apps.get_model("governance", "GCGMeeting")
    OldDecision = apps.get_model("governance", "Decision")
    OldEvent = apps.get_model("workshops", "Event")
    linked = OldMeeting.objects.create(number=9, date=D(2020, 10, 28), title="9th meeting")
    OldEvent.objects.create(
        kind="gcg_meeting",
        title="9th GCG",
        start_date=D(2020, 10, 28),
        end_date=D(2020, 10, 28),
        gcg_meeting=linked,
    )
    OldMeeting.objects.create(number=16, date=D(2023, 5, 16), title="16th meeting")
    OldEvent.objects.create(
        kind="gcg_meeting",
        title="GCG, May 2023",
        start_date=D(2023, 5, 16),
        end_date=D(2023, 5, 16),
    )
    # Recorded in the admin after the first move, without an event.
    lone = OldMeeting.objects.create(
        number=21, date=D(2026, 11, 20), title="21st meeting", location="Geneva"
    )
    OldDecision.objects.create(
        meeting=lone, number=1, reference="GCG/21/1", date=D(2026, 11, 20), text="Kept."
    )
    OldEvent.objects.create(
        kind="webinar", title="A webinar", start_date=D(2026, 11, 20), end_date=D(2026, 11, 20)
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    meetings = {m.number: m for m in GCGMeeting.objects.select_related("event")}
    assert meetings[9].event.title == "9th GCG"
    assert meetings[16].event.title == "GCG, May 2023"
    created = meetings[21].event
    assert (created.title, created.kind, created.start_date, created.city) == (
        "21st meeting",
        "gcg_meeting",
        D(2026, 11, 20),
        "Geneva",
    )
    assert Event.objects.count() == 4  # the three kept and the one created
    decision = Decision.objects.get()
    assert (decision.meeting.number, decision.reference) == (21, "GCG/21/1")
    assert created.gcg_meeting == meetings[21]

    # Going back puts the link on the event again.
    executor = _migrate(BEFORE_EVENT_REQUIRED)
    OldEvent = executor.loader.project_state(BEFORE_EVENT_REQUIRED).apps.get_model(
        "workshops", "Event"
    )
    assert OldEvent.objects.get(title="21st meeting").gcg_meeting_id == meetings[21].pk
    assert OldEvent.objects.get(title="9th GCG").gcg_meeting_id == meetings[9].pk
