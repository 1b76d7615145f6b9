"""The rotation mechanism: a pure function, tested without the database."""

from datetime import date

import pytest

from governance.rotation import (
    FlagKind,
    Reason,
    Rules,
    SeatInfo,
    Term,
    add_months,
    compute_rotation,
    consecutive_run,
    consecutive_terms,
    most_at_once,
    term_end_for,
)

TODAY = date(2026, 11, 21)
PFC = Rules(
    "pfc",
    "Pathfinder Countries",
    seat_quota=5,
    term_years=3,
    max_consecutive_terms=2,
    max_per_region=1,
)
SEATS = [SeatInfo(n, "pfc", f"PFC seat {n}") for n in range(1, 6)]


def term(org_id: int, seat_id: int | None, start: date, end: date | None, **kwargs) -> Term:
    kwargs.setdefault("region", f"region-{org_id}")
    return Term(
        org_id,
        f"Org {org_id}",
        kwargs.pop("constituency", "pfc"),
        start,
        end,
        seat_id=seat_id,
        **kwargs,
    )


def full_house(**overrides) -> list[Term]:
    """Five members, one a seat, with staggered terms (2 end in 2027, 2 in 2028, 1 in 2029)."""
    ends = {
        1: date(2027, 5, 31),
        2: date(2027, 5, 31),
        3: date(2028, 5, 31),
        4: date(2028, 5, 31),
        5: date(2029, 5, 31),
    }
    terms = [term(n, n, date(ends[n].year - 3, 6, 1), ends[n]) for n in range(1, 6)]
    for seat_id, replacement in overrides.items():
        terms[int(seat_id[1:]) - 1] = replacement
    return terms


def rotate(terms, *, rules=PFC, seats=SEATS, today=TODAY, years=3):
    return compute_rotation(seats=seats, rules=[rules], terms=terms, today=today, years=years)


def kinds(rotation) -> list[FlagKind]:
    return [flag.kind for flag in rotation.flags]


# --- Dates -----------------------------------------------------------------------------------


def test_add_months_clamps_to_the_end_of_shorter_months():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 15), -12) == date(2025, 3, 15)


def test_a_three_year_term_ends_the_day_before_its_anniversary():
    assert term_end_for(date(2026, 6, 1), 3) == date(2029, 5, 31)
    assert term_end_for(date(2024, 2, 29), 3) == date(2027, 2, 27)


# --- A healthy constituency --------------------------------------------------------------------


def test_a_full_staggered_constituency_raises_no_flag():
    assert rotate(full_house()).flags == []


def test_each_seat_changes_the_day_after_its_term_ends():
    rotation = rotate(full_house())
    first = rotation.changes_for(1)[0]
    assert first.on == date(2027, 6, 1)
    assert first.reason == Reason.TERM_END
    assert first.outgoing == "Org 1"
    assert first.new_term_end == date(2030, 5, 31)


def test_the_schedule_projects_terms_until_the_horizon():
    rotation = rotate(full_house(), years=5)
    assert rotation.until == date(2030, 12, 31)
    assert [c.on for c in rotation.changes_for(1)] == [date(2027, 6, 1), date(2030, 6, 1)]
    assert rotation.changes_for(1)[1].reason == Reason.PROJECTED
    assert rotation.changes_for(1)[1].outgoing is None


def test_changes_are_listed_by_year_including_empty_years():
    by_year = rotate(full_house()).changes_by_year()
    assert sorted(by_year) == [2026, 2027, 2028]
    assert by_year[2026] == []
    assert len(by_year[2027]) == 2


# --- Flags ---------------------------------------------------------------------------------------


def test_a_term_ending_within_six_months_is_flagged():
    terms = full_house(s1=term(1, 1, date(2024, 6, 1), date(2027, 5, 20)))
    flags = rotate(terms).flags_of(FlagKind.ENDING_SOON)
    assert [(f.seat_id, f.on) for f in flags] == [(1, date(2027, 5, 20))]


def test_a_term_ending_just_after_six_months_is_not_flagged():
    terms = full_house(s1=term(1, 1, date(2024, 6, 1), date(2027, 5, 22)))
    assert rotate(terms).flags_of(FlagKind.ENDING_SOON) == []


def test_a_term_ending_within_six_months_across_the_year_boundary_is_flagged():
    rotation = rotate(full_house(s1=term(1, 1, date(2024, 2, 1), date(2027, 1, 31))))
    assert [f.on for f in rotation.flags_of(FlagKind.ENDING_SOON)] == [date(2027, 1, 31)]


def test_an_empty_seat_is_a_vacancy_to_fill_now():
    terms = [t for t in full_house() if t.seat_id != 5]
    rotation = rotate(terms)
    assert [f.seat_id for f in rotation.flags_of(FlagKind.VACANCY)] == [5]
    first = rotation.changes_for(5)[0]
    assert (first.reason, first.on, first.new_term_end) == (
        Reason.VACANCY,
        TODAY,
        date(2029, 11, 20),
    )


def test_a_seat_whose_last_term_ended_is_vacant():
    terms = full_house(s5=term(5, 5, date(2023, 6, 1), date(2026, 5, 31)))
    assert [f.seat_id for f in rotate(terms).flags_of(FlagKind.VACANCY)] == [5]


def test_two_seats_from_one_region_breach_the_regional_quota():
    terms = full_house(s2=term(2, 2, date(2024, 6, 1), date(2027, 5, 31), region="region-1"))
    flags = rotate(terms).flags_of(FlagKind.REGION_QUOTA)
    assert len(flags) == 1
    assert (flags[0].region, flags[0].count, flags[0].limit) == ("region-1", 2, 1)
    assert flags[0].organisation == "Org 1, Org 2"


def test_a_region_with_one_seat_and_a_past_member_is_no_breach():
    past = term(9, 1, date(2019, 6, 1), date(2022, 5, 31), region="region-1")
    assert rotate([*full_house(), past]).flags_of(FlagKind.REGION_QUOTA) == []


def test_no_regional_rule_means_no_regional_flag():
    rules = Rules("pfc", "Donors", seat_quota=5, max_per_region=None)
    terms = [term(n, n, date(2025, 6, 1), date(2028, 5, 31), region="same") for n in range(1, 6)]
    assert FlagKind.REGION_QUOTA not in kinds(rotate(terms, rules=rules))


def test_more_members_than_the_quota_is_a_quota_breach():
    rules = Rules("pfc", "PFC", seat_quota=4, max_per_region=None)
    flags = rotate(full_house(), rules=rules).flags_of(FlagKind.QUOTA)
    assert [(f.count, f.limit) for f in flags] == [(5, 4)]


def test_a_seat_held_by_two_members_at_once_is_flagged():
    terms = [*full_house(), term(7, 1, date(2026, 1, 1), date(2028, 12, 31))]
    rotation = rotate(terms)
    assert [f.seat_id for f in rotation.flags_of(FlagKind.DOUBLE_BOOKED)] == [1]
    assert rotation.flags_of(FlagKind.QUOTA)[0].count == 6


def test_a_third_consecutive_term_breaches_the_term_limit():
    terms = full_house(s1=term(1, 1, date(2024, 6, 1), date(2027, 5, 31)))
    terms += [
        term(1, 1, date(2018, 6, 1), date(2021, 5, 31)),
        term(1, 1, date(2021, 6, 1), date(2024, 5, 31)),
    ]
    flags = rotate(terms).flags_of(FlagKind.TERM_LIMIT)
    assert [(f.organisation, f.count, f.limit) for f in flags] == [("Org 1", 3, 2)]


def test_terms_separated_by_a_break_are_not_consecutive():
    terms = full_house()
    terms += [
        term(1, 1, date(2018, 6, 1), date(2021, 5, 31)),
        term(1, 1, date(2022, 1, 1), date(2024, 5, 31)),
    ]
    assert rotate(terms).flags_of(FlagKind.TERM_LIMIT) == []


def test_a_second_term_may_not_be_renewed():
    terms = [*full_house(), term(1, 1, date(2021, 6, 1), date(2024, 5, 31))]
    change = rotate(terms).changes_for(1)[0]
    assert (change.renewable, change.consecutive_terms) == (False, 2)


def test_a_first_term_may_be_renewed():
    change = rotate(full_house()).changes_for(1)[0]
    assert (change.renewable, change.consecutive_terms) == (True, 1)


# --- Edge cases ------------------------------------------------------------------------------------


def test_early_resignation_leaves_the_seat_vacant_and_the_replacement_serves_the_remainder():
    left = term(5, 5, date(2026, 6, 1), date(2029, 5, 31), left_on=date(2026, 9, 30))
    rotation = rotate(full_house(s5=left))
    assert [f.seat_id for f in rotation.flags_of(FlagKind.VACANCY)] == [5]
    first = rotation.changes_for(5)[0]
    assert (first.reason, first.on, first.new_term_end) == (
        Reason.VACANCY,
        TODAY,
        date(2029, 5, 31),
    )


def test_an_announced_early_resignation_is_scheduled_and_never_deferred():
    leaving = term(5, 5, date(2026, 6, 1), date(2029, 5, 31), left_on=date(2027, 2, 28))
    rotation = rotate(full_house(s5=leaving))
    change = rotation.changes_for(5)[0]
    assert (change.reason, change.on, change.renewable) == (
        Reason.EARLY_DEPARTURE,
        date(2027, 3, 1),
        None,
    )
    assert change.new_term_end == date(2029, 5, 31)
    assert [f.on for f in rotation.flags_of(FlagKind.ENDING_SOON)] == [date(2027, 2, 28)]
    # 2027 already had two regular changes: one of them moves to 2028, the departure stays.
    assert len(rotation.changes_by_year()[2027]) == 2
    assert [c.deferred_years for c in rotation.changes if c.seat_id in (1, 2)] == [0, 1]
    assert rotation.flags_of(FlagKind.STAGGERING) == []


def test_an_observer_who_becomes_a_member_starts_at_the_first_term():
    observer = term(1, None, date(2019, 6, 1), date(2024, 5, 31), role="observer")
    rotation = rotate([*full_house(), observer])
    assert rotation.flags_of(FlagKind.TERM_LIMIT) == []
    assert rotation.changes_for(1)[0].consecutive_terms == 1


def test_observers_hold_no_seat_and_do_not_count_against_quotas():
    observers = [
        term(n, None, date(2024, 1, 1), None, role="observer", region="region-1")
        for n in range(10, 14)
    ]
    assert rotate([*full_house(), *observers]).flags == []


def test_consecutive_terms_ignores_observer_terms():
    member = term(1, 1, date(2024, 6, 1), date(2027, 5, 31))
    observer = term(1, None, date(2021, 6, 1), date(2024, 5, 31), role="observer")
    assert consecutive_terms([member, observer], member) == 1


def test_a_term_ending_on_31_december_changes_the_seat_in_the_next_year():
    terms = full_house(s1=term(1, 1, date(2024, 1, 1), date(2026, 12, 31)))
    change = next(iter(rotate(terms).changes_for(1)))
    assert (change.on, change.year) == (date(2027, 1, 1), 2027)
    assert change.new_term_end == date(2029, 12, 31)


def test_a_term_crossing_the_year_boundary_counts_in_the_year_it_ends():
    terms = full_house(s3=term(3, 3, date(2025, 11, 1), date(2028, 10, 31)))
    rotation = rotate(terms)
    assert [(c.on, c.year) for c in rotation.changes_for(3)] == [(date(2028, 11, 1), 2028)]


def test_an_appointed_successor_takes_over_without_a_vacancy():
    successor = term(8, 1, date(2027, 6, 1), date(2030, 5, 31))
    rotation = rotate([*full_house(), successor])
    change = rotation.changes_for(1)[0]
    assert (change.reason, change.outgoing, change.incoming) == (Reason.SUCCESSOR, "Org 1", "Org 8")
    assert FlagKind.VACANCY not in kinds(rotation)


def test_an_appointed_renewal_says_which_term_in_a_row_it_is_and_asks_nothing():
    renewal = term(1, 1, date(2027, 6, 1), date(2030, 5, 31))
    change = rotate([*full_house(), renewal]).changes_for(1)[0]
    assert (change.reason, change.outgoing, change.incoming) == (Reason.RENEWAL, "Org 1", "Org 1")
    assert (change.consecutive_terms, change.renewable) == (2, None)


def test_a_successor_by_another_organisation_leaves_no_renewal_question():
    successor = term(8, 1, date(2027, 6, 1), date(2030, 5, 31))
    change = rotate([*full_house(), successor]).changes_for(1)[0]
    assert change.renewable is None


def test_consecutive_run_counts_a_term_recorded_between_two_others():
    first = term(1, 1, date(2020, 6, 1), date(2023, 5, 31))
    middle = term(1, 1, date(2023, 6, 1), date(2026, 5, 31))
    last = term(1, 1, date(2026, 6, 1), date(2029, 5, 31))
    assert consecutive_run([first, last, middle], middle) == 3
    assert consecutive_run([first, last], last) == 1


def test_most_at_once_finds_the_busiest_day_of_a_term():
    new = term(9, 9, date(2025, 6, 1), date(2028, 5, 31))
    before = term(1, 1, date(2023, 6, 1), date(2026, 5, 31))
    after = term(2, 2, date(2026, 6, 1), date(2029, 5, 31))
    later = term(3, 3, date(2027, 1, 1), date(2029, 12, 31))
    assert len(most_at_once([before, after, later], new)) == 3
    assert len(most_at_once([before, after], new)) == 2


def test_a_vacant_seat_with_an_appointed_successor_waits_for_it():
    successor = term(8, 5, date(2027, 1, 1), date(2029, 12, 31))
    rotation = rotate([*[t for t in full_house() if t.seat_id != 5], successor])
    assert [f.seat_id for f in rotation.flags_of(FlagKind.VACANCY)] == [5]
    assert rotation.changes_for(5)[0].reason == Reason.SUCCESSOR
    assert rotation.changes_for(5)[0].on == date(2027, 1, 1)


# --- Staggering --------------------------------------------------------------------------------------


def test_rules_allow_at_most_half_the_seats_to_change_in_a_year():
    assert PFC.max_changes_per_year == 2
    assert Rules("x", "X", seat_quota=4).max_changes_per_year == 2
    assert Rules("x", "X", seat_quota=1).max_changes_per_year == 1


def test_too_many_terms_ending_in_one_year_are_extended_by_a_year():
    terms = [term(n, n, date(2024, 6, 1), date(2027, 5, 31)) for n in range(1, 6)]
    rotation = rotate(terms, years=4)
    by_year = rotation.changes_by_year()
    assert len(by_year[2027]) == 2
    assert len(by_year[2028]) == 2
    assert len(by_year[2029]) == 1
    assert sorted(c.deferred_years for c in rotation.changes) == [0, 0, 1, 1, 2]
    assert rotation.flags_of(FlagKind.STAGGERING) == []


def test_deferral_moves_the_latest_terms_and_keeps_the_earliest():
    terms = [
        term(n, n, date(2024, 6, 1), date(2027, 5, 1) if n < 3 else date(2027, 9, 30))
        for n in range(1, 6)
    ]
    in_2027 = rotate(terms, years=4).changes_by_year()[2027]
    assert sorted(c.seat_id for c in in_2027) == [1, 2]


def test_seats_that_changed_hands_this_year_count_towards_the_limit():
    today = date(2027, 7, 1)
    arrivals = [term(n + 10, n, date(2027, 6, 1), date(2030, 5, 31)) for n in (1, 2)]
    departed = [term(n, n, date(2024, 6, 1), date(2027, 5, 31)) for n in (1, 2)]
    leaving = term(3, 3, date(2024, 12, 1), date(2027, 11, 30))
    others = [term(n, n, date(2026, 6, 1), date(2029, 5, 31)) for n in (4, 5)]
    rotation = rotate([*arrivals, *departed, leaving, *others], today=today)
    assert rotation.changes_for(3)[0].year == 2028
    assert rotation.changes_for(3)[0].deferred_years == 1


def test_a_renewal_this_year_is_no_change_of_hands():
    today = date(2027, 7, 1)
    renewed = [term(n, n, date(2027, 6, 1), date(2030, 5, 31)) for n in (1, 2)]
    before = [term(n, n, date(2024, 6, 1), date(2027, 5, 31)) for n in (1, 2)]
    leaving = term(3, 3, date(2024, 12, 1), date(2027, 11, 30))
    others = [term(n, n, date(2026, 6, 1), date(2029, 5, 31)) for n in (4, 5)]
    rotation = rotate([*renewed, *before, leaving, *others], today=today)
    assert rotation.changes_for(3)[0].deferred_years == 0


def test_changes_that_cannot_move_are_flagged_as_a_staggering_breach():
    terms = [t for t in full_house() if t.seat_id not in (1, 2, 3)]
    rotation = rotate(terms, years=1)
    flags = rotation.flags_of(FlagKind.STAGGERING)
    # Three vacancies to fill now, plus seat 5, which changed hands in June 2026.
    assert [(f.year, f.count, f.limit) for f in flags] == [(2026, 4, 2)]


@pytest.mark.parametrize("share, allowed", [("0.5", 2), ("0.2", 1), ("1", 5)])
def test_the_staggering_share_is_a_rule(share, allowed):
    from decimal import Decimal

    rules = Rules("pfc", "PFC", seat_quota=5, max_change_share=Decimal(share))
    assert rules.max_changes_per_year == allowed


def test_constituencies_rotate_independently():
    donors = Rules("donors", "Donors", seat_quota=2)
    seats = [*SEATS, SeatInfo(10, "donors", "Donor seat 1"), SeatInfo(11, "donors", "Donor seat 2")]
    terms = [
        *full_house(),
        term(20, 10, date(2024, 6, 1), date(2027, 5, 31), constituency="donors"),
    ]
    rotation = compute_rotation(seats=seats, rules=[PFC, donors], terms=terms, today=TODAY, years=3)
    assert [(f.constituency, f.seat_id) for f in rotation.flags_of(FlagKind.VACANCY)] == [
        ("donors", 11)
    ]
    assert {c.constituency for c in rotation.changes} == {"pfc", "donors"}
