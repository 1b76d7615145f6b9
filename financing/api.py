"""The financing area's API (/api/v1/financing/): the gap figures, the Secretariat's
sustainability, funding requirements and flows as the pages show them to the same person (a
focal point: their own country's), and the Secretariat's upsert of funding flows through the
import service of the upload page."""

import csv
import io

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance87 import exports
from alliance87.api.caching import CachedAnswer, cached_answer
from alliance87.api.errors import refuse_invalid_filters
from alliance87.api.tables import CsvListMixin, CsvRenderer, wants_csv

from .access import (
    check_import_access,
    check_sustainability_access,
    get_funding_requirements_for_user,
)
from .filters import GROUP_BY_CHOICES
from .importing import COLUMNS
from .models import FundingRequirement
from .rates import RateTable
from .selectors import (
    Table,
    annotated_flows,
    annotated_requirements,
    conversion_rule,
    flow_filter_for,
    flow_rows,
    gap_page,
    gap_rule,
    secretariat_sustainability,
)
from .services import funding_flows_import

app_name = "financing_api"


class ColumnSerializer(serializers.Serializer):
    header = serializers.CharField()
    kind = serializers.CharField(help_text="text, usd, percent, number, amount, date, months")


class TableSerializer(serializers.Serializer):
    """A table as the page shows it: its columns, its rows of cells and its total line."""

    key = serializers.CharField()
    caption = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    total = serializers.ListField(child=serializers.JSONField(), allow_null=True)


def _cell(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def table_data(table: Table) -> dict:
    return {
        "key": table.key,
        "caption": str(table.caption),
        "columns": [{"header": str(c.header), "kind": c.kind} for c in table.columns],
        "rows": [[_cell(v) for v in row] for row in table.rows],
        "total": [_cell(v) for v in table.total] if table.total else None,
    }


def tables_response(request, tables: list[Table], *, title: str, file_stem: str, filters, notes):
    """JSON of every table, or `?format=csv&table=<key>` (the first if none) through exports."""
    if not wants_csv(request):
        return None
    key = request.query_params.get("table") or tables[0].key
    chosen = [t for t in tables if t.key == key]
    if not chosen:
        raise serializers.ValidationError({"table": [_("No such table.")]})
    table = chosen[0]
    return exports.response(
        exports.Download(
            title=f"{title}: {table.caption}",
            tables=[
                exports.Table(
                    table.caption, [c.header for c in table.columns], table.rows, total=table.total
                )
            ],
            file_stem=f"{file_stem}-{key}",
            filters=filters,
            notes=notes,
        ),
        "csv",
    )


class TablesSerializer(serializers.Serializer):
    tables = TableSerializer(many=True)
    rules = serializers.DictField(child=serializers.CharField())


class GapsSerializer(TablesSerializer):
    dimension = serializers.CharField()
    unconverted = serializers.ListField(child=serializers.CharField())


class GapsView(APIView):
    """The financing gaps by country, region, theme, recipient or year (`group_by`), with the
    trends across years and the donors, as the gap page shows them to this person.
    `?format=csv&table=gaps|trends|donors|conversions`."""

    def get_renderers(self):
        return [*super().get_renderers(), CsvRenderer()]

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", str, enum=[k for k, _label in GROUP_BY_CHOICES]),
            OpenApiParameter("year_from", int),
            OpenApiParameter("year_to", int),
            OpenApiParameter("table", str, description="with format=csv"),
        ],
        responses=GapsSerializer,
    )
    @cached_answer
    def get(self, request):
        gap_filter, report = gap_page(user=request.user, params=request.query_params)
        refuse_invalid_filters(gap_filter.form)
        notes = [conversion_rule(), gap_rule()]
        csv_file = tables_response(
            request,
            report.tables,
            title=_("Financing gaps"),
            file_stem="financing-gaps",
            filters=exports.filters_applied(gap_filter.form),
            notes=notes,
        )
        if csv_file is not None:
            return csv_file
        return Response(
            {
                "dimension": report.dimension,
                "tables": [table_data(t) for t in report.tables],
                "unconverted": [str(u) for u in report.unconverted],
                "rules": {"conversion": conversion_rule(), "gap": gap_rule()},
            }
        )


class SustainabilityView(APIView):
    """The Secretariat's funding, its needs and runway, as its page shows them (the
    Secretariat and the GCG)."""

    def get_renderers(self):
        return [*super().get_renderers(), CsvRenderer()]

    @extend_schema(
        parameters=[OpenApiParameter("table", str, description="with format=csv")],
        responses=TablesSerializer,
    )
    @cached_answer
    def get(self, request):
        check_sustainability_access(request.user)
        report = secretariat_sustainability(today=timezone.localdate(), cached=True)
        notes = [conversion_rule(), report.earmarking_rule]
        csv_file = tables_response(
            request,
            report.tables,
            title=_("Secretariat funding"),
            file_stem="secretariat-sustainability",
            filters=[],
            notes=notes,
        )
        if csv_file is not None:
            return csv_file
        return Response(
            {
                "tables": [table_data(t) for t in report.tables],
                "rules": {
                    "conversion": conversion_rule(),
                    "earmarking": str(report.earmarking_rule),
                },
            }
        )


class FlowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    decided = serializers.DateField()
    source = serializers.CharField()
    reference = serializers.CharField()
    recipient = serializers.CharField()
    theme = serializers.CharField()
    status = serializers.CharField()
    year_start = serializers.IntegerField()
    year_end = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    currency = serializers.CharField()
    usd = serializers.DecimalField(max_digits=18, decimal_places=0, allow_null=True)
    note = serializers.CharField()


class FlowList(CachedAnswer, CsvListMixin, generics.ListAPIView):
    """The funding flows this person may read (a focal point: their country's), newest
    decision first, with the gap page's filters. Queries: the flows with their names; the count."""

    serializer_class = FlowSerializer
    filter_backends: list[type] = []
    csv_title = "Funding flows"
    csv_columns = list(FlowSerializer().fields)

    def get_queryset(self):
        self._filterset = flow_filter_for(user=self.request.user, params=self.request.query_params)
        refuse_invalid_filters(self._filterset.form)
        self._rates = RateTable.load()
        return annotated_flows(self._filterset.qs, rates=self._rates)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else flow_rows(page, rates=self._rates)

    def get_serializer(self, instance=None, *args, **kwargs):
        if kwargs.get("many") and not isinstance(instance, list):
            instance = flow_rows(instance, rates=self._rates)
        return super().get_serializer(instance, *args, **kwargs)


class RequirementSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.iso_code", allow_null=True)
    action_group = serializers.CharField(source="action_group.name", allow_null=True)
    usd = serializers.IntegerField(
        allow_null=True, help_text="whole US dollars, as the gaps count it"
    )

    class Meta:
        model = FundingRequirement
        fields = [
            "id",
            "recipient_kind",
            "country",
            "action_group",
            "theme",
            "year",
            "amount",
            "currency",
            "usd",
            "description",
        ]


class RequirementList(CachedAnswer, CsvListMixin, generics.ListAPIView):
    """The funding requirements this person may read (a focal point: their country's)."""

    serializer_class = RequirementSerializer
    filter_backends: list[type] = []
    csv_title = "Funding requirements"
    csv_columns = RequirementSerializer.Meta.fields

    def get_queryset(self):
        return annotated_requirements(
            get_funding_requirements_for_user(self.request.user), rates=RateTable.load()
        )


class FlowImportInput(serializers.Serializer):
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        min_length=1,
        max_length=10000,
    )
    dry_run = serializers.BooleanField(default=False)


class FlowImportView(APIView):
    """Upsert funding flows (the Secretariat): each row has the columns of the import
    template; a known source and reference updates its flow. The same checks and writes as
    the upload page; `dry_run` checks the rows and counts what they would do (created,
    updated, unchanged) without writing. Errors name each row (`rows.<index>.<column>`) and
    nothing is written."""

    @extend_schema(
        request=FlowImportInput,
        responses=inline_serializer(
            "FlowImportResult",
            {
                "dry_run": serializers.BooleanField(),
                "import_id": serializers.IntegerField(),
                "rows": serializers.IntegerField(),
                "created": serializers.IntegerField(),
                "updated": serializers.IntegerField(),
                "unchanged": serializers.IntegerField(),
                "not_placed": serializers.IntegerField(),
            },
        ),
    )
    def post(self, request):
        check_import_access(request.user)
        given = FlowImportInput(data=request.data)
        given.is_valid(raise_exception=True)
        rows = given.validated_data["rows"]
        names = [column.name for column in COLUMNS]
        unknown = sorted({key for row in rows for key in row} - set(names))
        if unknown:
            raise serializers.ValidationError(
                {"rows": [_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)}]}
            )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(name, "") for name in names])
        outcome = funding_flows_import(
            file_name="api.csv",
            content=buffer.getvalue().encode(),
            user=request.user,
            dry_run=given.validated_data["dry_run"],
        )
        if outcome.errors:
            # Line 1 is the header: line n is row n - 2.
            errors: dict[str, list[str]] = {}
            for error in outcome.errors:
                name = f"rows.{error.line - 2}.{error.column}" if error.line >= 2 else "rows"
                errors.setdefault(name, []).append(str(error.message))
            raise serializers.ValidationError(errors)
        return Response(
            {
                "dry_run": given.validated_data["dry_run"],
                "import_id": outcome.batch.pk,
                "rows": outcome.row_count,
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.skipped,
                "not_placed": outcome.not_placed,
            }
        )


urlpatterns = [
    path("gaps/", GapsView.as_view(), name="gaps"),
    path("sustainability/", SustainabilityView.as_view(), name="sustainability"),
    path("flows/", FlowList.as_view(), name="flow_list"),
    path("flows/import/", FlowImportView.as_view(), name="flow_import"),
    path("requirements/", RequirementList.as_view(), name="requirement_list"),
]
