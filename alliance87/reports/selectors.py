from django.db.models import QuerySet

from alliance87.access import Person

from .models import ReportRequest


def reports_for_user(user: Person) -> QuerySet[ReportRequest]:
    if not user.is_authenticated:
        return ReportRequest.objects.none()
    return ReportRequest.objects.filter(requesters=user).order_by("-created_at")
