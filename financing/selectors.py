"""Reads of the financing area: the gap analysis, the flows and donor ledgers, and the
Secretariat's sustainability.

Every amount is converted to US dollars with the yearly rate table and rounded half up to
the whole dollar once, in the database, one flow or requirement at a time (UsdWhole); a flow
covering several years is split evenly in whole dollars, the odd dollars going to its first
years. Every figure shown is a sum of these whole dollars, so each table adds up as shown and
a figure is the same in every table, page, export and PDF that shows it.

A gap is counted for each recipient, theme and year: requirement minus funding, never below
zero. Funding beyond that requirement is a surplus, shown apart, and reduces no other gap.
Funding counts toward coverage once committed: pledges are shown beside it, never in it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, QuerySet, Value
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance87.access import Person, can_read_everything, focal_point_country_ids
from alliance87.aggregates import cached_aggregate
from alliance87.choices import DurbanArea, Theme
from alliance87.fields import has_choice
from alliance87.models import Country, IloRegion
from governance.models import ActionGroup, Organisation

from .access import (
    financing_country_scope,
    get_funding_flows_for_user,
    get_funding_requirements_for_user,
)
from .filters import GROUP_BY_CHOICES, GapFilter
from .models import (
    COUNTED_STATUSES,
    FlowStatus,
    FundingFlow,
    FundingRequirement,
    RecipientKind,
    SecretariatFunction,
)
from .rates import RateTable, UsdWhole, exact_rate_expression, rate_expression

TOP_DONORS = 5
PROJECTION_YEARS = 3
ONE = Decimal(1)
TENTH = Decimal("0.1")


def conversion_rule() -> str:
    """The conversion rule, as the pages and the exports state it."""
    return _(
        "Amounts are converted to US dollars at the Secretariat's rate for the year the money "
        "was decided (a flow) or is needed (a requirement). When the currency has no rate for "
        "that year, the closest earlier year's rate is used, or else the closest later year's; "
        "an amount in a currency with no rate at all is left out. Both are listed by name. "
        "Each amount is rounded once, to the whole dollar; a flow covering several years is "
        "split evenly in whole dollars, the odd dollars going to its first years, so every "
        "table adds up as shown."
    )


def gap_rule() -> str:
    """How gaps and surpluses are counted, as the pages and the exports state it."""
    return _(
        "A gap is counted for each recipient, theme and year: the requirement minus the "
        "funding committed or paid, never below zero. Funding beyond that requirement is "
        "shown as a surplus and reduces no other year's or recipient's gap. Coverage is the "
        "share of the requirement that is funded."
    )


# ---------------------------------------------------------------------------------------------
# Tables shared by the pages and the exports, so a download holds exactly what the page shows.


@dataclass(frozen=True)
class TableColumn:
    header: str
    kind: str = "text"  # text, usd, percent, number, amount (two decimals), date


@dataclass
class Table:
    key: str
    caption: str
    columns: list[TableColumn]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    # A link for each row's cell in column `link_column` (the page shows it, the exports
    # do not), or None.
    links: list[str | None] | None = None
    link_column: int = 0

    def _typed(self, row: list) -> list[tuple]:
        return [(value, column.kind) for value, column in zip(row, self.columns, strict=True)]

    @property
    def typed_rows(self) -> list[list[tuple]]:
        """(value, kind) pairs, for templates that format each cell by its column."""
        return [self._typed(row) for row in self.rows]

    @property
    def linked_rows(self) -> list[list[tuple]]:
        """(value, kind, link) of each cell, for a table with links in one column."""
        links = self.links or [None] * len(self.rows)
        return [
            [
                (value, kind, link if index == self.link_column else None)
                for index, (value, kind) in enumerate(self._typed(row))
            ]
            for row, link in zip(self.rows, links, strict=True)
        ]

    @property
    def typed_total(self) -> list[tuple] | None:
        return self._typed(self.total) if self.total else None


def usd(dollars: int) -> Decimal:
    """Whole dollars (an int from the sums) as the Decimal the lines carry."""
    return Decimal(int(dollars))


def coverage_percent(funded: int, required: int) -> Decimal | None:
    if not required:
        return None
    return (Decimal(int(funded)) * 100 / Decimal(int(required))).quantize(
        TENTH, rounding=ROUND_HALF_UP
    )


def ledger_url(source_id: int | None) -> str | None:
    return reverse("financing:donor_ledger", args=[source_id]) if source_id else None


# ---------------------------------------------------------------------------------------------
# Sums in whole dollars, computed in the database


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


def _flow_rate(rates: RateTable):
    """A flow's USD value uses the rate of its decision year."""
    return rate_expression(rates, year_field="decision_date", by_date=True)


def flow_usd(rates: RateTable) -> UsdWhole:
    return UsdWhole(F("amount"), _flow_rate(rates))


def requirement_usd(rates: RateTable) -> UsdWhole:
    return UsdWhole(F("amount"), rate_expression(rates, year_field="year"))


def _compiled(queryset: QuerySet, shape) -> tuple[str, tuple]:
    """The SQL of shape(queryset); a queryset that can match nothing gives an empty SELECT."""
    try:
        return shape(queryset).query.sql_with_params()
    except EmptyResultSet:
        return shape(queryset.model.objects.filter(pk__isnull=True)).query.sql_with_params()


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _as_amount(value) -> Decimal:
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
    recipient: tuple  # (recipient kind, country id, action group id, theme)
    source_id: int | None
    reference: str
    status: str
    year: int  # the year whose rate was wanted: a flow's decision year, a requirement's year
    currency: str
    amount: Decimal
    rate_year: int | None  # the year whose rate was used; None: left out
    usd: int | None


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

    atoms: dict[tuple, list[int]]
    top_donors: list[DonorSum]
    donor_count: int
    total_funded: int
    total_pledged: int
    notes: list[ConversionNote]
    unconverted: list[str]


_COUNTED_SQL = ", ".join(f"'{status}'" for status in COUNTED_STATUSES)
_RECIPIENT = "recipient_kind, country_id, action_group_id, theme"
_STATUS_INDEX = {FlowStatus.PLEDGED: 1, FlowStatus.COMMITTED: 2, FlowStatus.PAID: 3}

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
    flow_sql, flow_params = _compiled(
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
    requirement_sql, requirement_params = _compiled(
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
    atoms: dict[tuple, list[int]] = {}
    donors, notes, unconverted = [], [], set()

    def atom(recipient: tuple, year: int) -> list[int]:
        key = (*recipient, year)
        if key not in atoms:
            atoms[key] = [0, 0, 0, 0]
        return atoms[key]

    # PostgreSQL sums bigints as numeric: the figures come back as Decimal, kept as int.
    for row in rows:
        part, recipient = row[0], tuple(row[1:5])
        status, year, year_end, leftover, total, extra, item, pk = row[5:13]
        if part == "requirement":
            atom(recipient, year)[0] += int(total)
        elif part == "flow":
            index_of_status = _STATUS_INDEX[status]
            for index, covered in enumerate(range(year, year_end + 1)):
                if (year_from and covered < year_from) or (year_to and covered > year_to):
                    continue
                share = int(total) + (int(extra) if index < leftover else 0)
                atom(recipient, covered)[index_of_status] += share
        elif part == "donor":
            donors.append(DonorSum(item, int(total), int(extra)))
        else:
            currency, amount, decided, reference = row[13:17]
            wanted = _as_date(decided).year if part == "flow_note" else year
            rate_year = rates.rate_year(currency, wanted)
            if rate_year is None:
                unconverted.add(currency)
            notes.append(
                ConversionNote(
                    kind="flow" if part == "flow_note" else "requirement",
                    pk=pk,
                    recipient=recipient,
                    source_id=item,
                    reference=reference or "",
                    status=status or "",
                    year=wanted,
                    currency=currency,
                    amount=_as_amount(amount),
                    rate_year=rate_year,
                    usd=None if total is None else int(total),
                )
            )
    donors.sort(key=lambda donor: (-donor.funded, -donor.pledged))
    top = donors[:TOP_DONORS]
    if top:
        # Donors tied with the fifth are ordered by name when the report is built.
        last_top = (top[-1].funded, top[-1].pledged)
        top += [donor for donor in donors[TOP_DONORS:] if (donor.funded, donor.pledged) == last_top]
    # Left out first, then by year and kind.
    notes.sort(key=lambda note: (note.rate_year is not None, note.year, note.kind, note.pk))
    return GapSums(
        atoms=atoms,
        top_donors=top,
        donor_count=len(donors),
        total_funded=sum(donor.funded for donor in donors),
        total_pledged=sum(donor.pledged for donor in donors),
        notes=notes,
        unconverted=sorted(unconverted),
    )


@dataclass
class _Names:
    countries: dict[int, tuple[str, str]]
    groups: dict[int, str]
    donors: dict[int, tuple[str, str]]


def _names(sums: GapSums) -> _Names:
    """The names the lines, donors and notes are labelled with, read by id in one query."""
    country_ids, group_ids = set(), set()
    recipients = [key[:4] for key in sums.atoms] + [note.recipient for note in sums.notes]
    for _kind, country_id, group_id, _theme in recipients:
        country_ids.add(country_id)
        group_ids.add(group_id)
    donor_ids = {donor.source_id for donor in sums.top_donors}
    donor_ids |= {note.source_id for note in sums.notes if note.source_id}

    def named(queryset: QuerySet, part: str, detail: str | None) -> QuerySet:
        return (
            queryset.order_by()
            .annotate(part=Value(part), detail=F(detail) if detail else Value(""))
            .values_list("part", "pk", "name", "detail")
        )

    rows = named(Country.objects.filter(pk__in=country_ids - {None}), "country", "ilo_region")
    rows = rows.union(
        named(ActionGroup.objects.filter(pk__in=group_ids - {None}), "group", None),
        named(Organisation.objects.filter(pk__in=donor_ids), "donor", "kind"),
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
_COLUMNS = ("requirement", *_STATUSES, "funded", "gap", "surplus")


def _gap_rows(sums: GapSums, dimension: str, names: _Names) -> list[tuple[str | int, dict]]:
    """Requirement, pledged, committed, paid, funded, gap and surplus (whole dollars) by one
    dimension, the largest gap first (years in order). Each recipient, theme and year counts
    its own gap and surplus; a line adds up those of its units."""
    rows: dict = {}
    label = None if dimension == "year" else _labeller(dimension, names)
    for (*recipient, year), (required, pledged, committed, paid) in sums.atoms.items():
        key = year if label is None else label(*recipient)
        line = rows.get(key)
        if line is None:
            line = rows[key] = dict.fromkeys(_COLUMNS, 0)
        funded = committed + paid
        line["requirement"] += required
        line[FlowStatus.PLEDGED] += pledged
        line[FlowStatus.COMMITTED] += committed
        line[FlowStatus.PAID] += paid
        line["funded"] += funded
        line["gap"] += max(required - funded, 0)
        line["surplus"] += max(funded - required, 0)
    if dimension == "year":
        return sorted(rows.items())
    return sorted(rows.items(), key=lambda item: (-item[1]["gap"], item[0]))


def _total_row(rows: Iterable[tuple[str | int, dict]]) -> dict:
    total = dict.fromkeys(_COLUMNS, 0)
    for _key, line in rows:
        for column, dollars in line.items():
            total[column] += dollars
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
    surplus: Decimal = Decimal(0)


@dataclass
class DonorLine:
    rank: int | None
    donor: str
    kind: str
    pledged: Decimal
    funded: Decimal
    share: Decimal | None
    source_id: int | None = None


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
    conversions: Table | None = None

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
                    _trend_total(self.trends),
                    key="trends",
                    caption=_("Trends across years, in USD"),
                    first_header=_("Year"),
                )
            )
        tables.append(donor_table(self.donors))
        if self.conversions is not None:
            tables.append(self.conversions)
        return tables


def _trend_total(trends: list[GapLine]) -> GapLine | None:
    if not trends:
        return None
    total = {
        name: sum((getattr(line, name) for line in trends), Decimal(0))
        for name in ("requirement", "pledged", "committed", "paid", "funded", "gap", "surplus")
    }
    return GapLine(
        label=_("Total"),
        coverage=coverage_percent(
            int(total["requirement"] - total["gap"]), int(total["requirement"])
        ),
        **total,
    )


def _gap_line(label, row) -> GapLine:
    return GapLine(
        label=str(label),
        requirement=usd(row["requirement"]),
        pledged=usd(row[FlowStatus.PLEDGED]),
        committed=usd(row[FlowStatus.COMMITTED]),
        paid=usd(row[FlowStatus.PAID]),
        funded=usd(row["funded"]),
        gap=usd(row["gap"]),
        surplus=usd(row["surplus"]),
        # The share of the requirement that is met: a surplus elsewhere does not raise it.
        coverage=coverage_percent(row["requirement"] - row["gap"], row["requirement"]),
    )


# Lazy: the headers are translated when a table is built, in the reader's language.
# Keep the gap 6th (the table's 7th column): financing.css keeps it in view on a phone.
GAP_COLUMNS = [
    (gettext_lazy("Requirement"), "usd"),
    (gettext_lazy("Pledged (not counted)"), "usd"),
    (gettext_lazy("Committed"), "usd"),
    (gettext_lazy("Paid"), "usd"),
    (gettext_lazy("Funded"), "usd"),
    (gettext_lazy("Gap"), "usd"),
    (gettext_lazy("Surplus"), "usd"),
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
            line.surplus,
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
        links=[ledger_url(d.source_id) for d in donors[:-1]],
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
                pledged=usd(donor.pledged),
                funded=usd(donor.funded),
                share=coverage_percent(donor.funded, total_funded),
                source_id=donor.source_id,
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
                pledged=usd(sums.total_pledged - sum(donor.pledged for donor in ranked)),
                funded=usd(other_funded),
                share=coverage_percent(other_funded, total_funded),
            )
        )
    lines.append(
        DonorLine(
            rank=None,
            donor=_("All donors"),
            kind="",
            pledged=usd(sums.total_pledged),
            funded=usd(total_funded),
            share=Decimal("100.0") if total_funded else None,
        )
    )
    return lines, coverage_percent(top_funded, total_funded)


def _status_label(status: str) -> str:
    return str(FlowStatus(status).label) if status else ""


def rate_note(*, currency: str, year: int, rate_year: int | None) -> str:
    """What happened to an amount converted at another year's rate, or not at all."""
    if rate_year is None:
        return _("Left out: no %(currency)s rate is recorded for any year.") % {
            "currency": currency
        }
    if rate_year == year:
        return ""
    return _("Converted at the %(used)s rate: no %(currency)s rate for %(year)s.") % {
        "used": rate_year,
        "currency": currency,
        "year": year,
    }


def conversion_table(notes: list[ConversionNote], names: _Names) -> Table | None:
    """The flows and requirements converted at another year's rate or left out, by name."""
    if not notes:
        return None
    label = _labeller("recipient", names)
    rows, links = [], []
    for note in notes:
        source = names.donors.get(note.source_id, ("", ""))[0] if note.source_id else ""
        recipient = label(*note.recipient)
        if note.recipient[3]:
            recipient = f"{recipient} ({_theme_label(note.recipient[3])})"
        rows.append(
            [
                _("Flow") if note.kind == "flow" else _("Requirement"),
                source,
                recipient,
                note.reference,
                _status_label(note.status),
                str(note.year),
                note.amount,
                note.currency,
                str(note.rate_year) if note.rate_year else "",
                None if note.usd is None else usd(note.usd),
                rate_note(currency=note.currency, year=note.year, rate_year=note.rate_year),
            ]
        )
        links.append(ledger_url(note.source_id))
    return Table(
        key="conversions",
        caption=_("Amounts converted at another year's rate, or left out"),
        columns=[
            TableColumn(_("Recorded as")),
            TableColumn(_("Source")),
            TableColumn(_("Recipient")),
            TableColumn(_("Reference")),
            TableColumn(_("Status")),
            TableColumn(_("Year of the amount")),
            TableColumn(_("Amount"), "amount"),
            TableColumn(_("Currency")),
            TableColumn(_("Rate of year")),
            TableColumn(_("USD"), "usd"),
            TableColumn(_("What happened")),
        ],
        rows=rows,
        links=links,
        link_column=1,
    )


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
        conversions=conversion_table(sums.notes, names),
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
        # v2: whole dollars by recipient, theme and year, with the conversion notes.
        sums = cached_aggregate(["financing"], f"financing:gap-sums:v2:{cache_key}", compute)
        # The names of the sums' countries, groups and donors, kept apart from the sums: a
        # renamed country or organisation refreshes them without adding the figures up again.
        names = cached_aggregate(
            ["financing", "pathfinders", "governance"],
            f"financing:gap-names:v2:{cache_key}",
            lambda: _names(sums),
        )
    return report_from_sums(sums, dimension=dimension, dimension_label=dimension_label, names=names)


# ---------------------------------------------------------------------------------------------
# The flows, one by one: the flows list and a donor's ledger


@dataclass
class FlowRow:
    pk: int
    decided: datetime.date
    source_id: int
    source: str
    reference: str
    recipient: str
    theme: str
    status: str
    status_label: str
    year_start: int
    year_end: int
    amount: Decimal
    currency: str
    rate_year: int | None
    usd: Decimal | None
    note: str
    receiver: str = ""

    @property
    def years(self) -> str:
        if self.year_start == self.year_end:
            return str(self.year_start)
        return f"{self.year_start}–{self.year_end}"

    def shares(self) -> list[tuple[int, int]]:
        """The flow's whole dollars by year, split as the gap figures split them."""
        if self.usd is None:
            return []
        share, leftover = divmod(int(self.usd), self.year_end - self.year_start + 1)
        return [
            (year, share + (1 if index < leftover else 0))
            for index, year in enumerate(range(self.year_start, self.year_end + 1))
        ]


def annotated_flows(flows: QuerySet[FundingFlow], *, rates: RateTable) -> QuerySet[FundingFlow]:
    """Flows with what a list of them shows: names, and their whole dollars (as the gap
    figures compute them), newest decision first. One query."""
    return (
        flows.select_related(
            "source", "receiver", "country", "action_group", "secretariat_function"
        )
        .annotate(usd=flow_usd(rates))
        .order_by("-decision_date", "-pk")
    )


def annotated_requirements(
    requirements: QuerySet[FundingRequirement], *, rates: RateTable
) -> QuerySet[FundingRequirement]:
    """Requirements with their recipient and whole dollars (as the gap figures count them),
    latest year first. One query."""
    return (
        requirements.select_related("country", "action_group")
        .annotate(usd=requirement_usd(rates))
        .order_by("-year", "pk")
    )


def _recipient_of(flow) -> str:
    """A flow's recipient, from the flow or one of its historical records (with the related
    rows selected)."""
    if flow.recipient_kind == RecipientKind.COUNTRY and flow.country_id:
        return str(flow.country)
    if flow.recipient_kind == RecipientKind.ACTION_GROUP and flow.action_group_id:
        return str(flow.action_group)
    label = str(RecipientKind.SECRETARIAT.label)
    if flow.secretariat_function_id:
        return f"{label}: {flow.secretariat_function.name}"
    return label


def flow_rows(flows: Iterable[FundingFlow], *, rates: RateTable) -> list[FlowRow]:
    """annotated_flows' flows as the rows of a list (no query of their own)."""
    rows = []
    for flow in flows:
        year = flow.decision_date.year
        rate_year = rates.rate_year(flow.currency, year)
        rows.append(
            FlowRow(
                pk=flow.pk,
                decided=flow.decision_date,
                source_id=flow.source_id,
                source=flow.source.name,
                reference=flow.reference,
                recipient=_recipient_of(flow),
                receiver=flow.receiver.name if flow.receiver_id else "",
                theme=_theme_label(flow.theme),
                status=flow.status,
                status_label=_status_label(flow.status),
                year_start=flow.year_start,
                year_end=flow.year_end,
                amount=flow.amount,
                currency=flow.currency,
                rate_year=rate_year,
                usd=None if flow.usd is None else usd(flow.usd),
                note=rate_note(currency=flow.currency, year=year, rate_year=rate_year),
            )
        )
    return rows


def flow_table(rows: list[FlowRow], *, with_source: bool = True, caption: str = "") -> Table:
    """The flows as the flows list and a ledger show them, and as their exports write them."""
    columns = [
        TableColumn(_("Decided"), "date"),
        *([TableColumn(_("Source"))] if with_source else []),
        TableColumn(_("Recipient")),
        TableColumn(_("Received by")),
        TableColumn(_("Theme")),
        TableColumn(_("Reference")),
        TableColumn(_("Status")),
        TableColumn(_("Years")),
        TableColumn(_("Amount"), "amount"),
        TableColumn(_("Currency")),
        TableColumn(_("Rate of year")),
        TableColumn(_("USD"), "usd"),
        TableColumn(_("Conversion")),
    ]
    return Table(
        key="flows",
        caption=caption or _("Funding flows"),
        columns=columns,
        rows=[
            [
                row.decided,
                *([row.source] if with_source else []),
                row.recipient,
                row.receiver,
                row.theme,
                row.reference,
                row.status_label,
                row.years,
                row.amount,
                row.currency,
                "" if row.rate_year is None else str(row.rate_year),
                row.usd,
                row.note,
            ]
            for row in rows
        ],
        links=[ledger_url(row.source_id) for row in rows] if with_source else None,
        link_column=1,
    )


@dataclass
class HistoryEntry:
    when: datetime.datetime
    flow_pk: int
    reference: str
    flow: str  # the flow as its row in the ledger shows it: decided, recipient
    who: str
    action: str
    changes: list[tuple[str, str, str]]


# The fields of a flow a ledger's history names when they change, in this order.
_HISTORY_FIELDS = [
    "amount",
    "currency",
    "status",
    "decision_date",
    "year_start",
    "year_end",
    "recipient_kind",
    "country",
    "action_group",
    "secretariat_function",
    "theme",
    "reference",
    "description",
]


def _history_value(record, name: str) -> str:
    if name in ("country", "action_group", "secretariat_function"):
        related = getattr(record, f"{name}_id")
        return str(getattr(record, name)) if related else ""
    if name in ("status", "recipient_kind", "theme"):
        display = getattr(record, f"get_{name}_display")()
        return str(display) if getattr(record, name) else ""
    value = getattr(record, name)
    if isinstance(value, Decimal):
        return number_format(value, 2, force_grouping=True)
    return "" if value is None else str(value)


def flow_history(history: QuerySet) -> list[HistoryEntry]:
    """What changed in each flow of `history` (FundingFlow's historical records), newest
    first: one query."""
    records = history.select_related(
        "history_user", "country", "action_group", "secretariat_function"
    ).order_by("id", "history_date", "history_id")
    labels = {name: str(FundingFlow._meta.get_field(name).verbose_name) for name in _HISTORY_FIELDS}
    actions = {"+": _("Recorded"), "~": _("Changed"), "-": _("Deleted")}
    entries, previous = [], None
    for record in records:
        if previous is not None and previous.id != record.id:
            previous = None
        changes = []
        if record.history_type == "+" or previous is None:
            changes = [
                (labels[name], "", _history_value(record, name))
                for name in ("amount", "currency", "status")
            ]
        elif record.history_type == "~":
            for name in _HISTORY_FIELDS:
                old, new = _history_value(previous, name), _history_value(record, name)
                if old != new:
                    changes.append((labels[name], old, new))
        if record.history_type == "~" and previous is not None and not changes:
            previous = record
            continue  # saved without a change
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                flow_pk=record.id,
                reference=record.reference,
                flow=f"{record.decision_date.isoformat()} · {_recipient_of(record)}",
                who=(user.get_full_name() or user.get_username()) if user else "",
                action=str(actions.get(record.history_type, record.history_type)),
                changes=changes,
            )
        )
        previous = record
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


@dataclass
class Ledger:
    source: Organisation
    rows: list[FlowRow]
    flows: Table
    by_status: Table
    by_year: Table
    history: list[HistoryEntry]

    @property
    def tables(self) -> list[Table]:
        return [self.flows, self.by_status, self.by_year]

    @property
    def notes(self) -> list[FlowRow]:
        return [row for row in self.rows if row.note]


def ledger_totals(rows: list[FlowRow]) -> tuple[Table, Table]:
    """A list of flows' USD by status and by year (whole dollars: each adds up as shown)."""
    statuses = list(FlowStatus)
    count = dict.fromkeys(statuses, 0)
    by_status = dict.fromkeys(statuses, 0)
    by_year: dict[int, dict[str, int]] = {}
    for row in rows:
        count[row.status] += 1
        if row.usd is None:
            continue
        by_status[row.status] += int(row.usd)
        for year, share in row.shares():
            by_year.setdefault(year, dict.fromkeys(statuses, 0))[row.status] += share
    status_table = Table(
        key="status",
        caption=_("Totals by status, in USD"),
        columns=[
            TableColumn(_("Status")),
            TableColumn(_("Flows"), "number"),
            TableColumn(_("USD"), "usd"),
        ],
        rows=[
            [str(status.label), count[status], usd(by_status[status])]
            for status in statuses
            if count[status]
        ],
        total=[_("All flows"), sum(count.values()), usd(sum(by_status.values()))],
    )

    def year_cells(label: str, figures: dict[str, int]) -> list:
        funded = sum(figures[status] for status in COUNTED_STATUSES)
        return [label, *(usd(figures[status]) for status in statuses), usd(funded)]

    year_total = {status: by_status[status] for status in statuses}
    year_table = Table(
        key="years",
        caption=_("Totals by year covered, in USD"),
        columns=[
            TableColumn(_("Year")),
            *(TableColumn(str(status.label), "usd") for status in statuses),
            TableColumn(_("Funded: committed + paid"), "usd"),
        ],
        rows=[year_cells(str(year), by_year[year]) for year in sorted(by_year)],
        total=year_cells(_("Total"), year_total),
    )
    return status_table, year_table


def donor_ledger(
    *, source: Organisation, flows: QuerySet[FundingFlow], history: QuerySet
) -> Ledger:
    """A source organisation's flows (those of `flows`, the reader's), their totals and what
    changed in them. Three queries: rates, flows, history."""
    rates = RateTable.load()
    rows = flow_rows(annotated_flows(flows.filter(source=source), rates=rates), rates=rates)
    by_status, by_year = ledger_totals(rows)
    return Ledger(
        source=source,
        rows=rows,
        flows=flow_table(
            rows,
            with_source=False,
            caption=_("Flows from %(source)s") % {"source": source.name},
        ),
        by_status=by_status,
        by_year=by_year,
        history=flow_history(history.filter(source_id=source.pk)),
    )


# ---------------------------------------------------------------------------------------------
# The Secretariat's sustainability


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
    year: int
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
        years = [line.year for line in self.projection]
        months = Table(
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
                    line.function.name,
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
                TableColumn(_("Surplus (USD)"), "usd"),
                TableColumn(_("Coverage (%)"), "percent"),
            ],
            rows=[_projection_cells(line) for line in self.projection],
            total=_projection_cells(_projection_total(self.projection)),
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
        history = Table(
            key="secured",
            caption=_("Funding secured per year"),
            columns=[
                TableColumn(_("Year")),
                TableColumn(_("Secured: committed + paid (USD)"), "usd"),
                TableColumn(_("Pledged, not counted (USD)"), "usd"),
            ],
            rows=[[str(year), got, promised] for year, got, promised in self.history],
        )
        tables = [months, projection, functions, history]
        if self.conversions is not None:
            tables.append(self.conversions)
        return tables


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


def _projection_cells(line: ProjectionYear) -> list:
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
    requirement_sql, requirement_params = _compiled(
        FundingRequirement.objects.filter(
            recipient_kind=RecipientKind.SECRETARIAT,
            secretariat_function__isnull=False,
            year__gte=first_year,
        ),
        lambda queryset: (
            queryset.order_by()
            .annotate(
                usd=requirement_usd(rates),
                exact=exact_rate_expression(rates, year_field="year"),
            )
            .values("id", "secretariat_function_id", "year", "currency", "usd", "exact", "amount")
        ),
    )
    flow_sql, flow_params = _compiled(
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
        rows = cursor.fetchall()

    recorded: dict[tuple[int, int], int] = {}
    unconverted: set[str] = set()
    earmarked: dict[tuple[int, int], int] = defaultdict(int)
    pooled: dict[int, int] = defaultdict(int)
    secured: dict[int, int] = defaultdict(int)
    pledged: dict[int, int] = defaultdict(int)
    notes: list[ConversionNote] = []
    sources: dict[int, str] = {}
    for row in rows:
        part, function_id, status, year_start, year_end, leftover, base, count = row[:8]
        if part == "need":
            recorded[(function_id, year_start)] = int(base)
            continue
        if part in ("flow_note", "need_note"):
            pk, currency, amount, decided, reference, source_name = row[8:]
            wanted = _as_date(decided).year if part == "flow_note" else year_start
            rate_year = rates.rate_year(currency, wanted)
            if rate_year is None:
                unconverted.add(currency)
            if count:
                sources[count] = source_name
            notes.append(
                ConversionNote(
                    kind="flow" if part == "flow_note" else "requirement",
                    pk=pk,
                    recipient=(RecipientKind.SECRETARIAT, None, None, ""),
                    source_id=count,
                    reference=reference or "",
                    status=status or "",
                    year=wanted,
                    currency=currency,
                    amount=_as_amount(amount),
                    rate_year=rate_year,
                    usd=None if base is None else int(base),
                )
            )
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
    notes.sort(key=lambda note: (note.rate_year is not None, note.year, note.kind, note.pk))
    return SecretariatSums(
        recorded=recorded,
        earmarked=dict(earmarked),
        pooled=dict(pooled),
        secured=dict(secured),
        pledged=dict(pledged),
        unconverted=sorted(unconverted),
        notes=notes,
        sources=sources,
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
    recorded, earmarked, pooled = sums.recorded, sums.earmarked, sums.pooled
    secured, pledged = sums.secured, sums.pledged

    cost = {
        function.pk: int(function.annual_cost.quantize(ONE, rounding=ROUND_HALF_UP))
        for function in functions
    }
    funded_years = [
        year
        for year in (*secured, *pooled, *(year for _pk, year in recorded))
        if year >= first_year
    ]
    projection_years = list(range(first_year, first_year + PROJECTION_YEARS))
    last_year = max([projection_years[-1], *funded_years])
    lines = {function.pk: [] for function in functions}
    ahead = {function.pk: [0, 0] for function in functions}  # earmarked, shared
    by_year = {function.pk: [] for function in functions}  # (need, counted) from first_year
    surplus_by_year: dict[int, int] = {}
    for year in range(first_year, last_year + 1):
        pool = pooled.get(year, 0)
        surplus = 0
        for function in functions:
            need = recorded.get((function.pk, year), cost[function.pk])
            own = earmarked.get((function.pk, year), 0)
            counted = min(own, need)
            allocated = min(need - counted, pool)
            pool -= allocated
            surplus += own - counted
            ahead[function.pk][0] += counted
            ahead[function.pk][1] += allocated
            by_year[function.pk].append((need, counted + allocated))
            if year in projection_years:
                lines[function.pk].append(
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
        surplus_by_year[year] = surplus + pool
    function_lines = [
        FunctionLine(
            function=function,
            annual_cost=usd(cost[function.pk]),
            years=lines[function.pk],
            gap=sum((year.gap for year in lines[function.pk]), Decimal(0)),
            earmarked_ahead=usd(ahead[function.pk][0]),
            shared_ahead=usd(ahead[function.pk][1]),
            secured_ahead=usd(sum(ahead[function.pk])),
            months=months_covered(by_year[function.pk]),
        )
        for function in functions
    ]

    projection = []
    for index, year in enumerate(projection_years):
        need = sum((line.years[index].need for line in function_lines), Decimal(0))
        gap = sum((line.years[index].gap for line in function_lines), Decimal(0))
        projection.append(
            ProjectionYear(
                year=year,
                need=need,
                secured=usd(secured.get(year, 0)),
                pledged=usd(pledged.get(year, 0)),
                gap=gap,
                surplus=usd(surplus_by_year.get(year, 0)),
                coverage=coverage_percent(int(need - gap), int(need)),
            )
        )
    history_years = sorted(set(secured) | set(pledged) | set(projection_years))
    history = [
        (year, usd(secured.get(year, 0)), usd(pledged.get(year, 0)))
        for year in range(history_years[0], history_years[-1] + 1)
    ]

    annual_cost = sum(cost.values())
    secured_ahead = sum(sum(pair) for pair in ahead.values())
    runway = (
        months_covered(
            [
                (
                    sum(by_year[pk][index][0] for pk in by_year),
                    sum(by_year[pk][index][1] for pk in by_year),
                )
                for index in range(last_year - first_year + 1)
            ]
        )
        if functions
        else None
    )
    months_left = None
    if runway is not None:
        elapsed = Decimal(today.month - 1) + Decimal(today.day - 1) / 30
        months_left = max(runway - elapsed, Decimal(0)).quantize(TENTH, rounding=ROUND_HALF_UP)
    surplus_ahead = usd(sum(surplus_by_year.values()))
    names = _Names(countries={}, groups={}, donors={k: (v, "") for k, v in sums.sources.items()})
    return Sustainability(
        today=today,
        annual_cost=usd(annual_cost),
        monthly_cost=(usd(annual_cost) / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        projection=projection,
        functions=function_lines,
        history=history,
        secured_ahead=usd(secured_ahead),
        runway_months=runway,
        months_left=months_left,
        unallocated=surplus_ahead,
        surplus_ahead=surplus_ahead,
        unconverted=sums.unconverted,
        conversions=conversion_table(sums.notes, names),
    )


# ---------------------------------------------------------------------------------------------
# The dashboard


def dashboard_summary(*, user: Person) -> dict | None:
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
        # What the chart draws is what its caption names: regions for those who read
        # everything, a focal point's own countries for them.
        dimension="region" if reads_everything else "country",
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
            title=(
                _("Coverage by region, %(year)s")
                if reads_everything
                else _("Coverage of your country, %(year)s")
                if len(lines) == 1
                else _("Coverage of your countries, %(year)s")
            )
            % {"year": year},
            unit=" %",
            max_value=max(100.0, *(float(line.coverage) for line in lines)),
            role="funded",
            name=_("Coverage"),
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
        "conversions_table": country_tables.get("conversions"),
        "conversion_rule": conversion_rule(),
        "gap_rule": gap_rule(),
        "sustainability": sustainability,
        "sustainability_tables": sustainability.tables,
        "trend_chart": gap_trend_chart(trend),
    }


def gap_trend_chart(trends: list[GapLine]):
    """Requirement, funding and pledges year by year (the gap page's and the report's chart).

    Every year from the first to the last is drawn: a year without requirements, or without
    flows, leaves a gap in those lines rather than a drop to 0."""
    from alliance87 import charts

    if len(trends) < 2:
        return None
    by_year = {int(line.label): line for line in trends}
    years = range(min(by_year), max(by_year) + 1)

    def values(name: str, has_data) -> list[float | None]:
        return [
            float(getattr(by_year[year], name))
            if year in by_year and has_data(by_year[year])
            else None
            for year in years
        ]

    def has_flows(line: GapLine) -> bool:
        return bool(line.pledged or line.committed or line.paid)

    return charts.line_chart(
        [str(year) for year in years],
        {
            _("Requirement"): values("requirement", lambda line: bool(line.requirement)),
            _("Funded"): values("funded", has_flows),
            _("Pledged"): values("pledged", has_flows),
        },
        title=_("Requirement and funding across years (USD)"),
        roles=["requirement", "funded", "pledged"],
    )


def country_funding_summary(*, country) -> dict:
    """A country programme's requirement against its funding, by year (for the country dossier)."""
    report = gap_report(
        requirements=FundingRequirement.objects.filter(country=country),
        flows=FundingFlow.objects.filter(country=country),
        dimension="year",
        dimension_label=_("Year"),
    )
    return {"report": report, "table": report.tables[0], "has_figures": bool(report.lines)}


# --- The pages' filtered reads, shared by the pages, their downloads and the API ------------


def gap_page(*, user, params) -> tuple[GapFilter, GapReport]:
    """The gap page's filters and figures for this person (the page, its downloads and the API)."""
    scope = financing_country_scope(user)
    countries = Country.objects.all() if scope is None else Country.objects.filter(pk__in=scope)
    # The filter lists the countries by name and looks the one chosen up by id: no other column.
    countries = countries.only("pk", "name")
    data = params.copy()
    data.setdefault("group_by", "country")
    requirements = get_funding_requirements_for_user(user).select_related("country", "action_group")
    flows = get_funding_flows_for_user(user)
    limited = scope is not None
    requirement_filter = GapFilter(
        data, queryset=requirements, countries=countries, country_programmes_only=limited
    )
    flow_filter = GapFilter(
        data, queryset=flows, countries=countries, country_programmes_only=limited
    )
    # A value a filter cannot take is named beside its field and left out; the others apply
    # (cleaned_data holds only the fields that validated), so the figures stay those of the
    # filters that are shown as chosen.
    requirement_filter.is_valid()
    cleaned = requirement_filter.form.cleaned_data
    dimension = cleaned.get("group_by") or "country"
    report = gap_report(
        requirements=requirement_filter.qs,
        flows=flow_filter.qs,
        dimension=dimension,
        dimension_label=str(dict(GROUP_BY_CHOICES)[dimension]),
        year_from=cleaned.get("year_from"),
        year_to=cleaned.get("year_to"),
        cache_key=_gap_cache_key(scope, cleaned),
    )
    return requirement_filter, report


def _gap_cache_key(scope: frozenset[int] | None, cleaned: dict) -> str:
    """The reader's countries and every filter but the breakdown (the sums serve them all)."""
    countries = "all" if scope is None else ",".join(str(pk) for pk in sorted(scope))
    filters = urlencode(
        sorted(
            (name, str(getattr(value, "pk", value)))
            for name, value in cleaned.items()
            if name != "group_by" and value not in (None, "")
        )
    )
    return f"gaps:{countries}:{filters}"


def flow_filter_for(*, user, params) -> GapFilter:
    """The gap page's filters, on the flows the person may read."""
    scope = financing_country_scope(user)
    countries = Country.objects.all() if scope is None else Country.objects.filter(pk__in=scope)
    flow_filter = GapFilter(
        params,
        queryset=get_funding_flows_for_user(user),
        countries=countries.only("pk", "name"),
        country_programmes_only=scope is not None,
    )
    # The breakdown is the gap page's; a list of flows has none.
    del flow_filter.filters["group_by"]
    flow_filter.is_valid()
    return flow_filter


# ---------------------------------------------------------------------------------------------
# The Durban Call to Action: the funding tagged to each of its areas


def durban_area_funding(*, rates: RateTable | None = None) -> dict[str, dict]:
    """For each Durban Call to Action area, the requirements and flows tagged to it, in whole
    US dollars as the gap report counts them (gap_rule, conversion_rule): requirement,
    pledged, committed, paid, funded, gap, surplus and coverage. A record tagged to several
    areas counts in each.

    Queries: the rates, then one per area.
    """
    rates = rates or RateTable.load()
    result = {}
    for area in DurbanArea.values:
        sums = gap_sums(
            requirements=FundingRequirement.objects.filter(has_choice("durban_areas", area)),
            flows=FundingFlow.objects.filter(has_choice("durban_areas", area)),
            rates=rates,
        )
        total = _total_row(_gap_rows(sums, "year", _Names({}, {}, {})))
        line = {key: usd(value) for key, value in total.items()}
        line["coverage"] = coverage_percent(total["funded"], total["requirement"])
        line["unconverted"] = sums.unconverted
        result[area] = line
    return result
