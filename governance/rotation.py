"""The GCG rotation mechanism, as a pure function of seats, rules and membership terms.

Nothing here reads the database: selectors turn models into the dataclasses below and the
pages render what `compute_rotation` returns. The rules it applies:

- A member holds a seat for a term of `term_years`; when it ends, the seat comes up for rotation.
  The outgoing member may renew while it has served fewer than `max_consecutive_terms` terms
  in a row (terms of one organisation in one constituency that follow each other within a month).
  Observer terms never count: an observer that becomes a member starts at its first term.
- An early departure leaves the seat vacant; the replacement serves the remainder of the term,
  so the constituency's staggering is kept. A seat vacant now is to be filled at once.
- Staggering: in one calendar year, at most `max_change_share` of a constituency's seats may start
  a new term. When the projection would exceed it, the latest-ending regular terms of that year
  are extended by one year (marked as deferred, a proposal for the GCG); early departures,
  vacancies and appointed successors are never deferred. What cannot be deferred is flagged.
- A change takes effect the day after a term ends, so a term ending on 31 December counts in
  the next year.
"""

from __future__ import annotations

import calendar
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

# Two member terms of one organisation are consecutive when the second starts within this
# gap after the first ended (data entry rarely lines dates up to the day).
CONSECUTIVE_GAP = timedelta(days=31)
WARNING_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end_for(start: date, years: int) -> date:
    """The last day of a term of `years` that starts on `start`."""
    return add_months(start, 12 * years) - timedelta(days=1)


@dataclass(frozen=True)
class Rules:
    """A constituency's seat rules (governance.models.Constituency as plain data)."""

    constituency: str
    name: str
    seat_quota: int
    term_years: int = 3
    max_consecutive_terms: int = 2
    max_per_region: int | None = None
    max_change_share: Decimal | float = Decimal("0.5")

    @property
    def max_changes_per_year(self) -> int:
        return max(1, math.floor(self.seat_quota * Decimal(str(self.max_change_share))))


@dataclass(frozen=True)
class SeatInfo:
    id: int
    constituency: str
    label: str


@dataclass(frozen=True)
class Term:
    """One membership term of an organisation (governance.models.Membership as plain data)."""

    organisation_id: int
    organisation: str
    constituency: str
    start: date
    end: date | None
    role: str = "member"
    seat_id: int | None = None
    region: str | None = None
    left_on: date | None = None

    @property
    def is_member(self) -> bool:
        return self.role == "member"

    @property
    def ends_on(self) -> date | None:
        if self.left_on and (self.end is None or self.left_on < self.end):
            return self.left_on
        return self.end

    @property
    def left_early(self) -> bool:
        return self.left_on is not None and self.end is not None and self.left_on < self.end

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.ends_on is None or day <= self.ends_on)


class Reason(StrEnum):
    TERM_END = "term_end"  # a current term ends as planned
    EARLY_DEPARTURE = "early_departure"  # a current member leaves before its term ends
    VACANCY = "vacancy"  # the seat is empty now
    SUCCESSOR = "successor"  # a term already appointed takes over
    RENEWAL = "renewal"  # the holder was already appointed for its next term
    PROJECTED = "projected"  # a projected future term ends


class FlagKind(StrEnum):
    ENDING_SOON = "ending_soon"
    VACANCY = "vacancy"
    QUOTA = "quota"
    REGION_QUOTA = "region_quota"
    TERM_LIMIT = "term_limit"
    STAGGERING = "staggering"
    DOUBLE_BOOKED = "double_booked"


@dataclass(frozen=True)
class Change:
    """A seat starting a new term on `on` (the day after the previous term ended)."""

    seat_id: int
    constituency: str
    on: date
    reason: Reason
    outgoing_id: int | None = None
    outgoing: str | None = None
    incoming: str | None = None
    renewable: bool | None = None
    consecutive_terms: int | None = None
    new_term_end: date | None = None
    deferred_years: int = 0

    @property
    def year(self) -> int:
        return self.on.year

    @property
    def deferrable(self) -> bool:
        return self.reason in (Reason.TERM_END, Reason.PROJECTED)


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    constituency: str
    seat_id: int | None = None
    organisation: str | None = None
    on: date | None = None
    count: int | None = None
    limit: int | None = None
    region: str | None = None
    year: int | None = None


@dataclass
class Rotation:
    today: date
    until: date
    changes: list[Change] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    def flags_of(self, kind: FlagKind) -> list[Flag]:
        return [flag for flag in self.flags if flag.kind == kind]

    def changes_for(self, seat_id: int) -> list[Change]:
        return [change for change in self.changes if change.seat_id == seat_id]

    def changes_by_year(self) -> dict[int, list[Change]]:
        years: dict[int, list[Change]] = {
            year: [] for year in range(self.today.year, self.until.year + 1)
        }
        for change in self.changes:
            years.setdefault(change.year, []).append(change)
        return years


def consecutive_terms(terms: Iterable[Term], current: Term) -> int:
    """How many member terms in a row `current`'s organisation has served in its constituency.

    Counts up to and including `current`; observer terms do not count.
    """
    own = sorted(
        (
            t
            for t in terms
            if t.is_member
            and t.organisation_id == current.organisation_id
            and t.constituency == current.constituency
            and t.start <= current.start
        ),
        key=lambda t: t.start,
    )
    count, previous_end = 0, None
    for term in own:
        if previous_end is not None and term.start - previous_end > CONSECUTIVE_GAP:
            count = 0
        count += 1
        previous_end = term.ends_on or term.start
    return max(count, 1)


def consecutive_run(terms: Iterable[Term], term: Term) -> int:
    """How many member terms in a row the run holding `term` has, counting later terms too.

    A term recorded between two others can join them into one run: the limit applies to the run.
    """
    own = sorted(
        (
            t
            for t in terms
            if t.is_member
            and t.organisation_id == term.organisation_id
            and t.constituency == term.constituency
        ),
        key=lambda t: t.start,
    )
    runs: list[list[Term]] = []
    for item in own:
        previous_end = (runs[-1][-1].ends_on or runs[-1][-1].start) if runs else None
        if previous_end is None or item.start - previous_end > CONSECUTIVE_GAP:
            runs.append([])
        runs[-1].append(item)
    return next((len(run) for run in runs if term in run), 1)


def overlaps(first: Term, second: Term) -> bool:
    """Whether two terms run on at least one common day (an open end runs for ever)."""
    first_end, second_end = first.ends_on or date.max, second.ends_on or date.max
    return first.start <= second_end and second.start <= first_end


def most_at_once(terms: Sequence[Term], within: Term) -> list[Term]:
    """The largest set of `terms` running on one day of `within`'s term, `within` included."""
    best: list[Term] = [within]
    candidates = [t for t in terms if overlaps(t, within)]
    for day in {within.start, *(t.start for t in candidates if t.start >= within.start)}:
        running = [t for t in candidates if t.covers(day)]
        if within.covers(day) and len(running) + 1 > len(best):
            best = [within, *running]
    return best


def _is_renewal(term: Term, seat_terms: list[Term]) -> bool:
    earlier = [t for t in seat_terms if t.start < term.start]
    if not earlier:
        return False
    previous = max(earlier, key=lambda t: t.start)
    return previous.organisation_id == term.organisation_id


def _seat_changes(
    seat: SeatInfo,
    seat_terms: list[Term],
    all_terms: Sequence[Term],
    rules: Rules,
    today: date,
    until: date,
    delays: dict[int, int],
) -> list[Change]:
    """The changes of one seat up to `until`; `delays` extends the n-th change by some years."""
    ordered = sorted(seat_terms, key=lambda t: t.start)
    current = next((t for t in ordered if t.covers(today)), None)
    upcoming = [t for t in ordered if t.start > today]
    changes: list[Change] = []

    def full_term_from(start: date) -> date:
        return term_end_for(start, rules.term_years)

    holder: Term | None = current
    if current is not None:
        end = current.ends_on or full_term_from(current.start)
    elif upcoming:
        # Vacant until an appointed successor starts.
        appointed = upcoming.pop(0)
        if appointed.start > until:
            return changes
        changes.append(
            Change(
                seat.id,
                seat.constituency,
                appointed.start,
                Reason.SUCCESSOR,
                incoming=appointed.organisation,
                new_term_end=appointed.end,
            )
        )
        holder, end = appointed, appointed.ends_on or full_term_from(appointed.start)
    else:
        # Vacant now: to be filled at once; after an early departure the replacement serves
        # the remainder of the term.
        past = [t for t in ordered if t.ends_on is not None and t.ends_on < today]
        last = past[-1] if past else None
        remainder = last.end if last is not None and last.left_early else None
        end = remainder if remainder is not None and remainder > today else full_term_from(today)
        changes.append(Change(seat.id, seat.constituency, today, Reason.VACANCY, new_term_end=end))

    while True:
        on = end + timedelta(days=1)
        successor = upcoming[0] if upcoming and upcoming[0].start <= on + CONSECUTIVE_GAP else None
        early = holder is not None and holder.left_early
        deferred = 0 if successor is not None or early else delays.get(len(changes), 0)
        if deferred:
            on = add_months(on, 12 * deferred)
        if on > until and (successor is None or successor.start > until):
            break
        served = consecutive_terms(all_terms, holder) if holder is not None else None
        renewable = None if served is None or early else served < rules.max_consecutive_terms
        outgoing_id = holder.organisation_id if holder is not None else None
        outgoing = holder.organisation if holder is not None else None
        if successor is not None:
            upcoming.pop(0)
            # An appointment settles the renewal question: the row says who serves next and,
            # for a renewal, which term in a row it is (the rules keep it within the limit).
            renewed = successor.organisation_id == outgoing_id
            changes.append(
                Change(
                    seat.id,
                    seat.constituency,
                    successor.start,
                    Reason.RENEWAL if renewed else Reason.SUCCESSOR,
                    outgoing_id,
                    outgoing,
                    incoming=successor.organisation,
                    consecutive_terms=consecutive_terms(all_terms, successor) if renewed else None,
                    new_term_end=successor.end,
                )
            )
            holder, end = successor, successor.ends_on or full_term_from(successor.start)
            continue
        if early and holder is not None:  # early implies a holder
            reason = Reason.EARLY_DEPARTURE
            new_end = (
                holder.end if holder.end is not None and holder.end >= on else full_term_from(on)
            )
        else:
            reason = (
                Reason.TERM_END if holder is not None and holder is current else Reason.PROJECTED
            )
            new_end = full_term_from(on)
        changes.append(
            Change(
                seat.id,
                seat.constituency,
                on,
                reason,
                outgoing_id,
                outgoing,
                renewable=renewable,
                consecutive_terms=served,
                new_term_end=new_end,
                deferred_years=deferred,
            )
        )
        holder, end = None, new_end
    return changes


def compute_rotation(
    *,
    seats: Sequence[SeatInfo],
    rules: Sequence[Rules],
    terms: Sequence[Term],
    today: date,
    years: int = 3,
) -> Rotation:
    """The rotation schedule for the next `years` calendar years and what needs attention now."""
    until = date(today.year + years - 1, 12, 31)
    rotation = Rotation(today=today, until=until)
    rules_by_code = {rule.constituency: rule for rule in rules}
    members = [t for t in terms if t.is_member]
    terms_by_seat: dict[int, list[Term]] = defaultdict(list)
    for term in members:
        if term.seat_id is not None:
            terms_by_seat[term.seat_id].append(term)
    seats_by_constituency: dict[str, list[SeatInfo]] = defaultdict(list)
    for seat in seats:
        seats_by_constituency[seat.constituency].append(seat)

    for code, rule in rules_by_code.items():
        constituency_seats = seats_by_constituency.get(code, [])
        delays: dict[int, dict[int, int]] = defaultdict(dict)
        changes = {
            seat.id: _seat_changes(
                seat, terms_by_seat[seat.id], members, rule, today, until, delays[seat.id]
            )
            for seat in constituency_seats
        }
        # Staggering: seats that already changed hands this year count towards this year's
        # limit; a renewal (the same organisation again) is no change.
        started: defaultdict[int, int] = defaultdict(int)
        for term in members:
            this_year = (
                term.constituency == code and term.start.year == today.year and term.start <= today
            )
            if this_year and not _is_renewal(
                term, terms_by_seat[term.seat_id] if term.seat_id else []
            ):
                started[term.start.year] += 1
        seats_by_id = {seat.id: seat for seat in constituency_seats}
        for year in range(today.year, until.year + 1):
            for _attempt in range(len(constituency_seats) * 2 + 1):
                in_year = [
                    c for seat_changes in changes.values() for c in seat_changes if c.year == year
                ]
                if started[year] + len(in_year) <= rule.max_changes_per_year:
                    break
                movable = sorted(
                    (c for c in in_year if c.deferrable),
                    key=lambda c: (c.on, seats_by_id[c.seat_id].label),
                )
                if not movable:
                    rotation.flags.append(
                        Flag(
                            FlagKind.STAGGERING,
                            code,
                            count=started[year] + len(in_year),
                            limit=rule.max_changes_per_year,
                            year=year,
                        )
                    )
                    break
                moved = movable[-1]
                index = changes[moved.seat_id].index(moved)
                delays[moved.seat_id][index] = delays[moved.seat_id].get(index, 0) + 1
                seat = seats_by_id[moved.seat_id]
                changes[moved.seat_id] = _seat_changes(
                    seat, terms_by_seat[seat.id], members, rule, today, until, delays[seat.id]
                )
        for seat in constituency_seats:
            rotation.changes.extend(changes[seat.id])
        rotation.flags.extend(
            _seat_flags(code, rule, constituency_seats, terms_by_seat, members, today)
        )

    rotation.changes.sort(key=lambda c: (c.on, c.constituency, c.seat_id))
    order = list(FlagKind)
    rotation.flags.sort(
        key=lambda f: (order.index(f.kind), f.on or date.max, f.constituency, f.seat_id or 0)
    )
    return rotation


def _seat_flags(
    code: str,
    rule: Rules,
    seats: list[SeatInfo],
    terms_by_seat: dict[int, list[Term]],
    members: list[Term],
    today: date,
) -> list[Flag]:
    flags: list[Flag] = []
    warn_until = add_months(today, WARNING_MONTHS)
    current_members: list[Term] = []
    for seat in seats:
        current = [t for t in terms_by_seat[seat.id] if t.covers(today)]
        current_members.extend(current)
        if not current:
            flags.append(Flag(FlagKind.VACANCY, code, seat.id, on=today))
            continue
        if len(current) > 1:
            flags.append(Flag(FlagKind.DOUBLE_BOOKED, code, seat.id, count=len(current), limit=1))
        for term in current:
            if term.ends_on is not None and term.ends_on <= warn_until:
                flags.append(
                    Flag(FlagKind.ENDING_SOON, code, seat.id, term.organisation, on=term.ends_on)
                )
            served = consecutive_terms(members, term)
            if served > rule.max_consecutive_terms:
                flags.append(
                    Flag(
                        FlagKind.TERM_LIMIT,
                        code,
                        seat.id,
                        term.organisation,
                        count=served,
                        limit=rule.max_consecutive_terms,
                    )
                )
    # Members counted against the quota include any recorded without a seat of this constituency.
    seat_ids = {seat.id for seat in seats}
    stray = [
        t
        for t in members
        if t.constituency == code and t.seat_id not in seat_ids and t.covers(today)
    ]
    all_current = current_members + stray
    if len(all_current) > rule.seat_quota:
        flags.append(Flag(FlagKind.QUOTA, code, count=len(all_current), limit=rule.seat_quota))
    if rule.max_per_region is not None:
        by_region: dict[str, list[Term]] = defaultdict(list)
        for term in all_current:
            if term.region:
                by_region[term.region].append(term)
        for region, region_terms in sorted(by_region.items()):
            if len(region_terms) > rule.max_per_region:
                names = ", ".join(sorted(t.organisation for t in region_terms))
                flags.append(
                    Flag(
                        FlagKind.REGION_QUOTA,
                        code,
                        organisation=names,
                        count=len(region_terms),
                        limit=rule.max_per_region,
                        region=region,
                    )
                )
    return flags
