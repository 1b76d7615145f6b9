"""Reads of the governance area: query shapes, the rotation inputs and the partner analysis."""

import datetime
from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance87 import charts, exports
from alliance87.access import Person, can_read_everything
from alliance87.aggregates import cached_aggregate
from alliance87.models import IloRegion

from .access import can_read_public_parts, visible_groups
from .models import (
    ActionGroup,
    CallForInterest,
    Constituency,
    Decision,
    Engagement,
    GCGMeeting,
    GroupActivity,
    GroupClosureProposal,
    GroupMembership,
    Membership,
    OfficeHolder,
    Organisation,
    Partner,
    PartnerService,
    Seat,
)
from .rotation import (
    FlagKind,
    Reason,
    Rotation,
    Rules,
    SeatInfo,
    Term,
    add_months,
    compute_rotation,
)

# --- GCG: rotation and composition -----------------------------------------------------------


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


def _is_current(membership: Membership, today: datetime.date) -> bool:
    ends_on = membership.ends_on
    return membership.term_start <= today and (ends_on is None or ends_on >= today)


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
            organisation=str(m.organisation),
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
            "region": str(regions.get(flag.region, flag.region or "")),
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
            renewal = _("may renew (%(count)s of %(limit)s terms served)") % {
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


def composition(*, today: datetime.date | None = None) -> dict:
    """Current members and observers by constituency, the office holders and rotations due within a year."""
    # Queries: the four of gcg_state, then office holders with organisation and representative.
    today = today or timezone.localdate()
    state = gcg_state(today=today, years=2)
    groups = []
    for constituency in state.constituencies:
        current = [
            m
            for m in state.memberships
            if m.constituency_id == constituency.pk and _is_current(m, today)
        ]
        members = sorted(
            (m for m in current if m.role == Membership.Role.MEMBER),
            key=lambda m: (m.seat.number, m.term_start),
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
    holders = list(OfficeHolder.objects.select_related("organisation", "representative"))
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
                    "; ".join(r.name for r in membership.representatives.all()),
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


# --- Action and working groups ---------------------------------------------------------------


def group_list(
    *, user: Person, filterset_queryset: QuerySet[ActionGroup] | None = None
) -> list[ActionGroup]:
    # One query: groups with parent and chairs, the count of current members and the last activity.
    groups = filterset_queryset if filterset_queryset is not None else visible_groups(user)
    member_count = (
        GroupMembership.objects.filter(group=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_activity = (
        GroupActivity.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(last=Max("date"))
        .values("last")
    )
    return list(
        groups.select_related("parent", "chair", "co_chair", "closed_by_decision")
        .annotate(
            member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0),
            last_activity_on=Subquery(last_activity),
        )
        .order_by("status", Coalesce("parent__name", "name"), "kind", "name")
    )


def group_detail(*, user: Person, group: ActionGroup) -> dict:
    full = can_read_everything(user)
    working_groups = list(visible_groups(user).filter(parent=group).select_related("chair"))
    members = list(group.members.select_related("organisation__country"))
    proposals = (
        list(group.closure_proposals.select_related("decision__meeting", "proposed_by"))
        if full
        else []
    )
    return {
        "working_groups": working_groups,
        "members": [m for m in members if m.left_on is None],
        "former_members": [m for m in members if m.left_on is not None],
        "workplans": list(group.workplans.all()),
        "activities": list(group.activities.all()),
        "sponsors": list(group.sponsors.all()),
        "proposals": proposals,
        "open_proposal": next(
            (p for p in proposals if p.status == GroupClosureProposal.Status.OPEN), None
        ),
        "full_view": full,
    }


# --- Meetings and decisions ------------------------------------------------------------------


def meeting_list() -> list[GCGMeeting]:
    # One query: meetings with their decision count.
    return list(GCGMeeting.objects.annotate(decision_count=Count("decisions")).order_by("-number"))


def _decision_links() -> list:
    """Every relation that points at a decision (groups, memberships, Pathfinder status, outputs...)."""
    return [
        rel
        for rel in Decision._meta.related_objects
        if (rel.one_to_many or rel.one_to_one)
        and not rel.related_model.__name__.startswith("Historical")
    ]


def meeting_detail(meeting: GCGMeeting) -> dict:
    """Decisions of a meeting and, for each, what it decided, whichever app records it."""
    relations = _decision_links()
    decisions = list(
        meeting.decisions.prefetch_related(
            *[rel.get_accessor_name() for rel in relations]
        ).order_by("number")
    )
    rows = []
    for decision in decisions:
        linked = []
        for rel in relations:
            if rel.one_to_one:
                objects = [getattr(decision, rel.get_accessor_name(), None)]
            else:
                objects = list(getattr(decision, rel.get_accessor_name()).all())
            linked += [
                (rel.related_model._meta.verbose_name, obj) for obj in objects if obj is not None
            ]
        rows.append({"decision": decision, "linked": linked})
    return {"decisions": rows}


# --- Partners and engagement -----------------------------------------------------------------

GLOBAL_REGION = "global"


def _region_labels() -> dict[str, str]:
    return {
        **{k: str(v) for k, v in IloRegion.choices},
        GLOBAL_REGION: _("International (no country)"),
    }


@dataclass
class AnalysisTable:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


def _partner_filter(*, organisation_kind: str, region: str, prefix: str = "") -> Q:
    """The partners shown: by organisation type and ILO region (none: international)."""
    q = Q()
    if organisation_kind:
        q &= Q(**{f"{prefix}organisation__kind": organisation_kind})
    if region == GLOBAL_REGION:
        q &= Q(**{f"{prefix}organisation__country__isnull": True})
    elif region:
        q &= Q(**{f"{prefix}organisation__country__ilo_region": region})
    return q


def _engagement_figures(
    *,
    start: datetime.date | None,
    end: datetime.date | None,
    kind: str,
    organisation_kind: str,
    region: str,
    least_engaged: int,
) -> dict:
    """The partner analysis as language-neutral data: codes, counts and dates.

    The database groups the 50,000 engagement records (by partner, and by year and type);
    pandas only combines the grouped rows with the partners. Queries: partners (with
    organisation and country), engagement records by partner, by year and type, services.
    """
    kinds = [kind] if kind else list(Engagement.Kind.values)
    period = Q()
    if start:
        period &= Q(date__gte=start)
    if end:
        period &= Q(date__lte=end)
    shown = _partner_filter(organisation_kind=organisation_kind, region=region, prefix="partner__")
    engagements = Engagement.objects.filter(shown, period).order_by()
    if kind:
        engagements = engagements.filter(kind=kind)

    partners = pd.DataFrame.from_records(
        list(
            Partner.objects.filter(
                _partner_filter(organisation_kind=organisation_kind, region=region)
            )
            .order_by()
            .values_list(
                "id",
                "joined_on",
                "organisation__name",
                "organisation__kind",
                "organisation__country__ilo_region",
            )
        ),
        columns=["id", "joined_on", "name", "org_kind", "region"],
    )
    partners["region"] = partners["region"].fillna(GLOBAL_REGION)

    # Records of each type and the last record, per partner.
    per_partner = pd.DataFrame.from_records(
        list(
            engagements.values("partner_id").annotate(
                **{f"n_{k}": Count("pk", filter=Q(kind=k)) for k in kinds},
                last=Max("date"),
            )
        ),
        columns=["partner_id", *[f"n_{k}" for k in kinds], "last"],
    ).set_index("partner_id")
    per_partner["records"] = per_partner[[f"n_{k}" for k in kinds]].sum(axis=1)
    table = partners.set_index("id").join(per_partner, how="left")
    for column in [*[f"n_{k}" for k in kinds], "records"]:
        table[column] = table[column].fillna(0).astype(int)
    table["engaged"] = (table["records"] > 0).astype(int)

    # By type of engagement: every type, or only the one asked for.
    by_kind = [
        (k, int(table[f"n_{k}"].sum()), int((table[f"n_{k}"] > 0).sum()))
        for k in (kinds if kind else Engagement.Kind.values)
    ]

    # By organisation type and region: partners count even without any engagement.
    def by_dimension(column: str, codes: list[str]) -> list[tuple]:
        grouped = table.groupby(column).agg(
            partners=("records", "size"),
            engaged=("engaged", "sum"),
            records=("records", "sum"),
        )
        return [
            (
                code,
                int(grouped.loc[code, "partners"]),
                int(grouped.loc[code, "engaged"]),
                int(grouped.loc[code, "records"]),
            )
            for code in codes
            if code in grouped.index
        ]

    by_org_kind = by_dimension("org_kind", list(Organisation.Kind.values))
    by_region = by_dimension("region", [*IloRegion.values, GLOBAL_REGION])

    # Over time: records a year and type, every year from the first to the last.
    per_year = pd.DataFrame.from_records(
        list(
            engagements.annotate(year=ExtractYear("date"))
            .values("year", "kind")
            .annotate(n=Count("pk"))
        ),
        columns=["year", "kind", "n"],
    )
    if per_year.empty:
        years, year_kinds, year_counts = [], [], []
    else:
        pivot = per_year.pivot_table(
            index="year", columns="kind", values="n", aggfunc="sum", fill_value=0
        )
        pivot = pivot.reindex(columns=[k for k in Engagement.Kind.values if k in pivot.columns])
        pivot = pivot.reindex(
            range(int(pivot.index.min()), int(pivot.index.max()) + 1), fill_value=0
        )
        years = [int(year) for year in pivot.index]
        year_kinds = list(pivot.columns)
        year_counts = [[int(pivot.loc[year, k]) for k in year_kinds] for year in pivot.index]

    # Least engaged partners: fewest records in the period (none at all first), then oldest
    # last record; names are unique, so the order is complete.
    least = table.sort_values(
        ["records", "last", "name"], ascending=[True, True, True], na_position="first"
    ).head(least_engaged)
    least_rows = [
        (
            row["name"],
            row["org_kind"],
            row["region"],
            row["joined_on"],
            int(row["records"]),
            row["last"] if isinstance(row["last"], datetime.date) else None,
        )
        for _id, row in least.iterrows()
    ]

    # Services the Alliance gave the partners shown, in the period (whatever the type).
    service_counts = {
        row["kind"]: (row["records"], row["partners"])
        for row in PartnerService.objects.filter(shown, period)
        .order_by()
        .values("kind")
        .annotate(records=Count("pk"), partners=Count("partner", distinct=True))
    }
    services = [(k, *service_counts[k]) for k in PartnerService.Kind.values if k in service_counts]

    return {
        "by_kind": by_kind,
        "by_org_kind": by_org_kind,
        "by_region": by_region,
        "years": years,
        "year_kinds": year_kinds,
        "year_counts": year_counts,
        "least_engaged": least_rows,
        "services": services,
        "figures": {
            "partners": len(table),
            "engaged": int(table["engaged"].sum()),
            "records": int(table["records"].sum()),
            "services": sum(service_counts[k][0] for k in service_counts),
        },
    }


def partner_analysis(
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    kind: str = "",
    organisation_kind: str = "",
    region: str = "",
    least_engaged: int = 15,
) -> dict:
    """Engagement by type, organisation type, region and year; the least engaged partners; services.

    The figures are cached for these filters until governance or country data changes (every reader
    sees the same ones); the labels, in the reader's language, are added here.
    """
    filters = {
        "start": start.isoformat() if start else "",
        "end": end.isoformat() if end else "",
        "kind": kind,
        "organisation_kind": organisation_kind,
        "region": region,
        "least_engaged": least_engaged,
    }
    key = "governance:partner-analysis:" + "&".join(
        f"{name}={value}" for name, value in sorted(filters.items())
    )
    data = cached_aggregate(
        # A partner's region is its country's: a change to countries changes every area.
        ["governance"],
        key,
        lambda: _engagement_figures(
            start=start,
            end=end,
            kind=kind,
            organisation_kind=organisation_kind,
            region=region,
            least_engaged=least_engaged,
        ),
    )

    kind_labels = {k: str(v) for k, v in Engagement.Kind.choices}
    org_labels = {k: str(v) for k, v in Organisation.Kind.choices}
    service_labels = {k: str(v) for k, v in PartnerService.Kind.choices}
    region_labels = _region_labels()

    kind_rows = [[kind_labels[k], records, partners] for k, records, partners in data["by_kind"]]

    def dimension_rows(rows: list[tuple], labels: dict[str, str]) -> list[list]:
        return [
            [
                labels[code],
                n_partners,
                engaged,
                n_records,
                round(n_records / n_partners, 1) if n_partners else 0.0,
            ]
            for code, n_partners, engaged, n_records in rows
        ]

    org_rows = dimension_rows(data["by_org_kind"], org_labels)
    region_rows = dimension_rows(data["by_region"], region_labels)

    years = [str(year) for year in data["years"]]
    series = {
        kind_labels[k]: [counts[index] for counts in data["year_counts"]]
        for index, k in enumerate(data["year_kinds"])
    }
    year_rows = [
        [year, *counts, sum(counts)]
        for year, counts in zip(years, data["year_counts"], strict=True)
    ]
    year_headers = [_("Year"), *series.keys(), _("Total")]

    least_rows = [
        [
            name,
            org_labels.get(org_kind, org_kind),
            region_labels.get(region_code, region_code),
            joined_on,
            records,
            last,
        ]
        for name, org_kind, region_code, joined_on, records, last in data["least_engaged"]
    ]
    service_rows = [
        [service_labels[k], records, partners] for k, records, partners in data["services"]
    ]

    tables = [
        AnalysisTable(
            "by_kind", _("Engagement by type"), [_("Type"), _("Records"), _("Partners")], kind_rows
        ),
        AnalysisTable(
            "by_org_kind",
            _("Engagement by organisation type"),
            [
                _("Organisation type"),
                _("Partners"),
                _("Engaged partners"),
                _("Records"),
                _("Records per partner"),
            ],
            org_rows,
        ),
        AnalysisTable(
            "by_region",
            _("Engagement by region"),
            [
                _("Region"),
                _("Partners"),
                _("Engaged partners"),
                _("Records"),
                _("Records per partner"),
            ],
            region_rows,
        ),
        AnalysisTable("over_time", _("Engagement over time"), year_headers, year_rows),
        AnalysisTable(
            "least_engaged",
            _("Least engaged partners"),
            [
                _("Partner"),
                _("Organisation type"),
                _("Region"),
                _("Joined"),
                _("Records"),
                _("Last engagement"),
            ],
            least_rows,
        ),
        AnalysisTable(
            "services",
            _("Services the Alliance provided"),
            [_("Service"), _("Records"), _("Partners served")],
            service_rows,
        ),
    ]
    return {
        "tables": tables,
        "figures": data["figures"],
        "charts": {
            "by_kind": charts.bar_chart(
                [(r[0], r[1]) for r in kind_rows], title=_("Engagement records by type")
            ),
            "by_org_kind": charts.bar_chart(
                [(r[0], r[3]) for r in org_rows], title=_("Engagement records by organisation type")
            ),
            "by_region": charts.bar_chart(
                [(r[0], r[3]) for r in region_rows], title=_("Engagement records by region")
            ),
            "over_time": charts.line_chart(
                years, series, title=_("Engagement records a year by type")
            )
            if years
            else "",
        },
    }


# --- Dashboard -------------------------------------------------------------------------------


def dashboard_summary(*, user: Person) -> dict | None:
    """Figures for the dashboard: members, observers, the Chair, groups by status, rotation alerts."""
    if not can_read_public_parts(user):
        return None
    today = timezone.localdate()
    current = (
        Membership.objects.filter(term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    )
    counts = current.aggregate(
        members=Count("pk", filter=Q(role=Membership.Role.MEMBER)),
        observers=Count("pk", filter=Q(role=Membership.Role.OBSERVER)),
        ending=Count(
            "pk",
            filter=Q(role=Membership.Role.MEMBER, term_end__lte=add_months(today, 6)),
        ),
    )
    groups = dict(
        visible_groups(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    chair = (
        OfficeHolder.objects.filter(
            office=OfficeHolder.Office.CHAIR, term_start__lte=today, term_end__gte=today
        )
        .select_related("organisation")
        .first()
    )
    status_labels = dict(ActionGroup.Status.choices)
    return {
        **counts,
        "chair": chair,
        "groups": [
            {"status": status, "label": status_labels[status], "count": groups.get(status, 0)}
            for status in (
                ActionGroup.Status.ACTIVE,
                ActionGroup.Status.INACTIVE,
                ActionGroup.Status.CLOSED,
            )
        ],
        "full_view": can_read_everything(user),
    }


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
