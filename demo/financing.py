"""Demo figures of the financing area (loaded by `manage.py seed_demo`).

No public figure exists for Target 8.7 financing gaps: every amount here is invented, and
every record is marked as a demo figure. Amounts come from a seeded random generator, so
running the seed twice gives the same figures and adds nothing.
"""

import datetime
import random
from decimal import Decimal

from alliance87.choices import DurbanArea, Theme
from alliance87.models import Country
from financing.models import (
    ExchangeRate,
    FlowStatus,
    FundingFlow,
    FundingRequirement,
    RecipientKind,
    SecretariatFunction,
    flow_fingerprint,
)
from financing.services import funding_flow_create
from governance.models import ActionGroup, Organisation

YEARS = list(range(2022, 2028))
DEMO_NOTE = "Demo figure (invented)"

PATHFINDER_ISO_CODES = [
    "FJ", "CI", "NP", "GH", "UG", "MW", "ET", "KE", "MG", "BR", "AR", "CL", "CR",
    "GT", "HN", "AL", "UZ", "NG", "BJ", "CM", "CF", "CD", "GA", "ML", "FR", "DE",
]  # fmt: skip

# Approximate yearly averages, rounded; later years are demo assumptions.
RATES = {
    "EUR": ["1.0530", "1.0810", "1.0820", "1.1300", "1.1500", "1.1500"],
    "GBP": ["1.2370", "1.2440", "1.2780", "1.3200", "1.3400", "1.3400"],
    "CHF": ["1.0470", "1.1130", "1.1360", "1.2000", "1.2400", "1.2400"],
    "AUD": ["0.6940", "0.6640", "0.6600", "0.6500", "0.6600", "0.6600"],
    "CAD": ["0.7690", "0.7410", "0.7300", "0.7200", "0.7300", "0.7300"],
    "NOK": ["0.1040", "0.0950", "0.0930", "0.0940", "0.0970", "0.0970"],
    "JPY": ["0.0076", "0.0071", "0.0066", "0.0067", "0.0069", "0.0069"],
}

# name, acronym, kind, the currency it gives in
DONORS = [
    ("United States", "", Organisation.Kind.GOVERNMENT, "USD"),
    ("France", "", Organisation.Kind.GOVERNMENT, "EUR"),
    ("Netherlands", "", Organisation.Kind.GOVERNMENT, "EUR"),
    ("United Kingdom", "", Organisation.Kind.GOVERNMENT, "GBP"),
    ("Australia", "", Organisation.Kind.GOVERNMENT, "AUD"),
    ("Germany", "", Organisation.Kind.GOVERNMENT, "EUR"),
    ("Switzerland", "", Organisation.Kind.GOVERNMENT, "CHF"),
    ("Canada", "", Organisation.Kind.GOVERNMENT, "CAD"),
    ("Norway", "", Organisation.Kind.GOVERNMENT, "NOK"),
    ("Japan", "", Organisation.Kind.GOVERNMENT, "JPY"),
    ("International Labour Organization", "ILO", Organisation.Kind.UN_AGENCY, "USD"),
    ("Humanity United", "", Organisation.Kind.OTHER, "USD"),
    ("Laudes Foundation", "", Organisation.Kind.OTHER, "EUR"),
    ("Minderoo Foundation", "", Organisation.Kind.OTHER, "AUD"),
    ("Responsible Business Alliance", "RBA", Organisation.Kind.PRIVATE_SECTOR, "USD"),
]

FUNCTIONS = [
    # code, name, annual cost (USD), description
    ("pathfinder-support", "Pathfinder support", "1200000", "Advice and backstopping for Pathfinder Countries along their journey."),
    ("knowledge-platform", "Knowledge platform", "650000", "The Alliance's knowledge platform: research, data and tools on Target 8.7."),
    ("communications", "Communications", "380000", "Campaigns, the website, newsletters and the annual HLPF event."),
    ("convening", "Convening the GCG and action groups", "450000", "Meetings, papers and follow-up of the GCG, action and working groups."),
    ("partner-services", "Partner services", "320000", "Partner onboarding, the partner network and its reporting."),
]  # fmt: skip

# Theme focus of a country's roadmap, by ISO code (two themes each; demo assumption).
THEME_PAIRS = [
    (Theme.CHILD_LABOUR, Theme.FORCED_LABOUR),
    (Theme.CHILD_LABOUR, Theme.HUMAN_TRAFFICKING),
    (Theme.FORCED_LABOUR, Theme.MODERN_SLAVERY),
    (Theme.HUMAN_TRAFFICKING, Theme.FORCED_LABOUR),
]

ACTION_GROUPS = [
    "Supply Chains",
    "Migration",
    "Rule of Law and Governance",
    "Conflict and Humanitarian Settings",
]


def _status_for(year: int, rng: random.Random) -> str:
    if year <= 2024:
        return FlowStatus.PAID
    if year == 2025:
        return rng.choice([FlowStatus.PAID, FlowStatus.PAID, FlowStatus.COMMITTED])
    if year == 2026:
        return rng.choice([FlowStatus.COMMITTED, FlowStatus.COMMITTED, FlowStatus.PLEDGED])
    return rng.choice([FlowStatus.COMMITTED, FlowStatus.PLEDGED, FlowStatus.PLEDGED])


def _round(value: float, step: int = 5000) -> Decimal:
    return Decimal(int(round(value / step)) * step)


def seed_rates() -> int:
    created = 0
    for currency, rates in RATES.items():
        for year, rate in zip(YEARS, rates, strict=True):
            _rate, was_created = ExchangeRate.objects.get_or_create(
                year=year,
                currency=currency,
                defaults={
                    "usd_per_unit": Decimal(rate),
                    "source": "Demo figures: approximate yearly averages",
                },
            )
            created += was_created
    return created


def seed_donors() -> dict[str, tuple[Organisation, str]]:
    donors = {}
    for name, acronym, kind, currency in DONORS:
        organisation, _created = Organisation.objects.get_or_create(
            name=name, defaults={"acronym": acronym, "kind": kind}
        )
        donors[name] = (organisation, currency)
    return donors


def seed_functions() -> list[SecretariatFunction]:
    functions = []
    for priority, (code, name, cost, description) in enumerate(FUNCTIONS, start=1):
        function, _created = SecretariatFunction.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "annual_cost": Decimal(cost),
                "description": description,
                "priority": priority,
                "is_demo": True,
            },
        )
        functions.append(function)
    return functions


def _requirement(*, defaults: dict, **key) -> bool:
    _requirement, created = FundingRequirement.objects.get_or_create(
        **key, defaults={**defaults, "is_demo": True, "description": DEMO_NOTE}
    )
    return created


def _flow(
    donor: tuple[Organisation, str], *, amount: Decimal, decision_date: datetime.date, **fields
) -> bool:
    organisation, currency = donor
    fields.setdefault("theme", "")
    fields.setdefault("year_end", fields["year_start"])
    fingerprint = flow_fingerprint(
        source_id=organisation.pk,
        recipient_kind=fields["recipient_kind"],
        country_id=fields["country"].pk if fields.get("country") else None,
        action_group_id=fields["action_group"].pk if fields.get("action_group") else None,
        secretariat_function_id=fields["secretariat_function"].pk
        if fields.get("secretariat_function")
        else None,
        theme=fields["theme"],
        amount=amount,
        currency=currency,
        decision_date=decision_date,
        year_start=fields["year_start"],
        year_end=fields["year_end"],
        reference=fields.get("reference", ""),
    )
    if FundingFlow.objects.filter(fingerprint=fingerprint).exists():
        return False
    funding_flow_create(
        source=organisation,
        amount=amount,
        currency=currency,
        decision_date=decision_date,
        description=DEMO_NOTE,
        is_demo=True,
        **fields,
    )
    return True


def _in_currency(usd: Decimal, currency: str, year: int) -> Decimal:
    if currency == "USD":
        return usd
    rate = Decimal(RATES[currency][YEARS.index(year)])
    step = 1_000_000 if currency == "JPY" else 5000
    return _round(float(usd / rate), step)


def seed_countries(donors: dict) -> tuple[int, int]:
    requirements = flows = 0
    donor_list = list(donors.values())
    countries = Country.objects.filter(iso_code__in=PATHFINDER_ISO_CODES).order_by("iso_code")
    for index, country in enumerate(countries):
        rng = random.Random(f"financing-demo-{country.iso_code}")
        themes = THEME_PAIRS[index % len(THEME_PAIRS)]
        currency = "EUR" if country.iso_code in {"FR", "DE"} else "USD"
        size = rng.uniform(0.4, 2.4)
        for year in YEARS:
            for share, theme in zip((0.65, 0.35), themes, strict=True):
                usd = _round(size * share * 1_000_000 * (1 + 0.06 * (year - 2022)))
                amount = usd if currency == "USD" else _in_currency(usd, currency, year)
                requirements += _requirement(
                    recipient_kind=RecipientKind.COUNTRY,
                    country=country,
                    theme=theme,
                    year=year,
                    defaults={"amount": amount, "currency": currency},
                )
        # Two to four donors per country, one flow a donor and year, some covering several years.
        own_donors = rng.sample(donor_list, rng.randint(2, 4))
        for year in YEARS:
            for donor in own_donors:
                if rng.random() < 0.35:
                    continue
                span = 2 if rng.random() < 0.25 and year < YEARS[-1] else 1
                usd = Decimal(span) * _round(size * rng.uniform(0.08, 0.35) * 1_000_000)
                theme = rng.choice(themes)
                decision = datetime.date(
                    year - 1 if rng.random() < 0.5 else year, rng.randint(1, 12), rng.randint(1, 28)
                )
                flows += _flow(
                    donor,
                    amount=_in_currency(
                        usd, donor[1], min(max(decision.year, YEARS[0]), YEARS[-1])
                    ),
                    decision_date=decision,
                    recipient_kind=RecipientKind.COUNTRY,
                    country=country,
                    theme=theme,
                    year_start=year,
                    year_end=year + span - 1,
                    status=_status_for(year, rng),
                )
    return requirements, flows


def seed_action_groups(donors: dict) -> tuple[int, int]:
    requirements = flows = 0
    groups = []
    for name in ACTION_GROUPS:
        group, _created = ActionGroup.objects.get_or_create(
            name=name,
            defaults={"kind": ActionGroup.Kind.ACTION_GROUP, "status": ActionGroup.Status.ACTIVE},
        )
        groups.append(group)
    donor_list = list(donors.values())
    for group in groups:
        rng = random.Random(f"financing-demo-group-{group.name}")
        theme = group.theme or ""
        for year in YEARS:
            requirements += _requirement(
                recipient_kind=RecipientKind.ACTION_GROUP,
                action_group=group,
                theme=theme,
                year=year,
                defaults={"amount": _round(rng.uniform(0.3, 0.9) * 1_000_000), "currency": "USD"},
            )
            donor = rng.choice(donor_list)
            usd = _round(rng.uniform(0.1, 0.6) * 1_000_000)
            flows += _flow(
                donor,
                amount=_in_currency(usd, donor[1], year),
                decision_date=datetime.date(year, rng.randint(1, 6), rng.randint(1, 28)),
                recipient_kind=RecipientKind.ACTION_GROUP,
                action_group=group,
                theme=theme,
                year_start=year,
                status=_status_for(year, rng),
            )
    return requirements, flows


# (donor, function code or "", first year, last year, USD a year, status); decision on 1 March.
SECRETARIAT_FLOWS = [
    ("United States", "", 2022, 2024, "900000", FlowStatus.PAID),
    ("United States", "", 2025, 2026, "800000", FlowStatus.COMMITTED),
    ("United States", "", 2027, 2028, "800000", FlowStatus.PLEDGED),
    ("France", "convening", 2022, 2026, "300000", FlowStatus.PAID),
    ("Netherlands", "partner-services", 2023, 2025, "250000", FlowStatus.PAID),
    ("Netherlands", "partner-services", 2026, 2027, "200000", FlowStatus.COMMITTED),
    ("United Kingdom", "pathfinder-support", 2022, 2025, "500000", FlowStatus.PAID),
    ("United Kingdom", "pathfinder-support", 2026, 2027, "450000", FlowStatus.COMMITTED),
    ("Australia", "communications", 2023, 2026, "200000", FlowStatus.PAID),
    ("Germany", "", 2024, 2027, "400000", FlowStatus.COMMITTED),
    ("Switzerland", "knowledge-platform", 2022, 2025, "350000", FlowStatus.PAID),
    ("Switzerland", "knowledge-platform", 2026, 2027, "300000", FlowStatus.PLEDGED),
    ("International Labour Organization", "", 2022, 2027, "250000", FlowStatus.COMMITTED),
    ("Humanity United", "knowledge-platform", 2025, 2026, "150000", FlowStatus.PAID),
    ("Laudes Foundation", "", 2026, 2028, "120000", FlowStatus.PLEDGED),
]


def seed_secretariat(donors: dict, functions: list[SecretariatFunction]) -> tuple[int, int]:
    requirements = flows = 0
    by_code = {function.code: function for function in functions}
    for function in functions:
        for year in YEARS:
            # Costs grew towards today's level; from 2026 on the current annual cost.
            factor = Decimal(min(1, 0.8 + 0.05 * (year - 2022)))
            requirements += _requirement(
                recipient_kind=RecipientKind.SECRETARIAT,
                secretariat_function=function,
                theme="",
                year=year,
                defaults={
                    "amount": _round(float(function.annual_cost * factor)),
                    "currency": "USD",
                },
            )
    for name, code, first, last, usd_a_year, status in SECRETARIAT_FLOWS:
        donor = donors[name]
        years = last - first + 1
        decision = datetime.date(first - 1 if first > 2022 else 2022, 3, 1)
        flows += _flow(
            donor,
            amount=_in_currency(
                Decimal(usd_a_year) * years, donor[1], min(decision.year, YEARS[-1])
            ),
            decision_date=decision,
            recipient_kind=RecipientKind.SECRETARIAT,
            secretariat_function=by_code.get(code),
            year_start=first,
            year_end=last,
            status=status,
            reference=f"DEMO-SEC-{name[:3].upper()}-{first}",
        )
    return requirements, flows


def seed(*, stdout=None) -> None:
    rates = seed_rates()
    donors = seed_donors()
    functions = seed_functions()
    country_requirements, country_flows = seed_countries(donors)
    group_requirements, group_flows = seed_action_groups(donors)
    secretariat_requirements, secretariat_flows = seed_secretariat(donors, functions)
    seed_durban_tags()
    if stdout:
        stdout.write(
            "Financing (demo figures): "
            f"{rates} exchange rates, "
            f"{country_requirements + group_requirements + secretariat_requirements} requirements and "
            f"{country_flows + group_flows + secretariat_flows} funding flows added"
        )


# The Durban Call to Action areas the money serves, by theme (demo tags; cross-cutting money,
# the Secretariat's included, goes to financing and international cooperation). A record the
# Secretariat tagged already keeps its own.
THEME_DURBAN_AREAS = {
    Theme.CHILD_LABOUR: [DurbanArea.AGRICULTURE, DurbanArea.EDUCATION],
    Theme.FORCED_LABOUR: [DurbanArea.DECENT_WORK, DurbanArea.PREVENTION],
    Theme.MODERN_SLAVERY: [DurbanArea.PREVENTION, DurbanArea.SOCIAL_PROTECTION],
    Theme.HUMAN_TRAFFICKING: [DurbanArea.PREVENTION],
    "": [DurbanArea.FINANCING],
}


def seed_durban_tags() -> None:
    for theme, areas in THEME_DURBAN_AREAS.items():
        tags = [str(area) for area in areas]
        for model in (FundingRequirement, FundingFlow):
            model.objects.filter(theme=theme, durban_areas="").update(durban_areas=tags)
