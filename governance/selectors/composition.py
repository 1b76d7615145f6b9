"""The GCG composition and rotation pages, their export and the composition report (PDF)."""

import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from alliance87 import exports

from ..models import CallForInterest, Membership, OfficeHolder
from ..rotation import add_months
from .gcg import GCGState, change_rows, flag_rows, gcg_state


def _is_current(membership: Membership, today: datetime.date) -> bool:
    ends_on = membership.ends_on
    return membership.term_start <= today and (ends_on is None or ends_on >= today)


def _seat_order(membership: Membership) -> tuple[int, datetime.date]:
    # A member always holds a seat (constraint governance_member_holds_seat).
    assert membership.seat is not None
    return (membership.seat.number, membership.term_start)


def _constituency_groups(state: GCGState, today: datetime.date) -> list[dict[str, Any]]:
    """For each constituency: its current members (by seat), observers (by name) and vacant seats."""
    groups = []
    for constituency in state.constituencies:
        current = [
            m
            for m in state.memberships
            if m.constituency_id == constituency.pk and _is_current(m, today)
        ]
        members = sorted(
            (m for m in current if m.role == Membership.Role.MEMBER),
            key=_seat_order,
        )
        observers = sorted(
            (m for m in current if m.role == Membership.Role.OBSERVER),
            key=lambda m: str(m.organisation),
        )
        vacant = [
            s
            for s in state.seats
            if s.constituency_id == constituency.pk and s.pk not in {m.seat_id for m in members}
        ]
        groups.append(
            {
                "constituency": constituency,
                "members": members,
                "observers": observers,
                "vacant_seats": vacant,
            }
        )
    return groups


def composition(*, today: datetime.date | None = None) -> dict[str, Any]:
    """Current members and observers by constituency, the office holders and rotations due within a year."""
    # Queries: the four of gcg_state, then office holders with organisation and representative.
    today = today or timezone.localdate()
    state = gcg_state(today=today, years=2)
    groups = _constituency_groups(state, today)
    holders = list(OfficeHolder.objects.select_related("organisation__country", "representative"))
    current_holders = [h for h in holders if h.term_start <= today <= h.term_end]
    past_holders = [h for h in holders if h.term_end < today]
    return {
        "today": today,
        "groups": groups,
        "office_holders": sorted(
            current_holders, key=lambda h: h.office != OfficeHolder.Office.CHAIR
        ),
        "past_office_holders": past_holders[:6],
        "upcoming": change_rows(state, until=add_months(today, 12)),
        "flags": flag_rows(state),
        "member_count": sum(len(g["members"]) for g in groups),
        "observer_count": sum(len(g["observers"]) for g in groups),
        "seat_count": len(state.seats),
    }


def composition_table(data: dict) -> exports.Table:
    """The composition page's members, observers, vacant seats and office holders, a row each."""
    rows = []
    for group in data["groups"]:
        for membership in [*group["members"], *group["observers"]]:
            org = membership.organisation
            rows.append(
                [
                    str(group["constituency"]),
                    membership.get_role_display(),
                    str(membership.seat) if membership.seat else "",
                    org.name,
                    org.acronym,
                    org.country.local_name if org.country else "",
                    membership.term_start,
                    membership.ends_on,
                    pgettext("between the items of a list", "; ").join(
                        r.name for r in membership.representatives.all()
                    ),
                ]
            )
        for seat in group["vacant_seats"]:
            rows.append(
                [str(group["constituency"]), _("Vacant"), str(seat), "", "", "", None, None, ""]
            )
    for holder in data["office_holders"]:
        rows.append(
            [
                _("Office holders"),
                holder.get_office_display(),
                "",
                holder.organisation.name,
                holder.organisation.acronym,
                "",
                holder.term_start,
                holder.term_end,
                holder.representative.name if holder.representative else "",
            ]
        )
    headers = [
        _("Constituency"),
        _("Role"),
        _("Seat"),
        _("Organisation"),
        _("Acronym"),
        _("Country"),
        _("Term start"),
        _("Term end"),
        _("Representatives"),
    ]
    return exports.Table(_("GCG composition on %(date)s") % {"date": data["today"]}, headers, rows)


def rotation_page(*, today: datetime.date | None = None, years: int = 3) -> dict:
    # Queries: the four of gcg_state, office holders, calls with their seat and candidate count.
    today = today or timezone.localdate()
    state = gcg_state(today=today, years=years)
    rows = change_rows(state)
    by_year: dict[int, list[dict]] = {}
    for row in rows:
        by_year.setdefault(row["year"], []).append(row)
    calls = list(
        CallForInterest.objects.select_related(
            "seat__constituency",
            "appointed_membership__organisation",
            "appointed_office_holder__organisation",
        )
        .annotate(candidate_count=Count("candidates"))
        .order_by("status", "closes_on")
    )
    # Office holders whose term runs today or starts later, to prepare the next call.
    offices = [
        {
            "holder": holder,
            "next_term_on": holder.term_end + datetime.timedelta(days=1),
            "ends_soon": holder.term_end <= add_months(today, 12),
        }
        for holder in OfficeHolder.objects.filter(term_end__gte=today)
        .select_related("organisation")
        .order_by("term_start", "office")
    ]
    return {
        "today": today,
        "years": years,
        "offices": offices,
        "until": state.rotation.until,
        "by_year": sorted(by_year.items()),
        "flags": flag_rows(state),
        "calls": calls,
        "constituencies": state.constituencies,
    }


def call_detail(call: CallForInterest) -> dict:
    return {"candidates": list(call.candidates.select_related("organisation__country"))}


def gcg_composition_report() -> dict:
    """The composition and rotation report (PDF): the same data as the two pages."""
    composition_data = composition()
    rotation_data = rotation_page(years=3)
    return {
        **composition_data,
        "by_year": rotation_data["by_year"],
        "offices": rotation_data["offices"],
        "calls": rotation_data["calls"],
        "until": rotation_data["until"],
        "report_subject": _("Global Coordinating Group"),
    }
