from alliance87.access import AccessRefused, Person, is_secretariat

from .kinds import KINDS
from .models import ReportRequest


def get_report_request_for_user(user: Person, pk: int) -> ReportRequest:
    """A report is open to whoever may see its subject now, not to whoever holds its URL."""
    request = ReportRequest.objects.filter(pk=pk).first()
    if request is None or not user.is_authenticated:
        raise AccessRefused
    kind = KINDS.get(request.kind)
    if kind is None or not (is_secretariat(user) or kind.allows(user, request.parameters)):
        raise AccessRefused
    return request
