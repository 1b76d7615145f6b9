"""A group's name, purpose and terms of reference in the reader's language: the Secretariat
enters the French and Spanish beside the English in the admin; pages show the reader's, or the
English marked lang="en" where no translation is entered yet. The portal's proposal form
writes the English, whatever the proposer's language."""

import datetime

from django.urls import reverse

from governance.models import ActionGroup, Constituency, Decision, Seat
from tests.api_clients import token_client

from .factories import DecisionFactory, GroupFactory, MeetingFactory, MembershipFactory


def reading_in(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def _translate(group: ActionGroup, **texts: str) -> None:
    ActionGroup.objects.filter(pk=group.pk).update(**texts)


def _supply_chains() -> tuple[ActionGroup, ActionGroup]:
    """An action group translated into French, and its working group not yet translated."""
    group = GroupFactory(name="Supply Chains", purpose="Due diligence along supply chains.")
    _translate(
        group,
        name_fr="Chaînes d'approvisionnement",
        purpose_fr="Le devoir de diligence tout au long des chaînes.",
    )
    working = GroupFactory(
        name="Supply Chains: Research", kind=ActionGroup.Kind.WORKING_GROUP, parent=group
    )
    return group, working


def _original_column(group: ActionGroup, field: str = "name") -> str:
    """The original column itself (rewrite(False): not the active language's)."""
    rows = ActionGroup.objects.rewrite(False).filter(pk=group.pk)
    return rows.values_list(field, flat=True).get()


def test_a_french_reader_sees_the_groups_list_in_french(client_for, gcg_member):
    _supply_chains()

    page = (
        client_for(reading_in(gcg_member, "fr"))
        .get(reverse("governance:group_list"))
        .content.decode()
    )

    assert ">Chaînes d&#x27;approvisionnement</a>" in page
    assert '<span lang="en">Supply Chains: Research</span></a>' in page
    assert "relevant de Chaînes d&#x27;approvisionnement</span>" in page
    assert ">Supply Chains</a>" not in page


def test_a_french_reader_sees_a_group_page_in_french(client_for, gcg_member):
    group, working = _supply_chains()
    client = client_for(reading_in(gcg_member, "fr"))

    page = client.get(reverse("governance:group_detail", args=[group.pk])).content.decode()
    under = client.get(reverse("governance:group_detail", args=[working.pk])).content.decode()

    assert "<h1>Chaînes d&#x27;approvisionnement</h1>" in page
    assert "<p>Le devoir de diligence tout au long des chaînes.</p>" in page
    assert "Due diligence" not in page
    assert '<span lang="en">Supply Chains: Research</span></a>' in page
    assert '<h1><span lang="en">Supply Chains: Research</span></h1>' in under
    assert '<div lang="en"><p>Joint action on Target 8.7.</p></div>' in under
    assert ">Chaînes d&#x27;approvisionnement</a>" in under


def test_an_english_reader_sees_the_english_unmarked(client_for, gcg_member):
    group, _working = _supply_chains()
    client = client_for(gcg_member)

    listing = client.get(reverse("governance:group_list")).content.decode()
    page = client.get(reverse("governance:group_detail", args=[group.pk])).content.decode()

    assert ">Supply Chains</a>" in listing
    assert "<h1>Supply Chains</h1>" in page
    assert "Chaînes" not in listing + page
    assert 'lang="en"><' not in (listing + page).split("<body", 1)[1]


def test_a_french_reader_finds_a_group_by_its_french_or_its_english_name(client_for, gcg_member):
    _supply_chains()
    client = client_for(reading_in(gcg_member, "fr"))

    def found(words: str) -> list[str]:
        response = client.get(reverse("governance:group_list"), {"q": words})
        return [group.name_en for group in response.context["action_groups"]]

    assert found("chaînes") == ["Supply Chains"]
    assert found("research") == ["Supply Chains: Research"]


def test_the_list_follows_the_names_a_french_reader_sees(client_for, gcg_member):
    for english, french in [("Anti-slavery", "Zones rurales"), ("Zero hunger", "Agriculture")]:
        _translate(GroupFactory(name=english), name_fr=french)

    response = client_for(reading_in(gcg_member, "fr")).get(reverse("governance:group_list"))

    names = [group.name for group in response.context["action_groups"]]
    assert names == ["Agriculture", "Zones rurales"]


def test_a_gcg_meeting_names_the_group_it_closed_in_french(client_for, gcg_member):
    decision = DecisionFactory(
        meeting=MeetingFactory(number=16), number=2, kind=Decision.Kind.CLOSE_GROUP
    )
    group = GroupFactory(
        name="Rural Development", status=ActionGroup.Status.CLOSED, closed_by_decision=decision
    )
    _translate(group, name_fr="Développement rural")

    page = client_for(reading_in(gcg_member, "fr")).get(
        reverse("governance:meeting_detail", args=[16])
    )

    assert "Développement rural" in page.content.decode()


def _proposal(gcg, name: str = "Fisheries") -> dict:
    sponsor = MembershipFactory(seat=gcg["seats"][1]).organisation
    return {
        "name": name,
        "kind": "action_group",
        "purpose": "Forced labour at sea.",
        "terms_of_reference": "Scope and workplan.",
        "sponsors": [gcg["member"].organisation.pk, sponsor.pk],
    }


def test_a_group_proposed_by_a_french_reader_is_recorded_as_the_english(
    client_for, secretariat, gcg
):
    client = client_for(reading_in(secretariat, "fr"))

    response = client.post(reverse("governance:group_propose"), _proposal(gcg))

    group = ActionGroup.objects.get(name_en="Fisheries")
    assert response.status_code == 302
    assert (group.name_fr, group.purpose_en, group.purpose_fr) == (
        None,
        "Forced labour at sea.",
        None,
    )
    assert group.terms_of_reference_en == "Scope and workplan."
    assert _original_column(group) == "Fisheries"


def test_a_french_reader_cannot_propose_a_group_under_a_name_already_taken(
    client_for, secretariat, gcg
):
    _translate(GroupFactory(name="Fisheries"), name_fr="Pêcheries")
    client = client_for(reading_in(secretariat, "fr"))

    response = client.post(reverse("governance:group_propose"), _proposal(gcg))

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ActionGroup.objects.count() == 1


def test_approving_a_group_in_french_keeps_its_english_name_and_history(
    client_for, secretariat, gcg
):
    group = GroupFactory(
        name="Fisheries",
        status=ActionGroup.Status.PROPOSED,
        proposed_on=datetime.date.today() - datetime.timedelta(days=10),
        launched_on=None,
    )
    _translate(group, name_fr="Pêcheries", purpose_fr="Le travail forcé en mer.")
    meeting = MeetingFactory(number=22, date=datetime.date.today())

    client_for(reading_in(secretariat, "fr")).post(
        reverse("governance:group_approve", args=[group.pk]),
        {"approval-meeting": meeting.pk, "approval-text": "Créé."},
    )

    group.refresh_from_db()
    assert group.status == ActionGroup.Status.ACTIVE
    assert (group.name_en, group.name_fr) == ("Fisheries", "Pêcheries")
    assert _original_column(group) == "Fisheries"
    assert _original_column(group, "purpose") == "Joint action on Target 8.7."
    assert group.history.values_list("name", flat=True).first() == "Fisheries"


def test_the_api_answers_in_the_language_asked_and_in_english_by_default(gcg_member):
    group, _working = _supply_chains()
    client = token_client(gcg_member)
    url = f"/api/v1/governance/groups/{group.pk}/"

    english = client.get(url).json()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()

    assert (english["name"], french["name"]) == ("Supply Chains", "Chaînes d'approvisionnement")
    assert french["working_groups"] == ["Supply Chains: Research"]


def test_the_secretariat_enters_a_group_in_three_languages_side_by_side(client_for, secretariat):
    group = GroupFactory(name="Migration")
    url = reverse("admin:governance_actiongroup_change", args=[group.pk])
    client = client_for(reading_in(secretariat, "fr"))
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    for prefix in ("members", "workplans", "activities", "closure_proposals"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    data |= {"name_fr": "Migrations", "name_es": "Migración", "purpose_es": "Acción conjunta."}
    response = client.post(url, data)

    for name in ("name_en", "name_fr", "name_es", "purpose_fr", "terms_of_reference_es"):
        assert f'name="{name}"' in page.content.decode()
    assert response.status_code == 302, response.content.decode()[:2000]
    group.refresh_from_db()
    assert (group.name_en, group.name_fr, group.name_es) == ("Migration", "Migrations", "Migración")
    assert group.purpose_es == "Acción conjunta."
    assert _original_column(group) == "Migration"


def test_the_admin_lists_groups_by_the_names_a_french_secretariat_member_sees(
    client_for, secretariat
):
    for english, french in [("Anti-slavery", "Zones rurales"), ("Zero hunger", "Agriculture")]:
        _translate(GroupFactory(name=english), name_fr=french)
    GroupFactory(name="Migration")

    response = client_for(reading_in(secretariat, "fr")).get(
        reverse("admin:governance_actiongroup_changelist")
    )

    names = [group.name for group in response.context["cl"].result_list]
    assert names == ["Agriculture", "Migration", "Zones rurales"]


def test_the_proposal_form_offers_each_parent_group_in_french_else_in_english_marked(
    client_for, secretariat
):
    translated = GroupFactory(name="Supply Chains", kind=ActionGroup.Kind.ACTION_GROUP)
    _translate(translated, name_fr="Chaînes d'approvisionnement")
    english = GroupFactory(name="Migration", kind=ActionGroup.Kind.ACTION_GROUP)

    page = client_for(reading_in(secretariat, "fr")).get(reverse("governance:group_propose"))
    html = page.content.decode()

    assert f'<option value="{english.pk}" lang="en">Migration</option>' in html
    assert f'<option value="{translated.pk}">Chaînes d&#x27;approvisionnement</option>' in html


def test_the_composition_names_seats_and_constituencies_in_french_or_marks_the_english(
    client_for, gcg_member
):
    translated = MembershipFactory(term_start=datetime.date(2025, 6, 1))
    Seat.objects.filter(pk=translated.seat.pk).update(label_fr="Siège des travailleurs 1")
    Constituency.objects.filter(pk=translated.seat.constituency.pk).update(name_fr="Travailleurs")
    english = MembershipFactory(term_start=datetime.date(2025, 6, 1))
    untranslated_label = Seat.objects.get(pk=english.seat.pk).label

    page = (
        client_for(reading_in(gcg_member, "fr"))
        .get(reverse("governance:composition"))
        .content.decode()
    )

    assert "<td>Siège des travailleurs 1</td>" in page
    assert ">Travailleurs</h2>" in page
    assert f'<td><span lang="en">{untranslated_label}</span></td>' in page
