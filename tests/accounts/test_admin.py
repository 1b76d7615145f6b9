import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from alliance87.accounts import roles
from alliance87.accounts.models import User
from tests.factories import CountryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_persons_history_shows_the_values_before_and_after_a_change(client_for, secretariat):
    person = UserFactory(email="person@example.org", first_name="Ana")
    person.first_name = "Ana María"
    person.save()
    url = reverse("admin:accounts_user_history", args=[person.pk])
    page = client_for(secretariat).get(url).content.decode()
    assert "Ana" in page and "Ana María" in page


def test_a_role_given_is_recorded_in_the_persons_history():
    person = UserFactory(email="person@example.org")
    entries = person.history.count()
    person.groups.add(Group.objects.get(name=roles.GCG_MEMBER))
    assert person.history.count() == entries + 1
    assert [g.group.name for g in person.history.first().groups.all()] == [roles.GCG_MEMBER]


def test_the_history_keeps_no_password_and_signing_in_adds_no_entry(client):
    person = UserFactory(email="person@example.org")
    entries = person.history.count()
    client.force_login(person)
    person.set_password("a new passphrase for the test")
    person.save(update_fields=["password"])
    assert person.history.count() == entries
    assert "password" not in {f.name for f in User.history.model._meta.fields}


def test_an_old_version_of_a_person_cannot_be_restored(client_for, secretariat):
    person = UserFactory(email="person@example.org", password="the person's own passphrase")
    record = person.history.first()
    url = reverse("admin:accounts_user_simple_history", args=[person.pk, record.history_id])
    client = client_for(secretariat)
    assert client.get(url).status_code == 200
    assert client.post(url, {"email": "person@example.org"}).status_code == 403
    person.refresh_from_db()
    assert person.check_password("the person's own passphrase")


def test_saving_a_person_in_the_admin_changes_only_what_was_typed(client_for, secretariat):
    person = UserFactory(email="person@example.org", first_name="Ana", last_name="Pérez")
    joined = person.date_joined
    page = client_for(secretariat).get(reverse("admin:accounts_user_change", args=[person.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    } | {"last_name": "Pérez-Soto", "groups": [], "language": person.language}
    data |= {
        "focal_point_assignments-TOTAL_FORMS": "0",
        "focal_point_assignments-INITIAL_FORMS": "0",
    }

    response = client_for(secretariat).post(
        reverse("admin:accounts_user_change", args=[person.pk]), data
    )
    assert response.status_code == 302

    person.refresh_from_db()
    assert person.last_name == "Pérez-Soto"
    assert person.date_joined == joined  # to the microsecond
    latest = person.history.first()
    changed = {change.field for change in latest.diff_against(latest.prev_record).changes}
    assert changed == {"last_name"}


def test_the_admin_names_the_time_zone_its_times_are_in(client_for, secretariat):
    secretariat.time_zone = "Europe/Paris"
    secretariat.save()

    page = client_for(secretariat).get(reverse("admin:index")).content.decode()

    assert "Times in France" in page


def test_the_admin_offers_the_time_zones_as_a_select_box(client_for, secretariat):
    url = reverse("admin:accounts_user_change", args=[secretariat.pk])

    page = client_for(secretariat).get(url).content.decode()

    assert '<select name="time_zone"' in page and '<optgroup label="Europe">' in page


def test_the_admin_s_search_and_second_factors_read_in_the_reader_s_language(
    client_for, secretariat
):
    secretariat.language = "fr"
    secretariat.save()
    client = client_for(secretariat)

    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    factors = client.get(reverse("admin:mfa_authenticator_changelist")).content.decode()

    assert 'alt="Rechercher"' in users and 'alt="Search"' not in users
    assert "Créé le" in factors and "Created at" not in factors
    assert "Utilisé pour la dernière fois le" in factors


def test_the_admin_s_country_list_names_each_zone_in_the_reader_s_language(client_for, secretariat):
    CountryFactory(iso_code="FJ", name="Fiji", time_zone="Pacific/Fiji")
    secretariat.language = "es"
    secretariat.save()

    page = client_for(secretariat).get(reverse("admin:alliance87_country_changelist"))

    assert '<td class="field-zone">Fiyi</td>' in page.content.decode()
