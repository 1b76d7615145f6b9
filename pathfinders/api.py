"""The Pathfinder area's API (/api/v1/pathfinders/): what the pages show the same person, read
through the same access helpers and selectors; a focal point's draft values and submission go
through the same services as the progress form."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance87 import exports
from alliance87.api.caching import CachedAnswer, cached_answer
from alliance87.api.errors import Conflict, refuse_invalid_filters
from alliance87.api.schema import ERROR
from alliance87.api.tables import CsvListMixin, CsvRenderer, wants_csv
from alliance87.filters import FilterSet

from . import selectors, services
from .access import (
    get_pathfinder_for_user,
    get_report_for_user,
    require_pathfinder_reader,
    visible_pathfinders,
    visible_reports,
)
from .filters import OverviewFilter
from .models import (
    CommitmentStatus,
    CommitmentUpdate,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    Stage,
)

app_name = "pathfinders_api"


# --- Shapes -----------------------------------------------------------------------------------


class RatesSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    awaiting_review = serializers.IntegerField()
    completeness = serializers.IntegerField(allow_null=True, help_text="per cent")
    timeliness = serializers.IntegerField(allow_null=True, help_text="per cent")


class RateRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    rates = RatesSerializer()
    closed = serializers.BooleanField()


class RatingSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="green, amber, red or empty when not rated")
    percent = serializers.IntegerField(allow_null=True)
    rated = serializers.IntegerField(help_text="indicators measured")
    text = serializers.CharField()


class JourneyStepSerializer(serializers.Serializer):
    stage = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    current = serializers.BooleanField()


class PathfinderSerializer(serializers.Serializer):
    iso_code = serializers.CharField(source="country.iso_code")
    country = serializers.CharField(source="country.name")
    region = serializers.CharField(source="country.ilo_region")
    stage = serializers.ChoiceField(choices=Stage.choices)
    interest_expressed_on = serializers.DateField(allow_null=True)
    workshop_held_on = serializers.DateField(allow_null=True)
    roadmap_submitted_on = serializers.DateField(allow_null=True)
    status_granted_on = serializers.DateField(allow_null=True)
    implementation_started_on = serializers.DateField(allow_null=True)
    inactive_since = serializers.DateField(allow_null=True)
    reactivated_on = serializers.DateField(allow_null=True)
    lead_ministry = serializers.CharField()
    coordination_mechanism = serializers.CharField()


class CommitmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField(), source="theme_labels")
    responsible_institution = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)
    budget = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    budget_currency = serializers.CharField()
    status = serializers.ChoiceField(choices=CommitmentStatus.choices)
    progress_percent = serializers.IntegerField()


class TargetSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    baseline = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)


class RoadmapSerializer(serializers.Serializer):
    title = serializers.CharField()
    adopted_on = serializers.DateField(allow_null=True)
    starts_year = serializers.IntegerField()
    ends_year = serializers.IntegerField()
    summary = serializers.CharField()
    commitments = CommitmentSerializer(many=True)
    targets = TargetSerializer(many=True)


class RecordRowSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.label")
    report_id = serializers.IntegerField(allow_null=True)
    expected = serializers.BooleanField(source="cell.expected")
    status = serializers.CharField(source="cell.status")
    timeliness = serializers.CharField(source="cell.key")
    first_submitted_at = serializers.DateTimeField(
        source="cell.first_submitted_at", allow_null=True
    )
    deadline_ends_at = serializers.DateTimeField()


class RecordSerializer(serializers.Serializer):
    rows = RecordRowSerializer(many=True)
    rates = RatesSerializer()
    rating = RatingSerializer()
    rated_period = serializers.CharField()
    time_zone = serializers.CharField()


class PathfinderDetailSerializer(PathfinderSerializer):
    journey = JourneyStepSerializer(many=True)
    roadmaps = RoadmapSerializer(many=True)
    record = RecordSerializer()


class PeriodSerializer(serializers.ModelSerializer):
    framework_version = serializers.IntegerField(source="framework_version.number")
    deadline = serializers.DateField()

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "label",
            "kind",
            "framework_version",
            "opens_on",
            "due_on",
            "grace_days",
            "deadline",
        ]


class ReportSummarySerializer(serializers.ModelSerializer):
    iso_code = serializers.CharField(source="pathfinder.country.iso_code")
    country = serializers.CharField(source="pathfinder.country.name")
    period = serializers.CharField(source="period.label")

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "iso_code",
            "country",
            "period",
            "status",
            "version",
            "first_submitted_at",
            "submitted_at",
            "returned_at",
            "accepted_at",
            "updated_at",
        ]


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    kind = serializers.CharField(source="indicator.kind")
    value = serializers.CharField(source="display_value")

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator",
            "kind",
            "value",
            "value_number",
            "value_date",
            "value_text",
            "narrative",
            "change_note",
        ]


class CommitmentUpdateSerializer(serializers.ModelSerializer):
    commitment = serializers.CharField(source="commitment.code")

    class Meta:
        model = CommitmentUpdate
        fields = ["commitment", "status", "progress_percent", "narrative"]


class TransitionSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    at = serializers.DateTimeField()
    comment = serializers.CharField()


class ReportDetailSerializer(ReportSummarySerializer):
    summary = serializers.CharField()
    values = IndicatorValueSerializer(many=True)
    commitment_updates = CommitmentUpdateSerializer(many=True)
    transitions = TransitionSerializer(many=True, read_only=True, default=list)
    editable = serializers.BooleanField(source="is_editable")

    class Meta(ReportSummarySerializer.Meta):
        fields = [
            *ReportSummarySerializer.Meta.fields,
            "editable",
            "summary",
            "values",
            "commitment_updates",
            "transitions",
        ]


class OverviewRowSerializer(serializers.Serializer):
    iso_code = serializers.CharField()
    country = serializers.CharField()
    region = serializers.CharField()
    stage = serializers.CharField(source="stage_key")
    stage_date = serializers.DateField(allow_null=True)
    report_id = serializers.IntegerField(allow_null=True)
    expected = serializers.BooleanField()
    status = serializers.CharField(source="status_key")
    indicators_filled = serializers.IntegerField(source="filled", allow_null=True)
    timeliness = serializers.CharField(source="timeliness_key")
    overdue = serializers.BooleanField()
    rating = RatingSerializer()
    rated_period = serializers.CharField()


class OverviewSerializer(serializers.Serializer):
    period = serializers.CharField(allow_null=True)
    indicator_count = serializers.IntegerField()
    figures = inline_serializer(
        "OverviewFigures",
        {
            "countries": serializers.IntegerField(),
            "expected": serializers.IntegerField(),
            "received": serializers.IntegerField(),
            "on_time": serializers.IntegerField(),
            "completeness": serializers.IntegerField(allow_null=True),
            "timeliness": serializers.IntegerField(allow_null=True),
            "overdue": serializers.IntegerField(),
            "accepted": serializers.IntegerField(),
            "awaiting_review": serializers.IntegerField(),
        },
    )
    rows = OverviewRowSerializer(many=True)
    period_rates = RateRowSerializer(many=True)
    region_rates = RateRowSerializer(many=True)
    rules = serializers.DictField(child=serializers.CharField())


# --- Reads ------------------------------------------------------------------------------------


OVERVIEW_PARAMETERS = [
    OpenApiParameter("region", str, description="ILO region"),
    OpenApiParameter("stage", str, enum=[s.value for s in Stage]),
    OpenApiParameter("theme", str, description="theme of a commitment"),
    OpenApiParameter("period", int, description="reporting period id; the current one if left out"),
    OpenApiParameter("sort", str, description="as the overview page sorts"),
]


class OverviewView(APIView):
    """The Pathfinder overview: each country's stage, report status, indicators filled,
    timeliness and rating for a period, the reporting rates by period and by region, as the
    overview page shows them (the same selector). `?format=csv&table=countries|periods|regions`."""

    def get_renderers(self):
        return [*super().get_renderers(), CsvRenderer()]

    @extend_schema(parameters=OVERVIEW_PARAMETERS, responses=OverviewSerializer)
    @cached_answer
    def get(self, request):
        require_pathfinder_reader(request.user)
        refuse_invalid_filters(
            OverviewFilter(request.query_params, queryset=visible_pathfinders(request.user)).form
        )
        result = selectors.overview(
            pathfinders=visible_pathfinders(request.user), params=request.query_params
        )
        if wants_csv(request):
            tables = selectors.overview_tables(result)
            key = request.query_params.get("table") or "countries"
            if key not in tables:
                raise serializers.ValidationError({"table": [_("No such table.")]})
            return exports.response(
                exports.Download(
                    title=_("Pathfinder Countries"),
                    tables=[tables[key]],
                    file_stem=f"pathfinder-overview-{key}",
                    filters=exports.filters_applied(result["filter"].form),
                ),
                "csv",
            )
        # The rows name each country by its stored name, as everywhere in the API (a data
        # field, not a caption; the CSV above is the page's download, in the reader's
        # language). The countries were read with the filter: no further query.
        stored = {p.pk: p.country.name for p in result["filter"].qs}
        data = {
            "period": result["period"].label if result["period"] else None,
            "indicator_count": result["indicator_count"],
            "figures": result["figures"],
            "rows": [{**row, "country": stored[row["pathfinder_id"]]} for row in result["rows"]],
            "period_rates": result["period_rates"],
            "region_rates": result["region_rates"],
            "rules": {
                "rating": str(selectors.RATING_RULE),
                "timeliness": str(selectors.TIMELINESS_RULE),
                "expectation": str(selectors.EXPECTATION_RULE),
                "rates": str(selectors.RATES_RULE),
                "indicators_filled": str(selectors.INDICATORS_FILLED_RULE),
                "targets": str(selectors.TARGETS_RULE),
            },
        }
        return Response(OverviewSerializer(data).data)


class CountryFilter(OverviewFilter):
    """The overview's filters that narrow the countries (the period and sort do not)."""

    period = None
    sort = None

    class Meta(OverviewFilter.Meta):
        fields = ["region", "stage", "theme"]


class CountryList(CachedAnswer, CsvListMixin, generics.ListAPIView):
    """The Pathfinder Countries this person may see, with their journey dates.
    Queries: the countries with their country; the count."""

    serializer_class = PathfinderSerializer
    queryset = PathfinderCountry.objects.none()  # for the schema; get_queryset decides
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = CountryFilter
    ordering_fields = ["country__name", "country__ilo_region", "stage", "status_granted_on"]
    ordering = ["country__name"]
    csv_title = "Pathfinder Countries"
    csv_columns = ["iso_code", "country", "region", "stage", "status_granted_on"]

    def get_queryset(self):
        require_pathfinder_reader(self.request.user)
        return visible_pathfinders(self.request.user).select_related("country")


class CountryDetail(APIView):
    """One Pathfinder Country as its page shows it: journey, roadmaps with commitments and the
    country's own targets, and its reporting record with rates and rating."""

    @extend_schema(responses=PathfinderDetailSerializer)
    @cached_answer
    def get(self, request, iso_code: str):
        pathfinder = get_pathfinder_for_user(request.user, iso_code)
        roadmaps = selectors.country_roadmaps(pathfinder=pathfinder, with_targets=True)
        record = selectors.country_reporting(pathfinder=pathfinder)
        data = PathfinderSerializer(pathfinder).data
        data["journey"] = JourneyStepSerializer(pathfinder.journey, many=True).data
        data["roadmaps"] = RoadmapSerializer(roadmaps, many=True).data
        data["record"] = RecordSerializer(record).data
        return Response(data)


class PeriodList(CachedAnswer, generics.ListAPIView):
    """Every reporting period, latest first."""

    serializer_class = PeriodSerializer
    queryset = ReportingPeriod.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        require_pathfinder_reader(self.request.user)
        return ReportingPeriod.objects.select_related("framework_version").order_by("-opens_on")


class ReportFilter(FilterSet):  # the portal's: numbers bounded, NUL refused by name
    country = filters.CharFilter(field_name="pathfinder__country__iso_code", lookup_expr="iexact")
    period = filters.NumberFilter(field_name="period_id")
    status = filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = ProgressReport
        fields = ["country", "period", "status"]


class ReportList(CachedAnswer, CsvListMixin, generics.ListAPIView):
    """The progress reports this person may read (a focal point: their countries').
    Queries: the reports with country and period; the count."""

    serializer_class = ReportSummarySerializer
    queryset = ProgressReport.objects.none()  # for the schema; get_queryset decides
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = ReportFilter
    ordering_fields = ["period__opens_on", "pathfinder__country__name", "status", "updated_at"]
    ordering = ["-period__opens_on", "pathfinder__country__name"]
    csv_title = "Progress reports"
    csv_columns = ReportSummarySerializer.Meta.fields

    def get_queryset(self):
        require_pathfinder_reader(self.request.user)
        return visible_reports(self.request.user).select_related("pathfinder__country", "period")


def _report_detail(report: ProgressReport) -> dict:
    report = selectors.report_with_parts(report=report)
    data = ReportDetailSerializer(report).data
    data["transitions"] = TransitionSerializer(
        selectors.report_transitions(report=report), many=True
    ).data
    return data


class ReportDetail(APIView):
    """A progress report with its indicator values, commitment updates and workflow state."""

    @extend_schema(responses=ReportDetailSerializer)
    @cached_answer
    def get(self, request, pk: int):
        return Response(_report_detail(get_report_for_user(request.user, pk)))


# --- Writes -----------------------------------------------------------------------------------


class ValueInputSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="the indicator's code")
    value = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text="a number, a date (YYYY-MM-DD), yes/no or text, as the indicator's type takes",
    )
    narrative = serializers.CharField(allow_blank=True, required=False, default="")
    change_note = serializers.CharField(allow_blank=True, required=False, default="")


class UpdateInputSerializer(serializers.Serializer):
    commitment = serializers.CharField(help_text="the commitment's code")
    status = serializers.ChoiceField(choices=CommitmentStatus.choices)
    progress_percent = serializers.IntegerField(min_value=0, max_value=100, default=0)
    narrative = serializers.CharField(allow_blank=True, required=False, default="")


class DraftInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="the version you read"
    )
    summary = serializers.CharField(allow_blank=True, required=False)
    values = ValueInputSerializer(many=True, required=False, default=list)
    commitment_updates = UpdateInputSerializer(many=True, required=False, default=list)


class SubmitInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


def _conflict(report: ProgressReport, message) -> Conflict:
    return Conflict(str(message), current_version=report.version)


class ReportDraft(APIView):
    """Push indicator values, commitment statuses and narratives to a draft (or returned, or
    reopened) report of one's own country, with the version read: 409 with the current version
    if someone saved since. Values left out are kept; the same checks as the progress form."""

    @extend_schema(request=DraftInputSerializer, responses=ReportDetailSerializer)
    def post(self, request, pk: int):
        report = get_report_for_user(request.user, pk, write=True)
        given = DraftInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        report = selectors.report_with_parts(report=report)
        indicators, commitments = selectors.report_form_parts(report=report)
        report_input = services.ReportInput(summary=data.get("summary", report.summary))
        by_code = {i.code: i for i in indicators}
        errors: dict[str, list[str]] = {}
        for index, item in enumerate(data["values"]):
            indicator = by_code.get(item["indicator"])
            if indicator is None:
                errors[f"values.{index}.indicator"] = [
                    _("No indicator %(code)s in this period's framework.")
                    % {"code": item["indicator"]}
                ]
                continue
            value_input = services.ValueInput(
                narrative=item["narrative"], change_note=item["change_note"]
            )
            try:
                _parse_value(indicator, item.get("value"), value_input)
            except serializers.ValidationError as error:
                errors[f"values.{index}.value"] = [str(m) for m in error.detail]
                continue
            report_input.values[indicator.pk] = value_input
        by_commitment = {c.code: c for c in commitments}
        for index, item in enumerate(data["commitment_updates"]):
            commitment = by_commitment.get(item["commitment"])
            if commitment is None:
                errors[f"commitment_updates.{index}.commitment"] = [
                    _("No commitment %(code)s in this country's roadmaps.")
                    % {"code": item["commitment"]}
                ]
                continue
            report_input.updates[commitment.pk] = services.UpdateInput(
                status=item["status"],
                progress_percent=item["progress_percent"],
                narrative=item["narrative"],
            )
        if errors:
            raise serializers.ValidationError(errors)
        # Values the request leaves out stay as stored: the service saves what it is given.
        try:
            services.report_save(
                report=report,
                user=request.user,
                expected_version=data["version"],
                data=report_input,
                indicators=indicators,
                commitments=commitments,
            )
        except services.ReportConflict as error:
            raise _conflict(error.current, error.messages[0]) from error
        except services.ReportNotEditable as error:
            current = ProgressReport.objects.get(pk=report.pk)
            raise _conflict(current, error.messages[0]) from error
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise serializers.ValidationError(_field_errors(error)) from error
        return Response(_report_detail(get_report_for_user(request.user, pk)))


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    """The service names a value's errors `indicator:<code>` and `commitment:<code>`; the API
    names them `values.<code>` and `commitment_updates.<code>`."""
    found = {}
    for key, messages in error.message_dict.items():
        kind, _sep, code = key.partition(":")
        name = {"indicator": "values", "commitment": "commitment_updates"}.get(kind)
        found[f"{name}.{code}" if name else key] = [str(m) for m in messages]
    return found


def _parse_value(indicator, raw, value_input: services.ValueInput) -> None:
    """The indicator type reads the value with the progress form's own field and check; null
    or empty clears it."""
    kind = indicator.type
    try:
        cleaned = kind.form_clean(indicator, kind.form_field(indicator).clean(raw))
    except forms.ValidationError as error:
        raise serializers.ValidationError(error.messages) from error
    for name, value in kind.stored(cleaned).items():
        setattr(value_input, name, value if value is not None or name != "value_text" else "")


class StartInputSerializer(serializers.Serializer):
    period = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text="the open reporting period's id (the one left out is the open one)",
    )


class ReportStart(APIView):
    """Start the country's progress report for the open reporting period, as the country
    page's button does: a draft (version 1) is created and answered with 201; fill it in with
    `reports/<id>/draft/`. The country's own focal points only (a reader gets 403). A report
    already started for the period is a 409 naming it (`report`, `current_version`)."""

    @extend_schema(
        request=StartInputSerializer,
        responses={
            201: ReportDetailSerializer,
            409: OpenApiResponse(
                response=ERROR,
                description="No period is open, or the report was already started: `report` "
                "is its id and `current_version` its version.",
            ),
        },
    )
    def post(self, request, iso_code: str):
        pathfinder = get_pathfinder_for_user(request.user, iso_code, write=True)
        given = StartInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        period = selectors.current_period()
        if period is None:
            raise Conflict(_("No reporting period is open."))
        asked = given.validated_data.get("period")
        if asked is not None and asked != period.pk:
            raise serializers.ValidationError(
                {
                    "period": [
                        _("Reports are started only for the open period, %(period)s (id %(id)s).")
                        % {"period": period.label, "id": period.pk}
                    ]
                }
            )
        existing = selectors.period_report(pathfinder=pathfinder, period=period)
        if existing is not None:
            raise Conflict(
                _("This country's report for %(period)s was already started.")
                % {"period": period.label},
                report=existing.pk,
                current_version=existing.version,
            )
        report = services.report_start(pathfinder=pathfinder, period=period, user=request.user)
        return Response(
            _report_detail(get_report_for_user(request.user, report.pk)),
            status=201,
            headers={"Location": reverse("pathfinders_api:report_detail", args=[report.pk])},
        )


class ReportSubmit(APIView):
    """Submit a report of one's own country to the Secretariat, with the version read."""

    @extend_schema(request=SubmitInputSerializer, responses=ReportDetailSerializer)
    def post(self, request, pk: int):
        report = get_report_for_user(request.user, pk, write=True)
        given = SubmitInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            services.report_submit(
                report=report, user=request.user, expected_version=given.validated_data["version"]
            )
        except (
            services.ReportConflict,
            services.ReportNotEditable,
            services.TransitionRefused,
        ) as error:
            current = ProgressReport.objects.get(pk=report.pk)
            raise _conflict(current, error.messages[0]) from error
        return Response(_report_detail(get_report_for_user(request.user, pk)))


urlpatterns = [
    path("overview/", OverviewView.as_view(), name="overview"),
    path("countries/", CountryList.as_view(), name="country_list"),
    path("countries/<str:iso_code>/", CountryDetail.as_view(), name="country_detail"),
    path("countries/<str:iso_code>/reports/", ReportStart.as_view(), name="report_start"),
    path("periods/", PeriodList.as_view(), name="period_list"),
    path("reports/", ReportList.as_view(), name="report_list"),
    path("reports/<int:pk>/", ReportDetail.as_view(), name="report_detail"),
    path("reports/<int:pk>/draft/", ReportDraft.as_view(), name="report_draft"),
    path("reports/<int:pk>/submit/", ReportSubmit.as_view(), name="report_submit"),
]
