"""The four roles of the portal, kept as groups with permissions.

Model permissions are coarse (what kind of record a role may touch). Which records a person
may see or change is decided by the access helper of each object type (alliance87/access.py
and the apps' access modules), e.g. a focal point only for the countries bound to them.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SECRETARIAT = "Secretariat"
GCG_MEMBER = "GCG member"
GCG_OBSERVER = "GCG observer"
FOCAL_POINT = "Pathfinder focal point"

ROLES = [SECRETARIAT, GCG_MEMBER, GCG_OBSERVER, FOCAL_POINT]
ROLE_LABELS = {
    SECRETARIAT: _("Secretariat"),
    GCG_MEMBER: _("GCG member"),
    GCG_OBSERVER: _("GCG observer"),
    FOCAL_POINT: _("Pathfinder focal point"),
}

# alliance87: the reference data every area shares (countries, focal points).
PORTAL_APPS = [
    "alliance87",
    "pathfinders",
    "governance",
    "financing",
    "workshops",
    "vision",
    "reports",
]

# What a focal point may write beyond reading the Pathfinder records; codenames that do
# not exist (yet) are skipped, so this list may name models before they land.
FOCAL_POINT_WRITE = [
    "pathfinders.add_progressreport",
    "pathfinders.change_progressreport",
    "pathfinders.add_indicatorvalue",
    "pathfinders.change_indicatorvalue",
    "pathfinders.add_commitmentupdate",
    "pathfinders.change_commitmentupdate",
]


def _codenames(specs: list[str]) -> Q:
    query = Q(pk__in=[])
    for spec in specs:
        app_label, codename = spec.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return query


def role_permissions(role: str):
    everything = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    if role == SECRETARIAT:
        return Permission.objects.filter(
            Q(
                content_type__app_label__in=[
                    *PORTAL_APPS,
                    "accounts",
                    "auth",
                    "mfa",
                    "account",
                    "outbox",
                ]
            )
        )
    if role in (GCG_MEMBER, GCG_OBSERVER):
        return everything.filter(codename__startswith="view_")
    if role == FOCAL_POINT:
        return Permission.objects.filter(
            Q(
                content_type__app_label__in=["alliance87", "pathfinders"],
                codename__startswith="view_",
            )
            | _codenames(FOCAL_POINT_WRITE)
        )
    raise ValueError(f"Unknown role {role!r}")


def sync_roles() -> dict[str, int]:
    """Create the role groups and set their permissions; safe to run any number of times."""
    counts = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        permissions = list(role_permissions(role))
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts


def sync_roles_after_migrate(sender, **kwargs) -> None:
    sync_roles()
