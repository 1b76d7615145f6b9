import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from openpyxl import Workbook

from alliance87.aggregates import cached_aggregate
from governance.models import Decision
from tests.factories import OrganisationFactory
from tests.governance.factories import DecisionFactory
from tests.workshops.factories import (
    EventFactory,
    FollowUpActionFactory,
    GCGMeetingEventFactory,
    MinutesFactory,
    OutputFactory,
)
from workshops import services
from workshops.models import (
    DOCUMENT_UPLOAD,
    AgendaItem,
    Event,
    EventDocument,
    FollowUpAction,
    Minutes,
    Output,
)

pytestmark = pytest.mark.django_db

WORKSHOP_DAY = datetime.date(2022, 12, 6)
MEETING_DAY = datetime.date(2022, 12, 8)


@pytest.fixture
def workshop():
    return EventFactory(
        kind=Event.Kind.STRATEGY_WORKSHOP,
        start_date=WORKSHOP_DAY,
        end_date=WORKSHOP_DAY + datetime.timedelta(days=1),
    )


@pytest.fixture
def meeting():
    return GCGMeetingEventFactory(start_date=MEETING_DAY, gcg_meeting__number=10)


@pytest.fixture
def output(workshop):
    return OutputFactory(event=workshop, title="Accountability framework")


# --- Adoption workflow ---------------------------------------------------------------------


def test_adopting_records_the_meeting_and_the_date(output, meeting, secretariat):
    services.output_adopt(output=output, meeting=meeting, adopted_on=MEETING_DAY, by=secretariat)

    output.refresh_from_db()
    assert output.status == Output.Status.ADOPTED
    assert (output.decided_at, output.decided_on, output.decided_by) == (
        meeting,
        MEETING_DAY,
        secretariat,
    )
    assert output.gcg_decision is None


def test_adopting_can_create_a_gcg_decision_under_the_numbered_meeting(
    output, meeting, secretariat
):
    services.output_adopt(
        output=output,
        meeting=meeting,
        adopted_on=MEETING_DAY,
        by=secretariat,
        create_decision=True,
    )

    decision = Decision.objects.get()
    output.refresh_from_db()
    assert output.gcg_decision == decision
    assert (decision.meeting.number, decision.date, decision.kind) == (
        10,
        MEETING_DAY,
        Decision.Kind.ADOPT_OUTPUT,
    )
    assert decision.reference == "GCG/10/1"
    assert decision.text.startswith("Accountability framework")


def test_decision_references_count_up_within_a_meeting(workshop, meeting, secretariat):
    for title in ("First", "Second"):
        services.output_adopt(
            output=OutputFactory(event=workshop, title=title),
            meeting=meeting,
            adopted_on=MEETING_DAY,
            by=secretariat,
            create_decision=True,
        )

    assert sorted(Decision.objects.values_list("reference", flat=True)) == ["GCG/10/1", "GCG/10/2"]


def test_adopting_can_link_an_existing_decision(output, meeting, secretariat):
    decision = DecisionFactory(meeting=meeting.gcg_meeting, kind=Decision.Kind.ADOPT_OUTPUT)

    services.output_adopt(
        output=output, meeting=meeting, adopted_on=MEETING_DAY, by=secretariat, decision=decision
    )

    assert Output.objects.get(pk=output.pk).gcg_decision == decision


def test_a_decision_already_recording_another_output_cannot_be_linked_again(
    workshop, meeting, secretariat
):
    decision = DecisionFactory(meeting=meeting.gcg_meeting, kind=Decision.Kind.ADOPT_OUTPUT)
    first, second = OutputFactory(event=workshop), OutputFactory(event=workshop)
    services.output_adopt(
        output=first, meeting=meeting, adopted_on=MEETING_DAY, by=secretariat, decision=decision
    )

    with pytest.raises(ValidationError) as error:
        services.output_adopt(
            output=second,
            meeting=meeting,
            adopted_on=MEETING_DAY,
            by=secretariat,
            decision=decision,
        )
    assert "decision" in error.value.message_dict


def test_a_meeting_without_a_numbered_gcg_meeting_cannot_create_a_decision(output, secretariat):
    other = EventFactory(kind=Event.Kind.WEBINAR, start_date=MEETING_DAY)

    with pytest.raises(ValidationError) as error:
        services.output_adopt(
            output=output,
            meeting=other,
            adopted_on=MEETING_DAY,
            by=secretariat,
            create_decision=True,
        )
    assert "meeting" in error.value.message_dict
    assert Output.objects.get(pk=output.pk).status == Output.Status.PROPOSED


def test_an_output_cannot_be_adopted_at_an_event_that_is_not_a_gcg_meeting(output, secretariat):
    exchange = EventFactory(kind=Event.Kind.REGIONAL_CONSULTATION, start_date=MEETING_DAY)

    with pytest.raises(ValidationError) as error:
        services.output_adopt(
            output=output, meeting=exchange, adopted_on=MEETING_DAY, by=secretariat
        )
    assert "only at a GCG meeting" in error.value.message_dict["meeting"][0]
    assert Output.objects.get(pk=output.pk).status == Output.Status.PROPOSED


def test_an_output_cannot_be_linked_to_another_meetings_decision(output, meeting, secretariat):
    other = DecisionFactory(
        meeting=GCGMeetingEventFactory(
            start_date=datetime.date(2020, 10, 28), gcg_meeting__number=9
        ).gcg_meeting,
        number=1,
        kind=Decision.Kind.ADOPT_OUTPUT,
    )

    with pytest.raises(ValidationError) as error:
        services.output_adopt(
            output=output, meeting=meeting, adopted_on=MEETING_DAY, by=secretariat, decision=other
        )
    assert "GCG/9/1 was taken at GCG meeting 9" in error.value.message_dict["decision"][0]
    assert Output.objects.get(pk=output.pk).gcg_decision is None


def test_an_output_recorded_as_adopted_elsewhere_fails_the_model_rule(output, secretariat):
    exchange = EventFactory(kind=Event.Kind.REGIONAL_CONSULTATION, start_date=MEETING_DAY)
    output.status, output.decided_at, output.decided_on = "adopted", exchange, MEETING_DAY

    with pytest.raises(ValidationError) as error:
        output.full_clean()
    assert "only at a GCG meeting" in error.value.message_dict["decided_at"][0]


def test_the_date_must_fall_within_the_meeting(output, meeting, secretariat):
    with pytest.raises(ValidationError) as error:
        services.output_adopt(
            output=output,
            meeting=meeting,
            adopted_on=MEETING_DAY + datetime.timedelta(days=1),
            by=secretariat,
        )
    assert "decided_on" in error.value.message_dict


def test_a_meeting_before_the_event_cannot_decide_on_its_output(output, secretariat):
    earlier = GCGMeetingEventFactory(start_date=datetime.date(2022, 11, 1))

    with pytest.raises(ValidationError) as error:
        services.output_adopt(
            output=output, meeting=earlier, adopted_on=earlier.start_date, by=secretariat
        )
    assert "meeting" in error.value.message_dict


def test_a_cancelled_meeting_decides_nothing(output, meeting, secretariat):
    meeting.status = Event.Status.CANCELLED
    meeting.save()

    with pytest.raises(ValidationError):
        services.output_reject(
            output=output, meeting=meeting, rejected_on=MEETING_DAY, by=secretariat
        )


def test_a_decision_cannot_be_recorded_in_advance(output, secretariat):
    future_day = datetime.date.today() + datetime.timedelta(days=10)
    future = GCGMeetingEventFactory(start_date=future_day, status=Event.Status.PLANNED)

    with pytest.raises(ValidationError) as error:
        services.output_adopt(output=output, meeting=future, adopted_on=future_day, by=secretariat)
    assert "decided_on" in error.value.message_dict


def test_deferring_needs_a_reason(output, meeting, secretariat):
    with pytest.raises(ValidationError) as error:
        services.output_defer(
            output=output, meeting=meeting, deferred_on=MEETING_DAY, by=secretariat, note="  "
        )
    assert "note" in error.value.message_dict


def test_a_deferred_output_can_be_adopted_at_a_later_meeting(output, meeting, secretariat):
    services.output_defer(
        output=output,
        meeting=meeting,
        deferred_on=MEETING_DAY,
        by=secretariat,
        note="Consult partners first.",
    )
    later = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))

    services.output_adopt(output=output, meeting=later, adopted_on=later.start_date, by=secretariat)

    output.refresh_from_db()
    assert (output.status, output.decided_at, output.decided_on) == (
        Output.Status.ADOPTED,
        later,
        later.start_date,
    )


def test_deciding_an_output_in_french_keeps_its_english_title_and_history(
    output, meeting, secretariat
):
    Output.objects.filter(pk=output.pk).update(title_fr="Feuille de route révisée")
    output.refresh_from_db()

    with translation.override("fr"):
        services.output_adopt(
            output=output, meeting=meeting, adopted_on=MEETING_DAY, by=secretariat
        )

    english = output.title_en
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM workshops_output WHERE id = %s", [output.pk])
        assert cursor.fetchone()[0] == english
    assert output.history.values_list("title", flat=True).first() == english


@pytest.mark.parametrize("status", ["adopted", "rejected"])
def test_an_adopted_or_rejected_output_is_final(output, meeting, secretariat, status):
    decide = services.output_adopt if status == "adopted" else services.output_reject
    day = {"adopted_on": MEETING_DAY} if status == "adopted" else {"rejected_on": MEETING_DAY}
    decide(output=output, meeting=meeting, by=secretariat, **day)

    with pytest.raises(ValidationError):
        services.output_defer(
            output=output, meeting=meeting, deferred_on=MEETING_DAY, by=secretariat, note="Later."
        )
    assert Output.objects.get(pk=output.pk).status == status


def test_rejecting_keeps_the_note(output, meeting, secretariat):
    services.output_reject(
        output=output, meeting=meeting, rejected_on=MEETING_DAY, by=secretariat, note="Too costly."
    )

    output.refresh_from_db()
    assert (output.status, output.decision_note) == (Output.Status.REJECTED, "Too costly.")


def test_an_output_must_come_from_the_event_s_own_agenda(workshop):
    foreign_item = AgendaItem.objects.create(event=EventFactory(), order=1, title="Elsewhere")

    with pytest.raises(ValidationError):
        services.output_record(
            event=workshop, agenda_item=foreign_item, kind="analysis", title="X", text="Y"
        )


# --- Follow-up actions ---------------------------------------------------------------------


def test_an_open_action_past_its_due_date_is_overdue():
    today = datetime.date(2024, 3, 1)
    late = FollowUpActionFactory(due_date=datetime.date(2024, 2, 29))
    due_today = FollowUpActionFactory(due_date=today)
    FollowUpActionFactory(
        due_date=datetime.date(2024, 1, 1), status="done", completed_on=datetime.date(2024, 1, 2)
    )
    FollowUpActionFactory(due_date=datetime.date(2024, 1, 1), status="dropped")
    in_progress = FollowUpActionFactory(due_date=datetime.date(2024, 1, 1), status="in_progress")

    overdue = set(FollowUpAction.objects.overdue(today))

    assert overdue == {late, in_progress}
    assert due_today not in overdue


def test_the_overdue_flag_on_one_action_agrees_with_the_board_query():
    late = FollowUpActionFactory(due_date=datetime.date.today() - datetime.timedelta(days=1))
    on_time = FollowUpActionFactory(due_date=datetime.date.today())

    assert late.is_overdue and not on_time.is_overdue
    assert list(FollowUpAction.objects.overdue()) == [late]


def test_creating_an_action_refuses_a_due_date_before_the_event(workshop, secretariat):
    with pytest.raises(ValidationError) as error:
        services.follow_up_create(
            event=workshop,
            description="Too early",
            owner=OrganisationFactory(),
            due_date=WORKSHOP_DAY - datetime.timedelta(days=1),
            by=secretariat,
        )
    assert "due_date" in error.value.message_dict


def test_creating_an_action_refuses_an_output_of_another_event(workshop, secretariat):
    with pytest.raises(ValidationError) as error:
        services.follow_up_create(
            event=workshop,
            description="Wrong output",
            owner=OrganisationFactory(),
            due_date=WORKSHOP_DAY,
            by=secretariat,
            output=OutputFactory(),
        )
    assert "output" in error.value.message_dict


def test_marking_an_action_done_dates_it_and_reopening_clears_the_date():
    action = FollowUpActionFactory()

    services.follow_up_set_status(action=action, status=FollowUpAction.Status.DONE)
    action.refresh_from_db()
    assert action.completed_on == datetime.date.today()

    services.follow_up_set_status(action=action, status=FollowUpAction.Status.IN_PROGRESS)
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("in_progress", None)


def test_an_action_cannot_be_completed_in_the_future():
    with pytest.raises(ValidationError):
        services.follow_up_set_status(
            action=FollowUpActionFactory(),
            status="done",
            completed_on=datetime.date.today() + datetime.timedelta(days=1),
        )


def test_open_actions_are_carried_into_one_review_item_of_the_next_meeting(workshop, meeting):
    workshop.feeds_into.add(meeting)
    AgendaItem.objects.create(event=meeting, order=1, title="Opening")
    open_action = FollowUpActionFactory(event=workshop)
    FollowUpActionFactory(event=workshop, status="done", completed_on=MEETING_DAY)

    item = services.follow_ups_carry_forward(event=workshop)

    assert (item.event, item.order, item.title) == (meeting, 2, services.FOLLOW_UP_REVIEW_TITLE)
    assert list(item.carried_follow_ups.all()) == [open_action]


def test_carrying_forward_twice_creates_one_review_item(workshop, meeting):
    FollowUpActionFactory(event=workshop)
    services.follow_ups_carry_forward(event=workshop, to_event=meeting)
    FollowUpActionFactory(event=workshop)

    services.follow_ups_carry_forward(event=workshop, to_event=meeting)

    assert meeting.agenda_items.count() == 1
    assert meeting.agenda_items.get().carried_follow_ups.count() == 2


def test_carrying_forward_refreshes_the_cached_workshop_figures(workshop, meeting):
    FollowUpActionFactory(event=workshop)
    services.follow_ups_carry_forward(event=workshop, to_event=meeting)
    FollowUpActionFactory(event=workshop)
    times: list[int] = []

    def figures() -> int:
        return cached_aggregate(
            ["workshops"], "test:figures", lambda: times.append(1) or len(times)
        )

    figures()

    # The review item exists: only a bulk update, past the model signals.
    services.follow_ups_carry_forward(event=workshop, to_event=meeting)

    assert figures() == 2


def test_an_overdue_action_carried_twice_reaches_the_next_meeting(workshop, meeting):
    action = FollowUpActionFactory(event=workshop, due_date=datetime.date(2023, 1, 31))
    services.follow_ups_carry_forward(event=workshop, to_event=meeting)
    may = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))
    services.follow_ups_carry_forward(event=meeting, to_event=may)
    november = GCGMeetingEventFactory(start_date=datetime.date(2023, 11, 20))
    later = GCGMeetingEventFactory(start_date=datetime.date(2024, 5, 14))

    # November's carry-forward was never run: the action still sits in May's review item.
    item = services.follow_ups_carry_forward(event=november, to_event=later)
    services.follow_ups_carry_forward(event=november, to_event=later)

    action.refresh_from_db()
    assert action.is_overdue
    assert action.carried_to == item
    assert item.event == later
    assert list(item.carried_follow_ups.all()) == [action]
    assert AgendaItem.objects.filter(event=later).count() == 1


def test_a_meeting_recorded_late_still_reviews_actions_carried_beyond_it(workshop, meeting):
    action = FollowUpActionFactory(event=workshop, due_date=datetime.date(2023, 1, 31))
    far = GCGMeetingEventFactory(start_date=datetime.date(2024, 5, 14))
    services.follow_ups_carry_forward(event=workshop, to_event=far)
    # A meeting held before `far` is recorded afterwards: it is the body's next meeting.
    sooner = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))

    item = services.follow_ups_carry_forward(event=meeting, to_event=sooner)

    action.refresh_from_db()
    assert action.carried_to == item
    assert item.event == sooner


def test_done_actions_and_actions_of_other_bodies_are_not_carried(workshop, meeting):
    FollowUpActionFactory(
        event=meeting, status=FollowUpAction.Status.DONE, completed_on=MEETING_DAY
    )
    webinar = EventFactory(kind=Event.Kind.WEBINAR, start_date=datetime.date(2023, 2, 1))
    FollowUpActionFactory(event=webinar)
    later = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))

    assert services.follow_ups_carry_forward(event=meeting, to_event=later) is None


def test_without_a_later_meeting_nothing_is_carried(workshop):
    FollowUpActionFactory(event=workshop)

    assert services.follow_ups_carry_forward(event=workshop) is None


def test_actions_cannot_be_carried_into_an_earlier_meeting(workshop):
    FollowUpActionFactory(event=workshop)
    earlier = EventFactory(start_date=datetime.date(2022, 1, 1))

    with pytest.raises(ValidationError):
        services.follow_ups_carry_forward(event=workshop, to_event=earlier)


def test_the_refusal_of_an_early_meeting_writes_the_event_date_as_a_date(output, secretariat):
    earlier = GCGMeetingEventFactory(start_date=datetime.date(2022, 5, 1))

    with pytest.raises(ValidationError) as refused:
        services.output_adopt(
            output=output, meeting=earlier, adopted_on=earlier.start_date, by=secretariat
        )

    assert "(Dec. 6, 2022)" in refused.value.message_dict["meeting"][0]


def test_a_gcg_meetings_actions_are_not_carried_into_another_kind_of_event(meeting):
    FollowUpActionFactory(event=meeting)
    webinar = EventFactory(kind=Event.Kind.WEBINAR, start_date=datetime.date(2023, 2, 1))

    with pytest.raises(ValidationError) as refused:
        services.follow_ups_carry_forward(event=meeting, to_event=webinar)

    assert "reviewed at a later GCG meeting" in str(refused.value.message_dict["to_event"])
    assert not AgendaItem.objects.filter(event=webinar).exists()


def test_only_later_gcg_meetings_review_a_gcg_meetings_actions(meeting):
    EventFactory(kind=Event.Kind.WEBINAR, start_date=datetime.date(2023, 2, 1))
    EventFactory(kind=Event.Kind.REGIONAL_CONSULTATION, start_date=datetime.date(2023, 3, 1))
    GCGMeetingEventFactory(start_date=datetime.date(2022, 5, 1))
    next_one = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))

    assert list(services.meetings_reviewing_actions(meeting)) == [next_one]
    assert services.next_meeting_after(meeting) == next_one


def test_the_next_meeting_defaults_to_the_next_gcg_meeting(workshop, meeting):
    EventFactory(kind=Event.Kind.WEBINAR, start_date=MEETING_DAY)
    EventFactory(start_date=datetime.date(2023, 5, 1))

    assert services.next_meeting_after(workshop) == meeting


# --- Documents -----------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def office_file(kind: str) -> bytes:
    """A minimal DOCX or PPTX: the zip entries filetype looks for."""
    folder = {"docx": "word", "pptx": "ppt"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def xlsx_file() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("concept-note.pdf", PDF, "application/pdf"),
        (
            "agenda.docx",
            office_file("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "budget.xlsx",
            xlsx_file(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "slides.pptx",
            office_file("pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("photo.png", PNG, "image/png"),
    ],
)
def test_accepted_documents_are_stored_with_their_detected_type(
    workshop, secretariat, settings, tmp_path, name, content, mime
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content, "application/octet-stream")

    document = services.document_upload(
        event=workshop, kind="report", title="Report", upload=upload, by=secretariat
    )

    assert (document.content_type, document.size) == (mime, len(content))
    assert document.file.name.startswith(f"workshops/events/{workshop.pk}/")


def test_a_file_that_is_not_a_document_is_refused_whatever_its_name(workshop, secretariat):
    upload = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable", "application/pdf")

    with pytest.raises(ValidationError) as error:
        services.document_upload(
            event=workshop, kind="report", title="X", upload=upload, by=secretariat
        )
    assert [e.code for e in error.value.error_dict["file"]] == ["file_type"]
    assert not EventDocument.objects.exists()


def test_a_file_whose_name_lies_about_its_content_is_refused(workshop, secretariat):
    upload = SimpleUploadedFile("slides.pptx", PDF, "application/pdf")

    with pytest.raises(ValidationError) as error:
        DOCUMENT_UPLOAD.check(upload)
    assert error.value.code == "extension"


def test_a_file_over_20_mb_is_refused(secretariat):
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (20 * 1024 * 1024), "application/pdf")

    with pytest.raises(ValidationError) as error:
        DOCUMENT_UPLOAD.check(upload)
    assert error.value.code == "too_large"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        DOCUMENT_UPLOAD.check(SimpleUploadedFile("empty.pdf", b"", "application/pdf"))
    assert error.value.code == "empty"


# --- Minutes -------------------------------------------------------------------------------


def test_minutes_are_drafted_circulated_then_approved_at_a_later_meeting(meeting, secretariat):
    minutes = services.minutes_save_draft(event=meeting, text="Draft.", by=secretariat)
    services.minutes_circulate(minutes=minutes, on=datetime.date(2022, 12, 20))
    later = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))

    services.minutes_approve(
        minutes=minutes, meeting=later, approved_on=later.start_date, by=secretariat
    )

    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_at, minutes.approved_on) == (
        Minutes.Status.APPROVED,
        later,
        later.start_date,
    )
    assert minutes.approval_recorded_by == secretariat


def test_gcg_minutes_cannot_be_approved_at_an_event_of_another_body(meeting, secretariat):
    minutes = MinutesFactory(event=meeting, status="circulated", circulated_on=MEETING_DAY)
    exchange = EventFactory(
        kind=Event.Kind.REGIONAL_CONSULTATION, start_date=datetime.date(2023, 3, 1)
    )

    with pytest.raises(ValidationError) as error:
        services.minutes_approve(
            minutes=minutes, meeting=exchange, approved_on=exchange.start_date, by=secretariat
        )
    assert "later meeting of the same body" in error.value.message_dict["meeting"][0]
    minutes.status, minutes.approved_at, minutes.approved_on = (
        "approved",
        exchange,
        exchange.start_date,
    )
    with pytest.raises(ValidationError) as error:
        minutes.full_clean()
    assert "later meeting of the same body" in error.value.message_dict["approved_at"][0]


def test_the_meetings_offered_for_approval_are_later_gcg_meetings(meeting):
    later = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))
    EventFactory(kind=Event.Kind.REGIONAL_CONSULTATION, start_date=datetime.date(2023, 3, 1))
    GCGMeetingEventFactory(start_date=datetime.date(2022, 6, 1))

    assert list(services.meetings_approving_minutes(meeting)) == [later]


def test_minutes_cannot_be_approved_at_their_own_meeting(meeting, secretariat):
    minutes = MinutesFactory(event=meeting, status="circulated", circulated_on=MEETING_DAY)

    with pytest.raises(ValidationError) as error:
        services.minutes_approve(
            minutes=minutes, meeting=meeting, approved_on=MEETING_DAY, by=secretariat
        )
    assert "meeting" in error.value.message_dict


def test_draft_minutes_cannot_be_approved(meeting, secretariat):
    minutes = MinutesFactory(event=meeting)
    later = EventFactory(start_date=datetime.date(2023, 5, 16))

    with pytest.raises(ValidationError):
        services.minutes_approve(
            minutes=minutes, meeting=later, approved_on=later.start_date, by=secretariat
        )


def test_circulated_minutes_are_no_longer_edited(meeting, secretariat):
    MinutesFactory(event=meeting, status="circulated", circulated_on=MEETING_DAY)

    with pytest.raises(ValidationError):
        services.minutes_save_draft(event=meeting, text="Changed.", by=secretariat)


def test_minutes_of_a_planned_event_cannot_be_circulated(secretariat):
    event = EventFactory(status=Event.Status.PLANNED)
    minutes = MinutesFactory(event=event)

    with pytest.raises(ValidationError):
        services.minutes_circulate(minutes=minutes)
