"""The GCG's constituencies, seats and memberships, read once, and the rotation computed from them:
the state the composition and rotation pages, the report and the demo share, and its rows (flags
and seat changes) worded in the reader's language."""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from alliance87.models import IloRegion

from ..models import Constituency, Membership, Seat
from ..rotation import (
    FlagKind,
    Reason,
    Rotation,
    Rules,
    SeatInfo,
    Term,
    compute_rotation,
)


@dataclass
class GCGState:
    """Everything the composition and rotation pages show, read in a fixed number of queries."""

    today: datetime.date
    constituencies: list[Constituency]
    seats: list[Seat]
    memberships: list[Membership]
    rotation: Rotation

    @property
    def seats_by_id(self) -> dict[int, Seat]:
        return {seat.pk: seat for seat in self.seats}

    @property
    def constituencies_by_code(self) -> dict[str, Constituency]:
        return {c.code: c for c in self.constituencies}


def gcg_state(*, today: datetime.date | None = None, years: int = 3) -> GCGState:
    # Queries: constituencies, seats, memberships (with organisation and country), representatives.
    today = today or timezone.localdate()
    constituencies = list(Constituency.objects.all())
    seats = list(Seat.objects.select_related("constituency"))
    memberships = list(
        Membership.objects.select_related(
            "organisation__country", "constituency", "seat"
        ).prefetch_related("representatives")
    )
    by_id = {c.pk: c for c in constituencies}
    rules = [
        Rules(
            constituency=c.code,
            name=c.name,
            seat_quota=c.seat_quota,
            term_years=c.term_years,
            max_consecutive_terms=c.max_consecutive_terms,
            max_per_region=c.max_per_region,
            max_change_share=c.max_change_share,
        )
        for c in constituencies
    ]
    seat_infos = [SeatInfo(s.pk, by_id[s.constituency_id].code, str(s)) for s in seats]
    terms = [
        Term(
            organisation_id=m.organisation_id,
            organisation=m.organisation.local_label,
            constituency=by_id[m.constituency_id].code,
            start=m.term_start,
            end=m.term_end,
            role=m.role,
            seat_id=m.seat_id,
            region=m.organisation.country.ilo_region if m.organisation.country else None,
            left_on=m.left_on,
        )
        for m in memberships
    ]
    rotation = compute_rotation(
        seats=seat_infos, rules=rules, terms=terms, today=today, years=years
    )
    return GCGState(today, constituencies, seats, memberships, rotation)


REASON_LABELS = {
    Reason.TERM_END: gettext_lazy("Term ends"),
    Reason.EARLY_DEPARTURE: gettext_lazy("Early departure"),
    Reason.VACANCY: gettext_lazy("Vacant: to be filled"),
    Reason.SUCCESSOR: gettext_lazy("Successor appointed"),
    Reason.RENEWAL: gettext_lazy("Renewed"),
    Reason.PROJECTED: gettext_lazy("Projected term ends"),
}


def flag_rows(state: GCGState) -> list[dict]:
    seats, constituencies = state.seats_by_id, state.constituencies_by_code
    regions = dict(IloRegion.choices)
    rows = []
    for flag in state.rotation.flags:
        seat = str(seats[flag.seat_id]) if flag.seat_id else ""
        constituency = str(constituencies[flag.constituency])
        values = {
            "seat": seat,
            "constituency": constituency,
            "organisation": flag.organisation or "",
            "date": formats.date_format(flag.on) if flag.on else "",
            "count": flag.count,
            "limit": flag.limit,
            "region": str(regions.get(flag.region, flag.region)) if flag.region else "",
            "year": flag.year,
        }
        messages = {
            FlagKind.ENDING_SOON: (
                _("%(organisation)s's term on %(seat)s ends on %(date)s."),
                "amber",
            ),
            FlagKind.VACANCY: (_("%(seat)s is vacant."), "red"),
            FlagKind.QUOTA: (
                _("%(constituency)s has %(count)s members for %(limit)s seats."),
                "red",
            ),
            FlagKind.REGION_QUOTA: (
                _(
                    "%(constituency)s: %(count)s seats from %(region)s (at most %(limit)s): %(organisation)s."
                ),
                "red",
            ),
            FlagKind.TERM_LIMIT: (
                _(
                    "%(organisation)s is serving term %(count)s in a row on %(seat)s (at most %(limit)s)."
                ),
                "red",
            ),
            FlagKind.STAGGERING: (
                _(
                    "%(constituency)s: %(count)s seats change in %(year)s; at most %(limit)s should."
                ),
                "amber",
            ),
            FlagKind.DOUBLE_BOOKED: (_("%(seat)s is held by %(count)s members at once."), "red"),
        }
        text, colour = messages[flag.kind]
        rows.append(
            {
                "kind": flag.kind.value,
                "label": _flag_label(flag.kind),
                "colour": colour,
                "text": text % values,
                "seat_id": flag.seat_id,
                "on": flag.on,
            }
        )
    return rows


def _flag_label(kind: FlagKind) -> str:
    return {
        FlagKind.ENDING_SOON: _("Ends within 6 months"),
        FlagKind.VACANCY: _("Vacancy"),
        FlagKind.QUOTA: _("Quota breach"),
        FlagKind.REGION_QUOTA: _("Regional quota breach"),
        FlagKind.TERM_LIMIT: _("Term limit breach"),
        FlagKind.STAGGERING: _("Staggering"),
        FlagKind.DOUBLE_BOOKED: _("Seat held twice"),
    }[kind]


def change_rows(state: GCGState, *, until: datetime.date | None = None) -> list[dict]:
    seats, constituencies = state.seats_by_id, state.constituencies_by_code
    rows = []
    for change in state.rotation.changes:
        if until is not None and change.on > until:
            continue
        seat = seats[change.seat_id]
        if change.reason == Reason.RENEWAL:
            renewal = _("renewed (term %(count)s of %(limit)s in a row)") % {
                "count": change.consecutive_terms,
                "limit": seat.constituency.max_consecutive_terms,
            }
        elif change.renewable is None:
            renewal = ""
        elif change.renewable:
            renewal = ngettext(
                "may renew (%(count)s of %(limit)s terms served)",
                "may renew (%(count)s of %(limit)s terms served)",
                change.consecutive_terms or 0,
            ) % {
                "count": change.consecutive_terms,
                "limit": seat.constituency.max_consecutive_terms,
            }
        else:
            renewal = _("must rotate out (term limit reached)")
        rows.append(
            {
                "on": change.on,
                "year": change.year,
                "seat": seat,
                "constituency": constituencies[change.constituency],
                "reason": change.reason.value,
                "reason_label": REASON_LABELS[change.reason],
                "outgoing": change.outgoing or "",
                "incoming": change.incoming or "",
                "renewal": renewal,
                "renewable": change.renewable,
                "new_term_end": change.new_term_end,
                "deferred_years": change.deferred_years,
                "needs_call": change.reason in (Reason.VACANCY, Reason.EARLY_DEPARTURE)
                or change.renewable is False
                or (change.reason == Reason.TERM_END and change.renewable is not None),
            }
        )
    return rows
