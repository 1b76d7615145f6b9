from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from alliance87.admin import CachedResultListMixin, EnglishOriginalMixin, JobAdminMixin
from alliance87.aggregates import cached_aggregate

from .models import (
    ExchangeRate,
    FundingFlow,
    FundingFlowImport,
    FundingRequirement,
    RecipientKind,
    SecretariatFunction,
)
from .services import funding_flow_import_retry, import_errors


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ["currency", "year", "usd_per_unit", "source"]
    list_editable = ["usd_per_unit"]
    list_filter = ["year", "currency"]
    search_fields = ["currency", "source"]
    ordering = ["-year", "currency"]


def _flow_choices(name: str, compute) -> list:
    """A filter's choices, read from every flow once until the financing figures change."""
    return cached_aggregate(["financing"], f"financing:admin-choices:{name}", compute)


class DecisionYearFilter(admin.SimpleListFilter):
    title = _("decision year")
    parameter_name = "decision_year"

    def lookups(self, request, model_admin):
        def years() -> list[int]:
            days = FundingFlow.objects.dates("decision_date", "year", order="DESC")
            return [day.year for day in days]

        return [(str(year), str(year)) for year in _flow_choices("decision-years", years)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(decision_date__year=int(self.value()))
        return queryset


class CurrencyFilter(admin.AllValuesFieldListFilter):
    """The currencies in use, as Django lists them, without reading every flow each time."""

    def __init__(self, field, request, params, model, model_admin, field_path) -> None:
        super().__init__(field, request, params, model, model_admin, field_path)

        def currencies() -> list[str]:
            return list(self.lookup_choices)

        # Django only iterates the choices; the stub types them as the queryset it builds.
        self.lookup_choices = _flow_choices("currencies", currencies)  # type: ignore[assignment]


@admin.register(FundingFlow)
class FundingFlowAdmin(CachedResultListMixin, SimpleHistoryAdmin):
    list_display = [
        "source",
        "recipient_kind",
        "country",
        "action_group",
        "theme",
        "amount",
        "currency",
        "status",
        "decision_date",
        "year_start",
        "year_end",
        "is_demo",
    ]
    list_filter = [
        "status",
        "recipient_kind",
        "theme",
        ("currency", CurrencyFilter),
        DecisionYearFilter,
        "is_demo",
        "source__kind",
    ]
    search_fields = [
        "source__name",
        "source__acronym",
        "country__name",
        "action_group__name",
        "reference",
        "description",
    ]
    list_select_related = ["source", "country", "action_group"]
    autocomplete_fields = ["source", "receiver", "country", "action_group"]
    readonly_fields = ["identity_key", "fingerprint", "import_batch", "created_at", "updated_at"]
    # No date_hierarchy: it repeated the decision-year filter at the cost of a DISTINCT scan
    # of every flow's date (and its links) on each view of the list.
    show_full_result_count = False

    # Fifty rows of twelve columns: rendering a hundred was most of the page's time.
    list_per_page = 50
    # Its rows name donors (governance) and countries (pathfinders).
    result_list_areas = ("financing", "governance", "pathfinders")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "source",
                    "receiver",
                    "status",
                    "decision_date",
                    ("year_start", "year_end"),
                ]
            },
        ),
        (
            _("Recipient"),
            {
                "fields": [
                    "recipient_kind",
                    "country",
                    "action_group",
                    "secretariat_function",
                    "theme",
                    "durban_areas",
                ]
            },
        ),
        (_("Money"), {"fields": [("amount", "currency")]}),
        (_("Details"), {"fields": ["reference", "description", "is_demo"]}),
        (
            _("Record"),
            {"fields": ["identity_key", "fingerprint", "import_batch", "created_at", "updated_at"]},
        ),
    ]


@admin.register(FundingRequirement)
class FundingRequirementAdmin(SimpleHistoryAdmin):
    list_display = [
        "recipient_kind",
        "country",
        "action_group",
        "secretariat_function",
        "theme",
        "year",
        "amount",
        "currency",
        "is_demo",
    ]
    list_filter = ["year", "recipient_kind", "theme", "currency", "country__ilo_region", "is_demo"]
    search_fields = [
        "country__name",
        "action_group__name",
        "secretariat_function__name",
        "description",
    ]
    list_select_related = ["country", "action_group", "secretariat_function"]
    autocomplete_fields = ["country", "action_group"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False


class SecretariatRequirementForm(forms.ModelForm):
    """A need recorded under a function is the Secretariat's own."""

    class Meta:
        model = FundingRequirement
        fields = ["year", "theme", "amount", "currency", "description"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.recipient_kind = RecipientKind.SECRETARIAT


class SecretariatRequirementInline(admin.TabularInline):
    model = FundingRequirement
    form = SecretariatRequirementForm
    fk_name = "secretariat_function"
    extra = 0
    verbose_name = _("need recorded for a year")
    verbose_name_plural = _("needs recorded by year (they replace the annual cost for that year)")


@admin.register(SecretariatFunction)
class SecretariatFunctionAdmin(EnglishOriginalMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "annual_cost", "priority", "is_demo"]
    list_editable = ["annual_cost", "priority"]
    search_fields = ["name", "code", "description"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [SecretariatRequirementInline]


@admin.register(FundingFlowImport)
class FundingFlowImportAdmin(JobAdminMixin, admin.ModelAdmin):
    """A record of each upload; imports are made on the import page, never here. An import
    that could not finish (not one refused for errors in its file) may be retried."""

    list_display = [
        "file_name",
        "uploaded_by",
        "uploaded_at",
        "status",
        "attempts",
        "row_count",
        "created_count",
        "updated_count",
        "skipped_count",
        "error_count",
        "duration_ms",
    ]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    search_fields = ["file_name", "file_sha256", "uploaded_by__email"]
    date_hierarchy = "uploaded_at"
    # The file and the row-by-row summary (thousands of rows) are shown on the import page.
    exclude = ["content", "rows", "errors"]
    readonly_fields = [
        "errors_shown" if field.name == "errors" else field.name
        for field in FundingFlowImport._meta.fields
        if field.name not in ("content", "rows")
    ]
    show_full_result_count = False

    @admin.display(description=_("errors (first ones)"))
    def errors_shown(self, obj: FundingFlowImport) -> str:
        """Each kept error in the reader's language, one a line."""
        return (
            "\n".join(
                gettext("Line %(line)s, column %(column)s: %(message)s")
                % {"line": error.line, "column": error.column or "—", "message": error.message}
                for error in import_errors(obj)
            )
            or "—"
        )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content", "rows")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def retry_job(self, obj: FundingFlowImport) -> bool:
        return funding_flow_import_retry(job_id=obj.pk)
