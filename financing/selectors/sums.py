"""The gap figures' sums in whole dollars, computed in the database: every flow and requirement
converted once (UsdWhole), the flows split evenly over their years, then added up by
recipient, theme and year in one statement."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, QuerySet

from ..models import COUNTED_STATUSES, FlowStatus, FundingFlow, FundingRequirement
from ..rates import RateTable, UsdWhole, exact_rate_expression, rate_expression

TOP_DONORS = 5

# (recipient kind, country id, action group id, theme)
Recipient = tuple[str, int | None, int | None, str]
# A raw row of the sums' statement.
Row = tuple[Any, ...]


def _flow_rate(rates: RateTable) -> Case:
    """A flow's USD value uses the rate of its decision year."""
    return rate_expression(rates, year_field="decision_date", by_date=True)


def flow_usd(rates: RateTable) -> UsdWhole:
    return UsdWhole(F("amount"), _flow_rate(rates))


def requirement_usd(rates: RateTable) -> UsdWhole:
    return UsdWhole(F("amount"), rate_expression(rates, year_field="year"))


def compiled_sql(
    queryset: QuerySet[Any], shape: Callable[[QuerySet[Any]], QuerySet[Any]]
) -> tuple[str, tuple[Any, ...]]:
    """The SQL of shape(queryset); a queryset that can match nothing gives an empty SELECT."""
    try:
        return shape(queryset).query.sql_with_params()
    except EmptyResultSet:
        return shape(queryset.model.objects.filter(pk__isnull=True)).query.sql_with_params()


def decision_year(value: object) -> int:
    """The year of a decision date from a raw row (SQLite gives it as text)."""
    if isinstance(value, datetime.date):
        return value.year
    return datetime.date.fromisoformat(str(value)[:10]).year


def as_amount(value: Decimal | float | int) -> Decimal:
    """An amount from a raw row: PostgreSQL gives a Decimal, SQLite a float or an int."""
    if isinstance(value, Decimal):
        return value
    return Decimal(value if isinstance(value, int) else repr(value)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class DonorSum:
    source_id: int
    funded: int
    pledged: int


@dataclass(frozen=True)
class ConversionNote:
    """An amount converted at another year's rate, or left out for want of any rate."""

    kind: str  # "flow" or "requirement"
    pk: int
    recipient: tuple[Any, ...]  # Recipient
    source_id: int | None
    reference: str
    status: str
    year: int  # the year whose rate was wanted: a flow's decision year, a requirement's year
    currency: str
    amount: Decimal
    rate_year: int | None  # the year whose rate was used; None: left out
    usd: int | None


def note_order(note: ConversionNote) -> tuple[bool, int, str, int]:
    """Left out first, then by year and kind."""
    return (note.rate_year is not None, note.year, note.kind, note.pk)


def conversion_note(
    *,
    part: str,
    pk: int,
    recipient: tuple[Any, ...],
    source_id: int | None,
    reference: str | None,
    status: str | None,
    year: int,
    decided: object,
    currency: str,
    amount: Decimal | float | int,
    usd: Decimal | int | None,
    rates: RateTable,
) -> ConversionNote:
    """The note of a note row ("flow_note" or a requirement's): a flow wants the rate of its
    decision year, a requirement the rate of its own year."""
    wanted = decision_year(decided) if part == "flow_note" else year
    return ConversionNote(
        kind="flow" if part == "flow_note" else "requirement",
        pk=pk,
        recipient=recipient,
        source_id=source_id,
        reference=reference or "",
        status=status or "",
        year=wanted,
        currency=currency,
        amount=as_amount(amount),
        rate_year=rates.rate_year(currency, wanted),
        usd=None if usd is None else int(usd),
    )


@dataclass(frozen=True)
class GapSums:
    """Every figure of the gap report in whole dollars, by ids: plain data, cached with the
    financing figures alone (names are read when the report is built, so a renamed country
    shows).

    atoms: {(recipient kind, country id, action group id, theme, year): [requirement,
    pledged, committed, paid]}, the units a gap is counted in; top_donors: the five largest
    donors with any tied with the fifth; notes: the amounts converted at another year's
    rate or left out.
    """

    atoms: dict[tuple[Any, ...], list[int]]
    top_donors: list[DonorSum]
    donor_count: int
    total_funded: int
    total_pledged: int
    notes: list[ConversionNote]
    unconverted: list[str]


_COUNTED_SQL = ", ".join(f"'{status}'" for status in COUNTED_STATUSES)
_RECIPIENT = "recipient_kind, country_id, action_group_id, theme"
_STATUS_INDEX: dict[str, int] = {FlowStatus.PLEDGED: 1, FlowStatus.COMMITTED: 2, FlowStatus.PAID: 3}

# One statement, one pass over the flows: each flow's whole dollars are computed once (f,
# which PostgreSQL materialises as more than one branch reads it), then every branch works
# on integers. A flow of n years gives each year usd / n and its first usd % n years a
# dollar more, so its share of the years asked for is that many years' base plus the extra
# dollars among them ({in_years}). The branches return (the first one typing the columns for
# PostgreSQL's UNION) the requirements by recipient and year, the flows by recipient,
# status, years covered and leftover dollars (spread over their years in Python), the flows
# by donor, and every flow and requirement converted at another year's rate or not at all.
_GAP_SQL = """
WITH f (id, recipient_kind, country_id, action_group_id, theme, status, year_start, year_end,
        source_id, currency, usd, exact, amount, decision_date, reference) AS ({flows}),
r (id, recipient_kind, country_id, action_group_id, theme, need_year, currency, usd, exact,
   amount) AS ({requirements})
SELECT 'requirement', recipient_kind, country_id, action_group_id, theme,
    CAST(NULL AS VARCHAR(20)), need_year, CAST(NULL AS INTEGER), CAST(NULL AS INTEGER),
    SUM(usd), CAST(NULL AS BIGINT), CAST(NULL AS INTEGER), CAST(NULL AS INTEGER),
    CAST(NULL AS VARCHAR(3)), CAST(NULL AS NUMERIC), CAST(NULL AS DATE),
    CAST(NULL AS VARCHAR(100))
FROM r WHERE usd IS NOT NULL GROUP BY {recipient}, need_year
UNION ALL
SELECT 'flow', recipient_kind, country_id, action_group_id, theme, status, year_start,
    year_end, {leftover}, SUM(usd / {span}), COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL
FROM f WHERE usd IS NOT NULL AND {in_range}
GROUP BY {recipient}, status, year_start, year_end, {leftover}
UNION ALL
SELECT 'donor', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    SUM(CASE WHEN status IN ({counted}) THEN {in_years} ELSE 0 END),
    SUM(CASE WHEN status IN ({counted}) THEN 0 ELSE {in_years} END),
    source_id, NULL, NULL, NULL, NULL, NULL
FROM f WHERE usd IS NOT NULL AND {in_range} GROUP BY source_id
UNION ALL
SELECT 'flow_note', recipient_kind, country_id, action_group_id, theme, status, year_start,
    year_end, NULL, usd, NULL, source_id, id, currency, amount, decision_date, reference
FROM f WHERE exact = 0 AND {in_range}
UNION ALL
SELECT 'requirement_note', recipient_kind, country_id, action_group_id, theme, NULL,
    need_year, NULL, NULL, usd, NULL, NULL, id, currency, amount, NULL, NULL
FROM r WHERE exact = 0
"""
_SPAN = "(year_end - year_start + 1)"
_LEFTOVER = f"(usd %% {_SPAN})"


def _in_years_sql(year_from: int | None, year_to: int | None) -> tuple[str, str]:
    """The SQL of a flow's dollars within year_from..year_to, and of its having any such year.

    The years are integers (the filter's Decimals included), written as literals.
    """
    if not year_from and not year_to:
        return "usd", "1 = 1"
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
    return f"({count} * (usd / {_SPAN}) + {extra})", f"{count} > 0"


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
    rows = _gap_rows_from_database(
        requirements=requirements,
        flows=flows,
        year_from=year_from,
        year_to=year_to,
        rates=rates,
    )
    tally = _GapTally(
        year_from=int(year_from) if year_from else None,
        year_to=int(year_to) if year_to else None,
        rates=rates,
    )
    for row in rows:
        tally.add(row)
    return tally.sums()


def _flows_sql(flows: QuerySet[FundingFlow], rates: RateTable) -> tuple[str, tuple[Any, ...]]:
    return compiled_sql(
        flows,
        lambda queryset: (
            queryset.order_by()
            .annotate(
                usd=flow_usd(rates),
                exact=exact_rate_expression(rates, year_field="decision_date", by_date=True),
            )
            .values(
                "id",
                "recipient_kind",
                "country_id",
                "action_group_id",
                "theme",
                "status",
                "year_start",
                "year_end",
                "source_id",
                "currency",
                "usd",
                "exact",
                "amount",
                "decision_date",
                "reference",
            )
        ),
    )


def _requirements_sql(
    requirements: QuerySet[FundingRequirement], rates: RateTable
) -> tuple[str, tuple[Any, ...]]:
    return compiled_sql(
        requirements,
        lambda queryset: (
            queryset.order_by()
            .annotate(
                usd=requirement_usd(rates),
                exact=exact_rate_expression(rates, year_field="year"),
            )
            .values(
                "id",
                "recipient_kind",
                "country_id",
                "action_group_id",
                "theme",
                "year",
                "currency",
                "usd",
                "exact",
                "amount",
            )
        ),
    )


def _gap_rows_from_database(
    *,
    requirements: QuerySet[FundingRequirement],
    flows: QuerySet[FundingFlow],
    year_from: int | None,
    year_to: int | None,
    rates: RateTable,
) -> list[Row]:
    """The rows of _GAP_SQL for these requirements, flows and years."""
    flow_sql, flow_params = _flows_sql(flows, rates)
    requirement_sql, requirement_params = _requirements_sql(requirements, rates)
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
        rows: list[Row] = cursor.fetchall()
    return rows


class _GapTally:
    """Adds up the rows of _GAP_SQL into GapSums.

    PostgreSQL sums bigints as numeric: the figures come back as Decimal, kept as int.
    """

    def __init__(self, *, year_from: int | None, year_to: int | None, rates: RateTable) -> None:
        self.year_from = year_from
        self.year_to = year_to
        self.rates = rates
        self.atoms: dict[tuple[Any, ...], list[int]] = {}
        self.donors: list[DonorSum] = []
        self.notes: list[ConversionNote] = []
        self.unconverted: set[str] = set()

    def atom(self, recipient: tuple[Any, ...], year: int) -> list[int]:
        key = (*recipient, year)
        if key not in self.atoms:
            self.atoms[key] = [0, 0, 0, 0]
        return self.atoms[key]

    def add(self, row: Row) -> None:
        part, recipient = row[0], tuple(row[1:5])
        status, year, year_end, leftover, total, extra, item, pk = row[5:13]
        if part == "requirement":
            self.atom(recipient, year)[0] += int(total)
        elif part == "flow":
            self.add_flow(recipient, status, year, year_end, leftover, total, extra)
        elif part == "donor":
            self.donors.append(DonorSum(item, int(total), int(extra)))
        else:
            self.add_note(row)

    def add_flow(
        self,
        recipient: tuple[Any, ...],
        status: str,
        year: int,
        year_end: int,
        leftover: int,
        total: int,
        extra: int,
    ) -> None:
        """Flows alike in status, years and leftover dollars, shared out over their years
        within those asked for (`total` each, `extra` more for the first `leftover` years)."""
        index_of_status = _STATUS_INDEX[status]
        year_from, year_to = self.year_from, self.year_to
        for index, covered in enumerate(range(year, year_end + 1)):
            if (year_from and covered < year_from) or (year_to and covered > year_to):
                continue
            share = int(total) + (int(extra) if index < leftover else 0)
            self.atom(recipient, covered)[index_of_status] += share

    def add_note(self, row: Row) -> None:
        part, recipient = row[0], tuple(row[1:5])
        status, year, _year_end, _leftover, total, _extra, item, pk = row[5:13]
        currency, amount, decided, reference = row[13:17]
        note = conversion_note(
            part=part,
            pk=pk,
            recipient=recipient,
            source_id=item,
            reference=reference,
            status=status,
            year=year,
            decided=decided,
            currency=currency,
            amount=amount,
            usd=total,
            rates=self.rates,
        )
        if note.rate_year is None:
            self.unconverted.add(currency)
        self.notes.append(note)

    def sums(self) -> GapSums:
        donors = self.donors
        donors.sort(key=lambda donor: (-donor.funded, -donor.pledged))
        self.notes.sort(key=note_order)
        return GapSums(
            atoms=self.atoms,
            top_donors=_top_donors(donors),
            donor_count=len(donors),
            total_funded=sum(donor.funded for donor in donors),
            total_pledged=sum(donor.pledged for donor in donors),
            notes=self.notes,
            unconverted=sorted(self.unconverted),
        )


def _top_donors(donors: list[DonorSum]) -> list[DonorSum]:
    """The largest TOP_DONORS of `donors` (sorted, largest first) and any tied with the last."""
    top = donors[:TOP_DONORS]
    if top:
        # Donors tied with the fifth are ordered by name when the report is built.
        last_top = (top[-1].funded, top[-1].pledged)
        top += [donor for donor in donors[TOP_DONORS:] if (donor.funded, donor.pledged) == last_top]
    return top
