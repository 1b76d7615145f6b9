"""Reads of the financing area: the gap analysis and the Secretariat's sustainability.

Amounts are added up as whole US cents, in the database: each original Decimal amount is
converted with the yearly rate table and rounded to the cent (half up) there, one flow at a
time, then spread over the years it covers, leftover cents to the first years; the sums come
back out as Decimal. Funding counts toward coverage once committed: pledges are shown beside
it, never in it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance87.access import can_read_everything, focal_point_country_ids
from alliance87.aggregates import cached_aggregate
from alliance87.choices import Theme
from governance.models import ActionGroup, Organisation
from pathfinders.models import Country, IloRegion

from .models import (
    COUNTED_STATUSES,
    FlowStatus,
    FundingFlow,
    FundingRequirement,
    RecipientKind,
    SecretariatFunction,
)
from .rates import RateTable, UsdCents, rate_expression

TOP_DONORS = 5
PROJECTION_YEARS = 3
ONE = Decimal(1)
TENTH = Decimal("0.1")

# ---------------------------------------------------------------------------------------------
# Tables shared by the pages and the exports, so a download holds exactly what the page shows.


@dataclass(frozen=True)
class TableColumn:
    header: str
    kind: str = "text"  # text, usd, percent, number


@dataclass
class Table:
    key: str
    caption: str
    columns: list[TableColumn]
    rows: list[list] = field(default_factory=list)
    total: list | None = None

    def _typed(self, row: list) -> list[tuple]:
        return [(value, column.kind) for value, column in zip(row, self.columns, strict=True)]

    @property
    def typed_rows(self) -> list[list[tuple]]:
        """(value, kind) pairs, for templates that format each cell by its column."""
        return [self._typed(row) for row in self.rows]

    @property
    def typed_total(self) -> list[tuple] | None:
        return self._typed(self.total) if self.total else None


def cents_to_usd(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


def whole_usd(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(ONE, rounding=ROUND_HALF_UP)


def coverage_percent(funded_cents: int, required_cents: int) -> Decimal | None:
    if not required_cents:
        return None
    return (Decimal(int(funded_cents)) * 100 / Decimal(int(required_cents))).quantize(
        TENTH, rounding=ROUND_HALF_UP
    )


# ---------------------------------------------------------------------------------------------
# Sums in cents, computed in the database


def _region_label(code: str | None) -> str:
    return str(IloRegion(code).label) if code else _("Global")


def _theme_label(code: str) -> str:
    return str(Theme(code).label) if code else _("Cross-cutting")


def _recipient_label(kind: str, country_name: str | None, group_name: str | None) -> str:
    if kind == RecipientKind.COUNTRY:
        return country_name or ""
    if kind == RecipientKind.ACTION_GROUP:
        return group_name or ""
    return str(RecipientKind.SECRETARIAT.label)


def _flow_cents(rates: RateTable) -> UsdCents:
    """A flow's USD value uses the rate of its decision year."""
    return UsdCents(F("amount"), rate_expression(rates, year_field="decision_date", by_date=True))


def _compiled(queryset: QuerySet, shape) -> tuple[str, tuple]:
    """The SQL of shape(queryset); a queryset that can match nothing gives an empty SELECT."""
    try:
        return shape(queryset).query.sql_with_params()
    except EmptyResultSet:
        return shape(queryset.model.objects.filter(pk__isnull=True)).query.sql_with_params()


@dataclass(frozen=True)
class DonorSum:
    source_id: int
    funded: int
    pledged: int


@dataclass(frozen=True)
class GapSums:
    """Every figure of the gap report in cents, by ids: plain data, cached with the financing
    figures alone (names are read when the report is built, so a renamed country shows).

    requirements: (recipient kind, country id, action group id, theme, year, cents); flows:
    (recipient kind, country id, action group id, theme, status, cents); years: {year:
    {status: cents}}; top_donors: the five largest donors with any tied with the fifth.
    """

    requirements: list[tuple]
    flows: list[tuple]
    years: dict[int, dict[str, int]]
    top_donors: list[DonorSum]
    donor_count: int
    total_funded: int
    total_pledged: int
    unconverted: list[str]


_COUNTED_SQL = ", ".join(f"'{status}'" for status in COUNTED_STATUSES)
_RECIPIENT = "recipient_kind, country_id, action_group_id, theme"

# One statement, one pass over the flows: each flow's cents are computed once (f, which
# PostgreSQL materialises as more than one branch reads it), then every branch works on
# integers. A flow of n years gives each year cents / n and its first cents % n years a
# cent more, so its share of the years asked for is that many years' base plus the extra
# cents among them ({in_years}). The branches return (the first one typing the columns for
# PostgreSQL's UNION) the requirements by recipient and year, the flows by recipient and
# status, by years covered, status and leftover cents (for the breakdown by year), by donor,
# and the currencies without a rate.
_GAP_SQL = """
WITH f (recipient_kind, country_id, action_group_id, theme, status, year_start, year_end,
        source_id, currency, cents) AS ({flows}),
r (recipient_kind, country_id, action_group_id, theme, need_year, currency, cents)
    AS ({requirements})
SELECT 'requirement', recipient_kind, country_id, action_group_id, theme, NULL, need_year,
    CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), SUM(cents), CAST(NULL AS BIGINT)
FROM r WHERE cents IS NOT NULL GROUP BY {recipient}, need_year
UNION ALL
SELECT 'flow', recipient_kind, country_id, action_group_id, theme, status, NULL, NULL, NULL,
    SUM({in_years}), NULL
FROM f WHERE {in_range} GROUP BY {recipient}, status
UNION ALL
SELECT 'years', NULL, NULL, NULL, NULL, status, year_start, year_end, {leftover},
    SUM(cents / {span}), COUNT(*)
FROM f WHERE cents IS NOT NULL GROUP BY status, year_start, year_end, {leftover}
UNION ALL
SELECT 'donor', NULL, source_id, NULL, NULL, NULL, NULL, NULL, NULL,
    SUM(CASE WHEN status IN ({counted}) THEN {in_years} ELSE 0 END),
    SUM(CASE WHEN status IN ({counted}) THEN 0 ELSE {in_years} END)
FROM f WHERE {in_range} GROUP BY source_id
UNION ALL
SELECT 'unconverted', NULL, NULL, NULL, currency, NULL, NULL, NULL, NULL, NULL, NULL
FROM f WHERE cents IS NULL GROUP BY currency
UNION ALL
SELECT 'unconverted', NULL, NULL, NULL, currency, NULL, NULL, NULL, NULL, NULL, NULL
FROM r WHERE cents IS NULL GROUP BY currency
"""
_SPAN = "(year_end - year_start + 1)"
_LEFTOVER = f"(cents %% {_SPAN})"


def _in_years_sql(year_from: int | None, year_to: int | None) -> tuple[str, str]:
    """The SQL of a flow's cents within year_from..year_to, and of its having any such year.

    The years are integers (the filter's Decimals included), written as literals.
    """
    if not year_from and not year_to:
        return "cents", "cents IS NOT NULL"
    first, last = "year_start", "year_end"
    if year_from:
        year = int(year_from)
        first = f"(CASE WHEN year_start < {year} THEN {year} ELSE year_start END)"
    if year_to:
        year = int(year_to)
        last = f"(CASE WHEN year_end > {year} THEN {year} ELSE year_end END)"
    offset = f"({first} - year_start)"
    count = f"({last} - {first} + 1)"
    extra = (
        f"CASE WHEN {_LEFTOVER} <= {offset} THEN 0"
        f" WHEN {_LEFTOVER} < {offset} + {count} THEN {_LEFTOVER} - {offset}"
        f" ELSE {count} END"
    )
    return f"({count} * (cents / {_SPAN}) + {extra})", f"cents IS NOT NULL AND {count} > 0"


def gap_sums(
    *,
    requirements: QuerySet[FundingRequirement],
    flows: QuerySet[FundingFlow],
    year_from: int | None = None,
    year_to: int | None = None,
    rates: RateTable | None = None,
) -> GapSums:
    """One query (two without `rates`) returning a few hundred grouped rows."""
    rates = rates or RateTable.load()
    flow_sql, flow_params = _compiled(
        flows,
        lambda queryset: (
            queryset.order_by()
            .annotate(cents=_flow_cents(rates))
            .values(
                "recipient_kind",
                "country_id",
                "action_group_id",
                "theme",
                "status",
                "year_start",
                "year_end",
                "source_id",
                "currency",
                "cents",
            )
        ),
    )
    requirement_sql, requirement_params = _compiled(
        requirements,
        lambda queryset: (
            queryset.order_by()
            .annotate(cents=UsdCents(F("amount"), rate_expression(rates, year_field="year")))
            .values(
                "recipient_kind",
                "country_id",
                "action_group_id",
                "theme",
                "year",
                "currency",
                "cents",
            )
        ),
    )
    in_years, in_range = _in_years_sql(year_from, year_to)
    sql = _GAP_SQL.format(
        flows=flow_sql,
        requirements=requirement_sql,
        in_years=in_years,
        in_range=in_range,
        span=_SPAN,
        leftover=_LEFTOVER,
        recipient=_RECIPIENT,
        counted=_COUNTED_SQL,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*flow_params, *requirement_params))
        rows = cursor.fetchall()

    year_from = int(year_from) if year_from else None
    year_to = int(year_to) if year_to else None
    required, funding, donors, unconverted = [], [], [], set()
    years: dict[int, dict[str, int]] = {}
    # PostgreSQL sums bigints as numeric: the figures come back as Decimal, kept as int.
    for part, kind, key, group, theme, status, year, year_end, leftover, total, extra in rows:
        if part == "requirement":
            required.append((kind, key, group, theme, year, int(total)))
        elif part == "flow":
            funding.append((kind, key, group, theme, status, int(total)))
        elif part == "years":
            for index, covered in enumerate(range(year, year_end + 1)):
                if (year_from and covered < year_from) or (year_to and covered > year_to):
                    continue
                share = int(total) + (int(extra) if index < leftover else 0)
                by_status = years.setdefault(covered, {})
                by_status[status] = by_status.get(status, 0) + share
        elif part == "donor":
            donors.append(DonorSum(key, int(total), int(extra)))
        else:
            unconverted.add(theme)
    donors.sort(key=lambda donor: (-donor.funded, -donor.pledged))
    top = donors[:TOP_DONORS]
    if top:
        # Donors tied with the fifth are ordered by name when the report is built.
        last_top = (top[-1].funded, top[-1].pledged)
        top += [donor for donor in donors[TOP_DONORS:] if (donor.funded, donor.pledged) == last_top]
    return GapSums(
        requirements=required,
        flows=funding,
        years=years,
        top_donors=top,
        donor_count=len(donors),
        total_funded=sum(donor.funded for donor in donors),
        total_pledged=sum(donor.pledged for donor in donors),
        unconverted=sorted(unconverted),
    )


@dataclass
class _Names:
    countries: dict[int, tuple[str, str]]
    groups: dict[int, str]
    donors: dict[int, tuple[str, str]]


def _names(sums: GapSums) -> _Names:
    """The names the lines and donors are labelled with, read by id in one query."""
    country_ids, group_ids = set(), set()
    for _kind, country_id, group_id, *_rest in (*sums.requirements, *sums.flows):
        country_ids.add(country_id)
        group_ids.add(group_id)

    def named(queryset: QuerySet, part: str, detail: str | None) -> QuerySet:
        return (
            queryset.order_by()
            .annotate(part=Value(part), detail=F(detail) if detail else Value(""))
            .values_list("part", "pk", "name", "detail")
        )

    rows = named(Country.objects.filter(pk__in=country_ids - {None}), "country", "ilo_region")
    rows = rows.union(
        named(ActionGroup.objects.filter(pk__in=group_ids - {None}), "group", None),
        named(
            Organisation.objects.filter(pk__in=[donor.source_id for donor in sums.top_donors]),
            "donor",
            "kind",
        ),
        all=True,
    )
    names = _Names(countries={}, groups={}, donors={})
    for part, pk, name, detail in rows:
        if part == "country":
            names.countries[pk] = (name, detail)
        elif part == "group":
            names.groups[pk] = name
        else:
            names.donors[pk] = (name, detail)
    return names


def _labeller(dimension: str, names: _Names):
    """label(recipient kind, country id, action group id, theme) for one breakdown."""
    not_country = _("Global programmes and Secretariat")
    labels: dict = {}

    def country(country_id: int | None) -> tuple[str | None, str | None]:
        return names.countries.get(country_id, (None, None))

    def label_of(kind, country_id, group_id, theme) -> str:
        if dimension == "country":
            return country(country_id)[0] or not_country
        if dimension == "region":
            return _region_label(country(country_id)[1])
        if dimension == "theme":
            return _theme_label(theme)
        if dimension == "recipient":
            return _recipient_label(kind, country(country_id)[0], names.groups.get(group_id))
        raise ValueError(f"Unknown dimension {dimension!r}")

    def label(*recipient) -> str:
        if recipient not in labels:
            labels[recipient] = label_of(*recipient)
        return labels[recipient]

    return label


_STATUSES = tuple(FlowStatus.values)


def _gap_rows(sums: GapSums, dimension: str, names: _Names) -> list[tuple[str | int, dict]]:
    """Requirement, pledged, committed, paid, funded and gap (in cents) by one dimension,
    the largest gap first (years in order)."""
    rows: dict = {}

    def row(key) -> dict:
        if key not in rows:
            rows[key] = {"requirement": 0, **dict.fromkeys(_STATUSES, 0)}
        return rows[key]

    if dimension == "year":
        for *_recipient, year, cents in sums.requirements:
            row(year)["requirement"] += cents
        for year, by_status in sums.years.items():
            line = row(year)
            for status, cents in by_status.items():
                line[status] += cents
    else:
        label = _labeller(dimension, names)
        for *recipient, _year, cents in sums.requirements:
            row(label(*recipient))["requirement"] += cents
        for *recipient, status, cents in sums.flows:
            row(label(*recipient))[status] += cents
    for line in rows.values():
        line["funded"] = line[FlowStatus.COMMITTED] + line[FlowStatus.PAID]
        line["gap"] = line["requirement"] - line["funded"]
    if dimension == "year":
        return sorted(rows.items())
    return sorted(rows.items(), key=lambda item: (-item[1]["gap"], item[0]))


def _total_row(rows: Iterable[tuple[str | int, dict]]) -> dict:
    total: dict = defaultdict(int)
    for _key, line in rows:
        for column, cents in line.items():
            total[column] += cents
    for column in ("requirement", *_STATUSES, "funded", "gap"):
        total.setdefault(column, 0)
    return total


# ---------------------------------------------------------------------------------------------
# The gap report


@dataclass
class GapLine:
    label: str
    requirement: Decimal
    pledged: Decimal
    committed: Decimal
    paid: Decimal
    funded: Decimal
    gap: Decimal
    coverage: Decimal | None


@dataclass
class DonorLine:
    rank: int | None
    donor: str
    kind: str
    pledged: Decimal
    funded: Decimal
    share: Decimal | None


@dataclass
class GapReport:
    dimension: str
    dimension_label: str
    lines: list[GapLine]
    total: GapLine
    trends: list[GapLine]
    donors: list[DonorLine]
    donor_count: int
    top_share: Decimal | None
    unconverted: list[str]

    @property
    def tables(self) -> list[Table]:
        tables = [
            gap_table(
                self.lines,
                self.total,
                key="gaps",
                caption=_("Financing gap by %(dimension)s, in USD")
                % {"dimension": self.dimension_label.lower()},
                first_header=self.dimension_label,
            )
        ]
        if self.dimension != "year":
            tables.append(
                gap_table(
                    self.trends,
                    None,
                    key="trends",
                    caption=_("Trends across years, in USD"),
                    first_header=_("Year"),
                )
            )
        tables.append(donor_table(self.donors))
        return tables


def _gap_line(label, row) -> GapLine:
    return GapLine(
        label=str(label),
        requirement=cents_to_usd(row["requirement"]),
        pledged=cents_to_usd(row[FlowStatus.PLEDGED]),
        committed=cents_to_usd(row[FlowStatus.COMMITTED]),
        paid=cents_to_usd(row[FlowStatus.PAID]),
        funded=cents_to_usd(row["funded"]),
        gap=cents_to_usd(row["gap"]),
        coverage=coverage_percent(row["funded"], row["requirement"]),
    )


# Lazy: the headers are translated when a table is built, in the reader's language.
GAP_COLUMNS = [
    (gettext_lazy("Requirement"), "usd"),
    (gettext_lazy("Pledged (not counted)"), "usd"),
    (gettext_lazy("Committed"), "usd"),
    (gettext_lazy("Paid"), "usd"),
    (gettext_lazy("Funded"), "usd"),
    (gettext_lazy("Gap"), "usd"),
    (gettext_lazy("Coverage"), "percent"),
]


def _gap_cells(line: GapLine) -> list:
    whole = [
        amount.quantize(ONE, rounding=ROUND_HALF_UP)
        for amount in (
            line.requirement,
            line.pledged,
            line.committed,
            line.paid,
            line.funded,
            line.gap,
        )
    ]
    return [line.label, *whole, line.coverage]


def gap_table(
    lines: list[GapLine], total: GapLine | None, *, key: str, caption: str, first_header: str
) -> Table:
    columns = [
        TableColumn(str(first_header)),
        *(TableColumn(str(header), kind) for header, kind in GAP_COLUMNS),
    ]
    return Table(
        key=key,
        caption=str(caption),
        columns=columns,
        rows=[_gap_cells(line) for line in lines],
        total=_gap_cells(total) if total else None,
    )


def donor_table(donors: list[DonorLine]) -> Table:
    columns = [
        TableColumn(_("Donor")),
        TableColumn(_("Type")),
        TableColumn(_("Pledged (not counted)"), "usd"),
        TableColumn(_("Funded"), "usd"),
        TableColumn(_("Share of funding"), "percent"),
    ]
    rows = [
        [
            d.donor,
            d.kind,
            d.pledged.quantize(ONE, ROUND_HALF_UP),
            d.funded.quantize(ONE, ROUND_HALF_UP),
            d.share,
        ]
        for d in donors
    ]
    # The last line is the sum over all donors.
    return Table(
        key="donors",
        caption=_("Donor concentration, in USD"),
        columns=columns,
        rows=rows[:-1],
        total=rows[-1] if rows else None,
    )


def _donors(sums: GapSums, names: _Names) -> tuple[list[DonorLine], Decimal | None]:
    if not sums.donor_count:
        return [], None
    kinds = dict(Organisation.Kind.choices)
    total_funded = sums.total_funded
    ranked = sorted(
        sums.top_donors,
        key=lambda donor: (-donor.funded, -donor.pledged, names.donors[donor.source_id][0]),
    )[:TOP_DONORS]
    lines = []
    for rank, donor in enumerate(ranked, start=1):
        name, kind = names.donors[donor.source_id]
        lines.append(
            DonorLine(
                rank=rank,
                donor=name,
                kind=str(kinds.get(kind, kind)),
                pledged=cents_to_usd(donor.pledged),
                funded=cents_to_usd(donor.funded),
                share=coverage_percent(donor.funded, total_funded),
            )
        )
    top_funded = sum(donor.funded for donor in ranked)
    others = sums.donor_count - len(ranked)
    if others:
        other_funded = total_funded - top_funded
        lines.append(
            DonorLine(
                rank=None,
                donor=_("Other donors (%(count)s)") % {"count": others},
                kind="",
                pledged=cents_to_usd(sums.total_pledged - sum(donor.pledged for donor in ranked)),
                funded=cents_to_usd(other_funded),
                share=coverage_percent(other_funded, total_funded),
            )
        )
    lines.append(
        DonorLine(
            rank=None,
            donor=_("All donors"),
            kind="",
            pledged=cents_to_usd(sums.total_pledged),
            funded=cents_to_usd(total_funded),
            share=Decimal("100.0") if total_funded else None,
        )
    )
    return lines, coverage_percent(top_funded, total_funded)


def report_from_sums(
    sums: GapSums, *, dimension: str, dimension_label: str = "", names: _Names | None = None
) -> GapReport:
    """The gap report by one dimension, labelled in the active language (one small query for
    the names, none with `names`)."""
    names = names or _names(sums)
    by_dimension = _gap_rows(sums, dimension, names)
    donors, top_share = _donors(sums, names)
    return GapReport(
        dimension=dimension,
        dimension_label=str(dimension_label or dimension),
        lines=[_gap_line(label, row) for label, row in by_dimension],
        total=_gap_line(_("Total"), _total_row(by_dimension)),
        trends=[_gap_line(label, row) for label, row in _gap_rows(sums, "year", names)],
        donors=donors,
        donor_count=sums.donor_count,
        top_share=top_share,
        unconverted=sums.unconverted,
    )


def gap_report(
    *,
    requirements: QuerySet[FundingRequirement],
    flows: QuerySet[FundingFlow],
    dimension: str = "country",
    dimension_label: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
    rates: RateTable | None = None,
    cache_key: str | None = None,
) -> GapReport:
    """The report of gap_sums: two queries (one with `rates`), then one for the names.

    With `cache_key` the sums are kept until the financing figures change, and their names
    until those or the names change: the key must name the querysets' filters, the years and
    the reader's scope (not the dimension, nor the language: the sums serve every breakdown
    and are labelled after, the names are the records' own).
    """

    def compute() -> GapSums:
        return gap_sums(
            requirements=requirements,
            flows=flows,
            year_from=year_from,
            year_to=year_to,
            rates=rates,
        )

    if cache_key is None:
        sums = compute()
        names = None
    else:
        sums = cached_aggregate(["financing"], f"financing:gap-sums:{cache_key}", compute)
        # The names of the sums' countries, groups and donors, kept apart from the sums: a
        # renamed country or organisation refreshes them without adding the figures up again.
        names = cached_aggregate(
            ["financing", "pathfinders", "governance"],
            f"financing:gap-names:{cache_key}",
            lambda: _names(sums),
        )
    return report_from_sums(sums, dimension=dimension, dimension_label=dimension_label, names=names)


# ---------------------------------------------------------------------------------------------
# The Secretariat's sustainability


@dataclass
class FunctionYear:
    year: int
    need: Decimal
    earmarked: Decimal
    allocated: Decimal
    secured: Decimal
    gap: Decimal


@dataclass
class FunctionLine:
    function: SecretariatFunction
    annual_cost: Decimal
    years: list[FunctionYear]
    gap: Decimal


@dataclass
class ProjectionYear:
    year: int
    need: Decimal
    secured: Decimal
    pledged: Decimal
    gap: Decimal
    coverage: Decimal | None


@dataclass
class Sustainability:
    today: datetime.date
    annual_cost: Decimal
    monthly_cost: Decimal
    projection: list[ProjectionYear]
    functions: list[FunctionLine]
    history: list[tuple[int, Decimal, Decimal]]
    secured_ahead: Decimal
    runway_months: Decimal | None
    funded_until: datetime.date | None
    months_left: Decimal | None
    unallocated: Decimal
    unconverted: list[str]

    @property
    def projection_gap(self) -> Decimal:
        return sum((line.gap for line in self.projection if line.gap > 0), Decimal(0))

    @property
    def tables(self) -> list[Table]:
        years = [line.year for line in self.projection]
        projection = Table(
            key="projection",
            caption=_("Needs against secured funding, %(first)s–%(last)s")
            % {"first": years[0], "last": years[-1]},
            columns=[
                TableColumn(_("Year")),
                TableColumn(_("Need (USD)"), "usd"),
                TableColumn(_("Secured: committed + paid (USD)"), "usd"),
                TableColumn(_("Pledged, not counted (USD)"), "usd"),
                TableColumn(_("Gap (USD)"), "usd"),
                TableColumn(_("Coverage (%)"), "percent"),
            ],
            rows=[_projection_cells(line) for line in self.projection],
        )
        functions = Table(
            key="functions",
            caption=_("What is missing for which function"),
            columns=[
                TableColumn(_("Function")),
                TableColumn(_("Annual cost (USD)"), "usd"),
                *(TableColumn(_("Gap %(year)s (USD)") % {"year": year}, "usd") for year in years),
                TableColumn(_("Gap over three years (USD)"), "usd"),
            ],
            rows=[
                [
                    line.function.name,
                    _whole(line.annual_cost),
                    *(_whole(year.gap) for year in line.years),
                    _whole(line.gap),
                ]
                for line in self.functions
            ],
        )
        history = Table(
            key="secured",
            caption=_("Funding secured per year"),
            columns=[
                TableColumn(_("Year")),
                TableColumn(_("Secured: committed + paid (USD)"), "usd"),
                TableColumn(_("Pledged, not counted (USD)"), "usd"),
            ],
            rows=[
                [str(year), _whole(got), _whole(promised)] for year, got, promised in self.history
            ],
        )
        return [projection, functions, history]


def _whole(amount: Decimal) -> Decimal:
    return amount.quantize(ONE, rounding=ROUND_HALF_UP)


def _projection_cells(line: ProjectionYear) -> list:
    return [
        str(line.year),
        _whole(line.need),
        _whole(line.secured),
        _whole(line.pledged),
        _whole(line.gap),
        line.coverage,
    ]


def _add_months(start: datetime.date, months: int) -> datetime.date:
    total = start.month - 1 + months
    return datetime.date(start.year + total // 12, total % 12 + 1, 1)


@dataclass(frozen=True)
class SecretariatSums:
    """The Secretariat's needs and funding in cents, plain data for the cache."""

    recorded: dict[tuple[int, int], int]
    earmarked: dict[tuple[int, int], int]
    pooled: dict[int, int]
    secured: dict[int, int]
    pledged: dict[int, int]
    unconverted: list[str]


# The Secretariat's needs by function and year, and its funding by function, status, years
# covered and leftover cents (flows alike in these add the same to each of their years).
_SECRETARIAT_SQL = """
WITH r (function_id, need_year, currency, cents) AS ({requirements}),
f (function_id, status, year_start, year_end, currency, cents) AS ({flows})
SELECT 'need', function_id, NULL, need_year, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
    SUM(cents), CAST(NULL AS BIGINT)
FROM r WHERE cents IS NOT NULL GROUP BY function_id, need_year
UNION ALL
SELECT 'flow', function_id, status, year_start, year_end,
    cents %% (year_end - year_start + 1), SUM(cents / (year_end - year_start + 1)), COUNT(*)
FROM f WHERE cents IS NOT NULL
GROUP BY function_id, status, year_start, year_end, cents %% (year_end - year_start + 1)
UNION ALL
SELECT 'unconverted', NULL, currency, NULL, NULL, NULL, NULL, NULL
FROM f WHERE cents IS NULL GROUP BY currency
UNION ALL
SELECT 'unconverted', NULL, currency, NULL, NULL, NULL, NULL, NULL
FROM r WHERE cents IS NULL GROUP BY currency
"""


def secretariat_sums(*, years: list[int], rates: RateTable | None = None) -> SecretariatSums:
    """Recorded needs by function and year, funding by year: one query (two without `rates`)."""
    rates = rates or RateTable.load()
    requirement_sql, requirement_params = _compiled(
        FundingRequirement.objects.filter(
            recipient_kind=RecipientKind.SECRETARIAT,
            secretariat_function__isnull=False,
            year__in=years,
        ),
        lambda queryset: (
            queryset.order_by()
            .annotate(cents=UsdCents(F("amount"), rate_expression(rates, year_field="year")))
            .values("secretariat_function_id", "year", "currency", "cents")
        ),
    )
    flow_sql, flow_params = _compiled(
        FundingFlow.objects.filter(recipient_kind=RecipientKind.SECRETARIAT),
        lambda queryset: (
            queryset.order_by()
            .annotate(cents=_flow_cents(rates))
            .values(
                "secretariat_function_id", "status", "year_start", "year_end", "currency", "cents"
            )
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _SECRETARIAT_SQL.format(requirements=requirement_sql, flows=flow_sql),
            (*requirement_params, *flow_params),
        )
        rows = cursor.fetchall()

    recorded: dict[tuple[int, int], int] = {}
    unconverted: set[str] = set()
    earmarked: dict[tuple[int, int], int] = defaultdict(int)
    pooled: dict[int, int] = defaultdict(int)
    secured: dict[int, int] = defaultdict(int)
    pledged: dict[int, int] = defaultdict(int)
    for part, function_id, status, year_start, year_end, leftover, base, count in rows:
        if part == "need":
            recorded[(function_id, year_start)] = int(base)
            continue
        if part == "unconverted":
            unconverted.add(status)
            continue
        for index, year in enumerate(range(year_start, year_end + 1)):
            share = int(base) + (count if index < leftover else 0)
            if status == FlowStatus.PLEDGED:
                pledged[year] += share
                continue
            secured[year] += share
            if function_id:
                earmarked[(function_id, year)] += share
            else:
                pooled[year] += share
    return SecretariatSums(
        recorded=recorded,
        earmarked=dict(earmarked),
        pooled=dict(pooled),
        secured=dict(secured),
        pledged=dict(pledged),
        unconverted=sorted(unconverted),
    )


def secretariat_sustainability(
    *, today: datetime.date, rates: RateTable | None = None, cached: bool = False
) -> Sustainability:
    """How long the Secretariat can run at its current cost, and which function lacks what.

    Needs per function and year are the Secretariat's recorded requirements where there are
    any, else the function's current annual cost. Funding earmarked for a function covers it;
    the rest covers the functions in their priority order. Four queries; with `cached`, one
    (the functions) while the financing figures have not changed.
    """
    first_year = today.year
    years = list(range(first_year, first_year + PROJECTION_YEARS))
    functions = list(SecretariatFunction.objects.order_by("priority", "name"))
    annual_cost = sum((function.annual_cost for function in functions), Decimal(0))

    def compute() -> SecretariatSums:
        return secretariat_sums(years=years, rates=rates)

    if cached:
        sums = cached_aggregate(["financing"], f"financing:secretariat-sums:{first_year}", compute)
    else:
        sums = compute()
    recorded, earmarked, pooled = sums.recorded, sums.earmarked, sums.pooled
    secured, pledged = sums.secured, sums.pledged

    cost_cents = {function.pk: int(function.annual_cost * 100) for function in functions}
    lines = {function.pk: [] for function in functions}
    unallocated = 0
    for year in years:
        pool = pooled.get(year, 0)
        for function in functions:
            need = recorded.get((function.pk, year), cost_cents[function.pk])
            own = earmarked.get((function.pk, year), 0)
            allocated = min(max(need - own, 0), pool)
            pool -= allocated
            lines[function.pk].append(
                FunctionYear(
                    year=year,
                    need=cents_to_usd(need),
                    earmarked=cents_to_usd(own),
                    allocated=cents_to_usd(allocated),
                    secured=cents_to_usd(own + allocated),
                    gap=cents_to_usd(max(need - own - allocated, 0)),
                )
            )
        unallocated += pool
    function_lines = [
        FunctionLine(
            function=function,
            annual_cost=function.annual_cost,
            years=lines[function.pk],
            gap=sum((year.gap for year in lines[function.pk]), Decimal(0)),
        )
        for function in functions
    ]

    def projection_year(year: int, need: Decimal) -> ProjectionYear:
        got = cents_to_usd(secured.get(year, 0))
        return ProjectionYear(
            year=year,
            need=need,
            secured=got,
            pledged=cents_to_usd(pledged.get(year, 0)),
            gap=need - got,
            coverage=coverage_percent(int(got * 100), int(need * 100)),
        )

    projection = [
        projection_year(year, sum((line.years[index].need for line in function_lines), Decimal(0)))
        for index, year in enumerate(years)
    ]
    history_years = sorted(set(secured) | set(pledged) | set(years))
    history = [
        (year, cents_to_usd(secured.get(year, 0)), cents_to_usd(pledged.get(year, 0)))
        for year in range(history_years[0], history_years[-1] + 1)
    ]

    secured_ahead = cents_to_usd(
        sum(cents for year, cents in secured.items() if year >= first_year)
    )
    monthly_cost = (annual_cost / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    runway = funded_until = months_left = None
    if monthly_cost > 0:
        runway = (secured_ahead / monthly_cost).quantize(TENTH, rounding=ROUND_HALF_UP)
        funded_until = _add_months(
            datetime.date(first_year, 1, 1), int(secured_ahead // monthly_cost)
        )
        elapsed = Decimal(today.month - 1) + Decimal(today.day - 1) / 30
        months_left = max(runway - elapsed, Decimal(0)).quantize(TENTH, rounding=ROUND_HALF_UP)
    return Sustainability(
        today=today,
        annual_cost=annual_cost,
        monthly_cost=monthly_cost,
        projection=projection,
        functions=function_lines,
        history=history,
        secured_ahead=secured_ahead,
        runway_months=runway,
        funded_until=funded_until,
        months_left=months_left,
        unallocated=cents_to_usd(unallocated),
        unconverted=sums.unconverted,
    )


# ---------------------------------------------------------------------------------------------
# The dashboard


def dashboard_summary(*, user) -> dict | None:
    """This year's coverage by region, and the Secretariat's runway for those who read everything.

    From the cache while the figures have not changed (the functions of the runway are read
    each time); else five queries (rates, requirements, flows by recipient, by year, donors),
    and three more (functions, rates, needs and flows) for the runway.
    """
    from alliance87 import charts

    from .access import get_funding_flows_for_user, get_funding_requirements_for_user

    reads_everything = can_read_everything(user)
    country_ids = None if reads_everything else focal_point_country_ids(user)
    if not (reads_everything or country_ids):
        return None
    today = datetime.date.today()
    year = today.year
    scope = "all" if reads_everything else ",".join(str(pk) for pk in sorted(country_ids))
    report = gap_report(
        requirements=get_funding_requirements_for_user(user).filter(year=year),
        flows=get_funding_flows_for_user(user).filter(year_start__lte=year, year_end__gte=year),
        dimension="region",
        year_from=year,
        year_to=year,
        cache_key=f"dashboard:{year}:{scope}",
    )
    lines = [line for line in report.lines if line.coverage is not None]
    return {
        "year": year,
        "total": report.total,
        "reads_everything": reads_everything,
        "chart": charts.bar_chart(
            [(line.label, float(line.coverage)) for line in lines],
            title=_("Coverage by region, %(year)s") % {"year": year},
            unit=" %",
            max_value=max(100.0, *(float(line.coverage) for line in lines)),
            width=420,
        )
        if lines
        else None,
        "sustainability": secretariat_sustainability(today=today, cached=True)
        if reads_everything
        else None,
    }


# ---------------------------------------------------------------------------------------------
# The PDF report (alliance87.reports kind "financing_gap")


def financing_gap_report() -> dict:
    """The financing gap report: the gap page's tables by region, country and year, and the
    Secretariat's sustainability, from the same selectors as the pages. Seven queries."""
    from alliance87 import charts

    rates = RateTable.load()
    # One set of sums serves every breakdown.
    sums = gap_sums(
        requirements=FundingRequirement.objects.all(), flows=FundingFlow.objects.all(), rates=rates
    )
    names = _names(sums)
    by_country = report_from_sums(
        sums, dimension="country", dimension_label=_("Country"), names=names
    )
    tables = {
        "region": gap_table(
            [_gap_line(label, row) for label, row in _gap_rows(sums, "region", names)],
            by_country.total,
            key="region",
            caption=_("Financing gap by region, in USD"),
            first_header=_("Region"),
        ),
        "theme": gap_table(
            [_gap_line(label, row) for label, row in _gap_rows(sums, "theme", names)],
            by_country.total,
            key="theme",
            caption=_("Financing gap by theme, in USD"),
            first_header=_("Theme"),
        ),
    }
    country_tables = {table.key: table for table in by_country.tables}
    sustainability = secretariat_sustainability(today=datetime.date.today(), rates=rates)
    trend = by_country.trends
    return {
        "report_subject": _(
            "Target 8.7 financing and the Secretariat's sustainability (all figures in USD)"
        ),
        "report": by_country,
        "region_table": tables["region"],
        "theme_table": tables["theme"],
        "country_table": country_tables["gaps"],
        "trends_table": country_tables["trends"],
        "donors_table": country_tables["donors"],
        "sustainability": sustainability,
        "sustainability_tables": sustainability.tables,
        "trend_chart": charts.line_chart(
            [line.label for line in trend],
            {
                _("Requirement"): [float(line.requirement) or None for line in trend],
                _("Funded"): [float(line.funded) for line in trend],
                _("Pledged"): [float(line.pledged) for line in trend],
            },
            title=_("Requirement and funding across years (USD)"),
        )
        if len(trend) > 1
        else None,
    }


def country_funding_summary(*, country) -> dict:
    """A country programme's requirement against its funding, by year (for the country dossier)."""
    report = gap_report(
        requirements=FundingRequirement.objects.filter(country=country),
        flows=FundingFlow.objects.filter(country=country),
        dimension="year",
        dimension_label=_("Year"),
    )
    return {"report": report, "table": report.tables[0], "has_figures": bool(report.lines)}
