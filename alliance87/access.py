"""Who is who: role predicates shared by every app's access helpers.

The predicates cache what they read on the user object, so a request asks the database
about a person's groups and countries at most once.
"""

from django.http import Http404

from alliance87.accounts import roles


class AccessRefused(Http404):
    """A record exists but this person may not see it: answered as 404, logged as refused."""


def role_names(user) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def is_secretariat(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.is_staff and roles.SECRETARIAT in role_names(user)))
    )


def is_gcg(user) -> bool:
    """GCG members and observers: they read everything and edit nothing."""
    return bool(role_names(user) & {roles.GCG_MEMBER, roles.GCG_OBSERVER})


def is_focal_point(user) -> bool:
    return roles.FOCAL_POINT in role_names(user)


def can_read_everything(user) -> bool:
    return is_secretariat(user) or is_gcg(user)


def focal_point_country_ids(user) -> frozenset[int]:
    """The countries a focal point answers for; empty for everyone else."""
    if not is_focal_point(user):
        return frozenset()
    cached = getattr(user, "_focal_point_country_ids", None)
    if cached is None:
        cached = frozenset(user.focal_point_assignments.values_list("country_id", flat=True))
        user._focal_point_country_ids = cached
    return cached


def role_labels(user) -> list[str]:
    return [str(roles.ROLE_LABELS[name]) for name in roles.ROLES if name in role_names(user)]
