"""The names and labels the figures are shown with: countries, action groups and donors read
by id, regions, themes and statuses, and the amounts converted at another year's rate."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import F, QuerySet, Value
from django.utils.translation import gettext as _

from alliance87.choices import Theme
from alliance87.countries import country_name
from alliance87.models import Country, IloRegion
from alliance87.translated import RecordText, shown_language, shown_record_text, shown_text
from governance.models import ActionGroup, Organisation

from ..models import FlowStatus, RecipientKind
from .sums import ConversionNote, GapSums
from .tables import Table, TableColumn, ledger_url, usd

# label(recipient kind, country id, action group id, theme)
Labeller = Callable[..., str | RecordText]


def _region_label(code: str | None) -> str:
    return str(IloRegion(code).label) if code else _("Global")


def theme_label(code: str) -> str:
    return str(Theme(code).label) if code else _("Cross-cutting")


def _recipient_label(
    kind: str, country_name: str | None, group_name: RecordText | None
) -> str | RecordText:
    if kind == RecipientKind.COUNTRY:
        return country_name or ""
    if kind == RecipientKind.ACTION_GROUP:
        return group_name or ""
    return str(RecipientKind.SECRETARIAT.label)


@dataclass
class Names:
    """Names by id: countries (stored name, ILO region, ISO code: the name a reader sees comes
    from the code), action groups, donors (name, kind)."""

    countries: dict[int, tuple[str, str, str]]
    groups: dict[int, RecordText]  # in the reader's language, else English marked so
    donors: dict[int, tuple[str, str]]


def read_names(sums: GapSums) -> Names:
    """The names the lines, donors and notes are labelled with, read by id in one query."""
    country_ids: set[int | None] = set()
    group_ids: set[int | None] = set()
    recipients = [key[:4] for key in sums.atoms] + [note.recipient for note in sums.notes]
    for _kind, country_id, group_id, _theme in recipients:
        country_ids.add(country_id)
        group_ids.add(group_id)
    donor_ids = {donor.source_id for donor in sums.top_donors}
    donor_ids |= {note.source_id for note in sums.notes if note.source_id}

    def named(
        queryset: QuerySet[Any],
        part: str,
        detail: str | None,
        code: str | None = None,
        name: Any = None,
        detail_value: Any = None,
    ) -> QuerySet[Any]:
        rows: QuerySet[Any] = (
            queryset.order_by()
            .annotate(
                part=Value(part),
                shown_name=name or F("name"),
                detail=detail_value or (F(detail) if detail else Value("")),
                code=F(code) if code else Value(""),
            )
            .values_list("part", "pk", "shown_name", "detail", "code")
        )
        return rows

    rows = named(
        Country.objects.filter(pk__in=country_ids - {None}), "country", "ilo_region", "iso_code"
    )
    rows = rows.union(
        # A group's name in the reader's language, else the English (one column, as the others),
        # and which of the two it is (as the detail).
        named(
            ActionGroup.objects.rewrite(False).filter(pk__in=group_ids - {None}),
            "group",
            None,
            name=shown_text("name"),
            detail_value=shown_language("name"),
        ),
        named(Organisation.objects.filter(pk__in=donor_ids), "donor", "kind"),
        all=True,
    )
    names = Names(countries={}, groups={}, donors={})
    for part, pk, name, detail, code in rows:
        if part == "country":
            names.countries[pk] = (name, detail, code)
        elif part == "group":
            names.groups[pk] = shown_record_text(name, detail)
        else:
            names.donors[pk] = (name, detail)
    return names


def labeller(dimension: str, names: Names) -> Labeller:
    """label(recipient kind, country id, action group id, theme) for one breakdown."""
    not_country = _("Global programmes and Secretariat")
    labels: dict[tuple[Any, ...], str | RecordText] = {}

    def country(country_id: int | None) -> tuple[str | None, str | None]:
        """The country's name in the reader's language, and its region."""
        if country_id is None or country_id not in names.countries:
            return None, None
        name, region, iso_code = names.countries[country_id]
        return country_name(iso_code, name), region

    def label_of(
        kind: str, country_id: int | None, group_id: int | None, theme: str
    ) -> str | RecordText:
        if dimension == "country":
            return country(country_id)[0] or not_country
        if dimension == "region":
            return _region_label(country(country_id)[1])
        if dimension == "theme":
            return theme_label(theme)
        if dimension == "recipient":
            group = names.groups.get(group_id) if group_id is not None else None
            return _recipient_label(kind, country(country_id)[0], group)
        raise ValueError(f"Unknown dimension {dimension!r}")

    def label(*recipient: Any) -> str | RecordText:
        if recipient not in labels:
            labels[recipient] = label_of(*recipient)
        return labels[recipient]

    return label


def status_label(status: str) -> str:
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


def conversion_table(notes: list[ConversionNote], names: Names) -> Table | None:
    """The flows and requirements converted at another year's rate or left out, by name."""
    if not notes:
        return None
    label = labeller("recipient", names)
    rows: list[list[Any]] = []
    links: list[str | None] = []
    for note in notes:
        source = names.donors.get(note.source_id, ("", ""))[0] if note.source_id else ""
        recipient = label(*note.recipient)
        if note.recipient[3]:
            theme = f" ({theme_label(note.recipient[3])})"
            recipient = (
                replace(recipient, suffix=recipient.suffix + theme)
                if isinstance(recipient, RecordText)
                else f"{recipient}{theme}"
            )
        rows.append(
            [
                _("Flow") if note.kind == "flow" else _("Requirement"),
                source,
                recipient,
                note.reference,
                status_label(note.status),
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
