"""Who may see and change financing figures.

The Secretariat edits; GCG members and observers read everything; a focal point reads the
figures of their own countries only; anyone else is refused.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from alliance87.access import (
    AccessRefused,
    Person,
    can_read_everything,
    focal_point_country_ids,
    is_secretariat,
)

from .models import FundingFlow, FundingFlowImport, FundingRequirement, RecipientKind


def financing_country_scope(user: Person) -> frozenset[int] | None:
    """None when the person reads every figure; else the countries whose figures they may read."""
    if can_read_everything(user):
        return None
    country_ids = focal_point_country_ids(user)
    if not country_ids:
        raise AccessRefused("No financing figures are shared with this person.")
    return country_ids


def _scoped(queryset: QuerySet, scope: frozenset[int] | None) -> QuerySet:
    if scope is None:
        return queryset
    return queryset.filter(recipient_kind=RecipientKind.COUNTRY, country_id__in=scope)


def get_funding_requirements_for_user(user: Person) -> QuerySet[FundingRequirement]:
    return _scoped(FundingRequirement.objects.all(), financing_country_scope(user))


def get_funding_flows_for_user(user: Person) -> QuerySet[FundingFlow]:
    return _scoped(FundingFlow.objects.all(), financing_country_scope(user))


def get_flow_history_for_user(user: Person) -> QuerySet:
    """The historical records of the flows the person may read (deleted flows' included)."""
    return _scoped(FundingFlow.history.model.objects.all(), financing_country_scope(user))


def check_sustainability_access(user: Person) -> None:
    """The Secretariat's own funding: for those who read everything."""
    if not can_read_everything(user):
        raise AccessRefused("The Secretariat's funding is for the Secretariat and the GCG.")


def check_import_access(user: Person) -> None:
    """Importing flows writes: the Secretariat only; readers get 403, others 404."""
    if is_secretariat(user):
        return
    if can_read_everything(user) or focal_point_country_ids(user):
        raise PermissionDenied("Only the Secretariat imports funding flows.")
    raise AccessRefused("Importing funding flows is for the Secretariat.")


def get_import_for_user(user: Person, pk: int) -> FundingFlowImport:
    check_import_access(user)
    try:
        return FundingFlowImport.objects.select_related("uploaded_by").defer("content").get(pk=pk)
    except FundingFlowImport.DoesNotExist as missing:
        raise Http404("No such import.") from missing
