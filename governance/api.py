"""The governance area's API (/api/v1/governance/): the GCG composition with its seats and
office holders, the action and working groups, the GCG meetings and their decisions, read
through the same access helpers and selectors as the pages."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance87 import exports
from alliance87.api.caching import CachedAnswer, cached_answer
from alliance87.api.tables import CsvRenderer, csv_response, wants_csv

from . import selectors
from .access import (
    check_composition_access,
    check_group_list_access,
    check_meeting_list_access,
    get_group_for_user,
    get_meeting_for_user,
)
from .models import ActionGroup, GCGMeeting

app_name = "governance_api"


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    acronym = serializers.CharField()
    kind = serializers.CharField()


class MembershipSerializer(serializers.Serializer):
    organisation = OrganisationSerializer()
    seat = serializers.CharField(source="seat.label", allow_null=True, default=None)
    seat_number = serializers.IntegerField(source="seat.number", allow_null=True, default=None)
    role = serializers.CharField()
    term_start = serializers.DateField()
    term_end = serializers.DateField(allow_null=True)


class SeatSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField()
    region = serializers.CharField()


class ConstituencySerializer(serializers.Serializer):
    code = serializers.CharField(source="constituency.code")
    name = serializers.CharField(source="constituency.name")
    seat_quota = serializers.IntegerField(source="constituency.seat_quota")
    term_years = serializers.IntegerField(source="constituency.term_years")
    members = MembershipSerializer(many=True)
    observers = MembershipSerializer(many=True)
    vacant_seats = SeatSerializer(many=True)


class OfficeHolderSerializer(serializers.Serializer):
    office = serializers.CharField()
    organisation = OrganisationSerializer()
    representative = serializers.CharField(allow_null=True)
    term_start = serializers.DateField()
    term_end = serializers.DateField()


class CompositionSerializer(serializers.Serializer):
    today = serializers.DateField()
    member_count = serializers.IntegerField()
    observer_count = serializers.IntegerField()
    seat_count = serializers.IntegerField()
    constituencies = ConstituencySerializer(many=True, source="groups")
    office_holders = OfficeHolderSerializer(many=True)
    upcoming = serializers.ListField(
        child=serializers.DictField(), help_text="rotations due within a year"
    )


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


class CompositionView(APIView):
    """The GCG composition as its page shows it: each constituency's members, observers and
    vacant seats, the Chair and Deputy Chair, the rotations due within a year. `?format=csv`."""

    def get_renderers(self):
        return [*super().get_renderers(), CsvRenderer()]

    @extend_schema(responses=CompositionSerializer)
    @cached_answer
    def get(self, request):
        check_composition_access(request.user)
        data = selectors.composition()
        if wants_csv(request):
            return exports.response(
                exports.Download(
                    title=_("GCG composition"),
                    tables=[selectors.composition_table(data)],
                    file_stem="gcg-composition",
                ),
                "csv",
            )
        result = CompositionSerializer(data).data
        result["upcoming"] = [
            {k: _plain(v) for k, v in row.items() if not hasattr(v, "_meta")}
            for row in data["upcoming"]
        ]
        return Response(result)


class GroupSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.name", allow_null=True, default=None)
    chair = serializers.CharField(source="chair.name", allow_null=True, default=None)
    co_chair = serializers.CharField(source="co_chair.name", allow_null=True, default=None)
    member_count = serializers.IntegerField(required=False)
    last_activity_on = serializers.DateField(allow_null=True, required=False)

    class Meta:
        model = ActionGroup
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "parent",
            "theme",
            "purpose",
            "chair",
            "co_chair",
            "launched_on",
            "proposed_on",
            "member_count",
            "last_activity_on",
        ]


class GroupList(APIView):
    """The action and working groups this person may see (focal points: approved ones), with
    their current member count and last activity. `?format=csv`. Queries: one."""

    def get_renderers(self):
        return [*super().get_renderers(), CsvRenderer()]

    @extend_schema(responses=GroupSerializer(many=True))
    @cached_answer
    def get(self, request):
        check_group_list_access(request.user)
        rows = GroupSerializer(selectors.group_list(user=request.user), many=True).data
        if wants_csv(request):
            return csv_response(
                title=_("Action and working groups"),
                file_stem="groups",
                rows=rows,
                columns=GroupSerializer.Meta.fields,
            )
        return Response(rows)


class GroupMemberSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    joined_on = serializers.DateField(allow_null=True)
    left_on = serializers.DateField(allow_null=True)


class GroupDetailSerializer(GroupSerializer):
    members = GroupMemberSerializer(many=True)
    former_members = GroupMemberSerializer(many=True)
    working_groups = serializers.ListField(child=serializers.CharField())

    class Meta(GroupSerializer.Meta):
        fields = [*GroupSerializer.Meta.fields, "members", "former_members", "working_groups"]


class GroupDetail(APIView):
    @extend_schema(responses=GroupDetailSerializer)
    @cached_answer
    def get(self, request, pk: int):
        group = get_group_for_user(request.user, pk)
        parts = selectors.group_detail(user=request.user, group=group)
        data = GroupSerializer(group).data
        data["members"] = GroupMemberSerializer(parts["members"], many=True).data
        data["former_members"] = GroupMemberSerializer(parts["former_members"], many=True).data
        data["working_groups"] = [g.name for g in parts["working_groups"]]
        return Response(data)


class MeetingSerializer(serializers.ModelSerializer):
    decision_count = serializers.IntegerField(required=False)
    event = serializers.IntegerField(source="event_id", allow_null=True)

    class Meta:
        model = GCGMeeting
        fields = [
            "number",
            "title",
            "date",
            "is_virtual",
            "is_extraordinary",
            "location",
            "summary",
            "event",
            "decision_count",
        ]


class MeetingList(CachedAnswer, generics.ListAPIView):
    """The GCG meetings, latest first, with their number of decisions (the GCG and the
    Secretariat)."""

    serializer_class = MeetingSerializer
    filter_backends: list[type] = []
    pagination_class = None

    def list(self, request):
        check_meeting_list_access(request.user)
        return Response(MeetingSerializer(selectors.meeting_list(), many=True).data)


class DecisionSerializer(serializers.Serializer):
    reference = serializers.CharField()
    number = serializers.IntegerField()
    date = serializers.DateField()
    kind = serializers.CharField()
    text = serializers.CharField()
    linked = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))


class MeetingDetailSerializer(MeetingSerializer):
    decisions = DecisionSerializer(many=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "decisions"]


class MeetingDetail(APIView):
    @extend_schema(responses=MeetingDetailSerializer)
    @cached_answer
    def get(self, request, number: int):
        meeting = get_meeting_for_user(request.user, number)
        data = MeetingSerializer(meeting).data
        data["decisions"] = [
            {
                "reference": row["decision"].reference,
                "number": row["decision"].number,
                "date": _plain(row["decision"].date),
                "kind": row["decision"].kind,
                "text": row["decision"].text,
                "linked": [{"what": str(label), "name": str(obj)} for label, obj in row["linked"]],
            }
            for row in selectors.meeting_detail(meeting)["decisions"]
        ]
        return Response(data)


urlpatterns = [
    path("composition/", CompositionView.as_view(), name="composition"),
    path("groups/", GroupList.as_view(), name="group_list"),
    path("groups/<int:pk>/", GroupDetail.as_view(), name="group_detail"),
    path("meetings/", MeetingList.as_view(), name="meeting_list"),
    path("meetings/<int:number>/", MeetingDetail.as_view(), name="meeting_detail"),
]
