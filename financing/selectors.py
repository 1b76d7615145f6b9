"""Reads of the financing area: the gap analysis and the Secretariat's sustainability.

Amounts travel through pandas as whole US cents (int64), converted from the original Decimal
amounts with the yearly rate table, so sums are exact; they come back out as Decimal.
Funding counts toward coverage once committed: pledges are shown beside it, never in it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from alliance87.access import can_read_everything, focal_point_country_ids
from alliance87.choices import Theme
from governance.models import Organisation
from pathfinders.models import IloRegion

from .models import (
    FlowStatus,
    FundingFlow,
    FundingRequirement,
    RecipientKind,
    SecretariatFunction,
)
from .rates import RateTable, split_cents

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
# Frames


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


_DIMENSION_FIELDS = [
    "recipient_kind",
    "country_id",
    "country__name",
    "country__ilo_region",
    "action_group__name",
    "theme",
    "amount",
    "currency",
]


def _dimensions(row: dict) -> dict:
    not_country = _("Global programmes and Secretariat")
    return {
        "country": row["country__name"] or not_country,
        "region": _region_label(row["country__ilo_region"]),
        "theme": _theme_label(row["theme"]),
        "recipient": _recipient_label(
            row["recipient_kind"], row["country__name"], row["action_group__name"]
        ),
    }


FRAME_COLUMNS = ["country", "region", "theme", "recipient", "year", "cents"]


def requirement_frame(
    requirements: QuerySet[FundingRequirement], rates: RateTable
) -> tuple[pd.DataFrame, set]:
    rows, unconverted = [], set()
    for row in requirements.values(*_DIMENSION_FIELDS, "year"):
        cents = rates.to_usd_cents(row["amount"], row["currency"], row["year"])
        if cents is None:
            unconverted.add(row["currency"])
            continue
        rows.append({**_dimensions(row), "year": row["year"], "cents": cents})
    return pd.DataFrame(rows, columns=FRAME_COLUMNS).astype(
        {"cents": "int64", "year": "int64"}
    ), unconverted


def flow_frame(
    flows: QuerySet[FundingFlow],
    rates: RateTable,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
) -> tuple[pd.DataFrame, set]:
    """One row a flow and year covered; a flow's USD value uses the rate of its decision year."""
    rows, unconverted = [], set()
    fields = [
        *_DIMENSION_FIELDS,
        "decision_date",
        "year_start",
        "year_end",
        "status",
        "source_id",
        "source__name",
        "source__acronym",
        "source__kind",
    ]
    for row in flows.values(*fields):
        cents = rates.to_usd_cents(row["amount"], row["currency"], row["decision_date"].year)
        if cents is None:
            unconverted.add(row["currency"])
            continue
        dims = _dimensions(row)
        source = row["source__name"]
        for year, share in split_cents(cents, list(range(row["year_start"], row["year_end"] + 1))):
            if (year_from and year < year_from) or (year_to and year > year_to):
                continue
            rows.append(
                {
                    **dims,
                    "year": year,
                    "cents": share,
                    "status": row["status"],
                    "source": source,
                    "source_kind": row["source__kind"],
                }
            )
    columns = [*FRAME_COLUMNS, "status", "source", "source_kind"]
    return pd.DataFrame(rows, columns=columns).astype(
        {"cents": "int64", "year": "int64"}
    ), unconverted


def _by(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    if frame.empty:
        return pd.Series(dtype="int64")
    return frame.groupby(keys, sort=False)["cents"].sum()


def gap_frame(requirements: pd.DataFrame, flows: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Requirement, pledged, committed, paid, funded and gap (in cents) by one dimension."""
    required = _by(requirements, [dimension]).rename("requirement").to_frame()
    if flows.empty:
        by_status = pd.DataFrame(columns=FlowStatus.values, dtype="int64")
    else:
        by_status = (
            flows.groupby([dimension, "status"], sort=False)["cents"].sum().unstack(fill_value=0)
        )
    frame = pd.concat([required, by_status], axis=1).fillna(0)
    for column in ["requirement", *FlowStatus.values]:
        if column not in frame:
            frame[column] = 0
    frame = frame[["requirement", *FlowStatus.values]].astype("int64")
    frame["funded"] = frame[FlowStatus.COMMITTED] + frame[FlowStatus.PAID]
    frame["gap"] = frame["requirement"] - frame["funded"]
    frame.index.name = dimension
    if dimension == "year":
        return frame.sort_index()
    return (
        frame.reset_index()
        .sort_values(["gap", dimension], ascending=[False, True])
        .set_index(dimension)
    )


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


GAP_COLUMNS = [
    (_("Requirement"), "usd"),
    (_("Pledged (not counted)"), "usd"),
    (_("Committed"), "usd"),
    (_("Paid"), "usd"),
    (_("Funded"), "usd"),
    (_("Gap"), "usd"),
    (_("Coverage"), "percent"),
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


def _donors(flows: pd.DataFrame) -> tuple[list[DonorLine], int, Decimal | None]:
    if flows.empty:
        return [], 0, None
    kinds = dict(Organisation.Kind.choices)
    counted = flows["status"].isin([FlowStatus.COMMITTED, FlowStatus.PAID])
    frame = pd.DataFrame(
        {
            "funded": flows["cents"].where(counted, 0),
            "pledged": flows["cents"].where(~counted, 0),
            "source": flows["source"],
            "source_kind": flows["source_kind"],
        }
    )
    by_donor = (
        frame.groupby(["source", "source_kind"], sort=False)[["funded", "pledged"]]
        .sum()
        .reset_index()
    )
    by_donor = by_donor.sort_values(["funded", "pledged", "source"], ascending=[False, False, True])
    total_funded = int(by_donor["funded"].sum())
    top, rest = by_donor.head(TOP_DONORS), by_donor.iloc[TOP_DONORS:]
    lines = [
        DonorLine(
            rank=rank,
            donor=row.source,
            kind=str(kinds.get(row.source_kind, row.source_kind)),
            pledged=cents_to_usd(row.pledged),
            funded=cents_to_usd(row.funded),
            share=coverage_percent(row.funded, total_funded),
        )
        for rank, row in enumerate(top.itertuples(index=False), start=1)
    ]
    if not rest.empty:
        lines.append(
            DonorLine(
                rank=None,
                donor=_("Other donors (%(count)s)") % {"count": len(rest)},
                kind="",
                pledged=cents_to_usd(rest["pledged"].sum()),
                funded=cents_to_usd(rest["funded"].sum()),
                share=coverage_percent(rest["funded"].sum(), total_funded),
            )
        )
    lines.append(
        DonorLine(
            rank=None,
            donor=_("All donors"),
            kind="",
            pledged=cents_to_usd(by_donor["pledged"].sum()),
            funded=cents_to_usd(total_funded),
            share=Decimal("100.0") if total_funded else None,
        )
    )
    return lines, len(by_donor), coverage_percent(top["funded"].sum(), total_funded)


def gap_report(
    *,
    requirements: QuerySet[FundingRequirement],
    flows: QuerySet[FundingFlow],
    dimension: str = "country",
    dimension_label: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
    rates: RateTable | None = None,
) -> GapReport:
    """Three queries: the requirements, the flows (with source and recipient), the rates."""
    rates = rates or RateTable.load()
    required, unconverted_required = requirement_frame(requirements, rates)
    funding, unconverted_flows = flow_frame(flows, rates, year_from=year_from, year_to=year_to)
    by_dimension = gap_frame(required, funding, dimension)
    by_year = gap_frame(required, funding, "year")
    totals = by_dimension.sum()
    donors, donor_count, top_share = _donors(funding)
    return GapReport(
        dimension=dimension,
        dimension_label=str(dimension_label or dimension),
        lines=[_gap_line(label, row) for label, row in by_dimension.iterrows()],
        total=_gap_line(_("Total"), totals),
        trends=[_gap_line(label, row) for label, row in by_year.iterrows()],
        donors=donors,
        donor_count=donor_count,
        top_share=top_share,
        unconverted=sorted(unconverted_required | unconverted_flows),
    )


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


def secretariat_sustainability(
    *, today: datetime.date, rates: RateTable | None = None
) -> Sustainability:
    """How long the Secretariat can run at its current cost, and which function lacks what.

    Needs per function and year are the Secretariat's recorded requirements where there are
    any, else the function's current annual cost. Funding earmarked for a function covers it;
    the rest covers the functions in their priority order. Four queries.
    """
    rates = rates or RateTable.load()
    first_year = today.year
    years = list(range(first_year, first_year + PROJECTION_YEARS))
    functions = list(SecretariatFunction.objects.order_by("priority", "name"))
    annual_cost = sum((function.annual_cost for function in functions), Decimal(0))

    recorded: dict[tuple[int, int], int] = {}
    unconverted: set[str] = set()
    secretariat_requirements = FundingRequirement.objects.filter(
        recipient_kind=RecipientKind.SECRETARIAT, secretariat_function__isnull=False, year__in=years
    ).values_list("secretariat_function_id", "year", "amount", "currency")
    for function_id, year, amount, currency in secretariat_requirements:
        cents = rates.to_usd_cents(amount, currency, year)
        if cents is None:
            unconverted.add(currency)
            continue
        recorded[(function_id, year)] = recorded.get((function_id, year), 0) + cents

    earmarked: dict[tuple[int, int], int] = {}
    pooled: dict[int, int] = {}
    secured: dict[int, int] = {}
    pledged: dict[int, int] = {}
    flows = FundingFlow.objects.filter(recipient_kind=RecipientKind.SECRETARIAT).values_list(
        "secretariat_function_id",
        "amount",
        "currency",
        "decision_date",
        "year_start",
        "year_end",
        "status",
    )
    for function_id, amount, currency, decision_date, year_start, year_end, status in flows:
        cents = rates.to_usd_cents(amount, currency, decision_date.year)
        if cents is None:
            unconverted.add(currency)
            continue
        for year, share in split_cents(cents, list(range(year_start, year_end + 1))):
            if status == FlowStatus.PLEDGED:
                pledged[year] = pledged.get(year, 0) + share
                continue
            secured[year] = secured.get(year, 0) + share
            if function_id:
                earmarked[(function_id, year)] = earmarked.get((function_id, year), 0) + share
            else:
                pooled[year] = pooled.get(year, 0) + share

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
        unconverted=sorted(unconverted),
    )


# ---------------------------------------------------------------------------------------------
# The dashboard


def dashboard_summary(*, user) -> dict | None:
    """This year's coverage by region, and the Secretariat's runway for those who read everything.

    Three queries (rates, requirements, flows), three more for the runway.
    """
    from alliance87 import charts

    from .access import get_funding_flows_for_user, get_funding_requirements_for_user

    if not (can_read_everything(user) or focal_point_country_ids(user)):
        return None
    today = datetime.date.today()
    year = today.year
    rates = RateTable.load()
    report = gap_report(
        requirements=get_funding_requirements_for_user(user).filter(year=year),
        flows=get_funding_flows_for_user(user).filter(year_start__lte=year, year_end__gte=year),
        dimension="region",
        year_from=year,
        year_to=year,
        rates=rates,
    )
    reads_everything = can_read_everything(user)
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
        "sustainability": secretariat_sustainability(today=today, rates=rates)
        if reads_everything
        else None,
    }


# ---------------------------------------------------------------------------------------------
# The PDF report (alliance87.reports kind "financing_gap")


def financing_gap_report() -> dict:
    """The financing gap report: the gap page's tables by region, country and year, and the
    Secretariat's sustainability, from the same selectors as the pages. Six queries."""
    from alliance87 import charts

    rates = RateTable.load()
    requirements = FundingRequirement.objects.all()
    flows = FundingFlow.objects.all()
    by_country = gap_report(
        requirements=requirements,
        flows=flows,
        dimension="country",
        dimension_label=_("Country"),
        rates=rates,
    )
    # The same frames, by region and theme, without asking the database again.
    required, _unconverted = requirement_frame(requirements, rates)
    funding, _unconverted = flow_frame(flows, rates)
    tables = {
        "region": gap_table(
            [
                _gap_line(label, row)
                for label, row in gap_frame(required, funding, "region").iterrows()
            ],
            by_country.total,
            key="region",
            caption=_("Financing gap by region, in USD"),
            first_header=_("Region"),
        ),
        "theme": gap_table(
            [
                _gap_line(label, row)
                for label, row in gap_frame(required, funding, "theme").iterrows()
            ],
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
