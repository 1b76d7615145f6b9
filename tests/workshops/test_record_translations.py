"""An event's texts in the reader's language, the English marked lang="en" where no
translation is entered yet."""

from django.urls import reverse
from django.utils import translation

from workshops import services
from workshops.models import AgendaItem, Output

from .factories import EventFactory


def _event():
    event = EventFactory(title="Strategy workshop", purpose="Discuss the strategy.", is_public=True)
    event.__class__.objects.filter(pk=event.pk).update(title_es="Taller estratégico")
    item = AgendaItem.objects.create(event=event, order=1, title="Vision and progress")
    AgendaItem.objects.filter(pk=item.pk).update(
        title_es="Visión y avances", description_en="Vision.", description_es="Visión."
    )
    Output.objects.create(event=event, agenda_item=item, kind="analysis", title="Gaps", text="X")
    return event


def reading_in(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_the_event_page_in_spanish_shows_the_spanish_agenda(client_for, secretariat):
    event = _event()

    page = (
        client_for(reading_in(secretariat, "es"))
        .get(reverse("workshops:event_detail", args=[event.pk]))
        .content.decode()
    )

    assert "<h1>Taller estratégico</h1>" in page
    assert '<h3 class="agenda-item__title">Visión y avances</h3>' in page
    assert "Vision and progress" not in page
    assert '<div lang="en"><p>Discuss the strategy.</p></div>' in page
    assert '<span lang="en">Gaps</span>' in page


def test_the_event_page_in_english_shows_english_unmarked(client_for, secretariat):
    event = _event()

    page = (
        client_for(secretariat)
        .get(reverse("workshops:event_detail", args=[event.pk]))
        .content.decode()
    )

    assert "<h1>Strategy workshop</h1>" in page
    assert '<h3 class="agenda-item__title">Vision and progress</h3>' in page
    assert 'lang="en"><' not in page.split("<body", 1)[1]


def test_an_output_recorded_by_a_french_reader_is_recorded_in_english(db):
    event = EventFactory()

    with translation.override("fr"):
        output = services.output_record(event=event, kind="analysis", title="Gaps", text="X")

    output.refresh_from_db()
    assert (output.title_en, output.title_fr) == ("Gaps", None)
