"""Gap, coverage, donor and runway figures against values computed by hand."""

import datetime
from decimal import Decimal

import pytest

from financing.models import (
    ExchangeRate,
    FlowStatus,
    FundingFlow,
    FundingRequirement,
    RecipientKind,
)
from financing.rates import RateTable
from financing.selectors import gap_report, secretariat_sustainability
from tests.factories import OrganisationFactory
from tests.financing.factories import (
    ExchangeRateFactory,
    FundingFlowFactory,
    FundingRequirementFactory,
    SecretariatFunctionFactory,
)

pytestmark = pytest.mark.django_db


def _report(dimension: str = "country", **kwargs):
    return gap_report(
        requirements=FundingRequirement.objects.all(),
        flows=FundingFlow.objects.all(),
        dimension=dimension,
        **kwargs,
    )


def _line(report, label: str):
    return next(line for line in report.lines if str(line.label) == label)


@pytest.fixture
def mixed_currencies(country, other_country):
    """Fiji and Ghana in 2024, in USD, EUR (1.10) and GBP (1.25).

    Fiji needs 100,000 USD: 30,000 USD committed, 20,000 EUR paid (22,000 USD), 40,000 GBP
    pledged (50,000 USD, not counted). Ghana needs 200,000 EUR (220,000 USD): 80,000 GBP
    paid (100,000 USD), 10,000 EUR pledged (11,000 USD, not counted).
    """
    ExchangeRateFactory(year=2024, currency="EUR", usd_per_unit=Decimal("1.10"))
    ExchangeRateFactory(year=2024, currency="GBP", usd_per_unit=Decimal("1.25"))
    united_states = OrganisationFactory(name="United States")
    france = OrganisationFactory(name="France")
    united_kingdom = OrganisationFactory(name="United Kingdom")
    FundingRequirementFactory(country=country, theme="child_labour", amount=Decimal("100000"))
    FundingRequirementFactory(
        country=other_country, theme="forced_labour", amount=Decimal("200000"), currency="EUR"
    )
    flows = {
        "us_fiji": FundingFlowFactory(
            source=united_states,
            country=country,
            amount=Decimal("30000"),
            status=FlowStatus.COMMITTED,
        ),
        "fr_fiji": FundingFlowFactory(
            source=france,
            country=country,
            amount=Decimal("20000"),
            currency="EUR",
            status=FlowStatus.PAID,
        ),
        "uk_fiji": FundingFlowFactory(
            source=united_kingdom,
            country=country,
            amount=Decimal("40000"),
            currency="GBP",
            status=FlowStatus.PLEDGED,
        ),
        "uk_ghana": FundingFlowFactory(
            source=united_kingdom,
            country=other_country,
            theme="forced_labour",
            amount=Decimal("80000"),
            currency="GBP",
            status=FlowStatus.PAID,
        ),
        "fr_ghana": FundingFlowFactory(
            source=france,
            country=other_country,
            theme="forced_labour",
            amount=Decimal("10000"),
            currency="EUR",
            status=FlowStatus.PLEDGED,
        ),
    }
    return flows


def test_gap_and_coverage_by_country_match_hand_computed_figures(mixed_currencies):
    report = _report("country")

    fiji = _line(report, "Fiji")
    assert (fiji.requirement, fiji.pledged, fiji.committed, fiji.paid) == (
        Decimal("100000.00"),
        Decimal("50000.00"),
        Decimal("30000.00"),
        Decimal("22000.00"),
    )
    assert (fiji.funded, fiji.gap, fiji.coverage) == (
        Decimal("52000.00"),
        Decimal("48000.00"),
        Decimal("52.0"),
    )
    ghana = _line(report, "Ghana")
    assert (ghana.requirement, ghana.funded, ghana.gap) == (
        Decimal("220000.00"),
        Decimal("100000.00"),
        Decimal("120000.00"),
    )
    assert ghana.coverage == Decimal("45.5")  # 100,000 / 220,000 = 45.45 %


def test_totals_add_up_across_currencies(mixed_currencies):
    total = _report().total

    assert total.requirement == Decimal("320000.00")
    assert total.pledged == Decimal("61000.00")
    assert total.funded == Decimal("152000.00")
    assert total.gap == Decimal("168000.00")
    assert total.coverage == Decimal("47.5")


def test_pledge_counts_toward_coverage_only_once_committed(mixed_currencies):
    flow = mixed_currencies["uk_fiji"]
    flow.status = FlowStatus.COMMITTED
    flow.save()

    fiji = _line(_report(), "Fiji")

    assert fiji.pledged == Decimal("0.00")
    assert fiji.funded == Decimal("102000.00")
    # Over-funding is a surplus, never a negative gap; coverage stops at the requirement.
    assert (fiji.gap, fiji.surplus) == (Decimal("0"), Decimal("2000"))
    assert fiji.coverage == Decimal("100.0")


def test_original_amount_is_kept_when_rates_change(mixed_currencies):
    ExchangeRate.objects.filter(year=2024, currency="EUR").update(usd_per_unit=Decimal("1.20"))

    fiji = _line(_report(), "Fiji")

    assert FundingFlow.objects.get(pk=mixed_currencies["fr_fiji"].pk).amount == Decimal("20000.00")
    assert fiji.paid == Decimal("24000.00")


def test_breakdowns_by_region_theme_and_recipient(mixed_currencies):
    by_region = _report("region")
    by_theme = _report("theme")
    by_recipient = _report("recipient")

    assert _line(by_region, "Asia and the Pacific").funded == Decimal("52000.00")
    assert _line(by_region, "Africa").requirement == Decimal("220000.00")
    assert _line(by_theme, "Forced labour").gap == Decimal("120000.00")
    assert _line(by_theme, "Child labour").coverage == Decimal("52.0")
    assert [line.label for line in by_recipient.lines] == ["Ghana", "Fiji"]  # largest gap first


def test_secretariat_and_action_group_funding_have_their_own_lines(country):
    from tests.financing.factories import ActionGroupFactory

    group = ActionGroupFactory(name="Supply Chains")
    FundingRequirementFactory(
        recipient_kind=RecipientKind.SECRETARIAT, country=None, theme="", amount=Decimal("500")
    )
    FundingFlowFactory(
        recipient_kind=RecipientKind.ACTION_GROUP,
        country=None,
        action_group=group,
        amount=Decimal("70"),
    )

    report = _report("recipient")
    by_region = _report("region")

    assert _line(report, "Alliance 8.7 Secretariat").gap == Decimal("500.00")
    assert _line(report, "Supply Chains").funded == Decimal("70.00")
    assert _line(by_region, "Global").requirement == Decimal("500.00")


def test_an_action_group_line_is_named_in_the_readers_language(country):
    from django.utils import translation

    from alliance87.translated import RecordText
    from governance.models import ActionGroup
    from tests.financing.factories import ActionGroupFactory

    for english, french in [("Supply Chains", "Chaînes d'approvisionnement"), ("Migration", "")]:
        group = ActionGroupFactory(name=english)
        ActionGroup.objects.filter(pk=group.pk).update(name_fr=french)
        FundingFlowFactory(
            recipient_kind=RecipientKind.ACTION_GROUP, country=None, action_group=group
        )

    with translation.override("fr"):
        labels = {line.label for line in _report("recipient").lines}

    # A name not yet translated shows in English, and says so.
    assert labels == {
        RecordText("Chaînes d'approvisionnement"),
        RecordText("Migration", lang="en"),
    }


def test_multi_year_flow_is_spread_evenly_over_its_years(country):
    for year in (2024, 2025, 2026):
        FundingRequirementFactory(country=country, year=year, amount=Decimal("2000"))
    FundingFlowFactory(country=country, amount=Decimal("3000"), year_start=2024, year_end=2026)

    report = _report("year")

    assert [(line.label, line.funded, line.coverage) for line in report.lines] == [
        ("2024", Decimal("1000.00"), Decimal("50.0")),
        ("2025", Decimal("1000.00"), Decimal("50.0")),
        ("2026", Decimal("1000.00"), Decimal("50.0")),
    ]


def test_year_filter_keeps_only_the_share_of_those_years(country):
    FundingFlowFactory(country=country, amount=Decimal("3000"), year_start=2024, year_end=2026)

    report = _report(year_from=2025, year_to=2025)

    assert report.total.funded == Decimal("1000.00")


def test_missing_year_uses_the_closest_earlier_rate(country):
    ExchangeRateFactory(year=2023, currency="EUR", usd_per_unit=Decimal("1.05"))
    FundingFlowFactory(
        country=country,
        amount=Decimal("1000"),
        currency="EUR",
        decision_date=datetime.date(2025, 6, 1),
    )

    assert _report().total.funded == Decimal("1050.00")
    assert RateTable.load().rate("EUR", 2020) == Decimal("1.05")


def test_currency_without_any_rate_is_reported_not_counted(country):
    FundingFlowFactory(country=country, amount=Decimal("1000"), currency="NOK")
    FundingFlowFactory(country=country, amount=Decimal("500"))

    report = _report()

    assert report.unconverted == ["NOK"]
    assert report.total.funded == Decimal("500.00")


def test_top_five_donors_share_of_committed_funding(country):
    for index, amount in enumerate([600, 500, 400, 300, 200, 100]):
        FundingFlowFactory(
            source=OrganisationFactory(name=f"Donor {index}"),
            country=country,
            amount=Decimal(amount),
        )
    FundingFlowFactory(
        source=OrganisationFactory(name="Only a pledge"),
        country=country,
        amount=Decimal(5000),
        status=FlowStatus.PLEDGED,
    )

    report = _report()

    assert report.top_share == Decimal("95.2")  # 2,000 of 2,100
    assert report.donor_count == 7
    assert [line.donor for line in report.donors[:5]] == [
        "Donor 0",
        "Donor 1",
        "Donor 2",
        "Donor 3",
        "Donor 4",
    ]
    assert report.donors[5].donor == "Other donors (2)"
    assert report.donors[5].funded == Decimal("100.00")
    assert report.donors[-1].pledged == Decimal("5000.00")


def test_report_tables_carry_the_figures_rounded_to_whole_dollars(mixed_currencies):
    gaps = _report().tables[0]

    assert gaps.columns[0].header == "country"
    assert gaps.total == [
        "Total",
        Decimal("320000"),
        Decimal("61000"),
        Decimal("30000"),
        Decimal("122000"),
        Decimal("152000"),
        Decimal("168000"),
        Decimal("0"),
        Decimal("47.5"),
    ]


@pytest.fixture
def secretariat_budget():
    """Two functions: A (priority 1) 120,000 and B (priority 2) 60,000 USD a year: 15,000 a month.

    2026: 60,000 earmarked for B (committed), 90,000 shared (paid). 2027: 45,000 shared
    (committed). 2028: 100,000 pledged, not counted.
    """
    a = SecretariatFunctionFactory(name="A", annual_cost=Decimal("120000"), priority=1)
    b = SecretariatFunctionFactory(name="B", annual_cost=Decimal("60000"), priority=2)
    secretariat = {"recipient_kind": RecipientKind.SECRETARIAT, "country": None, "theme": ""}
    FundingFlowFactory(
        **secretariat, secretariat_function=b, amount=Decimal("60000"), year_start=2026
    )
    FundingFlowFactory(
        **secretariat, amount=Decimal("90000"), year_start=2026, status=FlowStatus.PAID
    )
    FundingFlowFactory(**secretariat, amount=Decimal("45000"), year_start=2027)
    FundingFlowFactory(
        **secretariat, amount=Decimal("100000"), year_start=2028, status=FlowStatus.PLEDGED
    )
    return a, b


def test_projection_of_needs_against_secured_funding(secretariat_budget):
    report = secretariat_sustainability(today=datetime.date(2026, 4, 1))

    assert [
        (p.year, p.need, p.secured, p.pledged, p.gap, p.coverage) for p in report.projection
    ] == [
        (
            2026,
            Decimal("180000.00"),
            Decimal("150000.00"),
            Decimal("0.00"),
            Decimal("30000.00"),
            Decimal("83.3"),
        ),
        (
            2027,
            Decimal("180000.00"),
            Decimal("45000.00"),
            Decimal("0.00"),
            Decimal("135000.00"),
            Decimal("25.0"),
        ),
        (
            2028,
            Decimal("180000.00"),
            Decimal("0.00"),
            Decimal("100000.00"),
            Decimal("180000.00"),
            Decimal("0.0"),
        ),
    ]


def test_months_covered_per_function_at_its_annual_cost(secretariat_budget):
    report = secretariat_sustainability(today=datetime.date(2026, 4, 1))
    a, b = report.functions

    # A: 90,000 shared of its 120,000 for 2026 covers 9 of 2026's months; its 45,000 of 2027
    # cannot pay for 2026's last three months, so the count stops there.
    assert (a.earmarked_ahead, a.shared_ahead, a.months) == (
        Decimal("0"),
        Decimal("135000"),
        Decimal("9.0"),
    )
    # B: 2026 fully covered (60,000 earmarked), nothing for 2027.
    assert (b.earmarked_ahead, b.shared_ahead, b.months) == (
        Decimal("60000"),
        Decimal("0"),
        Decimal("12.0"),
    )
    # The total line adds the money up; its months follow the same rule on the totals:
    # 150,000 of 2026's 180,000 covers 10 months.
    months = report.tables[0]
    assert months.total == [
        "All functions",
        Decimal("180000"),
        Decimal("60000"),
        Decimal("135000"),
        Decimal("195000"),
        Decimal("10.0"),
    ]
    assert report.monthly_cost == Decimal("15000.00")
    assert report.runway_months == Decimal("10.0")
    assert report.months_left == Decimal("7.0")


def test_money_for_later_years_never_hides_a_gap_this_year(secretariat_budget):
    a, _b = secretariat_budget
    # Three years of A's cost earmarked for 2027 and 2028: 2026 still lacks 30,000.
    FundingFlowFactory(
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        theme="",
        secretariat_function=a,
        amount=Decimal("240000"),
        year_start=2027,
        year_end=2028,
    )

    report = secretariat_sustainability(today=datetime.date(2026, 4, 1))
    line = report.functions[0]

    assert line.years[0].gap == Decimal("30000.00")
    assert line.secured_ahead == Decimal("330000")
    assert line.months == Decimal("9.0")  # not 330,000 / 10,000 = 33 months


def test_months_run_on_through_fully_covered_years(secretariat_budget):
    _a, b = secretariat_budget
    FundingFlowFactory(
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        theme="",
        secretariat_function=b,
        amount=Decimal("30000"),
        year_start=2027,
    )

    report = secretariat_sustainability(today=datetime.date(2026, 4, 1))

    # 2026 covered (12) and half of 2027's 60,000 (6).
    assert report.functions[1].months == Decimal("18.0")


def test_earmarked_money_beyond_its_function_need_is_a_surplus_not_shared(secretariat_budget):
    _a, b = secretariat_budget
    FundingFlowFactory(
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        theme="",
        secretariat_function=b,
        amount=Decimal("20000"),
        year_start=2026,
    )

    report = secretariat_sustainability(today=datetime.date(2026, 4, 1))
    a, b_line = report.functions

    assert a.years[0].gap == Decimal("30000")  # B's extra 20,000 does not cover A
    assert (b_line.years[0].earmarked, b_line.years[0].surplus) == (
        Decimal("60000"),
        Decimal("20000"),
    )
    first = report.projection[0]
    assert (first.secured, first.gap, first.surplus) == (
        Decimal("170000"),
        Decimal("30000"),
        Decimal("20000"),
    )
    # need - secured = gap - surplus, as shown
    assert first.need - first.secured == first.gap - first.surplus


def test_shared_funding_covers_functions_in_priority_order(secretariat_budget):
    report = secretariat_sustainability(today=datetime.date(2026, 4, 1))
    a, b = report.functions

    assert [(y.year, y.earmarked, y.allocated, y.gap) for y in a.years] == [
        (2026, Decimal("0.00"), Decimal("90000.00"), Decimal("30000.00")),
        (2027, Decimal("0.00"), Decimal("45000.00"), Decimal("75000.00")),
        (2028, Decimal("0.00"), Decimal("0.00"), Decimal("120000.00")),
    ]
    assert [(y.year, y.earmarked, y.gap) for y in b.years] == [
        (2026, Decimal("60000.00"), Decimal("0.00")),
        (2027, Decimal("0.00"), Decimal("60000.00")),
        (2028, Decimal("0.00"), Decimal("60000.00")),
    ]
    assert (a.gap, b.gap) == (Decimal("225000.00"), Decimal("120000.00"))


def test_recorded_need_replaces_the_annual_cost_for_its_year(secretariat_budget):
    a, _b = secretariat_budget
    FundingRequirementFactory(
        recipient_kind=RecipientKind.SECRETARIAT,
        country=None,
        theme="",
        secretariat_function=a,
        year=2028,
        amount=Decimal("150000"),
    )

    report = secretariat_sustainability(today=datetime.date(2026, 4, 1))

    assert report.projection[2].need == Decimal("210000.00")


def test_no_function_means_no_runway():
    report = secretariat_sustainability(today=datetime.date(2026, 4, 1))

    assert report.runway_months is None
    assert report.functions == []


def test_requirement_without_any_funding_is_a_full_gap(country):
    FundingRequirementFactory(country=country, amount=Decimal("800"))

    report = _report()

    assert (report.total.funded, report.total.gap, report.total.coverage) == (
        Decimal("0.00"),
        Decimal("800.00"),
        Decimal("0.0"),
    )
    assert report.donors == []
    assert report.top_share is None


def test_funding_without_a_requirement_has_no_coverage(country):
    FundingFlowFactory(country=country, amount=Decimal("800"))

    fiji = _line(_report(), "Fiji")

    assert (fiji.requirement, fiji.funded, fiji.coverage) == (
        Decimal("0.00"),
        Decimal("800.00"),
        None,
    )


def test_nothing_recorded_gives_an_empty_report(db):
    report = _report()

    assert report.lines == []
    assert report.total.requirement == Decimal("0.00")
    assert report.total.coverage is None
