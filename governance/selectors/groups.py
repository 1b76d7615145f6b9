"""Action and working groups: the list and a group's page."""

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from alliance87.access import Person, can_read_everything
from alliance87.translated import shown_text

from ..access import visible_groups
from ..models import ActionGroup, GroupActivity, GroupClosureProposal, GroupMembership


def group_list(
    *, user: Person, filterset_queryset: QuerySet[ActionGroup] | None = None
) -> list[ActionGroup]:
    # One query: groups with parent and chairs, the count of current members and the last activity.
    groups = filterset_queryset if filterset_queryset is not None else visible_groups(user)
    member_count = (
        GroupMembership.objects.filter(group=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_activity = (
        GroupActivity.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(last=Max("date"))
        .values("last")
    )
    return list(
        groups.select_related("parent", "chair", "co_chair", "closed_by_decision")
        .annotate(
            member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0),
            last_activity_on=Subquery(last_activity),
        )
        # By the names shown (the reader's language, else the English): working groups follow
        # their action group.
        .order_by(
            "status",
            Coalesce(shown_text("parent__name"), shown_text("name")),
            "kind",
            shown_text("name"),
        )
    )


def group_detail(*, user: Person, group: ActionGroup) -> dict:
    full = can_read_everything(user)
    working_groups = list(
        visible_groups(user)
        .filter(parent=group)
        .select_related("chair")
        .order_by("kind", shown_text("name"))
    )
    members = list(group.members.select_related("organisation__country"))
    proposals = (
        list(group.closure_proposals.select_related("decision__meeting", "proposed_by"))
        if full
        else []
    )
    return {
        "working_groups": working_groups,
        "members": [m for m in members if m.left_on is None],
        "former_members": [m for m in members if m.left_on is not None],
        "workplans": list(group.workplans.all()),
        "activities": list(group.activities.all()),
        "sponsors": list(group.sponsors.all()),
        "proposals": proposals,
        "open_proposal": next(
            (p for p in proposals if p.status == GroupClosureProposal.Status.OPEN), None
        ),
        "full_view": full,
    }
