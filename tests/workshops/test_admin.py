import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.workshops.factories import (
    AgendaItemFactory,
    CoLeadFactory,
    EventFactory,
    FollowUpActionFactory,
    MinutesFactory,
    OutputFactory,
    ParticipantFactory,
)
from tests.workshops.test_services import PDF, PNG
from workshops import services
from workshops.models import EventDocument

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
