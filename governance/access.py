"""Who may see and change governance records.

- The Secretariat reads and edits everything (here and in the admin).
- GCG members and observers read everything: composition, rotation and calls, meetings and
  decisions, groups (proposed ones and closure proposals included) and the partner analysis.
- Pathfinder focal points read the public parts: the GCG composition (members, observers,
  Chair and Deputy Chair, upcoming rotations) and the approved action and working groups with
  their members, workplans and activity logs, closed ones included. Rotation flags, calls for
  expressions of interest and their candidates, proposals, meetings and decisions, and the
  partner analysis are for the GCG and the Secretariat.
- Anyone else signed in is refused (404, logged).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from alliance87.access import (
    AccessRefused,
    Person,
    can_read_everything,
    is_focal_point,
    is_secretariat,
)

from .models import ActionGroup, CallForInterest, GCGMeeting


def _check(user: Person, *, readable: bool, write: bool) -> None:
    if not readable:
        raise AccessRefused
    if write and not is_secretariat(user):
        raise PermissionDenied


def can_read_public_parts(user: Person) -> bool:
    return can_read_everything(user) or is_focal_point(user)


def check_composition_access(user: Person, *, write: bool = False) -> None:
    """The GCG composition page and its CSV export."""
    _check(user, readable=can_read_public_parts(user), write=write)


def check_rotation_access(user: Person, *, write: bool = False) -> None:
    """The rotation page; writing means opening a call for expressions of interest."""
    _check(user, readable=can_read_everything(user), write=write)


def check_partner_access(user: Person) -> None:
    _check(user, readable=can_read_everything(user), write=False)


def visible_groups(user: Person) -> QuerySet[ActionGroup]:
    groups = ActionGroup.objects.all()
    if can_read_everything(user):
        return groups
    if is_focal_point(user):
        return groups.exclude(status=ActionGroup.Status.PROPOSED)
    return groups.none()


def check_group_list_access(user: Person, *, write: bool = False) -> None:
    """The group list; writing means proposing a new group."""
    _check(user, readable=can_read_public_parts(user), write=write)


def get_group_for_user(user: Person, pk: int, *, write: bool = False) -> ActionGroup:
    group = ActionGroup.objects.select_related(
        "parent", "chair", "co_chair", "created_by_decision", "closed_by_decision"
    ).filter(pk=pk)
    found = group.first()
    if found is None:
        raise AccessRefused
    readable = can_read_everything(user) or (
        is_focal_point(user) and found.status != ActionGroup.Status.PROPOSED
    )
    _check(user, readable=readable, write=write)
    return found


def get_call_for_user(user: Person, pk: int, *, write: bool = False) -> CallForInterest:
    call = (
        CallForInterest.objects.select_related(
            "seat__constituency",
            "opened_by",
            "appointed_membership__organisation",
            "appointed_office_holder__organisation",
        )
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise AccessRefused
    check_rotation_access(user, write=write)
    return call


def check_meeting_list_access(user: Person) -> None:
    _check(user, readable=can_read_everything(user), write=False)


def get_meeting_for_user(user: Person, number: int) -> GCGMeeting:
    meeting = GCGMeeting.objects.select_related("event").filter(number=number).first()
    if meeting is None:
        raise AccessRefused
    _check(user, readable=can_read_everything(user), write=False)
    return meeting
