"""The financing pages keep their figures in the cache until a write changes them."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from financing.models import FlowStatus, RecipientKind
from financing.services import funding_flow_create, funding_flow_set_status, funding_flows_import
from tests.factories import OrganisationFactory
from tests.financing.factories import (
    ExchangeRateFactory,
    FundingFlowFactory,
    FundingRequirementFactory,
    SecretariatFunctionFactory,
)
from tests.financing.test_services import csv_file, row
from tests.financing.test_views import page_table

pytestmark = pytest.mark.django_db

GAPS = reverse("financing:gaps")


def _funded(client, **params) -> str:
    text = client.get(GAPS, params).content.decode()
    return text.split('id="figure-funded">', 1)[1].split("<", 1)[0]


@pytest.fixture
def fiji_needs(country):
    FundingRequirementFactory(country=country, year=2024, amount=Decimal("100000"))
    FundingFlowFactory(country=country, amount=Decimal("30000"), status=FlowStatus.COMMITTED)


def test_gap_page_shows_a_flow_added_through_the_service(
    client_for, gcg_member, country, fiji_needs
):
    client = client_for(gcg_member)
    assert _funded(client) == "30,000"

    funding_flow_create(
        source=OrganisationFactory(name="Norway"),
        recipient_kind=RecipientKind.COUNTRY,
        country=country,
        amount=Decimal("12000"),
        currency="USD",
        decision_date=datetime.date(2024, 5, 1),
        year_start=2024,
        status=FlowStatus.PAID,
    )

    assert _funded(client) == "42,000"
    assert _funded(client, group_by="year", year_from="2024") == "42,000"


def test_gap_page_counts_a_pledge_once_it_is_committed(client_for, gcg_member, country):
    pledge = FundingFlowFactory(country=country, amount=Decimal("500"), status=FlowStatus.PLEDGED)
    client = client_for(gcg_member)
    assert _funded(client) == "0"

    funding_flow_set_status(flow=pledge, status=FlowStatus.COMMITTED)

    assert _funded(client) == "500"


def test_gap_page_shows_flows_imported_from_a_file(client_for, secretariat, gcg_member, fiji_needs):
    ExchangeRateFactory(year=2024, currency="GBP", usd_per_unit=Decimal("1.25"))
    OrganisationFactory(name="United Kingdom", acronym="UK")
    client = client_for(gcg_member)
    assert _funded(client) == "30,000"

    outcome = funding_flows_import(
        file_name="flows.csv",
        content=csv_file(row(amount="8000", year_to="2024")),
        user=secretariat,
    )

    assert outcome.ok and outcome.created == 1
    assert _funded(client) == "40,000"  # 8,000 GBP at 1.25


def test_import_write_tells_the_cache_its_figures_changed(secretariat, country):
    ExchangeRateFactory(year=2024, currency="GBP", usd_per_unit=Decimal("1.25"))
    OrganisationFactory(name="United Kingdom", acronym="UK")

    with mock.patch("financing.services.aggregates_changed") as changed:
        funding_flows_import(file_name="flows.csv", content=csv_file(row()), user=secretariat)

    changed.assert_called_with("financing")


def test_gap_page_shows_a_renamed_country_at_once(client_for, gcg_member, country, fiji_needs):
    client = client_for(gcg_member)
    assert [line[0] for line in page_table(client.get(GAPS), "gaps")[1:-1]] == ["Fiji"]

    country.name = "Republic of Fiji"
    country.save()

    assert [line[0] for line in page_table(client.get(GAPS), "gaps")[1:-1]] == ["Republic of Fiji"]


def test_gap_page_shows_a_renamed_donor_at_once(client_for, gcg_member, country):
    donor = OrganisationFactory(name="Norway", acronym="")
    FundingFlowFactory(country=country, source=donor, status=FlowStatus.PAID)
    client = client_for(gcg_member)
    assert page_table(client.get(GAPS), "donors")[1][0] == "Norway"

    donor.name = "Kingdom of Norway"
    donor.save()

    assert page_table(client.get(GAPS), "donors")[1][0] == "Kingdom of Norway"


def test_cached_figures_follow_the_reader_scope_and_filters(
    client_for, gcg_member, focal_point, country, other_country, fiji_needs
):
    FundingFlowFactory(country=other_country, amount=Decimal("7000"), status=FlowStatus.PAID)

    assert _funded(client_for(gcg_member)) == "37,000"
    assert _funded(client_for(gcg_member), country=other_country.pk) == "7,000"
    assert _funded(client_for(focal_point)) == "30,000"


def test_sustainability_and_dashboard_show_new_secretariat_funding(client_for, gcg_member):
    year = datetime.date.today().year
    SecretariatFunctionFactory(name="Coordination", annual_cost=Decimal("120000"))
    client = client_for(gcg_member)
    page = client.get(reverse("financing:sustainability"))
    assert page_table(page, "projection")[1][2] == "0"

    funding_flow_create(
        source=OrganisationFactory(name="Switzerland"),
        recipient_kind=RecipientKind.SECRETARIAT,
        amount=Decimal("60000"),
        currency="USD",
        decision_date=datetime.date(year, 1, 15),
        year_start=year,
        status=FlowStatus.COMMITTED,
    )

    page = client.get(reverse("financing:sustainability"))
    assert page_table(page, "projection")[1][2] == "60,000"
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert 'id="summary-financing"' in dashboard
