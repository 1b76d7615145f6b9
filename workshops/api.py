"""The events' API (/api/v1/events/): the events this person may see (private ones only to
those invited), each with its agenda items, co-leads, outputs and follow-up actions, read
through the same access helpers and selectors as the pages."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance87 import exports
from alliance87.access import AccessRefused
from alliance87.api.caching import cached_answer
from alliance87.api.errors import refuse_invalid_filters
from alliance87.api.pagination import Pages, paginated
from alliance87.api.tables import CsvRenderer, csv_response, wants_csv

from . import selectors
from .access import can_view_follow_up_board, get_event_for_user
from .filters import FollowUpFilter
from .models import Event, FollowUpAction

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


EVENT_FILTERS = [
    OpenApiParameter("kind", str),
    OpenApiParameter("region", str),
    OpenApiParameter("year", int),
]
PAGES = [OpenApiParameter("page", int), OpenApiParameter("page_size", int)]


class EventList(APIView):
    """The events this person may see, with the events page's filters (kind, region, year),
    soonest first. `?format=csv` gives every matching event (no pages).
    Queries: the filter's years, the count, one page of events with their country."""

    def get_renderers(self):
        return [*super().get_renderers(), CsvRenderer()]

    @extend_schema(
        parameters=[*EVENT_FILTERS, *PAGES],
        responses=paginated(EventSerializer, "PaginatedEventList"),
        operation_id="events_list",
    )
    @cached_answer
    def get(self, request):
        event_filter, events = selectors.event_rows(user=request.user, params=request.query_params)
        refuse_invalid_filters(event_filter.form)
        if wants_csv(request):
            return csv_response(
                title=_("Events"),
                file_stem="events",
                rows=EventSerializer(events, many=True).data,
                columns=EventSerializer.Meta.fields,
                filters=exports.filters_applied(event_filter.form),
            )
        paginator = Pages()
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(EventSerializer(page, many=True).data)


class EventDetail(APIView):
    """One event as its page shows it: agenda items with their co-leads and outputs, the
    outputs and their adoption, the follow-up actions agreed at it."""

    @extend_schema(responses=EventDetailSerializer)
    @cached_answer
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


class BoardActionSerializer(FollowUpSerializer):
    event = serializers.IntegerField(source="event_id")
    event_title = serializers.CharField(source="event.title")
    event_kind = serializers.CharField(source="event.kind")
    owner_acronym = serializers.CharField(source="owner.acronym", allow_null=True, default=None)
    reviewed_at = serializers.CharField(
        source="carried_to.event.title",
        allow_null=True,
        default=None,
        help_text="the meeting whose agenda reviews this action",
    )


BOARD_COLUMNS = [
    "id",
    "description",
    "event",
    "event_title",
    "event_kind",
    "owner",
    "owner_acronym",
    "due_date",
    "status",
    "completed_on",
    "overdue",
    "reviewed_at",
]


class FollowUpBoard(APIView):
    """The follow-up actions agreed at every meeting and event, as the follow-up board shows
    them (the GCG and the Secretariat), with its filters, earliest due first; overdue ones
    flagged. `?format=csv` gives every matching action (no pages).
    Queries: the count, one page of actions with their owner, event and review item."""

    def get_renderers(self):
        return [*super().get_renderers(), CsvRenderer()]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=[FollowUpFilter.OPEN, *FollowUpAction.Status.values],
                description="open_any: open or in progress",
            ),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("owner", str, description="name or acronym of the organisation"),
            OpenApiParameter("event", str, description="words from the event's title"),
            OpenApiParameter("event__kind", str, enum=Event.Kind.values),
            *PAGES,
        ],
        responses=paginated(BoardActionSerializer, "PaginatedFollowUpBoard"),
        operation_id="events_follow_ups_list",
    )
    @cached_answer
    def get(self, request):
        if not can_view_follow_up_board(request.user):
            raise AccessRefused
        board_filter, actions = selectors.follow_up_rows(
            user=request.user, params=request.query_params
        )
        refuse_invalid_filters(board_filter.form)
        if wants_csv(request):
            return csv_response(
                title=_("Follow-up actions"),
                file_stem="follow-up-actions",
                rows=BoardActionSerializer(actions, many=True).data,
                columns=BOARD_COLUMNS,
                filters=exports.filters_applied(board_filter.form),
            )
        paginator = Pages()
        page = paginator.paginate_queryset(actions, request, view=self)
        return paginator.get_paginated_response(BoardActionSerializer(page, many=True).data)


urlpatterns = [
    path("", EventList.as_view(), name="event_list"),
    path("follow-ups/", FollowUpBoard.as_view(), name="followup_board"),
    path("<int:pk>/", EventDetail.as_view(), name="event_detail"),
]
