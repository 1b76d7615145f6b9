"""Who may see and change events and what hangs off them.

The Secretariat edits everything; GCG members and observers read everything; everyone else
(focal points included) sees the public events and those they are registered for. Outsiders
get a 404 (AccessRefused); readers attempting a write get a 403 (PermissionDenied).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from alliance87.access import AccessRefused, Person, can_read_everything, is_secretariat

from .models import Event, EventDocument, FollowUpAction, Output, Participant


def visible_events(user: Person, queryset: QuerySet[Event] | None = None) -> QuerySet[Event]:
    queryset = Event.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if can_read_everything(user):
        return queryset
    invited = Participant.objects.filter(event=OuterRef("pk"), user=user)
    return queryset.filter(Q(is_public=True) | Exists(invited))


def can_edit_events(user: Person) -> bool:
    return is_secretariat(user)


def can_view_follow_up_board(user: Person) -> bool:
    return can_read_everything(user)


def can_view_participants(user: Person) -> bool:
    """The list of registrations, with their accessibility and dietary notes."""
    return is_secretariat(user)


def _check_write(user: Person, write: bool) -> None:
    if write and not is_secretariat(user):
        raise PermissionDenied


def get_event_for_user(user: Person, pk: int, write: bool = False) -> Event:
    event = (
        visible_events(user, Event.objects.select_related("country", "gcg_meeting"))
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise AccessRefused
    _check_write(user, write)
    return event


def get_output_for_user(user: Person, pk: int, write: bool = False) -> Output:
    visible = visible_events(user)
    output = (
        Output.objects.select_related("event", "agenda_item", "decided_at", "gcg_decision")
        .filter(pk=pk, event__in=visible)
        .first()
    )
    if output is None:
        raise AccessRefused
    _check_write(user, write)
    return output


def get_follow_up_for_user(user: Person, pk: int, write: bool = False) -> FollowUpAction:
    action: FollowUpAction | None = (
        FollowUpAction.objects.select_related("event", "owner")
        .filter(pk=pk, event__in=visible_events(user))
        .first()
    )
    if action is None:
        raise AccessRefused
    _check_write(user, write)
    return action


def get_document_for_user(user: Person, pk: int, write: bool = False) -> EventDocument:
    document = (
        EventDocument.objects.select_related("event")
        .filter(pk=pk, event__in=visible_events(user))
        .first()
    )
    if document is None:
        raise AccessRefused
    _check_write(user, write)
    return document


def can_view_event_report(user: Person, *, event: int) -> bool:
    """The outcome report of an event is open to whoever may open the event."""
    return visible_events(user).filter(pk=event).exists()
