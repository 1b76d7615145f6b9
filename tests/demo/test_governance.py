import pytest

from demo import governance as demo
from demo.pathfinders import seed_countries
from governance.models import (
    ActionGroup,
    CallForInterest,
    Engagement,
    GCGMeeting,
    Membership,
    OfficeHolder,
    Organisation,
    Partner,
)
from governance.selectors import gcg_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    seed_countries()
    demo.seed()


def test_seeding_twice_changes_nothing(seeded):
    counts = [
        m.objects.count()
        for m in (Organisation, Membership, ActionGroup, Partner, Engagement, OfficeHolder)
    ]
    demo.seed()
    assert counts == [
        m.objects.count()
        for m in (Organisation, Membership, ActionGroup, Partner, Engagement, OfficeHolder)
    ]


def test_the_organisations_other_areas_name_exist_with_their_acronyms(seeded):
    acronyms = set(Organisation.objects.values_list("acronym", flat=True))
    assert {"ILO", "IOE", "ITUC", "FAO", "UNODC", "UNICEF", "IOM", "OHCHR"} <= acronyms
    assert Organisation.objects.get(name="France").country.iso_code == "FR"


def test_the_numbered_meetings_of_2020_are_there(seeded):
    meetings = {m.number: m for m in GCGMeeting.objects.all()}
    assert str(meetings[7].date) == "2020-05-19" and meetings[7].is_virtual
    assert meetings[8].is_extraordinary


def test_france_and_argentina_held_office_until_may_2023(seeded):
    holders = OfficeHolder.objects.filter(term_end="2023-05-31").select_related("organisation")
    assert {(h.office, h.organisation.name) for h in holders} == {
        ("chair", "France"),
        ("deputy_chair", "Argentina"),
    }


def test_the_four_current_groups_are_active_and_two_old_ones_inactive(seeded):
    active = set(
        ActionGroup.objects.filter(kind="action_group", status="active").values_list(
            "name", flat=True
        )
    )
    assert active == {
        "Supply Chains",
        "Migration",
        "Rule of Law and Governance",
        "Conflict and Humanitarian Settings",
    }
    assert ActionGroup.objects.filter(status="inactive").count() == 2
    assert ActionGroup.objects.get(name="Supply Chains").working_groups.count() == 4


def test_about_two_hundred_generated_partners_are_marked_as_demo(seeded):
    generated = Partner.objects.filter(is_demo=True, organisation__is_demo=True).count()
    assert generated == demo.GENERATED_PARTNERS


def test_every_seeded_term_obeys_the_seat_rules_and_the_rotation_shows_no_breach(seeded):
    for record in [*Membership.objects.all(), *OfficeHolder.objects.all()]:
        record.full_clean()
    kinds = {flag.kind for flag in gcg_state().rotation.flags}
    assert not kinds & {"quota", "region_quota", "term_limit", "double_booked"}


def test_the_2026_calls_show_their_appointees(seeded):
    calls = CallForInterest.objects.filter(status="closed", office__in=["chair", "deputy_chair"])
    assert {str(call.appointment.organisation) for call in calls} == {"Netherlands", "Fiji"}
