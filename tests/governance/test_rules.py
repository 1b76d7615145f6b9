"""The GCG seat rules hold wherever a term is saved: through the services and the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import services
from governance.models import Constituency, Membership, OfficeHolder
from governance.rotation import term_end_for
from tests.factories import CountryFactory, OrganisationFactory

from .factories import CallFactory, ConstituencyFactory, MembershipFactory, SeatFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def org(name: str, iso: str, region: str):
    country = CountryFactory(iso_code=iso, name=name, ilo_region=region)
    return OrganisationFactory(name=name, acronym="", country=country)


@pytest.fixture
def gcg(db):
    """France holds a development-partner seat and the Chair; Fiji serves its second term on a
    Pathfinder seat; Côte d'Ivoire holds the Africa seat; one civil-society seat of a quota of 1."""
    dp = ConstituencyFactory(code="dp", name="Development-partner governments", seat_quota=2)
    pfc = ConstituencyFactory(
        code="pfc", name="Pathfinder Country representatives", seat_quota=4, max_per_region=1
    )
    cs = ConstituencyFactory(code="cs", name="Civil society organisations", seat_quota=1)
    seats = {
        "dp1": SeatFactory(constituency=dp, number=1, label="DP seat 1"),
        "dp2": SeatFactory(constituency=dp, number=2, label="DP seat 2"),
        "africa": SeatFactory(constituency=pfc, number=1, label="PFC Africa", region="africa"),
        "arab": SeatFactory(
            constituency=pfc, number=2, label="PFC Arab States", region="arab_states"
        ),
        "pfc3": SeatFactory(constituency=pfc, number=3, label="PFC seat 3"),
        "pfc4": SeatFactory(constituency=pfc, number=4, label="PFC seat 4"),
        "cs1": SeatFactory(constituency=cs, number=1, label="CS seat 1"),
        "cs2": SeatFactory(constituency=cs, number=2, label="CS seat 2"),
    }
    orgs = {
        "France": org("France", "FR", "europe_central_asia"),
        "Chile": org("Chile", "CL", "americas"),
        "Germany": org("Germany", "DE", "europe_central_asia"),
        "Fiji": org("Fiji", "FJ", "asia_pacific"),
        "Ghana": org("Ghana", "GH", "africa"),
        "Côte d'Ivoire": org("Côte d'Ivoire", "CI", "africa"),
        "Walk Free": OrganisationFactory(name="Walk Free", acronym=""),
        "Free the Slaves": OrganisationFactory(name="Free the Slaves", acronym=""),
    }
    france = MembershipFactory(
        seat=seats["dp1"],
        organisation=orgs["France"],
        term_start=D(2023, 6, 1),
        term_end=D(2026, 5, 31),
    )
    for start, end in ((D(2020, 6, 1), D(2023, 5, 31)), (D(2023, 6, 1), D(2026, 5, 31))):
        MembershipFactory(
            seat=seats["pfc3"], organisation=orgs["Fiji"], term_start=start, term_end=end
        )
    MembershipFactory(
        seat=seats["africa"],
        organisation=orgs["Côte d'Ivoire"],
        term_start=D(2023, 6, 1),
        term_end=D(2026, 5, 31),
    )
    MembershipFactory(
        seat=seats["cs1"],
        organisation=orgs["Walk Free"],
        term_start=D(2024, 6, 1),
        term_end=D(2027, 5, 31),
    )
    OfficeHolder.objects.create(
        office=OfficeHolder.Office.CHAIR,
        organisation=orgs["France"],
        term_start=D(2023, 6, 1),
        term_end=D(2026, 5, 31),
    )
    return {"seats": seats, "orgs": orgs, "france": france, "pfc": pfc}


def term(gcg, organisation: str, seat: str, start: D, end: D) -> Membership:
    seat = gcg["seats"][seat]
    return Membership(
        organisation=gcg["orgs"][organisation],
        constituency=seat.constituency,
        seat=seat,
        role=Membership.Role.MEMBER,
        term_start=start,
        term_end=end,
    )


# Each breach of the issue and the rules around it: (organisation, seat, start, end), the field
# at fault and the words of the message that name the rule.
BREACHES = {
    "a second holder of a seat": (
        ("Chile", "dp1", D(2024, 6, 1), D(2027, 5, 31)),
        "seat",
        ["held by France", "one holder per seat at a time"],
    ),
    "a ten-year term": (
        ("Germany", "dp2", D(2026, 6, 1), D(2036, 5, 31)),
        "term_end",
        ["at most 3 years", "term length rule"],
    ),
    "a third consecutive term": (
        ("Fiji", "pfc3", D(2026, 6, 1), D(2029, 5, 31)),
        "organisation",
        ["Fiji would serve 3 terms in a row", "consecutive-term limit"],
    ),
    "a country on another region's seat": (
        ("Ghana", "arab", D(2026, 6, 1), D(2029, 5, 31)),
        "seat",
        ["reserved for Arab States", "Ghana is not in that region"],
    ),
    "two countries of one region at once": (
        ("Ghana", "pfc4", D(2024, 6, 1), D(2027, 5, 31)),
        "organisation",
        ["2 members from Africa at once", "regional quota"],
    ),
    "more members than the constituency's quota": (
        ("Free the Slaves", "cs2", D(2025, 6, 1), D(2028, 5, 31)),
        "seat",
        ["2 members at once and its quota is 1", "constituency quota"],
    ),
}


@pytest.mark.parametrize("breach", BREACHES, ids=list(BREACHES))
def test_the_service_refuses_each_breach_beside_the_field_and_saves_nothing(gcg, breach):
    values, field, words = BREACHES[breach]
    count = Membership.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.membership_save(membership=term(gcg, *values))
    message = " ".join(refused.value.message_dict[field])
    assert all(word in message for word in words), message
    assert Membership.objects.count() == count


def admin_membership_data(gcg, organisation, seat, start, end, **extra) -> dict:
    seat = gcg["seats"][seat]
    return {
        "organisation": gcg["orgs"][organisation].pk,
        "constituency": seat.constituency_id,
        "seat": seat.pk,
        "role": "member",
        "term_start": start.isoformat(),
        "term_end": end.isoformat() if end else "",
        "left_on": "",
        "notes": "",
        **extra,
    }


@pytest.mark.parametrize("breach", BREACHES, ids=list(BREACHES))
def test_the_admin_refuses_each_breach_beside_the_field_and_saves_nothing(
    gcg, client_for, secretariat, breach
):
    values, field, words = BREACHES[breach]
    count = Membership.objects.count()
    response = client_for(secretariat).post(
        reverse("admin:governance_membership_add"), admin_membership_data(gcg, *values)
    )
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.errors[field])
    assert all(word in message for word in words), message
    assert Membership.objects.count() == count


def test_the_admin_refuses_a_change_that_moves_a_term_onto_a_held_seat(
    gcg, client_for, secretariat
):
    chile = MembershipFactory(
        seat=gcg["seats"]["dp2"],
        organisation=gcg["orgs"]["Chile"],
        term_start=D(2024, 6, 1),
        term_end=D(2027, 5, 31),
    )
    data = admin_membership_data(gcg, "Chile", "dp1", D(2024, 6, 1), D(2027, 5, 31))
    response = client_for(secretariat).post(
        reverse("admin:governance_membership_change", args=[chile.pk]), data
    )
    assert "one holder per seat at a time" in str(response.context["adminform"].form.errors["seat"])
    chile.refresh_from_db()
    assert chile.seat == gcg["seats"]["dp2"]


def test_a_legitimate_renewal_is_saved_through_the_admin_and_recorded(gcg, client_for, secretariat):
    data = admin_membership_data(gcg, "Côte d'Ivoire", "africa", D(2026, 6, 1), D(2029, 5, 31))
    response = client_for(secretariat).post(reverse("admin:governance_membership_add"), data)
    assert response.status_code == 302
    renewal = Membership.objects.get(organisation__name="Côte d'Ivoire", term_start=D(2026, 6, 1))
    assert renewal.history.get().history_user == secretariat


def test_a_replacement_after_an_early_departure_takes_the_seat_from_the_next_day(gcg):
    departing = Membership.objects.get(organisation__name="Côte d'Ivoire")
    departing.left_on = D(2025, 3, 31)
    services.membership_save(membership=departing)
    services.membership_save(membership=term(gcg, "Ghana", "africa", D(2025, 4, 1), D(2026, 5, 31)))
    assert Membership.objects.filter(seat=gcg["seats"]["africa"]).count() == 2


def test_a_break_of_more_than_a_month_starts_a_new_run_of_terms(gcg):
    services.membership_save(membership=term(gcg, "Fiji", "pfc3", D(2027, 1, 1), D(2029, 12, 31)))
    assert Membership.objects.filter(organisation__name="Fiji").count() == 3


def test_an_observer_holds_no_seat(gcg):
    observer = term(gcg, "Chile", "dp2", D(2024, 6, 1), None)
    observer.role = Membership.Role.OBSERVER
    with pytest.raises(ValidationError) as refused:
        services.membership_save(membership=observer)
    assert "An observer holds no seat" in refused.value.message_dict["seat"][0]


def test_the_chair_serves_within_a_membership(gcg):
    chair = OfficeHolder(
        office=OfficeHolder.Office.DEPUTY_CHAIR,
        organisation=gcg["orgs"]["Germany"],
        term_start=D(2023, 6, 1),
        term_end=D(2026, 5, 31),
    )
    with pytest.raises(ValidationError) as refused:
        services.office_holder_save(holder=chair)
    message = refused.value.message_dict["organisation"][0]
    assert "Germany is not a GCG member or observer for the whole term" in message
    assert "serve within a membership" in message
    assert not OfficeHolder.objects.filter(organisation__name="Germany").exists()


def test_one_chair_at_a_time(gcg):
    chair = OfficeHolder(
        office=OfficeHolder.Office.CHAIR,
        organisation=gcg["orgs"]["Fiji"],
        term_start=D(2024, 6, 1),
        term_end=D(2026, 5, 31),
    )
    with pytest.raises(ValidationError) as refused:
        services.office_holder_save(holder=chair)
    assert "held by France" in refused.value.message_dict["term_start"][0]
    assert "one holder per office at a time" in refused.value.message_dict["term_start"][0]


def test_the_admin_refuses_a_chair_without_a_membership_beside_the_organisation(
    gcg, client_for, secretariat
):
    data = {
        "office": "deputy_chair",
        "organisation": gcg["orgs"]["Germany"].pk,
        "term_start": "2023-06-01",
        "term_end": "2026-05-31",
    }
    response = client_for(secretariat).post(reverse("admin:governance_officeholder_add"), data)
    errors = response.context["adminform"].form.errors
    assert "serve within a membership" in str(errors["organisation"])
    assert not OfficeHolder.objects.filter(organisation__name="Germany").exists()


def test_a_deputy_chair_within_membership_terms_joined_end_to_end_is_saved(gcg):
    holder = services.office_holder_save(
        holder=OfficeHolder(
            office=OfficeHolder.Office.DEPUTY_CHAIR,
            organisation=gcg["orgs"]["Fiji"],
            term_start=D(2021, 1, 1),
            term_end=D(2026, 5, 31),
        )
    )
    assert holder.pk is not None


def test_shortening_the_chairs_membership_is_refused(gcg):
    france = gcg["france"]
    france.left_on = D(2025, 12, 31)
    with pytest.raises(ValidationError) as refused:
        services.membership_save(membership=france)
    assert "France is Chair" in refused.value.message_dict["left_on"][0]
    france.refresh_from_db()
    assert france.left_on is None


@pytest.fixture
def albania_second_term(gcg):
    """Albania serves its second term in a row on a Pathfinder seat, today."""
    albania = org("Albania", "AL", "europe_central_asia")
    start = datetime.date.today() - datetime.timedelta(days=400)
    previous_start = start.replace(year=start.year - 3)
    for first_day in (previous_start, start):
        MembershipFactory(
            seat=gcg["seats"]["pfc4"],
            organisation=albania,
            term_start=first_day,
            term_end=term_end_for(first_day, 3),
        )
    return albania


def test_a_tighter_rule_cannot_break_a_running_term_in_the_admin(
    gcg, albania_second_term, client_for, secretariat
):
    pfc = gcg["pfc"]
    data = {
        "code": pfc.code,
        "name": pfc.name,
        "order": 0,
        "seat_quota": 4,
        "max_per_region": 1,
        "term_years": 3,
        "max_consecutive_terms": 1,
        "max_change_share": "0.50",
        "description": "",
        "seats-TOTAL_FORMS": 0,
        "seats-INITIAL_FORMS": 0,
    }
    response = client_for(secretariat).post(
        reverse("admin:governance_constituency_change", args=[pfc.pk]), data
    )
    message = str(response.context["adminform"].form.errors["max_consecutive_terms"])
    assert "Albania" in message and "consecutive-term limit" in message
    assert Constituency.objects.get(pk=pfc.pk).max_consecutive_terms == 2


def test_a_rule_that_running_terms_keep_is_saved(gcg):
    pfc = gcg["pfc"]
    pfc.max_consecutive_terms = 3
    pfc.full_clean()
    pfc.save()
    assert Constituency.objects.get(pk=pfc.pk).max_consecutive_terms == 3


def test_a_seat_cannot_be_reserved_for_a_region_its_holder_is_not_in(gcg, albania_second_term):
    seat = gcg["seats"]["pfc4"]
    seat.region = "africa"
    with pytest.raises(ValidationError) as refused:
        seat.full_clean()
    assert "Albania holds this seat" in refused.value.message_dict["region"][0]


def test_memberships_are_listed_but_not_edited_in_the_seat_admin(gcg, client_for, secretariat):
    seat = gcg["seats"]["pfc3"]
    page = client_for(secretariat).get(reverse("admin:governance_seat_change", args=[seat.pk]))
    assert page.status_code == 200
    assert "Fiji" in page.content.decode()
    assert 'name="memberships-0-term_end"' not in page.content.decode()


@pytest.mark.postgres
def test_postgresql_refuses_two_holders_of_one_seat_even_past_the_checks(gcg):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            seat=gcg["seats"]["dp1"],
            organisation=gcg["orgs"]["Chile"],
            term_start=D(2024, 6, 1),
            term_end=D(2027, 5, 31),
        )


def test_after_every_refused_breach_the_rotation_page_shows_no_breach(gcg, client_for, secretariat):
    for values, _field, _words in BREACHES.values():
        with pytest.raises(ValidationError):
            services.membership_save(membership=term(gcg, *values))
    response = client_for(secretariat).get(reverse("governance:rotation"))
    kinds = {flag["kind"] for flag in response.context["flags"]}
    assert not kinds & {"quota", "region_quota", "term_limit", "double_booked"}


def test_a_renewal_shows_on_the_rotation_page_as_such_without_a_contradiction(
    client_for, secretariat
):
    seat = SeatFactory(label="UN seat 1")
    fiji = org("Fiji", "FJ", "asia_pacific")
    start = datetime.date.today() - datetime.timedelta(days=400)
    renewal_start = term_end_for(start, 3) + datetime.timedelta(days=1)
    for first_day in (start, renewal_start):
        services.membership_save(
            membership=Membership(
                organisation=fiji,
                constituency=seat.constituency,
                seat=seat,
                term_start=first_day,
                term_end=term_end_for(first_day, 3),
            )
        )
    response = client_for(secretariat).get(reverse("governance:rotation"), {"years": 10})
    rows = [row for _year, rows in response.context["by_year"] for row in rows]
    renewal = next(row for row in rows if row["reason"] == "renewal")
    assert (renewal["incoming"], renewal["outgoing"]) == ("Fiji", "Fiji")
    assert renewal["renewal"] == "renewed (term 2 of 2 in a row)"
    assert "Renewed: Fiji" in response.content.decode()


def test_moving_the_chairs_membership_to_another_organisation_is_refused(gcg):
    france = gcg["france"]
    france.organisation = gcg["orgs"]["Chile"]
    with pytest.raises(ValidationError) as refused:
        services.membership_save(membership=france)
    assert "France is Chair" in refused.value.message_dict["organisation"][0]


def test_the_admin_refuses_to_delete_the_membership_the_chair_serves_within(
    gcg, client_for, secretariat
):
    url = reverse("admin:governance_membership_delete", args=[gcg["france"].pk])
    response = client_for(secretariat).post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "Chair: France (2023–2026)" in response.content.decode()
    assert Membership.objects.filter(pk=gcg["france"].pk).exists()


def test_a_membership_no_office_needs_is_deleted_in_the_admin(gcg, client_for, secretariat):
    fiji = Membership.objects.filter(organisation__name="Fiji").first()
    url = reverse("admin:governance_membership_delete", args=[fiji.pk])
    assert client_for(secretariat).post(url, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=fiji.pk).exists()


# --- Who may hold a seat -------------------------------------------------------------------


def test_an_organisation_of_another_type_cannot_hold_a_pathfinder_country_seat(gcg):
    pfc = Constituency.objects.get(code="pfc")
    pfc.holder_kind = "government"
    pfc.save()
    trust = OrganisationFactory(name="Bright Work Trust Jordan", acronym="", kind="other")

    with pytest.raises(ValidationError) as refused:
        services.membership_save(
            membership=Membership(
                constituency=pfc,
                seat=pfc.seats.get(number=4),
                organisation=trust,
                role=Membership.Role.MEMBER,
                term_start=D(2027, 1, 1),
                term_end=D(2029, 12, 31),
            )
        )

    message = refused.value.message_dict["organisation"][0]
    assert "are held by: Government" in message and "(who may hold a seat)" in message
    assert not Membership.objects.filter(organisation=trust).exists()


def test_a_constituency_cannot_be_given_a_type_its_current_members_are_not(gcg):
    cs = Constituency.objects.get(code="cs")
    cs.holder_kind = "academia"

    with pytest.raises(ValidationError) as refused:
        cs.full_clean()

    assert "Walk Free" in refused.value.message_dict["holder_kind"][0]


def test_a_call_does_not_appoint_an_organisation_of_another_type(gcg):
    pfc = Constituency.objects.get(code="pfc")
    pfc.holder_kind = "government"
    pfc.save()
    call = CallFactory(seat=pfc.seats.get(number=4), vacancy_on=D(2027, 1, 1))
    trust = OrganisationFactory(name="Bright Work Trust Jordan", acronym="", kind="other")
    chosen = services.candidate_record(call=call, organisation=trust, received_on=D(2026, 11, 2))

    with pytest.raises(ValidationError) as refused:
        services.call_for_interest_appoint(call=call, candidate=chosen)

    assert "(who may hold a seat)" in refused.value.message_dict["candidate"][0]
    call.refresh_from_db()
    assert call.appointment is None


# --- GCG meetings: numbered in date order, each one its event -------------------------------


def test_a_gcg_meeting_number_must_follow_the_date_order():
    from tests.governance.factories import MeetingFactory

    MeetingFactory(number=20, date=D(2026, 5, 12))
    MeetingFactory(number=22, date=D(2027, 5, 11))
    early = MeetingFactory.build(number=21, date=D(2026, 5, 12))
    late = MeetingFactory.build(number=21, date=D(2027, 5, 11))
    between = MeetingFactory.build(number=21, date=D(2026, 11, 20))

    with pytest.raises(ValidationError) as before:
        early.clean()
    with pytest.raises(ValidationError) as after:
        late.clean()
    between.clean()

    assert "meeting 20 was held on" in before.value.message_dict["number"][0]
    assert "meeting 22 is held on" in after.value.message_dict["number"][0]


def test_the_database_refuses_a_gcg_meeting_without_its_event():
    from django.db import IntegrityError, transaction

    from governance.models import GCGMeeting

    with pytest.raises(IntegrityError), transaction.atomic():
        GCGMeeting.objects.create(number=30, date=D(2027, 1, 1), title="No event")


def test_a_term_across_two_holders_names_the_first_it_meets(gcg):
    # France holds dp1 until May 2026; Mexico, recorded after it, from June 2026.
    gcg["orgs"]["Mexico"] = org("Mexico", "MX", "americas")
    services.membership_save(membership=term(gcg, "Mexico", "dp1", D(2026, 6, 1), D(2029, 5, 31)))
    with pytest.raises(ValidationError) as refused:
        services.membership_save(
            membership=term(gcg, "Chile", "dp1", D(2024, 1, 1), D(2026, 12, 31))
        )
    assert (
        "held by France from June 1, 2023 to May 31, 2026" in refused.value.message_dict["seat"][0]
    )
