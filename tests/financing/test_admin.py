import pytest
from django.urls import reverse

from financing.models import ExchangeRate
from tests.financing.factories import (
    ExchangeRateFactory,
    FundingFlowFactory,
    FundingRequirementFactory,
    SecretariatFunctionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "exchangerate",
        "fundingflow",
        "fundingrequirement",
        "secretariatfunction",
        "fundingflowimport",
    ],
)
def test_secretariat_opens_every_financing_list_in_the_admin(
    client_for, secretariat, country, model
):
    FundingFlowFactory(country=country)
    FundingRequirementFactory(country=country)
    ExchangeRateFactory()
    SecretariatFunctionFactory()

    response = client_for(secretariat).get(
        reverse(f"admin:financing_{model}_changelist"), {"q": "a"}
    )

    assert response.status_code == 200


def test_secretariat_edits_an_exchange_rate_and_history_keeps_the_old_one(client_for, secretariat):
    rate = ExchangeRateFactory(usd_per_unit="1.10")

    response = client_for(secretariat).post(
        reverse("admin:financing_exchangerate_change", args=[rate.pk]),
        {"year": 2024, "currency": "EUR", "usd_per_unit": "1.12", "source": "UN operational rates"},
    )

    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert str(rate.usd_per_unit) == "1.1200000000"
    assert rate.history.count() == 2


def test_gcg_member_cannot_open_the_admin(client_for, gcg_member):
    response = client_for(gcg_member).get(reverse("admin:financing_fundingflow_changelist"))

    assert response.status_code == 302
