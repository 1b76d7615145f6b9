"""GCG meetings and the decisions they took."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model
from django.utils.functional import Promise

from ..models import Decision, GCGMeeting


def meeting_list() -> list[GCGMeeting]:
    # One query: meetings with their decision count.
    return list(GCGMeeting.objects.annotate(decision_count=Count("decisions")).order_by("-number"))


@dataclass(frozen=True)
class _DecisionLink:
    """A relation that points at a decision: its accessor on the decision and the kind of object."""

    accessor: str
    one_to_one: bool
    kind: "str | Promise | None"


def _decision_links() -> list[_DecisionLink]:
    """Every relation that points at a decision (groups, memberships, Pathfinder status, outputs...)."""
    return [
        _DecisionLink(rel.get_accessor_name() or "", rel.one_to_one, model._meta.verbose_name)
        for rel in Decision._meta.related_objects
        if (rel.one_to_many or rel.one_to_one)
        and isinstance(model := rel.related_model, type)
        and not model.__name__.startswith("Historical")
    ]


def _decided(decision: Decision, links: list[_DecisionLink]) -> list[tuple[Any, Model]]:
    """What a decision decided: (the kind of object, the object), over every relation."""
    linked = []
    for link in links:
        if link.one_to_one:
            objects = [getattr(decision, link.accessor, None)]
        else:
            objects = list(getattr(decision, link.accessor).all())
        linked += [(link.kind, obj) for obj in objects if obj is not None]
    return linked


def meeting_detail(meeting: GCGMeeting) -> dict[str, Any]:
    """Decisions of a meeting and, for each, what it decided, whichever app records it."""
    links = _decision_links()
    decisions = list(
        meeting.decisions.prefetch_related(*[link.accessor for link in links]).order_by("number")
    )
    return {
        "decisions": [
            {"decision": decision, "linked": _decided(decision, links)} for decision in decisions
        ]
    }
