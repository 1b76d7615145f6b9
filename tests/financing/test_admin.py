import pytest
from django.contrib import admin
from django.urls import reverse

from financing.models import ExchangeRate, FlowStatus, FundingFlow
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


def test_funding_flow_list_writes_the_same_rows_as_django_and_counts_once(
    client_for, secretariat, country, other_country, django_assert_max_num_queries
):
    for index in range(6):
        FundingFlowFactory(
            country=(country, other_country)[index % 2],
            status=(FlowStatus.PLEDGED, FlowStatus.PAID)[index % 2],
        )
    client = client_for(secretariat)
    url = reverse("admin:financing_fundingflow_changelist")
    with django_assert_max_num_queries(20) as queries:
        shared = client.get(url).content.decode()
    # read before the next request, which empties the connection's log of queries
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    model_admin = admin.site._registry[FundingFlow]
    template_name = model_admin.change_list_template
    model_admin.change_list_template = None  # Django's own list
    try:
        own = client.get(url).content.decode()
    finally:
        model_admin.change_list_template = template_name

    def rows(text: str) -> str:
        return text.split('<table id="result_list">', 1)[1].split("</table>", 1)[0]

    assert rows(shared) == rows(own)
    assert rows(shared).count("<tr") == 7  # the header and six flows
    assert "Fiji" in rows(shared)
    assert len(counts) == 1
    assert "toplinks" not in shared  # no date hierarchy beside the decision-year filter
