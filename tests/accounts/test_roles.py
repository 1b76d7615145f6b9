import pytest
from django.contrib.auth.models import Group

from alliance87.accounts import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migrations_create_the_four_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


def test_syncing_roles_twice_changes_nothing():
    first = roles.sync_roles()
    second = roles.sync_roles()

    assert first == second
    assert Group.objects.filter(name__in=roles.ROLES).count() == 4


def test_gcg_roles_may_only_view():
    for name in (roles.GCG_MEMBER, roles.GCG_OBSERVER):
        codenames = Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        assert codenames and all(codename.startswith("view_") for codename in codenames)


def test_secretariat_may_change_governance_records_but_a_member_may_not():
    secretariat = UserFactory(role=roles.SECRETARIAT)
    member = UserFactory(role=roles.GCG_MEMBER)

    assert secretariat.has_perm("governance.change_organisation")
    assert member.has_perm("governance.view_organisation")
    assert not member.has_perm("governance.change_organisation")


def test_focal_point_reads_pathfinder_records_but_not_governance_ones():
    focal_point = UserFactory(role=roles.FOCAL_POINT)

    assert focal_point.has_perm("alliance87.view_country")
    assert not focal_point.has_perm("alliance87.change_country")
    assert not focal_point.has_perm("governance.view_organisation")
