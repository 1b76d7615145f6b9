"""The governance figures on the dashboard."""

from django.db.models import Count, Q
from django.utils import timezone

from alliance87.access import Person, can_read_everything

from ..access import can_read_public_parts, visible_groups
from ..models import ActionGroup, Membership, OfficeHolder
from ..rotation import add_months


def dashboard_summary(*, user: Person) -> dict | None:
    """Figures for the dashboard: members, observers, the Chair, groups by status, rotation alerts."""
    if not can_read_public_parts(user):
        return None
    today = timezone.localdate()
    current = (
        Membership.objects.filter(term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    )
    counts = current.aggregate(
        members=Count("pk", filter=Q(role=Membership.Role.MEMBER)),
        observers=Count("pk", filter=Q(role=Membership.Role.OBSERVER)),
        ending=Count(
            "pk",
            filter=Q(role=Membership.Role.MEMBER, term_end__lte=add_months(today, 6)),
        ),
    )
    groups = dict(
        visible_groups(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    chair = (
        OfficeHolder.objects.filter(
            office=OfficeHolder.Office.CHAIR, term_start__lte=today, term_end__gte=today
        )
        .select_related("organisation__country")
        .first()
    )
    status_labels = dict(ActionGroup.Status.choices)
    return {
        **counts,
        "chair": chair,
        "groups": [
            {"status": status, "label": status_labels[status], "count": groups.get(status, 0)}
            for status in (
                ActionGroup.Status.ACTIVE,
                ActionGroup.Status.INACTIVE,
                ActionGroup.Status.CLOSED,
            )
        ],
        "full_view": can_read_everything(user),
    }
