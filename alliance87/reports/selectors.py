from django.db.models import QuerySet

from .models import ReportRequest


def reports_for_user(user) -> QuerySet[ReportRequest]:
    return ReportRequest.objects.filter(requesters=user).order_by("-created_at")
