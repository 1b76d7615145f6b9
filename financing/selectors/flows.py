"""The flows, one by one: the flows list, a donor's ledger with its totals, and what changed
in each flow."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Field, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from alliance87.numbers import format_number
from alliance87.translated import RecordText, record_text
from governance.models import Organisation

from ..models import COUNTED_STATUSES, FlowStatus, FundingFlow, FundingRequirement, RecipientKind
from ..rates import RateTable
from .labels import rate_note, status_label, theme_label
from .sums import flow_usd, requirement_usd
from .tables import Table, TableColumn, ledger_url, usd


@dataclass
class FlowRow:
    pk: int
    decided: datetime.date
    source_id: int
    source: str
    reference: str
    recipient: str | RecordText
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


def _recipient_of(flow: Any) -> str | RecordText:
    """A flow's recipient, from the flow or one of its historical records (with the related
    rows selected); an action group or a Secretariat function by its name in the reader's
    language, else the English, which says so."""
    if flow.recipient_kind == RecipientKind.COUNTRY and flow.country_id:
        return str(flow.country)
    if flow.recipient_kind == RecipientKind.ACTION_GROUP and flow.action_group_id:
        return record_text(flow.action_group, "name")
    label = str(RecipientKind.SECRETARIAT.label)
    if flow.secretariat_function_id:
        function = record_text(flow.secretariat_function, "name")
        return RecordText(function.text, function.lang, prefix=f"{label}: ")
    return label


def _ledger_flow(flow: Any) -> str | RecordText:
    """A flow as its line in a ledger's history names it: decided, recipient."""
    decided = f"{formats.date_format(flow.decision_date, 'MEDIUM_DATE_FORMAT')} · "
    recipient = _recipient_of(flow)
    if isinstance(recipient, RecordText):
        return RecordText(recipient.text, recipient.lang, prefix=decided + recipient.prefix)
    return decided + recipient


def flow_rows(flows: Iterable[FundingFlow], *, rates: RateTable) -> list[FlowRow]:
    """annotated_flows' flows as the rows of a list (no query of their own)."""
    rows: list[FlowRow] = []
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
                receiver=flow.receiver.name if flow.receiver is not None else "",
                theme=theme_label(flow.theme),
                status=flow.status,
                status_label=status_label(flow.status),
                year_start=flow.year_start,
                year_end=flow.year_end,
                amount=flow.amount,
                currency=flow.currency,
                rate_year=rate_year,
                # usd: annotated by annotated_flows, which the model's type does not know.
                usd=None if flow.usd is None else usd(flow.usd),  # type: ignore[attr-defined]
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
    flow: str | RecordText  # the flow as its row in the ledger shows it: decided, recipient
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


def _history_value(record: Any, name: str) -> str:
    if name in ("country", "action_group", "secretariat_function"):
        related = getattr(record, f"{name}_id")
        return str(getattr(record, name)) if related else ""
    if name in ("status", "recipient_kind", "theme"):
        display = getattr(record, f"get_{name}_display")()
        return str(display) if getattr(record, name) else ""
    value = getattr(record, name)
    if isinstance(value, Decimal):
        return format_number(value, 2, force_grouping=True)
    return "" if value is None else str(value)


def _field_label(name: str) -> str:
    field = FundingFlow._meta.get_field(name)
    assert isinstance(field, Field)  # every name of _HISTORY_FIELDS is a field of the flow
    return str(field.verbose_name)


def flow_history(history: QuerySet[Any]) -> list[HistoryEntry]:
    """What changed in each flow of `history` (FundingFlow's historical records), newest
    first: one query."""
    records = history.select_related(
        "history_user", "country", "action_group", "secretariat_function"
    ).order_by("id", "history_date", "history_id")
    labels = {name: _field_label(name) for name in _HISTORY_FIELDS}
    actions = {"+": _("Recorded"), "~": _("Changed"), "-": _("Deleted")}
    entries: list[HistoryEntry] = []
    previous: Any = None
    for record in records:
        if previous is not None and previous.id != record.id:
            previous = None
        changes: list[tuple[str, str, str]] = []
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
                flow=_ledger_flow(record),
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
    count: dict[str, int] = dict.fromkeys(statuses, 0)
    by_status: dict[str, int] = dict.fromkeys(statuses, 0)
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

    def year_cells(label: str, figures: dict[str, int]) -> list[Any]:
        funded = sum(figures[status] for status in COUNTED_STATUSES)
        return [label, *(usd(figures[status]) for status in statuses), usd(funded)]

    year_total: dict[str, int] = {status: by_status[status] for status in statuses}
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
    *, source: Organisation, flows: QuerySet[FundingFlow], history: QuerySet[Any]
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
