"""Demo data of the pathfinders app (loaded by `manage.py seed_demo`)."""

import csv
import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

import pathfinders as pathfinders_app
from alliance87.accounts.models import User
from alliance87.choices import DurbanArea, Theme
from pathfinders import quality, reporting
from pathfinders.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Country,
    Direction,
    FocalPoint,
    FrameworkVersion,
    Indicator,
    IndicatorType,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    ReportTransition,
    ReviewComment,
    Roadmap,
    RoadmapTarget,
    Stage,
)
from pathfinders.selectors import previous_values

COUNTRIES_CSV = Path(pathfinders_app.__file__).parent / "data" / "countries.csv"


def seed_countries(*, stdout=None) -> int:
    """Every country with its ISO code, ILO region and time zone; updates them in place."""
    with COUNTRIES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = {c.iso_code: c for c in Country.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        country = existing.get(row["iso_code"])
        if country is None:
            to_create.append(Country(**row))
            continue
        # A time zone the Secretariat set is kept; only the default one is filled in.
        zone = row["time_zone"] if country.time_zone == "UTC" else country.time_zone
        if (country.name, country.ilo_region, country.time_zone) != (
            row["name"],
            row["ilo_region"],
            zone,
        ):
            country.name, country.ilo_region, country.time_zone = (
                row["name"],
                row["ilo_region"],
                zone,
            )
            to_update.append(country)
    Country.objects.bulk_create(to_create)
    Country.objects.bulk_update(to_update, ["name", "ilo_region", "time_zone"])
    if stdout:
        stdout.write(f"Countries: {len(rows)} ({len(to_create)} new)")
    return len(rows)


# --- Pathfinder Countries, roadmaps, framework, periods and reports -----------------------
# Journey steps follow DOMAIN.md where it gives them (Fiji's national planning forum 22-23
# August 2019, DR Congo welcomed as a candidate at the 9th GCG meeting on 28 October 2020,
# Côte d'Ivoire's 2021 pledge); every other date, figure and name is invented demo data.

D = datetime.date
# iso, stage, interest, workshop, roadmap, granted, implementing, inactive, lead ministry
JOURNEYS = [
    (
        "AL",
        Stage.IMPLEMENTING,
        D(2019, 3, 12),
        D(2019, 11, 6),
        D(2020, 6, 30),
        D(2020, 10, 28),
        D(2021, 1, 15),
        None,
        "Ministry of Health and Social Protection",
    ),
    (
        "AR",
        Stage.IMPLEMENTING,
        D(2017, 6, 8),
        D(2018, 4, 17),
        D(2018, 9, 3),
        D(2018, 11, 14),
        D(2019, 1, 10),
        None,
        "Ministerio de Trabajo, Empleo y Seguridad Social",
    ),
    (
        "BJ",
        Stage.ROADMAP_SUBMITTED,
        D(2021, 5, 20),
        D(2022, 6, 14),
        D(2023, 9, 28),
        None,
        None,
        None,
        "Ministère du Travail et de la Fonction Publique",
    ),
    (
        "BR",
        Stage.IMPLEMENTING,
        D(2018, 2, 5),
        D(2018, 10, 23),
        D(2019, 4, 15),
        D(2019, 7, 9),
        D(2019, 9, 2),
        None,
        "Ministério do Trabalho e Emprego",
    ),
    (
        "CM",
        Stage.STATUS_GRANTED,
        D(2020, 2, 18),
        D(2021, 11, 9),
        D(2022, 7, 20),
        D(2022, 12, 13),
        None,
        None,
        "Ministère du Travail et de la Sécurité Sociale",
    ),
    (
        "CF",
        Stage.WORKSHOP_HELD,
        D(2021, 9, 30),
        D(2023, 5, 16),
        None,
        None,
        None,
        None,
        "Ministère de la Fonction Publique et du Travail",
    ),
    (
        "CL",
        Stage.IMPLEMENTING,
        D(2018, 3, 22),
        D(2018, 11, 28),
        D(2019, 5, 6),
        D(2019, 7, 9),
        D(2019, 9, 16),
        None,
        "Ministerio del Trabajo y Previsión Social",
    ),
    (
        "CR",
        Stage.IMPLEMENTING,
        D(2018, 5, 3),
        D(2019, 2, 19),
        D(2019, 8, 12),
        D(2019, 11, 5),
        D(2020, 1, 20),
        None,
        "Ministerio de Trabajo y Seguridad Social",
    ),
    (
        "CI",
        Stage.IMPLEMENTING,
        D(2019, 2, 11),
        D(2019, 10, 15),
        D(2020, 3, 2),
        D(2020, 5, 19),
        D(2020, 7, 1),
        None,
        "Ministère de l'Emploi et de la Protection Sociale",
    ),
    (
        "CD",
        Stage.WORKSHOP_HELD,
        D(2020, 10, 28),
        D(2022, 3, 22),
        None,
        None,
        None,
        None,
        "Ministère de l'Emploi, Travail et Prévoyance Sociale",
    ),
    (
        "ET",
        Stage.IMPLEMENTING,
        D(2019, 1, 24),
        D(2019, 9, 17),
        D(2020, 2, 10),
        D(2020, 5, 19),
        D(2020, 8, 3),
        None,
        "Ministry of Labour and Skills",
    ),
    (
        "FJ",
        Stage.IMPLEMENTING,
        D(2018, 10, 4),
        D(2019, 8, 22),
        D(2019, 12, 9),
        D(2020, 5, 19),
        D(2020, 7, 1),
        None,
        "Ministry of Employment, Productivity and Industrial Relations",
    ),
    (
        "FR",
        Stage.IMPLEMENTING,
        D(2019, 6, 17),
        D(2020, 1, 28),
        D(2020, 6, 15),
        D(2020, 10, 28),
        D(2021, 1, 4),
        None,
        "Ministère du Travail, de la Santé et des Solidarités",
    ),
    (
        "GA",
        Stage.EXPRESSED_INTEREST,
        D(2023, 4, 26),
        None,
        None,
        None,
        None,
        None,
        "Ministère du Travail et de la Lutte contre le Chômage",
    ),
    (
        "DE",
        Stage.IMPLEMENTING,
        D(2019, 6, 20),
        D(2020, 2, 4),
        D(2020, 7, 1),
        D(2020, 10, 28),
        D(2021, 1, 11),
        None,
        "Federal Ministry of Labour and Social Affairs",
    ),
    (
        "GH",
        Stage.IMPLEMENTING,
        D(2018, 4, 9),
        D(2019, 3, 26),
        D(2019, 9, 30),
        D(2019, 11, 5),
        D(2020, 1, 13),
        None,
        "Ministry of Employment and Labour Relations",
    ),
    (
        "GT",
        Stage.STATUS_GRANTED,
        D(2020, 8, 19),
        D(2021, 10, 5),
        D(2022, 8, 29),
        D(2022, 12, 13),
        None,
        None,
        "Ministerio de Trabajo y Previsión Social",
    ),
    (
        "HN",
        Stage.IMPLEMENTING,
        D(2019, 4, 2),
        D(2019, 12, 3),
        D(2020, 6, 22),
        D(2020, 10, 28),
        D(2021, 2, 1),
        None,
        "Secretaría de Trabajo y Seguridad Social",
    ),
    (
        "KE",
        Stage.IMPLEMENTING,
        D(2018, 7, 16),
        D(2019, 5, 21),
        D(2019, 10, 14),
        D(2020, 5, 19),
        D(2020, 7, 6),
        None,
        "Ministry of Labour and Social Protection",
    ),
    (
        "MG",
        Stage.IMPLEMENTING,
        D(2018, 9, 3),
        D(2019, 6, 11),
        D(2019, 11, 25),
        D(2020, 5, 19),
        D(2020, 8, 17),
        None,
        "Ministère du Travail, de l'Emploi et de la Fonction Publique",
    ),
    (
        "MW",
        Stage.IMPLEMENTING,
        D(2018, 11, 12),
        D(2019, 7, 30),
        D(2020, 1, 20),
        D(2020, 5, 19),
        D(2020, 9, 7),
        None,
        "Ministry of Labour",
    ),
    (
        "ML",
        Stage.INACTIVE,
        D(2018, 8, 21),
        D(2019, 4, 9),
        D(2019, 10, 1),
        D(2019, 11, 5),
        D(2020, 2, 3),
        D(2022, 1, 31),
        "Ministère du Travail et de la Fonction Publique",
    ),
    (
        "NP",
        Stage.IMPLEMENTING,
        D(2017, 11, 20),
        D(2018, 8, 14),
        D(2019, 1, 21),
        D(2019, 3, 12),
        D(2019, 5, 6),
        None,
        "Ministry of Labour, Employment and Social Security",
    ),
    (
        "NG",
        Stage.IMPLEMENTING,
        D(2018, 6, 25),
        D(2019, 4, 16),
        D(2019, 10, 21),
        D(2020, 5, 19),
        D(2020, 9, 14),
        None,
        "Federal Ministry of Labour and Employment",
    ),
    (
        "UG",
        Stage.IMPLEMENTING,
        D(2018, 3, 5),
        D(2018, 12, 11),
        D(2019, 6, 17),
        D(2019, 7, 9),
        D(2019, 10, 7),
        None,
        "Ministry of Gender, Labour and Social Development",
    ),
    (
        "UZ",
        Stage.STATUS_GRANTED,
        D(2021, 3, 15),
        D(2022, 4, 19),
        D(2023, 11, 6),
        D(2025, 6, 10),
        None,
        None,
        "Ministry of Employment and Poverty Reduction",
    ),
]

PILLARS = [
    "Policy and legal framework",
    "Prevention and protection",
    "Law enforcement and access to justice",
    "Data, research and monitoring",
    "Partnerships and resources",
]

# code, pillar, title, kind, unit, baseline, baseline year, target, target year, direction,
# minimum, maximum; milestone targets are dates.
INDICATORS = [
    (
        "PL1",
        0,
        "National action plan on Target 8.7 adopted and costed",
        IndicatorType.YES_NO,
        "",
        0,
        2019,
        1,
        2025,
        Direction.INCREASE,
        None,
        None,
    ),
    (
        "PL2",
        0,
        "Hazardous work list for children revised",
        IndicatorType.MILESTONE,
        "",
        None,
        None,
        D(2024, 12, 31),
        2024,
        Direction.INCREASE,
        None,
        None,
    ),
    (
        "PL3",
        0,
        "Share of the roadmap budget funded from the national budget",
        IndicatorType.PERCENTAGE,
        "%",
        10,
        2020,
        60,
        2030,
        Direction.INCREASE,
        None,
        None,
    ),
    (
        "PR1",
        1,
        "Children aged 5-17 in child labour",
        IndicatorType.PERCENTAGE,
        "% of age group",
        14,
        2020,
        5,
        2025,
        Direction.DECREASE,
        None,
        None,
    ),
    (
        "PR2",
        1,
        "Children withdrawn from child labour and referred to services",
        IndicatorType.NUMBER,
        "children",
        0,
        2020,
        6000,
        2025,
        Direction.INCREASE,
        0,
        500000,
    ),
    (
        "PR3",
        1,
        "Households in target districts covered by social protection",
        IndicatorType.PERCENTAGE,
        "%",
        22,
        2020,
        50,
        2030,
        Direction.INCREASE,
        None,
        None,
    ),
    (
        "EN1",
        2,
        "Labour inspectors per 10 000 workers",
        IndicatorType.NUMBER,
        "inspectors",
        0.4,
        2020,
        1,
        2030,
        Direction.INCREASE,
        0,
        50,
    ),
    (
        "EN2",
        2,
        "Labour inspections covering child and forced labour",
        IndicatorType.NUMBER,
        "inspections",
        250,
        2020,
        1500,
        2030,
        Direction.INCREASE,
        0,
        1000000,
    ),
    (
        "EN3",
        2,
        "Prosecutions for trafficking in persons",
        IndicatorType.NUMBER,
        "cases",
        12,
        2020,
        45,
        2030,
        Direction.INCREASE,
        0,
        100000,
    ),
    (
        "DA1",
        3,
        "National child labour survey completed in the last five years",
        IndicatorType.YES_NO,
        "",
        0,
        2020,
        1,
        2025,
        Direction.INCREASE,
        None,
        None,
    ),
    (
        "DA2",
        3,
        "Districts covered by a child labour monitoring system",
        IndicatorType.NUMBER,
        "districts",
        0,
        2020,
        20,
        2030,
        Direction.INCREASE,
        0,
        5000,
    ),
    (
        "DA3",
        3,
        "Victims of forced labour and trafficking identified and assisted",
        IndicatorType.NUMBER,
        "people",
        80,
        2020,
        400,
        2030,
        Direction.INCREASE,
        0,
        1000000,
    ),
    (
        "PA1",
        4,
        "Workers' and employers' organisations sit in the national coordination mechanism",
        IndicatorType.YES_NO,
        "",
        0,
        2020,
        1,
        2022,
        Direction.INCREASE,
        None,
        None,
    ),
    (
        "PA2",
        4,
        "Meetings of the national coordination mechanism in the period",
        IndicatorType.NUMBER,
        "meetings",
        0,
        2020,
        4,
        2025,
        Direction.INCREASE,
        0,
        365,
    ),
]
# Version 2 adds an indicator asked for at the December 2022 strategy workshop.
INDICATORS_V2_EXTRA = [
    (
        "PA3",
        4,
        "Lessons shared with other Pathfinder Countries",
        IndicatorType.TEXT,
        "",
        None,
        None,
        None,
        None,
        Direction.INCREASE,
        None,
        None,
    ),
]

# code, title, themes, Durban areas, responsible (None: the lead ministry), budget (USD)
COMMITMENTS = [
    (
        "1.1",
        "Revise the hazardous work list and align the minimum working age with C138",
        [Theme.CHILD_LABOUR],
        [DurbanArea.DECENT_WORK],
        None,
        120_000,
    ),
    (
        "1.2",
        "Extend child labour monitoring to the main agricultural districts",
        [Theme.CHILD_LABOUR],
        [DurbanArea.AGRICULTURE, DurbanArea.PREVENTION],
        "National Statistics Office",
        850_000,
    ),
    (
        "2.1",
        "Train labour inspectors on forced labour and trafficking indicators",
        [Theme.FORCED_LABOUR, Theme.HUMAN_TRAFFICKING],
        [],
        "Labour Inspectorate",
        300_000,
    ),
    (
        "2.2",
        "Set up a national referral mechanism for victims of trafficking",
        [Theme.HUMAN_TRAFFICKING, Theme.MODERN_SLAVERY],
        [DurbanArea.PREVENTION],
        "Ministry of Justice",
        450_000,
    ),
    (
        "3.1",
        "Cash transfers tied to school attendance in target districts",
        [Theme.CHILD_LABOUR],
        [DurbanArea.EDUCATION, DurbanArea.SOCIAL_PROTECTION],
        "Ministry of Social Protection",
        2_400_000,
    ),
]
COMMITMENT_PROGRESS = [
    (CommitmentStatus.ON_TRACK, ""),
    (
        CommitmentStatus.DELAYED,
        "Procurement of the data collection tablets took six months longer than planned (demo data).",
    ),
    (CommitmentStatus.ON_TRACK, ""),
    (
        CommitmentStatus.OFF_TRACK,
        "The budget line was cut in the supplementary budget; the ministry seeks partner funding (demo data).",
    ),
    (CommitmentStatus.COMPLETED, ""),
]


# The Durban Call to Action areas each indicator measures (demo tags).
INDICATOR_DURBAN_AREAS = {
    "PL1": [DurbanArea.FINANCING],
    "PL2": [DurbanArea.DECENT_WORK, DurbanArea.AGRICULTURE],
    "PL3": [DurbanArea.FINANCING],
    "PR1": [DurbanArea.PREVENTION],
    "PR2": [DurbanArea.EDUCATION, DurbanArea.SOCIAL_PROTECTION],
    "PR3": [DurbanArea.SOCIAL_PROTECTION],
    "EN1": [DurbanArea.DECENT_WORK],
    "EN2": [DurbanArea.DECENT_WORK, DurbanArea.AGRICULTURE],
    "EN3": [DurbanArea.PREVENTION],
    "DA1": [DurbanArea.PREVENTION],
    "DA2": [DurbanArea.PREVENTION, DurbanArea.AGRICULTURE],
    "DA3": [DurbanArea.PREVENTION],
    "PA1": [DurbanArea.DECENT_WORK],
    "PA3": [DurbanArea.FINANCING],
}


def _framework() -> tuple[FrameworkVersion, FrameworkVersion]:
    v1, _ = FrameworkVersion.objects.update_or_create(
        number=1,
        defaults={
            "title": "Pathfinder accountability framework",
            "adopted_on": D(2020, 10, 28),
            "notes": "Adopted with the M&E and accountability framework at the 9th GCG meeting (demo data).",
        },
    )
    v2, _ = FrameworkVersion.objects.update_or_create(
        number=2,
        defaults={
            "title": "Pathfinder accountability framework (revised)",
            "adopted_on": D(2022, 12, 16),
            "notes": "Adds PA3 on peer learning, agreed after the December 2022 strategy workshop (demo data).",
        },
    )
    for version, rows in ((v1, INDICATORS), (v2, INDICATORS + INDICATORS_V2_EXTRA)):
        for order, row in enumerate(rows, start=1):
            (
                code,
                pillar,
                title,
                kind,
                unit,
                baseline,
                b_year,
                target,
                t_year,
                direction,
                low,
                high,
            ) = row
            milestone = kind == IndicatorType.MILESTONE
            Indicator.objects.update_or_create(
                version=version,
                code=code,
                defaults={
                    "title": title,
                    "pillar": PILLARS[pillar],
                    "kind": kind,
                    "unit": unit,
                    "baseline": None if baseline is None else Decimal(str(baseline)),
                    "baseline_year": b_year,
                    "target": None if milestone or target is None else Decimal(str(target)),
                    "target_date": target if milestone else None,
                    "target_year": t_year,
                    "direction": direction,
                    "minimum": None if low is None else Decimal(str(low)),
                    "maximum": None if high is None else Decimal(str(high)),
                    "order": order,
                    "durban_areas": [str(a) for a in INDICATOR_DURBAN_AREAS.get(code, [])],
                },
            )
    return v1, v2


def _periods(
    today: datetime.date, v1: FrameworkVersion, v2: FrameworkVersion
) -> list[ReportingPeriod]:
    """Three past annual periods and one half-year period open today."""
    last_year = today.year - 1
    while D(last_year + 1, 3, 31) + datetime.timedelta(days=60) > today:
        last_year -= 1
    periods = []
    for index, year in enumerate(range(last_year - 2, last_year + 1)):
        period, _ = ReportingPeriod.objects.update_or_create(
            label=str(year),
            defaults={
                "kind": ReportingPeriod.Kind.ANNUAL,
                "framework_version": v1 if index == 0 else v2,
                "opens_on": D(year + 1, 1, 15),
                "due_on": D(year + 1, 3, 31),
                "grace_days": 14,
            },
        )
        periods.append(period)
    half = f"{today.year} H1" if today.month >= 7 else f"{today.year - 1} H2"
    current, _ = ReportingPeriod.objects.update_or_create(
        label=half,
        defaults={
            "kind": ReportingPeriod.Kind.HALF_YEAR,
            "framework_version": v2,
            "opens_on": today - datetime.timedelta(days=30),
            "due_on": today + datetime.timedelta(days=21),
            "grace_days": 7,
        },
    )
    periods.append(current)
    return periods


def _pathfinders() -> dict[str, PathfinderCountry]:
    from governance.models import Decision

    result = {}
    countries = Country.objects.in_bulk([row[0] for row in JOURNEYS], field_name="iso_code")
    for (
        iso,
        stage,
        interest,
        workshop,
        roadmap,
        granted,
        implementing,
        inactive,
        ministry,
    ) in JOURNEYS:
        country = countries[iso]
        decision = (
            Decision.objects.filter(kind="grant_pathfinder_status", text__icontains=country.name)
            .order_by("date")
            .first()
            if granted
            else None
        )
        summary = (
            f"{country.name} expressed interest in becoming a Pathfinder Country on "
            f"{interest:%d %B %Y}."
        )
        if iso == "FJ":
            summary += (
                " Its national planning forum of 22-23 August 2019 agreed the roadmap and a "
                "national coordination mechanism."
            )
        if iso == "CD":
            summary += " The GCG welcomed it as a candidate at its 9th meeting, 28 October 2020."
        if iso == "CI":
            summary += " In 2021 it pledged a child labour monitoring system in two regions."
        pathfinder, _ = PathfinderCountry.objects.update_or_create(
            country=country,
            defaults={
                "stage": stage,
                "interest_expressed_on": interest,
                "workshop_held_on": workshop,
                "roadmap_submitted_on": roadmap,
                "status_granted_on": granted,
                "status_decision": decision,
                "implementation_started_on": implementing,
                "inactive_since": inactive,
                "lead_ministry": ministry,
                "coordination_mechanism": "National Steering Committee on Target 8.7",
                "is_public": True,
                "public_summary": summary,
            },
        )
        pathfinder.full_clean()
        result[iso] = pathfinder
    return result


def _roadmap(pathfinder: PathfinderCountry) -> list[Commitment]:
    if pathfinder.roadmap_submitted_on is None:
        return []
    start = pathfinder.roadmap_submitted_on.year
    roadmap, _ = Roadmap.objects.get_or_create(
        pathfinder=pathfinder,
        title=f"National roadmap on Target 8.7, {pathfinder.country.name}",
        defaults={
            "adopted_on": pathfinder.status_granted_on,
            "starts_year": start,
            "ends_year": start + 6,
            "summary": (
                "Priorities, key actions, responsible parties, timelines and budgets agreed at the "
                "national strategic planning workshop (demo data)."
            ),
        },
    )
    commitments = []
    rnd = random.Random(pathfinder.country.iso_code)
    count = 4 if rnd.random() < 0.5 else 5
    for code, title, themes, areas, responsible, budget in COMMITMENTS[:count]:
        commitment, _ = Commitment.objects.get_or_create(
            roadmap=roadmap,
            code=code,
            defaults={
                "title": title,
                "description": f"{title}. Key action of the roadmap (demo data).",
                "themes": [str(t) for t in themes],
                "durban_areas": [str(a) for a in areas],
                "responsible_institution": responsible or pathfinder.lead_ministry,
                "target_date": D(start + rnd.randint(3, 6), 12, 31),
                "budget": Decimal(budget)
                * Decimal(rnd.choice([0.5, 0.8, 1, 1.2, 1.5])).quantize(Decimal("0.1")),
            },
        )
        commitments.append(commitment)
    return commitments


# The countries whose roadmap sets its own baselines and targets (demo figures): code,
# baseline, baseline year, target (a date for milestones), target year. Every other indicator
# keeps the framework's (EN2: 250 in 2020, 1 500 by 2030).
# Per country: (indicator code, baseline, baseline year, target or target date, target year).
COUNTRY_TARGETS: dict[str, list[tuple[str, int | None, int | None, int | datetime.date, int]]] = {
    "FJ": [
        ("EN2", 40, 2019, 240, 2027),
        ("DA2", 0, 2019, 14, 2026),
        ("PR2", 0, 2019, 600, 2026),
        ("PL2", None, None, D(2025, 6, 30), 2025),
    ],
    "CI": [
        ("EN2", 600, 2020, 4000, 2030),
        ("DA2", 2, 2020, 60, 2030),
        ("PR1", 31, 2020, 15, 2030),
    ],
    "HN": [
        ("EN2", 180, 2020, 900, 2030),
        ("EN3", 20, 2020, 60, 2030),
        ("PR1", 10, 2020, 6, 2028),
    ],
}


def _country_targets(pathfinder: PathfinderCountry, version: FrameworkVersion) -> None:
    """The country's own targets on its roadmap; a code it already has a target for (set by
    an earlier run, or changed by someone since) is left as it is."""
    rows = COUNTRY_TARGETS.get(pathfinder.country.iso_code)
    roadmap = pathfinder.roadmaps.order_by("starts_year").first()
    if not rows or roadmap is None:
        return
    indicators = {i.code: i for i in Indicator.objects.filter(version=version)}
    present = set(roadmap.targets.values_list("indicator__code", flat=True))
    for code, baseline, baseline_year, target, target_year in rows:
        if code in present:
            continue
        target_date = target if isinstance(target, datetime.date) else None
        row = RoadmapTarget(
            roadmap=roadmap,
            indicator=indicators[code],
            baseline=None if baseline is None else Decimal(str(baseline)),
            baseline_year=baseline_year,
            target=None if target_date else Decimal(str(target)),
            target_date=target_date,
            target_year=target_year,
        )
        row.full_clean()
        row.save()


# Which state each country's report is in, by period: index 0 to 2 the past periods, 3 the
# open one. Missing countries have no report (overdue in the past, not started now).
OPEN_PERIOD_STATES = {
    "FJ": ReportStatus.DRAFT,
    "CI": ReportStatus.RETURNED,
    "AR": ReportStatus.ACCEPTED,
    "GH": ReportStatus.SUBMITTED,
    "KE": ReportStatus.SUBMITTED,
    "NP": ReportStatus.SUBMITTED,
    "BR": ReportStatus.DRAFT,
    "UG": ReportStatus.DRAFT,
    "CL": ReportStatus.DRAFT,
    "HN": ReportStatus.RETURNED,
}
LAST_PAST_PERIOD_STATES = {
    "MW": ReportStatus.SUBMITTED,
    "NG": ReportStatus.RETURNED,
    "MG": None,  # never reported: overdue
    "CM": ReportStatus.DRAFT,  # started, never submitted: overdue
    "GH": ReportStatus.REOPENED,  # accepted, then taken back by the Secretariat
}


def _value_for(
    indicator: Indicator, reference: reporting.Reference, progress: float, rnd: random.Random
) -> dict:
    """A value `progress` of the way from the country's baseline towards its target."""
    kind = indicator.kind
    if kind == IndicatorType.TEXT:
        return {
            "value_text": "Exchange visit with another Pathfinder Country on labour inspection (demo data)."
        }
    if kind == IndicatorType.MILESTONE:
        if progress < 0.5:
            return {}
        assert reference.target_date is not None  # every milestone indicator has one
        offset = rnd.randint(-200, 120)
        return {"value_date": reference.target_date + datetime.timedelta(days=offset)}
    if kind == IndicatorType.YES_NO:
        return {"value_number": Decimal(1) if progress > 0.45 else reference.baseline}
    baseline, target = reference.baseline, reference.target
    assert baseline is not None and target is not None  # set for every counted indicator
    value = float(baseline) + progress * (float(target) - float(baseline))
    value *= rnd.uniform(0.92, 1.08)
    low, high = indicator.bounds()
    assert low is not None and high is not None  # a counted indicator has bounds
    value = min(max(value, float(low)), float(high))
    # Counts are whole; shares and ratios (inspectors per 10 000 workers) keep a decimal.
    fractional = kind == IndicatorType.PERCENTAGE or indicator.code == "EN1"
    places = Decimal("0.1") if fractional else Decimal("1")
    return {"value_number": Decimal(str(value)).quantize(places)}


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment of the demo's history: never in the future, so a report seeded today is not
    "submitted" hours after it was reviewed."""
    moment = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, 0)), datetime.UTC
    )
    return min(moment, timezone.now() - datetime.timedelta(hours=1))


REPORT_SUMMARY = (
    "Progress of {country} in {period}: the coordination mechanism met as planned and "
    "inspection coverage grew (demo data)."
)
VALUE_SOURCE = "Source: administrative records of the lead ministry (demo data)."
CHANGE_NOTE = "The new survey covers every district, the previous one only the capital (demo data)."
RETURN_COMMENT = "Thank you. Please complete the two points below before we accept the report."
# What the reviewer asks about a returned report: (indicator or commitment, its code, text).
REVIEW_COMMENTS = [
    (
        "indicator",
        "EN2",
        "Please give the source of the inspection figure and whether it counts joint inspections.",
    ),
    (
        "commitment",
        "1.2",
        "The narrative says the tablets arrived: should the status still be delayed?",
    ),
]
REOPEN_REASON = "The national survey published corrected figures: please update EN2 and resubmit."

# to status, from status, by, at, comment
Transition = tuple[str, str, User | None, datetime.datetime, str]


def _report(
    *,
    pathfinder: PathfinderCountry,
    period: ReportingPeriod,
    index: int,
    state: str,
    commitments: list[Commitment],
    author,
    reviewer,
    today: datetime.date,
) -> None:
    """A report of `pathfinder` for `period` that went through the workflow up to `state`:
    its values `index` periods along the country's pace, its history, the reviewer's notes."""
    if ProgressReport.objects.filter(pathfinder=pathfinder, period=period).exists():
        return  # keep what people did with the demo
    rnd = random.Random(f"{pathfinder.country.iso_code}-{period.label}")
    pace = random.Random(pathfinder.country.iso_code).uniform(0.06, 0.34)
    progress_base = min(1.0, pace * (index + 1))
    start = min(period.opens_on + datetime.timedelta(days=rnd.randint(2, 20)), today)
    late = rnd.random() < 0.25
    submitted_day = period.due_on + datetime.timedelta(
        days=rnd.randint(20, 40) if late else -rnd.randint(1, 25)
    )
    submitted_day = max(min(submitted_day, today), start)
    report = ProgressReport.objects.create(
        pathfinder=pathfinder,
        period=period,
        status=ReportStatus.DRAFT,
        summary=REPORT_SUMMARY.format(country=pathfinder.country.name, period=period.label),
        created_by=author,
        updated_by=author,
    )
    started: Transition = (ReportStatus.DRAFT, "", author, _at(start), "")
    indicators = list(Indicator.objects.filter(version=period.framework_version))
    _report_values(report, indicators, state=state, progress_base=progress_base, rnd=rnd)
    _report_commitments(report, commitments, index=index, progress_base=progress_base)
    transitions = [
        started,
        *_report_workflow(report, state, submitted_day=submitted_day, reviewer=reviewer, rnd=rnd),
    ]
    report.status = state
    report.version = len(transitions)
    report.full_clean()
    report.save()
    _report_history(report, transitions, indicators=indicators, commitments=commitments)
    if state == ReportStatus.ACCEPTED:
        for update in report.commitment_updates.select_related("commitment"):
            update.commitment.status = update.status
            update.commitment.progress_percent = update.progress_percent
            update.commitment.save()


def _report_values(
    report: ProgressReport,
    indicators: list[Indicator],
    *,
    state: str,
    progress_base: float,
    rnd: random.Random,
) -> None:
    """A value for each indicator but the last few (more left out of drafts), with a change
    note where a value jumps from the last accepted one."""
    author = report.created_by
    references = reporting.references(
        pathfinder=report.pathfinder, period=report.period, indicators=indicators
    )
    skip = rnd.randint(0, 3) if state == ReportStatus.DRAFT else rnd.randint(0, 1)
    previous = previous_values(report=report)
    for indicator in indicators[: len(indicators) - skip]:
        progress = min(1.0, max(0.0, progress_base + rnd.uniform(-0.15, 0.15)))
        fields = _value_for(indicator, references[indicator.pk], progress, rnd)
        if not fields:
            continue
        value = IndicatorValue(
            report=report,
            indicator=indicator,
            narrative=VALUE_SOURCE if rnd.random() < 0.4 else "",
            **fields,
        )
        value.previous_accepted = previous.get(indicator.code)
        if quality.jumped(
            kind=indicator.kind,
            value_number=value.value_number,
            previous=value.previous_accepted,
        ):
            value.change_note = CHANGE_NOTE
        value.full_clean()
        setattr(value, "_history_user", author)  # noqa: B010  the history's author
        value.save()


def _report_commitments(
    report: ProgressReport, commitments: list[Commitment], *, index: int, progress_base: float
) -> None:
    for position, commitment in enumerate(commitments):
        status, narrative = COMMITMENT_PROGRESS[(position + index) % len(COMMITMENT_PROGRESS)]
        progress = (
            100
            if status == CommitmentStatus.COMPLETED
            else min(95, int(100 * progress_base) + 5 * position)
        )
        update = CommitmentUpdate(
            report=report,
            commitment=commitment,
            status=status,
            progress_percent=progress,
            narrative=narrative,
        )
        update.full_clean()
        setattr(update, "_history_user", report.created_by)  # noqa: B010  the history's author
        update.save()


def _report_workflow(
    report: ProgressReport,
    state: str,
    *,
    submitted_day: datetime.date,
    reviewer,
    rnd: random.Random,
) -> list[Transition]:
    """The steps after the draft that lead to `state`; sets the report's workflow dates."""
    author = report.created_by
    transitions: list[Transition] = []
    if state != ReportStatus.DRAFT:
        submitted_at = _at(submitted_day, 14)
        report.first_submitted_at = report.submitted_at = submitted_at
        report.submitted_by = author
        transitions.append((ReportStatus.SUBMITTED, ReportStatus.DRAFT, author, submitted_at, ""))
    if state == ReportStatus.RETURNED:
        returned_at = min(_at(submitted_day + datetime.timedelta(days=6), 9), timezone.now())
        report.returned_at, report.returned_by = returned_at, reviewer
        transitions.append(
            (ReportStatus.RETURNED, ReportStatus.SUBMITTED, reviewer, returned_at, RETURN_COMMENT)
        )
    if state in (ReportStatus.ACCEPTED, ReportStatus.REOPENED):
        accepted_at = min(
            _at(submitted_day + datetime.timedelta(days=rnd.randint(5, 20)), 11), timezone.now()
        )
        report.accepted_at, report.accepted_by = accepted_at, reviewer
        transitions.append(
            (ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, reviewer, accepted_at, "")
        )
        if state == ReportStatus.REOPENED:
            reopened_at = min(accepted_at + datetime.timedelta(days=30), timezone.now())
            transitions.append(
                (ReportStatus.REOPENED, ReportStatus.ACCEPTED, reviewer, reopened_at, REOPEN_REASON)
            )
    return transitions


def _report_history(
    report: ProgressReport,
    transitions: list[Transition],
    *,
    indicators: list[Indicator],
    commitments: list[Commitment],
) -> None:
    """The transition log, with the reviewer's comments on the return."""
    for to_status, from_status, by, at, comment in transitions:
        transition = ReportTransition.objects.create(
            report=report,
            to_status=to_status,
            from_status=from_status,
            by=by,
            at=at,
            comment=comment,
        )
        if to_status != ReportStatus.RETURNED:
            continue
        for target, code, text in REVIEW_COMMENTS:
            if target == "indicator":
                indicator = next((i for i in indicators if i.code == code), None)
                if indicator:
                    ReviewComment.objects.create(
                        report=report, transition=transition, indicator=indicator, text=text
                    )
            else:
                commitment = next((c for c in commitments if c.code == code), None)
                if commitment:
                    ReviewComment.objects.create(
                        report=report, transition=transition, commitment=commitment, text=text
                    )


def seed(*, stdout=None) -> None:
    from alliance87.accounts.models import User

    today = timezone.localdate()
    v1, v2 = _framework()
    periods = _periods(today, v1, v2)
    pathfinders = _pathfinders()
    reviewer = User.objects.filter(email="secretariat@alliance87.test").first()
    authors = {
        fp.country.iso_code: fp.user
        for fp in FocalPoint.objects.select_related("user", "country").filter(
            country__iso_code__in=pathfinders
        )
    }
    reports_before = ProgressReport.objects.count()
    for iso, pathfinder in pathfinders.items():
        commitments = _roadmap(pathfinder)
        _country_targets(pathfinder, v2)
        if pathfinder.status_granted_on is None:
            continue
        for index, period in enumerate(periods):
            if pathfinder.status_granted_on >= period.opens_on:
                continue
            if pathfinder.inactive_since and pathfinder.inactive_since <= period.opens_on:
                continue
            if index == len(periods) - 1:
                state = OPEN_PERIOD_STATES.get(iso)
            elif index == len(periods) - 2 and iso in LAST_PAST_PERIOD_STATES:
                state = LAST_PAST_PERIOD_STATES[iso]
            else:
                state = ReportStatus.ACCEPTED
            if state is None:
                continue
            _report(
                pathfinder=pathfinder,
                period=period,
                index=index,
                state=state,
                commitments=commitments,
                author=authors.get(iso),
                reviewer=reviewer,
                today=today,
            )
    if stdout:
        stdout.write(
            f"Pathfinder Countries: {len(pathfinders)}, periods: {len(periods)}, "
            f"reports: {ProgressReport.objects.count()} ({ProgressReport.objects.count() - reports_before} new)"
        )
