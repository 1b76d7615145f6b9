"""Engagement figures: the partner analysis as language-neutral data (codes, counts and dates).

The database groups the engagement records (by partner, and by year and type); pandas only
combines the grouped rows with the partners. `partners.partner_analysis` caches these figures
and adds the labels in the reader's language.
"""

import datetime
from typing import Any

import pandas as pd
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractYear

from alliance87.models import IloRegion

from ..models import Engagement, Organisation, Partner, PartnerService

# The region code of partners without a country (international organisations).
GLOBAL_REGION = "global"

# (code, partners, engaged partners, records) for one organisation type or region.
DimensionRow = tuple[str, int, int, int]


def _partner_filter(*, organisation_kind: str, region: str, prefix: str = "") -> Q:
    """The partners shown: by organisation type and ILO region (none: international)."""
    q = Q()
    if organisation_kind:
        q &= Q(**{f"{prefix}organisation__kind": organisation_kind})
    if region == GLOBAL_REGION:
        q &= Q(**{f"{prefix}organisation__country__isnull": True})
    elif region:
        q &= Q(**{f"{prefix}organisation__country__ilo_region": region})
    return q


def _period_filter(start: datetime.date | None, end: datetime.date | None) -> Q:
    period = Q()
    if start:
        period &= Q(date__gte=start)
    if end:
        period &= Q(date__lte=end)
    return period


def _partners_frame(*, organisation_kind: str, region: str) -> pd.DataFrame:
    """One row a partner shown: id, joined_on, name, org_kind and region (GLOBAL_REGION if none)."""
    partners = pd.DataFrame.from_records(
        list(
            Partner.objects.filter(
                _partner_filter(organisation_kind=organisation_kind, region=region)
            )
            .order_by()
            .values_list(
                "id",
                "joined_on",
                "organisation__name",
                "organisation__kind",
                "organisation__country__ilo_region",
            )
        ),
        columns=["id", "joined_on", "name", "org_kind", "region"],
    )
    partners["region"] = partners["region"].fillna(GLOBAL_REGION)
    return partners


def _partner_table(
    partners: pd.DataFrame, engagements: QuerySet[Engagement], kinds: list[str]
) -> pd.DataFrame:
    """The partners indexed by id, with their records of each type (`n_<kind>`), the total
    (`records`), whether they have any (`engaged`) and their last record's date (`last`)."""
    per_partner = pd.DataFrame.from_records(
        list(
            engagements.values("partner_id").annotate(
                **{f"n_{k}": Count("pk", filter=Q(kind=k)) for k in kinds},
                last=Max("date"),
            )
        ),
        columns=["partner_id", *[f"n_{k}" for k in kinds], "last"],
    ).set_index("partner_id")
    per_partner["records"] = per_partner[[f"n_{k}" for k in kinds]].sum(axis=1)
    table = partners.set_index("id").join(per_partner, how="left")
    for column in [*[f"n_{k}" for k in kinds], "records"]:
        table[column] = table[column].fillna(0).astype(int)
    table["engaged"] = (table["records"] > 0).astype(int)
    return table


def _by_dimension(table: pd.DataFrame, column: str, codes: list[str]) -> list[DimensionRow]:
    """Partners, engaged partners and records for each code of `column` (organisation type or
    region) that has partners: partners count even without any engagement."""
    grouped = table.groupby(column).agg(
        partners=("records", "size"),
        engaged=("engaged", "sum"),
        records=("records", "sum"),
    )
    return [
        (
            code,
            int(grouped.loc[code, "partners"]),
            int(grouped.loc[code, "engaged"]),
            int(grouped.loc[code, "records"]),
        )
        for code in codes
        if code in grouped.index
    ]


def _records_by_year(
    engagements: QuerySet[Engagement],
) -> tuple[list[int], list[str], list[list[int]]]:
    """Records a year and type, every year from the first to the last: the years, the types
    that occur (in their declared order) and, per year, the count of each type."""
    per_year = pd.DataFrame.from_records(
        list(
            engagements.annotate(year=ExtractYear("date"))
            .values("year", "kind")
            .annotate(n=Count("pk"))
        ),
        columns=["year", "kind", "n"],
    )
    if per_year.empty:
        return [], [], []
    pivot = per_year.pivot_table(
        index="year", columns="kind", values="n", aggfunc="sum", fill_value=0
    )
    pivot = pivot.reindex(columns=[k for k in Engagement.Kind.values if k in pivot.columns])
    pivot = pivot.reindex(range(int(pivot.index.min()), int(pivot.index.max()) + 1), fill_value=0)
    years = [int(year) for year in pivot.index]
    year_kinds = list(pivot.columns)
    year_counts = [[int(pivot.loc[year, k]) for k in year_kinds] for year in pivot.index]
    return years, year_kinds, year_counts


def _least_engaged(table: pd.DataFrame, count: int) -> list[tuple[Any, ...]]:
    """The `count` partners with the fewest records in the period (none at all first), then the
    oldest last record; names are unique, so the order is complete. A row: name, organisation
    type, region, joined on, records, last record (or None)."""
    least = table.sort_values(
        ["records", "last", "name"], ascending=[True, True, True], na_position="first"
    ).head(count)
    return [
        (
            row["name"],
            row["org_kind"],
            row["region"],
            row["joined_on"],
            int(row["records"]),
            row["last"] if isinstance(row["last"], datetime.date) else None,
        )
        for _id, row in least.iterrows()
    ]


def _service_counts(shown: Q, period: Q) -> dict[str, tuple[int, int]]:
    """Services the Alliance gave the partners shown, in the period (whatever the type):
    (records, partners served) by service type."""
    return {
        row["kind"]: (row["records"], row["partners"])
        for row in PartnerService.objects.filter(shown, period)
        .order_by()
        .values("kind")
        .annotate(records=Count("pk"), partners=Count("partner", distinct=True))
    }


def engagement_figures(
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    kind: str,
    organisation_kind: str,
    region: str,
    least_engaged: int,
) -> dict[str, Any]:
    """The partner analysis as language-neutral data: codes, counts and dates.

    Queries: partners (with organisation and country), engagement records by partner, by year
    and type, services.
    """
    kinds = [kind] if kind else list(Engagement.Kind.values)
    period = _period_filter(start, end)
    shown = _partner_filter(organisation_kind=organisation_kind, region=region, prefix="partner__")
    engagements = Engagement.objects.filter(shown, period).order_by()
    if kind:
        engagements = engagements.filter(kind=kind)

    partners = _partners_frame(organisation_kind=organisation_kind, region=region)
    table = _partner_table(partners, engagements, kinds)
    # By type of engagement: every type, or only the one asked for.
    by_kind = [
        (k, int(table[f"n_{k}"].sum()), int((table[f"n_{k}"] > 0).sum()))
        for k in (kinds if kind else Engagement.Kind.values)
    ]
    by_org_kind = _by_dimension(table, "org_kind", list(Organisation.Kind.values))
    by_region = _by_dimension(table, "region", [*IloRegion.values, GLOBAL_REGION])
    years, year_kinds, year_counts = _records_by_year(engagements)
    least_rows = _least_engaged(table, least_engaged)
    service_counts = _service_counts(shown, period)
    services = [(k, *service_counts[k]) for k in PartnerService.Kind.values if k in service_counts]

    return {
        "by_kind": by_kind,
        "by_org_kind": by_org_kind,
        "by_region": by_region,
        "years": years,
        "year_kinds": year_kinds,
        "year_counts": year_counts,
        "least_engaged": least_rows,
        "services": services,
        "figures": {
            "partners": len(table),
            "engaged": int(table["engaged"].sum()),
            "records": int(table["records"].sum()),
            "services": sum(service_counts[k][0] for k in service_counts),
        },
    }
