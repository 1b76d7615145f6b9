import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from governance import models

from .factories import (
    ClosureProposalFactory,
    DecisionFactory,
    EngagementFactory,
    MeetingFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

GOVERNANCE_MODELS = [
    m
    for m in vars(models).values()
    if isinstance(m, type)
    and issubclass(m, models.models.Model)
    and m._meta.app_label == "governance"
    and not m.__name__.startswith("Historical")
]


def test_every_governance_model_is_in_the_admin():
    assert {m for m in GOVERNANCE_MODELS if not m._meta.abstract} <= set(admin.site._registry)


@pytest.mark.parametrize("model", GOVERNANCE_MODELS, ids=lambda m: m.__name__)
def test_the_secretariat_opens_every_changelist_and_search(client_for, secretariat, model):
    MembershipFactory()
    EngagementFactory()
    ClosureProposalFactory()
    opts = model._meta
    client = client_for(secretariat)
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "a"}).status_code == 200


def test_the_secretariat_sees_a_membership_history(client_for, secretariat):
    membership = MembershipFactory()
    url = reverse("admin:governance_membership_history", args=[membership.pk])
    assert client_for(secretariat).get(url).status_code == 200


def test_seat_rules_are_editable_in_the_admin(client_for, secretariat):
    constituency = MembershipFactory().constituency
    url = reverse("admin:governance_constituency_change", args=[constituency.pk])
    assert client_for(secretariat).get(url).status_code == 200


def test_a_membership_history_shows_the_values_before_and_after_a_change(client_for, secretariat):
    membership = MembershipFactory(
        term_start=datetime.date(2025, 6, 1), term_end=datetime.date(2028, 5, 31)
    )
    membership.term_end = datetime.date(2027, 5, 31)
    membership.save()
    url = reverse("admin:governance_membership_history", args=[membership.pk])
    page = client_for(secretariat).get(url).content.decode()
    assert "2028-05-31" in page and "2027-05-31" in page


def test_a_change_made_by_no_one_signed_in_reads_system_in_the_admin_history(
    client_for, secretariat
):
    membership = MembershipFactory()  # saved outside a request: no history user
    url = reverse("admin:governance_membership_history", args=[membership.pk])

    page = client_for(secretariat).get(url).content.decode()

    changed_by = page.split('id="change-history"')[1]
    assert "System" in changed_by
    assert "pk=None" not in changed_by


def test_a_person_changed_by_a_job_reads_system_in_the_admin_history(client_for, secretariat):
    from tests.factories import UserFactory

    person = UserFactory()
    url = reverse("admin:accounts_user_history", args=[person.pk])

    page = client_for(secretariat).get(url).content.decode()

    assert "System" in page.split('id="change-history"')[1]


def test_a_link_set_for_the_first_time_reads_none_not_a_deleted_record(client_for, secretariat):
    membership = MembershipFactory()
    membership.appointed_by_decision = DecisionFactory()
    membership.save()
    url = reverse("admin:governance_membership_history", args=[membership.pk])

    page = client_for(secretariat).get(url).content.decode()

    assert "pk=None" not in page
    assert "(none)" in page and str(membership.appointed_by_decision) in page


def test_a_decision_added_in_the_admin_is_numbered_after_its_meeting(client_for, secretariat):
    meeting = MeetingFactory(number=20)
    DecisionFactory(meeting=meeting, number=1)

    response = client_for(secretariat).post(
        reverse("admin:governance_decision_add"),
        {
            "meeting": meeting.pk,
            "kind": "other",
            "text": "Decided in the admin.",
            "review_note": "",
        },
    )

    assert response.status_code == 302
    added = models.Decision.objects.get(text="Decided in the admin.")
    assert (added.reference, added.date) == ("GCG/20/2", meeting.date)


def test_a_decision_is_not_added_in_the_admin_before_its_meeting_is_held(client_for, secretariat):
    meeting = MeetingFactory(number=22, date=datetime.date.today() + datetime.timedelta(days=90))

    response = client_for(secretariat).post(
        reverse("admin:governance_decision_add"),
        {"meeting": meeting.pk, "kind": "other", "text": "Decided ahead.", "review_note": ""},
    )

    assert response.status_code == 200
    assert "A decision is recorded once its meeting has been held." in response.content.decode()
    assert not models.Decision.objects.filter(text="Decided ahead.").exists()


def test_a_recorded_decision_stays_at_its_meeting_in_the_admin(client_for, secretariat):
    decision = DecisionFactory(meeting=MeetingFactory(number=20), number=1)
    other = MeetingFactory(number=7)

    client_for(secretariat).post(
        reverse("admin:governance_decision_change", args=[decision.pk]),
        {"meeting": other.pk, "kind": "other", "text": "Changed.", "review_note": ""},
    )

    decision.refresh_from_db()
    assert (decision.meeting.number, decision.reference) == (20, "GCG/20/1")


def _admin_form_data(html: str) -> dict[str, str]:
    """The values an admin add form starts with, as the browser would send them."""
    import re

    data = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag and 'type="submit"' not in tag:
            data[name.group(1)] = value.group(1) if value else ""
    return data


def test_constituencies_are_named_in_three_languages_and_may_wait_for_a_translation(
    client_for, secretariat
):
    client = client_for(secretariat)
    url = reverse("admin:governance_constituency_add")
    for code, english, french in [("a", "First", "Premier"), ("b", "Second", "")]:
        data = _admin_form_data(client.get(url).content.decode())
        data.update(code=code, name_en=english, name_fr=french, seat_quota="1", order="1")
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    first, second = models.Constituency.objects.order_by("code")
    assert (first.name, first.name_fr, first.name_es) == ("First", "Premier", None)
    assert (second.name, second.name_fr) == ("Second", None)  # English shows until translated
