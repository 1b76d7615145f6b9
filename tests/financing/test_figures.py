"""The gap figures recomputed from the database by hand, without the selectors, against the
page, its CSV and XLSX exports and the PDF report's context: the same figures everywhere,
each table adding up as shown, over-funding a surplus, never a negative gap."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from financing.models import ExchangeRate, FlowStatus, FundingFlow, FundingRequirement
from financing.selectors import financing_gap_report
from tests.exports import csv_parts, sheet_preamble, sheet_table, workbook
from tests.factories import OrganisationFactory
from tests.financing.factories import (
    ExchangeRateFactory,
    FundingFlowFactory,
    FundingRequirementFactory,
)
from tests.financing.test_views import as_plain, comparable, page_table

pytestmark = pytest.mark.django_db

GAPS = reverse("financing:gaps")


@pytest.fixture
def awkward_figures(country, other_country):
    """Amounts that round, a flow split over three years, a flow converted at another
    year's rate (GBP has a 2023 rate only), one left out (no JPY rate at all), and a year
    funded beyond its requirement (Ghana 2024) next to one without funding (Ghana 2025)."""
    ExchangeRateFactory(year=2024, currency="EUR", usd_per_unit=Decimal("1.10"))
    ExchangeRateFactory(year=2025, currency="EUR", usd_per_unit=Decimal("1.2"))
    ExchangeRateFactory(year=2023, currency="GBP", usd_per_unit=Decimal("1.25"))
    donor_a = OrganisationFactory(name="Donor A")
    donor_b = OrganisationFactory(name="Donor B")
    FundingRequirementFactory(country=country, year=2024, amount=Decimal("100000.40"))
    FundingRequirementFactory(
        country=country, year=2025, amount=Decimal("50000.45"), currency="EUR"
    )
    FundingRequirementFactory(
        country=other_country, theme="forced_labour", year=2024, amount=Decimal("30000")
    )
    FundingRequirementFactory(
        country=other_country, theme="forced_labour", year=2025, amount=Decimal("40000")
    )
    FundingFlowFactory(source=donor_a, country=country, amount=Decimal("33333.33"), currency="EUR")
    FundingFlowFactory(
        source=donor_a,
        country=country,
        amount=Decimal("100000.01"),
        year_start=2024,
        year_end=2026,
        status=FlowStatus.PAID,
    )
    FundingFlowFactory(
        source=donor_b,
        country=other_country,
        theme="forced_labour",
        amount=Decimal("50000"),
        currency="GBP",
        decision_date=datetime.date(2024, 5, 1),
        reference="GB-2024-7",
        status=FlowStatus.PAID,
    )
    FundingFlowFactory(
        source=donor_b,
        country=other_country,
        theme="forced_labour",
        amount=Decimal("1000000"),
        currency="JPY",
        year_start=2025,
        reference="JP-LEFT-OUT",
    )
    FundingFlowFactory(
        source=donor_b,
        country=country,
        amount=Decimal("10000"),
        year_start=2025,
        status=FlowStatus.PLEDGED,
    )


# --- The figures, computed here without the selectors -------------------------------------


def _rate(currency: str, year: int) -> Decimal | None:
    if currency == "USD":
        return Decimal(1)
    rates = dict(ExchangeRate.objects.filter(currency=currency).values_list("year", "usd_per_unit"))
    if not rates:
        return None
    if year in rates:
        return rates[year]
    earlier = [known for known in rates if known < year]
    return rates[max(earlier)] if earlier else rates[min(rates)]


def _dollars(amount: Decimal, currency: str, year: int) -> int | None:
    rate = _rate(currency, year)
    if rate is None:
        return None
    return int((amount * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def expected_by_country() -> dict[str, list[int]]:
    """requirement, pledged, committed, paid, funded, gap, surplus by country name."""
    cells: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for need in FundingRequirement.objects.select_related("country"):
        dollars = _dollars(need.amount, need.currency, need.year)
        if dollars is not None:
            cells[(need.country.name, need.theme, need.year)]["requirement"] += dollars
    for flow in FundingFlow.objects.select_related("country"):
        dollars = _dollars(flow.amount, flow.currency, flow.decision_date.year)
        if dollars is None:
            continue
        years = list(range(flow.year_start, flow.year_end + 1))
        base, extra = divmod(dollars, len(years))
        for index, year in enumerate(years):
            share = base + (1 if index < extra else 0)
            cells[(flow.country.name, flow.theme, year)][flow.status] += share
    by_country: dict[str, list[int]] = defaultdict(lambda: [0] * 7)
    for (name, _theme, _year), cell in cells.items():
        funded = cell["committed"] + cell["paid"]
        line = by_country[name]
        for index, value in enumerate(
            [
                cell["requirement"],
                cell["pledged"],
                cell["committed"],
                cell["paid"],
                funded,
                max(cell["requirement"] - funded, 0),
                max(funded - cell["requirement"], 0),
            ]
        ):
            line[index] += value
    return dict(by_country)


def _figures(row: list) -> list[int]:
    """The seven amounts of a gap table row (label first, coverage last)."""
    return [int(Decimal(str(value))) for value in row[1:8]]


def test_hand_computed_figures_are_those_of_the_page_the_exports_and_the_pdf(
    client_for, gcg_member, awkward_figures
):
    expected = expected_by_country()
    # Ghana 2024 is funded 62,500 for 30,000: a surplus of 32,500 that does not reduce its
    # 2025 gap of 40,000 (the JPY flow is left out).
    assert expected["Ghana"][5:] == [40000, 32500]
    expected_total = [sum(line[index] for line in expected.values()) for index in range(7)]
    client = client_for(gcg_member)

    page = page_table(client.get(GAPS), "gaps")
    shown = {row[0]: [int(as_plain(cell)) for cell in row[1:8]] for row in page[1:-1]}
    assert shown == expected
    assert [int(as_plain(cell)) for cell in page[-1][1:8]] == expected_total

    _preamble, exported = csv_parts(
        client.get(reverse("financing:gaps_export", args=["csv"]), {"table": "gaps"})
    )
    assert {row[0]: _figures(row) for row in exported[1:-1]} == expected
    assert _figures(exported[-1]) == expected_total

    sheet = workbook(client.get(reverse("financing:gaps_export", args=["xlsx"]))).worksheets[0]
    rows = sheet_table(sheet)
    assert {row[0]: _figures(row) for row in rows[1:-1]} == expected
    assert _figures(rows[-1]) == expected_total

    context = financing_gap_report()
    table = context["country_table"]
    assert {row[0]: _figures(row) for row in table.rows} == expected
    assert _figures(table.total) == expected_total
    # Every breakdown shares the same total.
    assert _figures(context["region_table"].total) == expected_total
    assert _figures(context["theme_table"].total) == expected_total
    assert _figures(context["trends_table"].total) == expected_total


def test_every_gap_table_adds_up_as_shown(client_for, gcg_member, awkward_figures):
    client = client_for(gcg_member)

    for group_by in ("country", "region", "theme", "recipient", "year"):
        response = client.get(GAPS, {"group_by": group_by})
        for key in ("gaps", "trends"):
            table = page_table(response, key)
            if not table:
                continue
            body = [[int(as_plain(cell)) for cell in row[1:8]] for row in table[1:]]
            *rows, total = body
            for required, _pledged, committed, paid, funded, gap, surplus in body:
                assert funded == committed + paid
                assert required - funded == gap - surplus
                assert gap >= 0 and surplus >= 0
            assert [sum(column) for column in zip(*rows, strict=True)] == total
        donors = page_table(response, "donors")
        *donor_rows, all_donors = donors[1:]
        assert sum(int(as_plain(row[3])) for row in donor_rows) == int(as_plain(all_donors[3]))
        assert as_plain(all_donors[3]) == as_plain(page_table(response, "gaps")[-1][5])


def test_a_year_without_requirement_shows_a_surplus_not_a_negative_gap(
    client_for, gcg_member, country
):
    FundingRequirementFactory(country=country, year=2024, amount=Decimal("500000"))
    FundingFlowFactory(country=country, year_start=2025, amount=Decimal("1000000"))

    response = client_for(gcg_member).get(GAPS)

    fiji = page_table(response, "gaps")[1]
    assert fiji[:8] == [
        "Fiji",
        "500,000",
        "0",
        "1,000,000",
        "0",
        "1,000,000",
        "500,000",
        "1,000,000",
    ]
    assert "-" not in "".join(fiji)


def test_amounts_converted_at_another_years_rate_or_left_out_are_named(
    client_for, gcg_member, awkward_figures
):
    client = client_for(gcg_member)

    text = client.get(GAPS).content.decode()
    notes = page_table(client.get(GAPS), "conversions")

    assert "the closest earlier year&#x27;s rate is used" in text
    assert "shown as a surplus and reduces no other" in text
    assert [row[1:6] + row[7:] for row in notes[1:]] == [
        [
            "Donor B",
            "Ghana (Forced labour)",
            "JP-LEFT-OUT",
            "Committed",
            "2024",
            "JPY",
            "",
            "—",
            "Left out: no JPY rate is recorded for any year.",
        ],
        [
            "Donor B",
            "Ghana (Forced labour)",
            "GB-2024-7",
            "Paid",
            "2024",
            "GBP",
            "2023",
            "62,500",
            "Converted at the 2023 rate: no GBP rate for 2024.",
        ],
    ]
    # The exports name them too, and state the rule.
    preamble, exported = csv_parts(
        client.get(reverse("financing:gaps_export", args=["csv"]), {"table": "conversions"})
    )
    assert [row[3] for row in exported[1:]] == ["JP-LEFT-OUT", "GB-2024-7"]
    assert any("closest earlier year" in line[0] for line in preamble)
    book = workbook(client.get(reverse("financing:gaps_export", args=["xlsx"])))
    sheet = book.worksheets[-1]
    assert [row[3] for row in sheet_table(sheet)[1:]] == ["JP-LEFT-OUT", "GB-2024-7"]
    assert any("closest earlier year" in str(line[0]) for line in sheet_preamble(sheet))
    assert comparable("62500") == sheet_table(sheet)[2][9]


def test_months_per_function_are_the_same_on_the_page_the_export_and_the_pdf(
    client_for, gcg_member
):
    from financing.models import RecipientKind
    from tests.financing.factories import SecretariatFunctionFactory

    year = datetime.date.today().year
    first = SecretariatFunctionFactory(name="Pathfinder support", annual_cost=Decimal("120000"))
    SecretariatFunctionFactory(name="Communications", annual_cost=Decimal("50000.50"))
    secretariat = {"recipient_kind": RecipientKind.SECRETARIAT, "country": None, "theme": ""}
    FundingFlowFactory(
        **secretariat, secretariat_function=first, amount=Decimal("100000.49"), year_start=year
    )
    FundingFlowFactory(**secretariat, amount=Decimal("70000"), year_start=year, year_end=year + 2)
    client = client_for(gcg_member)

    shown = page_table(client.get(reverse("financing:sustainability")), "months")
    _preamble, exported = csv_parts(
        client.get(reverse("financing:sustainability_export", args=["csv"]), {"table": "months"})
    )
    pdf = financing_gap_report()["sustainability_tables"][0]

    assert exported[1:] == [[as_plain(cell) for cell in row] for row in shown[1:]]
    assert [[str(cell) for cell in row] for row in pdf.rows] == [
        [as_plain(cell) for cell in row] for row in shown[1:-1]
    ]
    # The shared 70,000 is 23,334 + 23,333 + 23,333. The first function (priority 1) has
    # 100,000 earmarked, then 20,000 shared in the first year and 23,333 in each of the next
    # two; the second (50,000.50 a year: 50,001) gets the 3,334 left in the first year.
    # Months: the first year covered in full (12), then 23,333 of 120,000 (2.3) = 14.3; the
    # second 12 × 3,334 / 50,001 = 0.8; all together 12 × 123,334 / 170,001 = 8.7 (the
    # first year is not fully covered, so the later years' money does not count).
    assert shown[1:] == [
        ["Pathfinder support", "120,000", "100,000", "66,666", "166,666", "14.3"],
        ["Communications", "50,001", "0", "3,334", "3,334", "0.8"],
        ["All functions", "170,001", "100,000", "70,000", "170,000", "8.7"],
    ]


def test_dashboard_names_the_function_funded_for_the_shortest_time(client_for, gcg_member):
    from financing.models import RecipientKind
    from tests.financing.factories import SecretariatFunctionFactory

    year = datetime.date.today().year
    SecretariatFunctionFactory(name="Communications", annual_cost=Decimal("120000"), priority=2)
    first = SecretariatFunctionFactory(name="Pathfinder support", annual_cost=Decimal("60000"))
    FundingFlowFactory(
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        secretariat_function=first,
        amount=Decimal("60000"),
        year_start=year,
    )

    text = client_for(gcg_member).get(reverse("dashboard")).content.decode()

    assert "Communications, the function funded for the shortest time" in text


def test_sustainability_names_a_flow_converted_at_another_years_rate(client_for, gcg_member):
    from financing.models import RecipientKind
    from tests.financing.factories import SecretariatFunctionFactory

    year = datetime.date.today().year
    ExchangeRateFactory(year=year - 1, currency="CHF", usd_per_unit=Decimal("1.20"))
    SecretariatFunctionFactory(name="Communications", annual_cost=Decimal("120000"))
    FundingFlowFactory(
        source=OrganisationFactory(name="Switzerland"),
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        theme="",
        amount=Decimal("10000"),
        currency="CHF",
        decision_date=datetime.date(year, 1, 15),
        year_start=year,
        reference="CH-1",
    )

    response = client_for(gcg_member).get(reverse("financing:sustainability"))

    notes = page_table(response, "conversions")
    assert notes[1][1] == "Switzerland"
    assert notes[1][3] == "CH-1"
    assert notes[1][-1] == f"Converted at the {year - 1} rate: no CHF rate for {year}."
