import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workshops.factories import EventFactory, GCGMeetingEventFactory, OutputFactory
from tests.workshops.test_services import PDF
from workshops.forms import CarryForwardForm, DocumentForm, OutputDecisionForm
from workshops.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def output():
    workshop = EventFactory(
        start_date=datetime.date(2022, 12, 6), end_date=datetime.date(2022, 12, 7)
    )
    return OutputFactory(event=workshop)


def test_the_decision_form_suggests_the_first_meeting_after_the_event(output):
    meeting = GCGMeetingEventFactory(title="GCG", start_date=datetime.date(2022, 12, 8))
    GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))

    form = OutputDecisionForm(output=output)

    assert form.initial["meeting"] == meeting
    assert form.initial["decided_on"] == datetime.date(2022, 12, 8)


def test_a_deferred_output_suggests_the_meeting_after_the_deferral(output):
    first = GCGMeetingEventFactory(start_date=datetime.date(2022, 12, 8))
    later = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))
    output.status, output.decided_at, output.decided_on = "deferred", first, first.start_date

    assert OutputDecisionForm(output=output).initial["meeting"] == later


def test_only_gcg_meetings_are_offered_to_decide_an_output(output):
    gcg = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))
    EventFactory(kind=Event.Kind.REGIONAL_CONSULTATION, start_date=datetime.date(2023, 3, 1))

    assert list(OutputDecisionForm(output=output).fields["meeting"].offered) == [gcg]


def test_the_decision_form_says_why_no_meeting_is_offered(output):
    EventFactory(kind=Event.Kind.REGIONAL_CONSULTATION, start_date=datetime.date(2023, 3, 1))

    field = OutputDecisionForm(output=output).fields["meeting"]

    assert not field.offered.exists()
    assert "No GCG meeting has been held since 6 December 2022" in field.help_text


def test_cancelled_and_future_meetings_cannot_be_chosen(output):
    cancelled = EventFactory(start_date=datetime.date(2022, 12, 9), status=Event.Status.CANCELLED)
    future = EventFactory(start_date=datetime.date.today() + datetime.timedelta(days=3))

    choices = set(OutputDecisionForm(output=output).fields["meeting"].offered)

    assert cancelled not in choices and future not in choices


def test_only_an_adopted_output_becomes_a_gcg_decision(output):
    form = OutputDecisionForm(
        {
            "decision": "reject",
            "meeting": output.event.pk,
            "decided_on": "2022-12-06",
            "create_decision": "on",
        },
        output=output,
    )

    assert not form.is_valid()
    assert form.non_field_errors() == ["Only an adopted output becomes a GCG decision."]


def test_the_document_form_puts_a_size_error_next_to_the_file():
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (20 * 1024 * 1024 + 1))

    form = DocumentForm({"kind": "report", "title": "Big"}, {"file": big})

    assert not form.is_valid()
    assert "more than the 20\xa0MB accepted here" in form.errors["file"][0]


def test_the_document_form_tells_which_types_are_accepted():
    form = DocumentForm()

    assert "PDF, DOCX, XLSX, PPTX" in str(form.fields["file"].help_text)
    assert form.fields["file"].widget.attrs["accept"].startswith(".pdf,")


def test_the_carry_forward_form_offers_only_later_gcg_meetings_from_a_gcg_meeting():
    meeting = GCGMeetingEventFactory(start_date=datetime.date(2022, 12, 8))
    EventFactory(kind=Event.Kind.REGIONAL_CONSULTATION, start_date=datetime.date(2023, 3, 1))
    next_one = GCGMeetingEventFactory(start_date=datetime.date(2023, 5, 16))

    field = CarryForwardForm(event=meeting).fields["to_event"]

    assert list(field.offered) == [next_one]
    assert field.help_text == "Only later GCG meetings are offered."


def test_the_carry_forward_form_says_why_no_meeting_is_offered():
    meeting = GCGMeetingEventFactory(start_date=datetime.date(2022, 12, 8))
    EventFactory(kind=Event.Kind.REGIONAL_CONSULTATION, start_date=datetime.date(2023, 3, 1))

    field = CarryForwardForm(event=meeting).fields["to_event"]

    assert not field.offered.exists()
    assert "No later GCG meeting is recorded yet" in field.help_text
