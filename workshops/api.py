"""The events' API (/api/v1/events/): the events this person may see (private ones only to
those invited), each with its agenda items, co-leads, outputs and follow-up actions, read
through the same access helpers and selectors as the pages."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance87.api.errors import refuse_invalid_filters
from alliance87.api.pagination import Pages, paginated

from . import selectors
from .access import get_event_for_user
from .models import Event

app_name = "workshops_api"


class EventSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.iso_code", allow_null=True, default=None)
    place = serializers.CharField()

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "start_date",
            "end_date",
            "place",
            "country",
            "is_online",
            "status",
            "is_public",
        ]


class CoLeadSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()


class OutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    status = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    gcg_decision = serializers.CharField(
        source="gcg_decision.reference", allow_null=True, default=None
    )


class AgendaItemSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="item.order")
    title = serializers.CharField(source="item.title")
    description = serializers.CharField(source="item.description")
    day = serializers.DateField(source="item.day", allow_null=True)
    starts_at = serializers.TimeField(source="item.starts_at", allow_null=True)
    ends_at = serializers.TimeField(source="item.ends_at", allow_null=True)
    expected_output = serializers.CharField(source="item.expected_output")
    co_leads = CoLeadSerializer(many=True, source="item.co_leads.all")
    outputs = OutputSerializer(many=True)


class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    owner = serializers.CharField(source="owner.name", allow_null=True, default=None)
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue")


class EventDetailSerializer(EventSerializer):
    purpose = serializers.CharField()
    expected_outcomes = serializers.CharField()
    agenda = AgendaItemSerializer(many=True)
    outputs = OutputSerializer(many=True)
    follow_ups = FollowUpSerializer(many=True)

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "purpose",
            "expected_outcomes",
            "agenda",
            "outputs",
            "follow_ups",
        ]


class EventList(APIView):
    """The events this person may see, with the events page's filters (kind, region, year),
    soonest first. Queries: the filter's years, the events with their country, the count."""

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str),
            OpenApiParameter("region", str),
            OpenApiParameter("year", int),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=paginated(EventSerializer, "PaginatedEventList"),
        operation_id="events_list",
    )
    def get(self, request):
        result = selectors.event_list(user=request.user, params=request.query_params)
        refuse_invalid_filters(result["filter"].form)
        events = [*result["upcoming"], *reversed(result["past"])]
        events.sort(key=lambda e: (e.start_date, e.title))
        paginator = Pages()
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(EventSerializer(page, many=True).data)


class EventDetail(APIView):
    """One event as its page shows it: agenda items with their co-leads and outputs, the
    outputs and their adoption, the follow-up actions agreed at it."""

    @extend_schema(responses=EventDetailSerializer)
    def get(self, request, pk: int):
        event = get_event_for_user(request.user, pk)
        sections = selectors.event_sections(event=event, user=request.user)
        detail = selectors.event_detail(event=event, user=request.user)
        data = EventSerializer(event).data
        data["purpose"] = event.purpose
        data["expected_outcomes"] = event.expected_outcomes
        data["agenda"] = AgendaItemSerializer(sections["agenda"], many=True).data
        data["outputs"] = OutputSerializer(sections["outputs"], many=True).data
        data["follow_ups"] = FollowUpSerializer(detail["follow_ups"], many=True).data
        return Response(data)


urlpatterns = [
    path("", EventList.as_view(), name="event_list"),
    path("<int:pk>/", EventDetail.as_view(), name="event_detail"),
]
