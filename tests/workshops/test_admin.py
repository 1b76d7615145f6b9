import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.models import GCGMeeting, OfficeHolder
from tests.factories import OrganisationFactory
from tests.workshops.factories import (
    AgendaItemFactory,
    CoLeadFactory,
    EventFactory,
    FollowUpActionFactory,
    GCGMeetingEventFactory,
    MinutesFactory,
    OutputFactory,
    ParticipantFactory,
)
from tests.workshops.test_services import PDF, PNG
from workshops import services
from workshops.models import Event, EventDocument

pytestmark = pytest.mark.django_db

MODELS = [
    "event",
    "agendaitem",
    "output",
    "followupaction",
    "participant",
    "minutes",
    "eventdocument",
]


@pytest.mark.parametrize("model", MODELS)
def test_the_secretariat_opens_every_workshops_admin_list(client_for, secretariat, model):
    item = AgendaItemFactory()
    CoLeadFactory(agenda_item=item)
    OutputFactory(event=item.event, agenda_item=item)
    FollowUpActionFactory(event=item.event)
    ParticipantFactory(event=item.event, name="Guest")
    MinutesFactory(event=item.event)

    response = client_for(secretariat).get(reverse(f"admin:workshops_{model}_changelist"))

    assert response.status_code == 200


def test_the_event_page_links_to_the_participants_of_that_event_in_the_admin(
    client_for, secretariat
):
    participant = ParticipantFactory(name="Guest of this event")
    ParticipantFactory(name="Guest elsewhere")
    url = reverse("admin:workshops_participant_changelist")

    response = client_for(secretariat).get(f"{url}?event__id__exact={participant.event_id}")

    html = response.content.decode()
    assert "Guest of this event" in html and "Guest elsewhere" not in html


def test_the_event_admin_page_opens_with_its_inlines(client_for, secretariat):
    item = AgendaItemFactory()

    response = client_for(secretariat).get(
        reverse("admin:workshops_event_change", args=[item.event_id])
    )

    assert response.status_code == 200
    assert item.title in response.content.decode()


# --- Files replaced in the admin pass the same checks as uploads on the event page --------


@pytest.fixture
def stored_document(settings, tmp_path, secretariat):
    settings.MEDIA_ROOT = tmp_path
    return services.document_upload(
        event=EventFactory(),
        kind="report",
        title="Report",
        upload=SimpleUploadedFile("report.pdf", PDF),
        by=secretariat,
    )


def replace_file(client, document, upload):
    return client.post(
        reverse("admin:workshops_eventdocument_change", args=[document.pk]),
        {
            "event": document.event_id,
            "kind": document.kind,
            "title": document.title,
            "file": upload,
        },
    )


def test_an_html_file_named_pdf_is_refused_in_the_admin_next_to_the_file(
    client_for, secretariat, stored_document
):
    upload = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")

    response = replace_file(client_for(secretariat), stored_document, upload)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert "This kind of file is not accepted (its content was checked)" in errors[0]
    stored = EventDocument.objects.get()
    assert (stored.file.name, stored.content_type) == (stored_document.file.name, "application/pdf")
    assert stored.file.read() == PDF


def test_an_oversize_file_is_refused_in_the_admin_next_to_the_file(
    client_for, secretariat, stored_document
):
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (20 * 1024 * 1024))

    response = replace_file(client_for(secretariat), stored_document, upload)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert "more than the 20\xa0MB accepted here" in errors[0]
    assert EventDocument.objects.get().size == len(PDF)


def test_a_file_replaced_in_the_admin_is_stored_with_its_detected_type_and_size(
    client_for, secretariat, stored_document
):
    response = replace_file(
        client_for(secretariat), stored_document, SimpleUploadedFile("photo.png", PNG)
    )

    assert response.status_code == 302
    stored = EventDocument.objects.get()
    assert (stored.content_type, stored.size) == ("image/png", len(PNG))
    assert stored.file.name.endswith(".png")


def test_the_admins_link_to_a_stored_file_opens_it_through_the_download_page(
    client_for, secretariat, stored_document
):
    client = client_for(secretariat)
    page = client.get(
        reverse("admin:workshops_eventdocument_change", args=[stored_document.pk])
    ).content.decode()

    link = reverse("workshops:document_download", args=[stored_document.pk])
    assert f'href="{link}"' in page
    assert "/media/" not in page
    assert b"".join(client.get(link).streaming_content) == PDF


def test_the_admin_says_which_files_it_takes_and_how_large(
    client_for, secretariat, stored_document
):
    response = client_for(secretariat).get(
        reverse("admin:workshops_eventdocument_change", args=[stored_document.pk])
    )

    html = response.content.decode()
    assert "PDF, DOCX, XLSX, PPTX, PNG, JPEG, GIF or WebP; at most 20\xa0MB." in html
    assert f'data-max-bytes="{20 * 1024 * 1024}"' in html


# --- The GCG's rules hold in the admin too ----------------------------------------------------


def test_the_admin_refuses_an_output_adopted_at_an_event_that_is_not_a_gcg_meeting(
    client_for, secretariat
):
    output = OutputFactory(event=EventFactory(start_date=datetime.date(2022, 12, 6)))
    exchange = EventFactory(
        kind=Event.Kind.REGIONAL_CONSULTATION, start_date=datetime.date(2023, 3, 1)
    )

    response = client_for(secretariat).post(
        reverse("admin:workshops_output_change", args=[output.pk]),
        {
            "event": output.event_id,
            "kind": output.kind,
            "title_en": output.title,
            "text_en": output.text,
            "status": "adopted",
            "decided_at": exchange.pk,
            "decided_on": "2023-03-01",
        },
    )

    assert response.status_code == 200
    assert "Outputs are adopted, rejected or deferred only at a GCG meeting" in (
        response.content.decode()
    )
    output.refresh_from_db()
    assert output.status == "proposed"


def test_the_admin_refuses_an_output_adopted_ahead_of_its_gcg_meeting(client_for, secretariat):
    output = OutputFactory(event=EventFactory(start_date=datetime.date(2026, 11, 15)))
    ahead = timezone.localdate() + datetime.timedelta(days=45)
    next_meeting = GCGMeetingEventFactory(start_date=ahead, end_date=ahead)

    response = client_for(secretariat).post(
        reverse("admin:workshops_output_change", args=[output.pk]),
        {
            "event": output.event_id,
            "kind": output.kind,
            "title_en": output.title,
            "text_en": output.text,
            "status": "adopted",
            "decided_at": next_meeting.pk,
            "decided_on": ahead.isoformat(),
        },
    )

    assert response.status_code == 200
    assert "A decision cannot be recorded in advance." in response.content.decode()
    output.refresh_from_db()
    assert output.status == "proposed"


def test_the_admin_refuses_gcg_minutes_approved_at_another_body(client_for, secretariat):
    meeting = GCGMeetingEventFactory(start_date=datetime.date(2022, 12, 8))
    minutes = MinutesFactory(event=meeting, status="circulated", circulated_on=meeting.start_date)
    exchange = EventFactory(
        kind=Event.Kind.REGIONAL_CONSULTATION, start_date=datetime.date(2023, 3, 1)
    )

    response = client_for(secretariat).post(
        reverse("admin:workshops_minutes_change", args=[minutes.pk]),
        {
            "event": meeting.pk,
            "text": minutes.text,
            "status": "approved",
            "circulated_on": "2022-12-08",
            "approved_at": exchange.pk,
            "approved_on": "2023-03-01",
        },
    )

    assert response.status_code == 200
    assert "later meeting of the same body" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == "circulated"


def _event_form(event_data: dict) -> dict:
    data = {
        "kind": "gcg_meeting",
        "title_en": "21st meeting of the GCG",
        "start_date": "2026-11-20",
        "end_date": "2026-11-20",
        "status": "held",
        **event_data,
    }
    for prefix in ("objectives", "agenda_items", "documents"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_a_gcg_meeting_is_added_as_an_event_carrying_its_number(client_for, secretariat):
    client = client_for(secretariat)

    refused = client.post(reverse("admin:workshops_event_add"), _event_form({}))
    added = client.post(reverse("admin:workshops_event_add"), _event_form({"gcg_number": "21"}))

    assert "A GCG meeting carries its GCG meeting number." in refused.content.decode()
    assert added.status_code == 302
    event = Event.objects.get()
    assert (event.gcg_meeting.number, event.gcg_meeting.date) == (21, datetime.date(2026, 11, 20))


def test_a_gcg_meeting_number_cannot_be_given_twice(client_for, secretariat):
    GCGMeetingEventFactory(title="The first", gcg_meeting__number=21)

    response = client_for(secretariat).post(
        reverse("admin:workshops_event_add"), _event_form({"gcg_number": "21"})
    )

    assert "GCG meeting 21 is already recorded (The first)." in response.content.decode()
    assert Event.objects.count() == 1


def _meetings_20_and_22():
    GCGMeetingEventFactory(
        title="20th", start_date=datetime.date(2026, 5, 12), gcg_meeting__number=20
    )
    GCGMeetingEventFactory(
        title="22nd", start_date=datetime.date(2027, 5, 11), gcg_meeting__number=22
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            "2026-05-01",
            "meeting 20 was held on May 12, 2026, so meeting 21 is held after that date",
        ),
        (
            "2027-06-01",
            "meeting 22 is held on May 11, 2027, so meeting 21 is held before that date",
        ),
    ],
)
def test_the_admin_refuses_a_gcg_meeting_number_out_of_date_order_beside_it(
    client_for, secretariat, day, message
):
    _meetings_20_and_22()

    response = client_for(secretariat).post(
        reverse("admin:workshops_event_add"),
        _event_form({"gcg_number": "21", "start_date": day, "end_date": day}),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "numbered in the order they are held" in str(errors["gcg_number"])
    assert message in str(errors["gcg_number"])
    assert Event.objects.count() == 2


def test_moving_a_gcg_meeting_past_the_next_one_is_refused(client_for, secretariat):
    _meetings_20_and_22()
    event = Event.objects.get(title="20th")

    response = client_for(secretariat).post(
        reverse("admin:workshops_event_change", args=[event.pk]),
        _event_form(
            {
                "title_en": "20th",
                "gcg_number": "20",
                "start_date": "2027-06-01",
                "end_date": "2027-06-01",
            }
        ),
    )

    assert "numbered in the order they are held" in str(
        response.context["adminform"].form.errors["gcg_number"]
    )
    event.refresh_from_db()
    assert event.start_date == datetime.date(2026, 5, 12)


def test_a_gcg_meeting_is_saved_with_its_event_as_one_record(client_for, secretariat):
    _meetings_20_and_22()

    response = client_for(secretariat).post(
        reverse("admin:workshops_event_add"),
        _event_form({"gcg_number": "21", "start_date": "2026-11-20"}),
    )

    assert response.status_code == 302
    meeting = GCGMeeting.objects.get(number=21)
    assert (meeting.event.title, meeting.date) == (
        "21st meeting of the GCG",
        datetime.date(2026, 11, 20),
    )


# --- Co-leads named by an office are checked against the office-holder records -------------


@pytest.fixture
def deputy_chair_argentina():
    argentina = OrganisationFactory(name="Argentina", acronym="", kind="government")
    OfficeHolder.objects.create(
        office="deputy_chair",
        organisation=argentina,
        term_start=datetime.date(2020, 6, 1),
        term_end=datetime.date(2023, 5, 31),
    )
    return argentina


def _item_form(item, co_lead: dict) -> dict:
    return {
        "event": item.event_id,
        "order": item.order,
        "title_en": item.title,
        "co_leads-TOTAL_FORMS": "1",
        "co_leads-INITIAL_FORMS": "0",
        **{f"co_leads-0-{name}": value for name, value in co_lead.items()},
    }


def test_an_office_co_lead_takes_its_holder_from_the_records(
    client_for, secretariat, deputy_chair_argentina
):
    item = AgendaItemFactory(event=EventFactory(start_date=datetime.date(2022, 12, 6)))

    response = client_for(secretariat).post(
        reverse("admin:workshops_agendaitem_change", args=[item.pk]),
        _item_form(item, {"order": "1", "kind": "office", "role": "deputy_chair"}),
    )

    assert response.status_code == 302
    assert item.co_leads.get().holder_organisation == deputy_chair_argentina


def test_an_office_co_lead_that_contradicts_the_records_is_warned_about(
    client_for, secretariat, deputy_chair_argentina
):
    item = AgendaItemFactory(event=EventFactory(start_date=datetime.date(2022, 12, 6)))
    chile = OrganisationFactory(name="Chile", acronym="", kind="government")

    response = client_for(secretariat).post(
        reverse("admin:workshops_agendaitem_change", args=[item.pk]),
        _item_form(
            item,
            {
                "order": "1",
                "kind": "office",
                "role": "deputy_chair",
                "holder_organisation": chile.pk,
            },
        ),
        follow=True,
    )

    assert "the Deputy Chair on that date was Argentina" in response.content.decode()
    assert item.co_leads.get().holder_organisation == chile  # kept as entered, and flagged
