"""The Secretariat's sustainability: its functions' needs against the funding earmarked for
them or shared among them, how many months each can run, and what each lacks."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from alliance87.aggregates import cached_aggregate
from alliance87.translated import record_text

from ..models import FlowStatus, FundingFlow, FundingRequirement, RecipientKind, SecretariatFunction
from ..rates import RateTable, exact_rate_expression
from .labels import Names, conversion_table
from .sums import (
    ConversionNote,
    Row,
    compiled_sql,
    conversion_note,
    flow_usd,
    note_order,
    requirement_usd,
)
from .tables import ONE, TENTH, Table, TableColumn, coverage_percent, usd

PROJECTION_YEARS = 3


def earmarking_rule() -> str:
    """How the Secretariat's funding is shared among its functions, as the page states it."""
    return _(
        "Money earmarked for a function counts for that function only, up to its need of "
        "each year. Money that is not earmarked is shared out year by year: in each year it "
        "tops up the functions, in their order of priority (1 first), to that year's need "
        "after their earmarked money. Money left in a year (earmarked beyond its function's "
        "need, or shared money once every need is met) is a surplus: it is shown apart and "
        "counted for no other year. A function's need is its recorded requirement for the "
        "year, else its annual cost. Months covered are counted from January %(year)s, year "
        "by year: a year's money covers that year's months only (12 × money counted ÷ need), "
        "and the count stops in the first year whose need is not fully covered, so money for "
        "later years never hides a gap this year."
    )


@dataclass
class FunctionYear:
    year: int
    need: Decimal
    earmarked: Decimal  # earmarked money counted toward the need
    allocated: Decimal  # from shared funding
    secured: Decimal  # earmarked + allocated
    gap: Decimal
    surplus: Decimal = Decimal(0)  # earmarked beyond the need


@dataclass
class FunctionLine:
    function: SecretariatFunction
    annual_cost: Decimal
    years: list[FunctionYear]
    gap: Decimal
    earmarked_ahead: Decimal = Decimal(0)
    shared_ahead: Decimal = Decimal(0)
    secured_ahead: Decimal = Decimal(0)
    months: Decimal | None = None


@dataclass
class ProjectionYear:
    year: int | str  # the total line's is "Total"
    need: Decimal
    secured: Decimal
    pledged: Decimal
    gap: Decimal
    coverage: Decimal | None
    surplus: Decimal = Decimal(0)


def months_covered(years: list[tuple[int, int]]) -> Decimal | None:
    """Months covered without a break from the first of `years` ((need, money counted) per
    year, in order): each year's money covers its own months only, and the count stops in
    the first year it does not fully cover. None when nothing is needed in any year."""
    if not any(need for need, _counted in years):
        return None
    months = Decimal(0)
    for need, counted in years:
        if counted >= need:
            months += 12
            continue
        months += Decimal(12 * counted) / Decimal(need)
        break
    return months.quantize(TENTH, rounding=ROUND_HALF_UP)


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
    months_left: Decimal | None
    unallocated: Decimal
    unconverted: list[str]
    surplus_ahead: Decimal = Decimal(0)
    conversions: Table | None = None

    @property
    def first_year(self) -> int:
        return self.today.year

    @property
    def projection_gap(self) -> Decimal:
        return sum((line.gap for line in self.projection), Decimal(0))

    @property
    def earmarking_rule(self) -> str:
        return earmarking_rule() % {"year": self.first_year}

    @property
    def shortest(self) -> FunctionLine | None:
        """The function covered for the fewest months."""
        lines = [line for line in self.functions if line.months is not None]
        return min(lines, key=lambda line: (line.months, line.function.priority), default=None)

    @property
    def tables(self) -> list[Table]:
        years = [int(line.year) for line in self.projection]
        tables = [
            self._months_table(),
            self._projection_table(years),
            self._functions_table(years),
            self._history_table(),
        ]
        if self.conversions is not None:
            tables.append(self.conversions)
        return tables

    def _months_table(self) -> Table:
        return Table(
            key="months",
            caption=_("Months covered per function, from January %(year)s")
            % {"year": self.first_year},
            columns=[
                TableColumn(_("Function")),
                TableColumn(_("Annual cost (USD)"), "usd"),
                TableColumn(_("Earmarked, counted (USD)"), "usd"),
                TableColumn(_("From shared funding (USD)"), "usd"),
                TableColumn(_("Secured (USD)"), "usd"),
                TableColumn(_("Months covered"), "months"),
            ],
            rows=[
                [
                    record_text(line.function, "name"),
                    line.annual_cost,
                    line.earmarked_ahead,
                    line.shared_ahead,
                    line.secured_ahead,
                    line.months,
                ]
                for line in self.functions
            ],
            total=[
                _("All functions"),
                self.annual_cost,
                sum((line.earmarked_ahead for line in self.functions), Decimal(0)),
                sum((line.shared_ahead for line in self.functions), Decimal(0)),
                self.secured_ahead,
                self.runway_months,
            ]
            if self.functions
            else None,
        )

    def _projection_table(self, years: list[int]) -> Table:
        return Table(
            key="projection",
            caption=_("Needs against secured funding, %(first)s–%(last)s")
            % {"first": years[0], "last": years[-1]},
            columns=[
                TableColumn(_("Year")),
                TableColumn(_("Need (USD)"), "usd"),
                TableColumn(_("Secured: committed + paid (USD)"), "usd"),
                TableColumn(_("Pledged, not counted (USD)"), "usd"),
                TableColumn(_("Gap (USD)"), "usd"),
                TableColumn(_("Surplus (USD)"), "usd"),
                TableColumn(_("Coverage (%)"), "percent"),
            ],
            rows=[_projection_cells(line) for line in self.projection],
            total=_projection_cells(_projection_total(self.projection)),
        )

    def _functions_table(self, years: list[int]) -> Table:
        return Table(
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
                    record_text(line.function, "name"),
                    line.annual_cost,
                    *(year.gap for year in line.years),
                    line.gap,
                ]
                for line in self.functions
            ],
            total=[
                _("All functions"),
                self.annual_cost,
                *(line.gap for line in self.projection),
                self.projection_gap,
            ]
            if self.functions
            else None,
        )

    def _history_table(self) -> Table:
        return Table(
            key="secured",
            caption=_("Funding secured per year"),
            columns=[
                TableColumn(_("Year")),
                TableColumn(_("Secured: committed + paid (USD)"), "usd"),
                TableColumn(_("Pledged, not counted (USD)"), "usd"),
            ],
            rows=[[str(year), got, promised] for year, got, promised in self.history],
        )


def _projection_total(lines: list[ProjectionYear]) -> ProjectionYear:
    need = sum((line.need for line in lines), Decimal(0))
    gap = sum((line.gap for line in lines), Decimal(0))
    return ProjectionYear(
        year=_("Total"),
        need=need,
        secured=sum((line.secured for line in lines), Decimal(0)),
        pledged=sum((line.pledged for line in lines), Decimal(0)),
        gap=gap,
        surplus=sum((line.surplus for line in lines), Decimal(0)),
        coverage=coverage_percent(int(need - gap), int(need)),
    )


def _projection_cells(line: ProjectionYear) -> list[Any]:
    return [
        str(line.year),
        line.need,
        line.secured,
        line.pledged,
        line.gap,
        line.surplus,
        line.coverage,
    ]


@dataclass(frozen=True)
class SecretariatSums:
    """The Secretariat's needs and funding in whole dollars, plain data for the cache."""

    recorded: dict[tuple[int, int], int]
    earmarked: dict[tuple[int, int], int]
    pooled: dict[int, int]
    secured: dict[int, int]
    pledged: dict[int, int]
    unconverted: list[str]
    notes: list[ConversionNote] = field(default_factory=list)
    sources: dict[int, str] = field(default_factory=dict)


# The Secretariat's needs by function and year, its funding by function, status, years
# covered and leftover dollars (flows alike in these add the same to each of their years),
# and the flows and needs converted at another year's rate or not at all.
_SECRETARIAT_SQL = """
WITH r (id, function_id, need_year, currency, usd, exact, amount) AS ({requirements}),
f (id, function_id, status, year_start, year_end, currency, usd, exact, amount,
   decision_date, reference, source_id, source_name) AS ({flows})
SELECT 'need', function_id, CAST(NULL AS VARCHAR(20)), need_year, CAST(NULL AS INTEGER),
    CAST(NULL AS BIGINT), SUM(usd), CAST(NULL AS BIGINT), CAST(NULL AS INTEGER),
    CAST(NULL AS VARCHAR(3)), CAST(NULL AS NUMERIC), CAST(NULL AS DATE),
    CAST(NULL AS VARCHAR(100)), CAST(NULL AS VARCHAR(300))
FROM r WHERE usd IS NOT NULL GROUP BY function_id, need_year
UNION ALL
SELECT 'flow', function_id, status, year_start, year_end,
    usd %% (year_end - year_start + 1), SUM(usd / (year_end - year_start + 1)), COUNT(*),
    NULL, NULL, NULL, NULL, NULL, NULL
FROM f WHERE usd IS NOT NULL
GROUP BY function_id, status, year_start, year_end, usd %% (year_end - year_start + 1)
UNION ALL
SELECT 'flow_note', function_id, status, year_start, year_end, NULL, usd, source_id, id,
    currency, amount, decision_date, reference, source_name
FROM f WHERE exact = 0
UNION ALL
SELECT 'need_note', function_id, NULL, need_year, NULL, NULL, usd, NULL, id, currency, amount,
    NULL, NULL, NULL
FROM r WHERE exact = 0
"""


def secretariat_sums(*, first_year: int, rates: RateTable | None = None) -> SecretariatSums:
    """Recorded needs by function and year from `first_year` on, funding by year: one query
    (two without `rates`)."""
    rates = rates or RateTable.load()
    tally = _SecretariatTally(rates)
    for row in _secretariat_rows(first_year=first_year, rates=rates):
        tally.add(row)
    return tally.sums()


def _secretariat_needs(*, first_year: int) -> QuerySet[FundingRequirement]:
    return FundingRequirement.objects.filter(
        recipient_kind=RecipientKind.SECRETARIAT,
        secretariat_function__isnull=False,
        year__gte=first_year,
    )


def _secretariat_rows(*, first_year: int, rates: RateTable) -> list[Row]:
    """The rows of _SECRETARIAT_SQL."""
    requirement_sql, requirement_params = compiled_sql(
        _secretariat_needs(first_year=first_year),
        lambda queryset: (
            queryset.order_by()
            .annotate(
                usd=requirement_usd(rates),
                exact=exact_rate_expression(rates, year_field="year"),
            )
            .values("id", "secretariat_function_id", "year", "currency", "usd", "exact", "amount")
        ),
    )
    flow_sql, flow_params = compiled_sql(
        FundingFlow.objects.filter(recipient_kind=RecipientKind.SECRETARIAT),
        lambda queryset: (
            queryset.order_by()
            .annotate(
                usd=flow_usd(rates),
                exact=exact_rate_expression(rates, year_field="decision_date", by_date=True),
            )
            .values(
                "id",
                "secretariat_function_id",
                "status",
                "year_start",
                "year_end",
                "currency",
                "usd",
                "exact",
                "amount",
                "decision_date",
                "reference",
                "source_id",
                "source__name",
            )
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _SECRETARIAT_SQL.format(requirements=requirement_sql, flows=flow_sql),
            (*requirement_params, *flow_params),
        )
        rows: list[Row] = cursor.fetchall()
    return rows


class _SecretariatTally:
    """Adds up the rows of _SECRETARIAT_SQL into SecretariatSums."""

    def __init__(self, rates: RateTable) -> None:
        self.rates = rates
        self.recorded: dict[tuple[int, int], int] = {}
        self.unconverted: set[str] = set()
        self.earmarked: dict[tuple[int, int], int] = defaultdict(int)
        self.pooled: dict[int, int] = defaultdict(int)
        self.secured: dict[int, int] = defaultdict(int)
        self.pledged: dict[int, int] = defaultdict(int)
        self.notes: list[ConversionNote] = []
        self.sources: dict[int, str] = {}

    def add(self, row: Row) -> None:
        part, function_id, status, year_start, year_end, leftover, base, count = row[:8]
        if part == "need":
            self.recorded[(function_id, year_start)] = int(base)
        elif part in ("flow_note", "need_note"):
            self.add_note(row)
        else:
            self.add_flow(function_id, status, year_start, year_end, leftover, base, count)

    def add_flow(
        self,
        function_id: int | None,
        status: str,
        year_start: int,
        year_end: int,
        leftover: int,
        base: int,
        count: int,
    ) -> None:
        """`count` flows alike in function, status, years and leftover dollars: `base` a
        year each, a dollar more each for the first `leftover` years."""
        for index, year in enumerate(range(year_start, year_end + 1)):
            share = int(base) + (count if index < leftover else 0)
            if status == FlowStatus.PLEDGED:
                self.pledged[year] += share
                continue
            self.secured[year] += share
            if function_id:
                self.earmarked[(function_id, year)] += share
            else:
                self.pooled[year] += share

    def add_note(self, row: Row) -> None:
        part, _function_id, status, year_start, _year_end, _leftover, base, source_id = row[:8]
        pk, currency, amount, decided, reference, source_name = row[8:]
        note = conversion_note(
            part=part,
            pk=pk,
            recipient=(RecipientKind.SECRETARIAT, None, None, ""),
            source_id=source_id,
            reference=reference,
            status=status,
            year=year_start,
            decided=decided,
            currency=currency,
            amount=amount,
            usd=base,
            rates=self.rates,
        )
        if note.rate_year is None:
            self.unconverted.add(currency)
        if source_id:
            self.sources[source_id] = source_name
        self.notes.append(note)

    def sums(self) -> SecretariatSums:
        self.notes.sort(key=note_order)
        return SecretariatSums(
            recorded=self.recorded,
            earmarked=dict(self.earmarked),
            pooled=dict(self.pooled),
            secured=dict(self.secured),
            pledged=dict(self.pledged),
            unconverted=sorted(self.unconverted),
            notes=self.notes,
            sources=self.sources,
        )


def secretariat_sustainability(
    *, today: datetime.date, rates: RateTable | None = None, cached: bool = False
) -> Sustainability:
    """How long each of the Secretariat's functions can run, and what each lacks.

    Needs per function and year are the Secretariat's recorded requirements where there are
    any, else the function's annual cost (in whole dollars). The money is shared out as
    earmarking_rule() says, from this year to the last year with funding or a need. Three
    queries; with `cached`, one (the functions) while the financing figures have not changed.
    """
    first_year = today.year
    functions = list(SecretariatFunction.objects.order_by("priority", "name"))

    def compute() -> SecretariatSums:
        return secretariat_sums(first_year=first_year, rates=rates)

    if cached:
        sums = cached_aggregate(
            ["financing"], f"financing:secretariat-sums:v2:{first_year}", compute
        )
    else:
        sums = compute()
    cost = {
        function.pk: int(function.annual_cost.quantize(ONE, rounding=ROUND_HALF_UP))
        for function in functions
    }
    projection_years = list(range(first_year, first_year + PROJECTION_YEARS))
    years = range(first_year, _last_year(sums, first_year, projection_years) + 1)
    shares = _share_out(
        functions=functions, sums=sums, cost=cost, years=years, projection_years=projection_years
    )
    function_lines = _function_lines(functions, cost, shares)
    runway = _runway(shares.by_year, year_count=len(years)) if functions else None
    annual_cost = sum(cost.values())
    surplus_ahead = usd(sum(shares.surplus_by_year.values()))
    names = Names(countries={}, groups={}, donors={k: (v, "") for k, v in sums.sources.items()})
    return Sustainability(
        today=today,
        annual_cost=usd(annual_cost),
        monthly_cost=(usd(annual_cost) / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        projection=_projection(projection_years, function_lines, sums, shares.surplus_by_year),
        functions=function_lines,
        history=_secured_history(sums, projection_years),
        secured_ahead=usd(sum(sum(pair) for pair in shares.ahead.values())),
        runway_months=runway,
        months_left=_months_left(runway, today),
        unallocated=surplus_ahead,
        surplus_ahead=surplus_ahead,
        unconverted=sums.unconverted,
        conversions=conversion_table(sums.notes, names),
    )


def _last_year(sums: SecretariatSums, first_year: int, projection_years: list[int]) -> int:
    """The last year with funding or a recorded need, or else of the projection."""
    funded_years = [
        year
        for year in (*sums.secured, *sums.pooled, *(year for _pk, year in sums.recorded))
        if year >= first_year
    ]
    return max([projection_years[-1], *funded_years])


@dataclass
class _Shares:
    """The Secretariat's money shared out among its functions, year by year (whole dollars)."""

    # The projection's years of each function, by function id.
    lines: dict[int, list[FunctionYear]]
    # Earmarked money counted and shared money allocated, from the first year on.
    ahead: dict[int, list[int]]
    # (need, money counted) of each year from the first, by function id.
    by_year: dict[int, list[tuple[int, int]]]
    # Money left in each year: earmarked beyond its need, shared once every need is met.
    surplus_by_year: dict[int, int]


def _share_out(
    *,
    functions: list[SecretariatFunction],
    sums: SecretariatSums,
    cost: dict[int, int],
    years: range,
    projection_years: list[int],
) -> _Shares:
    """Each year's money shared out among the functions as earmarking_rule() says."""
    shares = _Shares(
        lines={function.pk: [] for function in functions},
        ahead={function.pk: [0, 0] for function in functions},
        by_year={function.pk: [] for function in functions},
        surplus_by_year={},
    )
    for year in years:
        pool = sums.pooled.get(year, 0)
        surplus = 0
        for function in functions:
            need = sums.recorded.get((function.pk, year), cost[function.pk])
            own = sums.earmarked.get((function.pk, year), 0)
            counted = min(own, need)
            allocated = min(need - counted, pool)
            pool -= allocated
            surplus += own - counted
            shares.ahead[function.pk][0] += counted
            shares.ahead[function.pk][1] += allocated
            shares.by_year[function.pk].append((need, counted + allocated))
            if year in projection_years:
                shares.lines[function.pk].append(
                    FunctionYear(
                        year=year,
                        need=usd(need),
                        earmarked=usd(counted),
                        allocated=usd(allocated),
                        secured=usd(counted + allocated),
                        gap=usd(need - counted - allocated),
                        surplus=usd(own - counted),
                    )
                )
        shares.surplus_by_year[year] = surplus + pool
    return shares


def _function_lines(
    functions: list[SecretariatFunction], cost: dict[int, int], shares: _Shares
) -> list[FunctionLine]:
    return [
        FunctionLine(
            function=function,
            annual_cost=usd(cost[function.pk]),
            years=shares.lines[function.pk],
            gap=sum((year.gap for year in shares.lines[function.pk]), Decimal(0)),
            earmarked_ahead=usd(shares.ahead[function.pk][0]),
            shared_ahead=usd(shares.ahead[function.pk][1]),
            secured_ahead=usd(sum(shares.ahead[function.pk])),
            months=months_covered(shares.by_year[function.pk]),
        )
        for function in functions
    ]


def _projection(
    projection_years: list[int],
    function_lines: list[FunctionLine],
    sums: SecretariatSums,
    surplus_by_year: dict[int, int],
) -> list[ProjectionYear]:
    """Every function's need, gap and surplus in each year of the projection."""
    projection = []
    for index, year in enumerate(projection_years):
        need = sum((line.years[index].need for line in function_lines), Decimal(0))
        gap = sum((line.years[index].gap for line in function_lines), Decimal(0))
        projection.append(
            ProjectionYear(
                year=year,
                need=need,
                secured=usd(sums.secured.get(year, 0)),
                pledged=usd(sums.pledged.get(year, 0)),
                gap=gap,
                surplus=usd(surplus_by_year.get(year, 0)),
                coverage=coverage_percent(int(need - gap), int(need)),
            )
        )
    return projection


def _secured_history(
    sums: SecretariatSums, projection_years: list[int]
) -> list[tuple[int, Decimal, Decimal]]:
    """Funding secured and pledged in each year with any, through the projection's."""
    secured, pledged = sums.secured, sums.pledged
    history_years = sorted(set(secured) | set(pledged) | set(projection_years))
    return [
        (year, usd(secured.get(year, 0)), usd(pledged.get(year, 0)))
        for year in range(history_years[0], history_years[-1] + 1)
    ]


def _runway(by_year: dict[int, list[tuple[int, int]]], *, year_count: int) -> Decimal | None:
    """Months covered for all the functions together, from the first year."""
    return months_covered(
        [
            (
                sum(by_year[pk][index][0] for pk in by_year),
                sum(by_year[pk][index][1] for pk in by_year),
            )
            for index in range(year_count)
        ]
    )


def _months_left(runway: Decimal | None, today: datetime.date) -> Decimal | None:
    """The runway less the months gone this year."""
    if runway is None:
        return None
    elapsed = Decimal(today.month - 1) + Decimal(today.day - 1) / 30
    return max(runway - elapsed, Decimal(0)).quantize(TENTH, rounding=ROUND_HALF_UP)
