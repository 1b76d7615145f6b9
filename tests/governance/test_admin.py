import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from governance import models

from .factories import ClosureProposalFactory, EngagementFactory, MembershipFactory

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
