"""The demo's framework and its two documented events come in French and Spanish, seeded
idempotently; the API still answers in English unless asked otherwise."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

from alliance87.accounts.models import User
from alliance87.accounts.tokens import api_token_create
from pathfinders.models import Indicator
from workshops.models import AgendaItem, Event, EventObjective, Output

MODELS = (Indicator, Event, EventObjective, AgendaItem, Output)


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def test_seeding_twice_adds_nothing_and_keeps_the_translations(seeded):
    counts = [model.objects.count() for model in MODELS]

    call_command("seed_demo", stdout=StringIO())

    assert [model.objects.count() for model in MODELS] == counts
    indicator = Indicator.objects.filter(code="PR1").first()
    assert indicator.title_fr == "Enfants de 5 à 17 ans astreints au travail des enfants"
    assert indicator.pillar_es == "Prevención y protección"
    workshop = Event.objects.get(title_en="Alliance 8.7 strategy workshop")
    assert workshop.title_es == "Taller estratégico de la Alianza 8.7"
    assert workshop.agenda_items.get(order=1).title_fr == "Vision et progrès"
    assert workshop.outputs.filter(title_fr="Structure révisée du GCM et mécanismes de rotation")
    pacific = Event.objects.get(title_en="Pacific Consultation on Alliance 8.7")
    assert pacific.purpose_es.startswith("Poner fin al trabajo infantil")
    assert not pacific.objectives.filter(text_fr=None).exists()


def test_the_api_answers_in_english_by_default(seeded):
    user = User.objects.get(email="secretariat@alliance87.test")
    _token, plain = api_token_create(user=user, name="test", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plain}")
    workshop = Event.objects.get(title_en="Alliance 8.7 strategy workshop")

    answer = client.get(f"/api/v1/events/{workshop.pk}/").json()

    assert answer["title"] == "Alliance 8.7 strategy workshop"
    assert "Vision and progress" in str(answer)


def test_the_gcg_pages_and_the_workshop_read_their_names_in_french(seeded, client):
    from django.urls import reverse

    from governance.models import Constituency, Seat

    assert Constituency.objects.get(code="workers").name_es == "Organizaciones de trabajadores"
    assert Seat.objects.filter(label_fr="Siège de pays pionnier – Afrique").exists()
    client.force_login(User.objects.get(email="gcg.member@alliance87.test"))
    User.objects.filter(email="gcg.member@alliance87.test").update(language="fr")
    composition = client.get(reverse("governance:composition")).content.decode()
    assert "Représentants des pays pionniers" in composition
    assert "Gouvernements partenaires de développement – siège 1" in composition
    workshop = Event.objects.get(title_en="Alliance 8.7 strategy workshop")
    page = client.get(reverse("workshops:event_detail", args=[workshop.pk])).content.decode()
    assert "Les membres du GCG et les pays pionniers" in page
    assert "Présidence de l&#x27;Alliance (France)" in page or "Présidence de l'Alliance" in page


def test_a_government_is_named_as_its_country_in_the_readers_language(seeded, client):
    from django.urls import reverse

    User.objects.filter(email="gcg.member@alliance87.test").update(language="fr")
    client.force_login(User.objects.get(email="gcg.member@alliance87.test"))
    composition = client.get(reverse("governance:composition")).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "<strong>Pays-Bas</strong>" in dashboard  # the Chair
    assert "Argentine" in composition and ">Argentina<" not in composition
    assert "Free the Slaves" in composition  # an organisation keeps its own name


def test_the_demo_groups_read_in_french_and_spanish(seeded, client):
    from django.urls import reverse

    from governance.models import ActionGroup

    supply = ActionGroup.objects.get(name_en="Supply Chains")
    assert supply.name_es == "Cadenas de suministro"
    assert not ActionGroup.objects.filter(name_fr=None).exists()
    assert not ActionGroup.objects.filter(purpose_es=None).exclude(purpose_en="").exists()
    member = User.objects.get(email="gcg.member@alliance87.test")
    User.objects.filter(pk=member.pk).update(language="fr")
    client.force_login(member)
    listing = client.get(reverse("governance:group_list")).content.decode()
    page = client.get(reverse("governance:group_detail", args=[supply.pk])).content.decode()
    assert ">Migrations\u00a0: recherche et connaissances</a>" in listing
    assert "<h1>Chaînes d&#x27;approvisionnement</h1>" in page
    assert "la traite des êtres humains dans les chaînes" in page
    assert 'lang="en"' not in listing.split("<main", 1)[1].split("</main>", 1)[0]


def test_seeding_with_french_active_still_writes_the_english_originals(db):
    """As after a request in French, which leaves French active in its thread."""
    with translation.override("fr"):
        call_command("seed_demo", stdout=StringIO())

    workshop = Event.objects.get(title_en="Alliance 8.7 strategy workshop")
    assert workshop.title_fr == "Atelier stratégique de l'Alliance 8.7"
    for indicator in Indicator.objects.filter(code="PR1"):  # in each framework version
        assert indicator.title_en == "Children aged 5-17 in child labour"
        assert indicator.title_fr == "Enfants de 5 à 17 ans astreints au travail des enfants"
