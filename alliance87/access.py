"""Who is who: role predicates shared by every app's access helpers.

The predicates cache what they read on the user object, so a request asks the database
about a person's groups and countries at most once.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest

from alliance87.accounts import roles
from alliance87.accounts.models import User

# Whoever sends a request: a person signed in, or not.
Person = User | AnonymousUser


class SignedInRequest(HttpRequest):
    """The request a `login_required` view receives: its user is signed in (for the type
    checker only; the decorator is what makes it so)."""

    user: User


class AccessRefused(Http404):
    """A record exists but this person may not see it: answered as 404, logged as refused."""


def role_names(user: Person) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, "_role_names", cached)  # noqa: B010  a cache on the instance
    return cached


def is_secretariat(user: Person) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.is_staff and roles.SECRETARIAT in role_names(user)))
    )


def is_gcg(user: Person) -> bool:
    """GCG members and observers: they read everything and edit nothing."""
    return bool(role_names(user) & {roles.GCG_MEMBER, roles.GCG_OBSERVER})


def is_focal_point(user: Person) -> bool:
    return roles.FOCAL_POINT in role_names(user)


def can_read_everything(user: Person) -> bool:
    return is_secretariat(user) or is_gcg(user)


def focal_point_country_ids(user: Person) -> frozenset[int]:
    """The countries a focal point answers for; empty for everyone else."""
    if not is_focal_point(user) or not isinstance(user, User):
        return frozenset()
    cached = getattr(user, "_focal_point_country_ids", None)
    if cached is None:
        # Unordered: a set needs no sorting by country name, and so no join.
        cached = frozenset(
            user.focal_point_assignments.order_by().values_list("country_id", flat=True)
        )
        setattr(user, "_focal_point_country_ids", cached)  # noqa: B010
    return cached


def role_labels(user: Person) -> list[str]:
    return [str(roles.ROLE_LABELS[name]) for name in roles.ROLES if name in role_names(user)]
