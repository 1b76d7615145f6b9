"""A donor's ledger and the list of flows: each flow in its currency and in USD, totals that
add up, the history of changes, exports of exactly what is shown, access as the gap page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from financing.models import FlowStatus, RecipientKind
from tests.exports import csv_parts, sheet_table, workbook
from tests.factories import OrganisationFactory
from tests.financing.factories import (
    ExchangeRateFactory,
    FundingFlowFactory,
    FundingRequirementFactory,
)
from tests.financing.test_views import as_plain, comparable, page_table, read_table

pytestmark = pytest.mark.django_db


def _sheet_value(value):
    """A cell as read back: a date cell comes back as a datetime."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return "" if value is None else comparable(str(value))


def ledger_url(donor, file_format: str | None = None) -> str:
    if file_format:
        return reverse("financing:donor_ledger_export", args=[donor.pk, file_format])
    return reverse("financing:donor_ledger", args=[donor.pk])


@pytest.fixture
def donor(country, other_country):
    """France gives Fiji 20,000 EUR (paid, 2024) and 30,000 USD over 2024-2025 (committed),
    and pledges 5,000 EUR to Ghana (2025, decided in 2025: EUR has a 2024 rate only)."""
    ExchangeRateFactory(year=2024, currency="EUR", usd_per_unit=Decimal("1.10"))
    france = OrganisationFactory(name="France")
    FundingFlowFactory(
        source=france,
        country=country,
        amount=Decimal("20000"),
        currency="EUR",
        status=FlowStatus.PAID,
        reference="FR-1",
    )
    FundingFlowFactory(
        source=france,
        country=country,
        amount=Decimal("30000.01"),
        year_end=2025,
        reference="FR-2",
    )
    FundingFlowFactory(
        source=france,
        country=other_country,
        amount=Decimal("5000"),
        currency="EUR",
        decision_date=datetime.date(2025, 2, 1),
        year_start=2025,
        status=FlowStatus.PLEDGED,
        reference="FR-3",
    )
    FundingFlowFactory(source=OrganisationFactory(name="Norway"), country=country)
    return france


def test_ledger_lists_the_donors_flows_in_their_currency_and_in_usd(client_for, gcg_member, donor):
    response = client_for(gcg_member).get(ledger_url(donor))

    flows = page_table(response, "flows")
    assert flows[0][:5] == ["Decided", "Recipient", "Received by", "Theme", "Reference"]
    assert [row[4:] for row in flows[1:]] == [
        [
            "FR-3",
            "Pledged",
            "2025",
            "5,000.00",
            "EUR",
            "2024",
            "5,500",
            "Converted at the 2024 rate: no EUR rate for 2025.",
        ],
        ["FR-2", "Committed", "2024–2025", "30,000.01", "USD", "2024", "30,000", ""],
        ["FR-1", "Paid", "2024", "20,000.00", "EUR", "2024", "22,000", ""],
    ]
    assert "Norway" not in response.content.decode()


def test_ledger_totals_by_status_and_year_add_up(client_for, gcg_member, donor):
    response = client_for(gcg_member).get(ledger_url(donor))

    assert page_table(response, "status")[1:] == [
        ["Pledged", "1", "5,500"],
        ["Committed", "1", "30,000"],
        ["Paid", "1", "22,000"],
        ["All flows", "3", "57,500"],
    ]
    assert page_table(response, "years")[1:] == [
        ["2024", "0", "15,000", "22,000", "37,000"],
        ["2025", "5,500", "15,000", "0", "15,000"],
        ["Total", "5,500", "30,000", "22,000", "52,000"],
    ]


def test_ledger_exports_hold_exactly_the_flows_shown(client_for, gcg_member, donor):
    client = client_for(gcg_member)
    shown = page_table(client.get(ledger_url(donor)), "flows")

    preamble, exported = csv_parts(client.get(ledger_url(donor, "csv")))
    book = workbook(client.get(ledger_url(donor, "xlsx")))

    assert exported == [[as_plain(cell) for cell in row] for row in shown]
    assert any("closest earlier year" in line[0] for line in preamble)
    assert book.sheetnames[0] == "Flows from France"
    sheet_rows = [[_sheet_value(value) for value in row] for row in sheet_table(book.worksheets[0])]
    assert sheet_rows[1][7] == Decimal("5000")
    assert sheet_rows[1][10] == Decimal("5500")
    assert sheet_rows == [[comparable(as_plain(cell)) for cell in row] for row in shown]


def test_ledger_shows_a_corrected_amount_and_a_pledge_become_commitment(
    client_for, gcg_member, donor
):
    flow = donor.funding_flows.get(reference="FR-3")
    flow.amount = Decimal("6000")
    flow.status = FlowStatus.COMMITTED
    flow.save()

    response = client_for(gcg_member).get(ledger_url(donor))

    history = read_table(response, "ledger-history")
    changed = [row for row in history if "Changed" in row]
    assert len(changed) == 1
    assert "amount: 5,000.00 → 6,000.00" in changed[0][3]
    assert "status: Pledged → Committed" in changed[0][3]


def test_focal_point_sees_only_the_flows_to_their_country(client_for, focal_point, donor):
    response = client_for(focal_point).get(ledger_url(donor))

    references = [row[4] for row in page_table(response, "flows")[1:]]
    assert references == ["FR-2", "FR-1"]
    assert "FR-3" not in response.content.decode()


@pytest.mark.parametrize("role", ["outsider"])
def test_ledger_is_refused_to_people_without_a_financing_role(request, client_for, role, donor):
    client = client_for(request.getfixturevalue(role))

    assert client.get(ledger_url(donor)).status_code == 404
    assert client.get(ledger_url(donor, "csv")).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in_from_the_ledger(client, donor):
    assert client.get(ledger_url(donor)).status_code == 302


def test_ledger_of_an_unknown_organisation_is_not_found(client_for, gcg_member, db):
    assert (
        client_for(gcg_member).get(reverse("financing:donor_ledger", args=[999])).status_code == 404
    )


@pytest.mark.parametrize("count", [1, 10])
def test_ledger_query_count_does_not_grow_with_the_flows(
    client_for, gcg_member, django_assert_num_queries, country, count
):
    france = OrganisationFactory(name="France")
    for _index in range(count):
        FundingFlowFactory(source=france, country=country)
    client = client_for(gcg_member)
    # session, user, roles; the organisation, the exchange rates, the flows with their
    # names and dollars, their history; session save (savepoint, update, release)
    with django_assert_num_queries(10):
        assert client.get(ledger_url(france)).status_code == 200


def test_gap_page_links_each_top_donor_to_its_ledger(client_for, gcg_member, donor):
    FundingRequirementFactory()

    text = client_for(gcg_member).get(reverse("financing:gaps")).content.decode()

    assert f'<a href="{ledger_url(donor)}">France</a>' in text


# --- The flows list -------------------------------------------------------------------------

FLOWS = reverse("financing:flow_list")


def test_flows_list_takes_the_gap_page_filters_and_links_donors(
    client_for, gcg_member, donor, other_country
):
    response = client_for(gcg_member).get(FLOWS, {"country": other_country.pk})

    rows = page_table(response, "flows")[1:]
    assert [(row[1], row[5]) for row in rows] == [("France", "FR-3")]
    assert f'<a href="{ledger_url(donor)}">France</a>' in response.content.decode()


def test_flows_export_holds_the_filtered_flows_as_shown(client_for, gcg_member, donor, country):
    client = client_for(gcg_member)
    query = {"country": country.pk, "year_from": "2025"}
    shown = page_table(client.get(FLOWS, query), "flows")

    preamble, exported = csv_parts(
        client.get(reverse("financing:flow_list_export", args=["csv"]), query)
    )

    assert exported == [[as_plain(cell) for cell in row] for row in shown]
    assert [row[5] for row in exported[1:]] == ["FR-2"]
    assert ["Country", "Fiji"] in preamble
    assert ["From year", "2025"] in preamble


def test_focal_point_flows_list_is_limited_to_their_country(client_for, focal_point, donor):
    response = client_for(focal_point).get(FLOWS)

    assert {row[2] for row in page_table(response, "flows")[1:]} == {"Fiji"}


def test_secretariat_flows_name_their_function(client_for, gcg_member, db):
    from tests.financing.factories import SecretariatFunctionFactory

    function = SecretariatFunctionFactory(name="Communications")
    FundingFlowFactory(
        recipient_kind=RecipientKind.SECRETARIAT, country=None, secretariat_function=function
    )

    rows = page_table(client_for(gcg_member).get(FLOWS), "flows")[1:]

    assert rows[0][2] == "Alliance 8.7 Secretariat: Communications"


@pytest.mark.parametrize("count", [1, 12])
def test_flows_list_query_count_does_not_grow(
    client_for, gcg_member, django_assert_num_queries, country, count
):
    for _index in range(count):
        FundingFlowFactory(country=country)
    client = client_for(gcg_member)
    # session, user, roles; the exchange rates, the count and the page of flows with their
    # names and dollars, the countries of the filter; session save (3)
    with django_assert_num_queries(10):
        assert client.get(FLOWS).status_code == 200
