"""The gap report: requirements against funding by country, region, theme, recipient or
year, the trend across years and the donors' concentration.

A gap is counted for each recipient, theme and year: requirement minus funding, never below
zero. Funding beyond that requirement is a surplus, shown apart, and reduces no other gap.
Funding counts toward coverage once committed: pledges are shown beside it, never in it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance87.aggregates import cached_aggregate
from alliance87.countries import name_sort_key
from alliance87.translated import RecordText
from governance.models import Organisation

from ..models import FlowStatus, FundingFlow, FundingRequirement
from ..rates import RateTable
from .labels import Names, conversion_table, labeller, read_names
from .sums import TOP_DONORS, GapSums, gap_sums
from .tables import ONE, Table, TableColumn, coverage_percent, ledger_url, usd

# Whole dollars of one line of the report, by column (_COLUMNS).
GapRow = dict[str, int]


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


_STATUSES = tuple(FlowStatus.values)
_COLUMNS = ("requirement", *_STATUSES, "funded", "gap", "surplus")


def gap_rows(sums: GapSums, dimension: str, names: Names) -> list[tuple[Any, GapRow]]:
    """Requirement, pledged, committed, paid, funded, gap and surplus (whole dollars) by one
    dimension, the largest gap first (years in order). Each recipient, theme and year counts
    its own gap and surplus; a line adds up those of its units."""
    rows: dict[Any, GapRow] = {}
    label = None if dimension == "year" else labeller(dimension, names)
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
    # Equal gaps in the reader's alphabetical order of the (translated) labels.
    return sorted(rows.items(), key=lambda item: (-item[1]["gap"], name_sort_key(str(item[0]))))


def total_row(rows: Iterable[tuple[Any, GapRow]]) -> GapRow:
    total = dict.fromkeys(_COLUMNS, 0)
    for _key, line in rows:
        for column, dollars in line.items():
            total[column] += dollars
    return total


@dataclass
class GapLine:
    label: str | RecordText
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


def gap_line(label: object, row: GapRow) -> GapLine:
    return GapLine(
        label=label if isinstance(label, RecordText) else str(label),
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


def _gap_cells(line: GapLine) -> list[Any]:
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


def _donors(sums: GapSums, names: Names) -> tuple[list[DonorLine], Decimal | None]:
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


def report_from_sums(
    sums: GapSums, *, dimension: str, dimension_label: str = "", names: Names | None = None
) -> GapReport:
    """The gap report by one dimension, labelled in the active language (one small query for
    the names, none with `names`)."""
    names = names or read_names(sums)
    by_dimension = gap_rows(sums, dimension, names)
    donors, top_share = _donors(sums, names)
    return GapReport(
        dimension=dimension,
        dimension_label=str(dimension_label or dimension),
        lines=[gap_line(label, row) for label, row in by_dimension],
        total=gap_line(_("Total"), total_row(by_dimension)),
        trends=[gap_line(label, row) for label, row in gap_rows(sums, "year", names)],
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
    and are labelled after, the names are the records' own: a country's name in the reader's
    language is looked up from its ISO code as the lines are labelled).
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
            f"financing:gap-names:v3:{cache_key}",
            lambda: read_names(sums),
        )
    return report_from_sums(sums, dimension=dimension, dimension_label=dimension_label, names=names)
