import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from alliance87.admin import (
    HTTPS_URLS,
    CachedResultListMixin,
    EnglishOriginalMixin,
    InlineAdminMixin,
)
from alliance87.forms import OfferedModelChoiceField

from . import services
from .models import (
    STAGE_DATE_FIELDS,
    Commitment,
    CommitmentUpdate,
    FrameworkVersion,
    Indicator,
    IndicatorType,
    IndicatorValue,
    PathfinderCountry,
    ProgressReport,
    ReminderSent,
    ReportingPeriod,
    ReportTransition,
    ReviewComment,
    Roadmap,
    RoadmapTarget,
    Stage,
)


class RoadmapInline(admin.TabularInline):
    model = Roadmap
    extra = 0
    fields = ["title", "adopted_on", "starts_year", "ends_year", "country_targets"]
    readonly_fields = ["country_targets"]
    show_change_link = True

    def get_queryset(self, request):
        targets = RoadmapTarget.objects.select_related("indicator").order_by("indicator__code")
        return super().get_queryset(request).prefetch_related(Prefetch("targets", targets))

    # The targets are edited on the roadmap's own page (the link beside each row).
    @admin.display(description=_("country targets"))
    def country_targets(self, obj: Roadmap) -> StrOrPromise:
        codes = sorted({target.indicator.code for target in obj.targets.all()})
        return ", ".join(codes) if codes else _("the framework's")


class PathfinderCountryAdminForm(forms.ModelForm):
    """A change of stage follows the journey's rules (services.stage_change_errors), each
    message beside the field at fault: the new stage, its date or the granting decision."""

    # No Meta: the admin builds the form from its fieldsets, with its field overrides.

    def clean(self):
        data = super().clean()
        if self.instance.pk is None or "stage" not in self.changed_data or "stage" not in data:
            return data
        before = PathfinderCountry.objects.get(pk=self.instance.pk)
        date_field = STAGE_DATE_FIELDS[Stage(data["stage"])]
        errors = services.stage_change_errors(
            pathfinder=before,
            stage=data["stage"],
            on=data.get(date_field),
            decision=data.get("status_decision"),
        )
        fields = {"stage": "stage", "on": date_field, "decision": "status_decision"}
        for name, refusals in errors.items():
            for message in refusals:
                if fields[name] in self.fields:
                    self.add_error(fields[name], message)
        return data


@admin.register(PathfinderCountry)
class PathfinderCountryAdmin(SimpleHistoryAdmin):
    form = PathfinderCountryAdminForm
    formfield_overrides = HTTPS_URLS
    list_display = [
        "country",
        "stage",
        "interest_expressed_on",
        "status_granted_on",
        "lead_ministry",
        "focal_point_count",
        "is_public",
    ]
    list_filter = ["stage", "country__ilo_region", "is_public"]
    search_fields = ["country__name", "country__iso_code", "lead_ministry"]
    list_select_related = ["country"]
    autocomplete_fields = ["country", "status_decision"]
    inlines = [RoadmapInline]
    fieldsets = (
        (None, {"fields": ("country", "stage", "lead_ministry", "coordination_mechanism")}),
        (
            _("Journey"),
            {
                "fields": (
                    "interest_expressed_on",
                    "workshop_held_on",
                    "roadmap_submitted_on",
                    "status_granted_on",
                    "status_decision",
                    "implementation_started_on",
                    "inactive_since",
                    "reactivated_on",
                )
            },
        ),
        (_("Public profile"), {"fields": ("is_public", "public_summary", "website")}),
    )

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_focal_points=Count("country__focal_points"))

    @admin.display(description=_("focal points"), ordering="_focal_points")
    def focal_point_count(self, obj) -> int:
        return obj._focal_points

    def save_model(self, request, obj, form, change) -> None:
        # A new stage goes through the same service as the portal's stage change: the rest of
        # the form is saved first, then the move is made and kept in the country's history.
        if not change or "stage" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        stage = Stage(obj.stage)
        decision = obj.status_decision
        before = PathfinderCountry.objects.get(pk=obj.pk)
        obj.stage = before.stage
        obj.status_decision = before.status_decision
        date_field = STAGE_DATE_FIELDS[stage]
        on = getattr(obj, date_field)
        setattr(obj, date_field, getattr(before, date_field))
        if before.stage == Stage.INACTIVE:
            obj.reactivated_on = before.reactivated_on
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            moved = services.pathfinder_stage_change(
                pathfinder=obj, stage=stage, on=on, decision=decision, by=request.user
            )
        for name in ("stage", "status_decision", date_field, "reactivated_on", "inactive_since"):
            setattr(obj, name, getattr(moved, name))


class CommitmentInline(admin.StackedInline):
    model = Commitment
    extra = 0
    fields = [
        ("code", "title"),
        "description",
        "themes",
        "durban_areas",
        ("responsible_institution", "target_date"),
        ("budget", "budget_currency"),
        ("status", "progress_percent"),
    ]


def current_framework_versions(today: datetime.date | None = None) -> QuerySet[FrameworkVersion]:
    """The versions reported on now or next: the current period's (the latest that opened)
    and those of periods opening later; the newest version too, as the next one is drafted."""
    today = today or timezone.localdate()
    current_opened = (
        ReportingPeriod.objects.filter(opens_on__lte=today).order_by("-opens_on").values("opens_on")
    )[:1]
    newest = FrameworkVersion.objects.order_by("-number").values("number")[:1]
    return FrameworkVersion.objects.filter(
        Q(periods__opens_on__gte=Coalesce(Subquery(current_opened), Value(datetime.date.min)))
        | Q(number=Subquery(newest))
    ).distinct()


def target_indicators(roadmap: Roadmap | None = None) -> QuerySet[Indicator]:
    """The indicators a country target is offered for: those measured against a target in
    the framework versions in use (the current period's and later periods', or else the
    newest version), and any the roadmap already sets a target for."""
    versions = current_framework_versions()
    offered = Indicator.objects.filter(version__in=versions).exclude(kind=IndicatorType.TEXT)
    if roadmap is not None and roadmap.pk:
        offered = offered | Indicator.objects.filter(country_targets__roadmap=roadmap)
    return (
        offered.select_related("version").order_by("-version__number", "order", "code").distinct()
    )


class TargetIndicatorField(OfferedModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return _("%(code)s %(title)s (framework v%(number)s)") % {
            "code": obj.code,
            "title": obj.title,
            "number": obj.version.number,
        }


class RoadmapTargetForm(forms.ModelForm):
    # Any indicator is accepted, so an unsuitable one meets RoadmapTarget.clean's message
    # beside the field rather than a bare "Select a valid choice".
    indicator = TargetIndicatorField(
        label=_("indicator"), queryset=Indicator.objects.select_related("version")
    )

    class Meta:
        model = RoadmapTarget
        fields = [
            "indicator",
            "baseline",
            "baseline_year",
            "target",
            "target_year",
            "target_date",
        ]


class RoadmapTargetFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        # Before the formset's own unique check, which takes the duplicate's indicator away.
        seen: set[str] = set()
        for form in self.forms:
            indicator = getattr(form, "cleaned_data", {}).get("indicator")
            # Django's own test of a form marked for deletion (the stub leaves it out).
            if indicator is None or self._should_delete_form(form):  # type: ignore[attr-defined]
                continue
            if indicator.code in seen:
                form.add_error("indicator", RoadmapTarget.duplicate_message(indicator.code))
            seen.add(indicator.code)
        super().clean()


class RoadmapTargetInline(admin.TabularInline):
    """The country's own baselines and targets; indicators without one keep the framework's."""

    model = RoadmapTarget
    form = RoadmapTargetForm
    formset = RoadmapTargetFormSet
    fields = tuple(RoadmapTargetForm.Meta.fields)
    extra = 0
    verbose_name_plural = _("country targets (where none is set, the framework's apply)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator__version")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["indicator"].offered = target_indicators(obj)
        return formset


@admin.register(Roadmap)
class RoadmapAdmin(SimpleHistoryAdmin):
    list_display = ["title", "pathfinder", "starts_year", "ends_year", "adopted_on"]
    list_filter = ["pathfinder__country__ilo_region", "starts_year"]
    search_fields = ["title", "pathfinder__country__name"]
    list_select_related = ["pathfinder__country"]
    autocomplete_fields = ["pathfinder"]
    inlines = [RoadmapTargetInline, CommitmentInline]


@admin.register(RoadmapTarget)
class RoadmapTargetAdmin(SimpleHistoryAdmin):
    form = RoadmapTargetForm
    list_display = [
        "roadmap",
        "country",
        "indicator",
        "baseline",
        "baseline_year",
        "target",
        "target_year",
        "target_date",
    ]
    list_filter = ["roadmap__pathfinder__country__ilo_region", "indicator__version"]
    search_fields = [
        "roadmap__title",
        "roadmap__pathfinder__country__name",
        "indicator__code",
        "indicator__title",
    ]
    list_select_related = ["roadmap__pathfinder__country", "indicator"]
    autocomplete_fields = ["roadmap"]
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        return ["roadmap", *RoadmapTargetForm.Meta.fields]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["indicator"].offered = target_indicators(obj.roadmap if obj else None)
        return form

    @admin.display(description=_("country"), ordering="roadmap__pathfinder__country__name")
    def country(self, obj: RoadmapTarget) -> str:
        return obj.roadmap.pathfinder.country.name


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "title",
        "roadmap",
        "responsible_institution",
        "target_date",
        "status",
        "progress_percent",
    ]
    list_filter = ["status", "roadmap__pathfinder__country__ilo_region"]
    search_fields = [
        "code",
        "title",
        "responsible_institution",
        "roadmap__pathfinder__country__name",
    ]
    list_select_related = ["roadmap__pathfinder__country"]
    autocomplete_fields = ["roadmap"]
    show_full_result_count = False


class IndicatorInline(TranslationStackedInline):
    model = Indicator
    extra = 0
    fields = [
        ("code", "order"),
        "title",
        ("pillar", "kind", "unit"),
        "guidance",
        ("baseline", "baseline_year"),
        ("target", "target_date", "target_year"),
        "direction",
        ("minimum", "maximum"),
        "durban_areas",
    ]

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.is_frozen

    # A version answered by reports is frozen: changes go into a new version.
    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(EnglishOriginalMixin, SimpleHistoryAdmin):
    list_display = ["number", "title", "adopted_on", "indicator_count"]
    search_fields = ["title", "notes"]
    inlines = [IndicatorInline]
    actions = ["copy_as_new_version"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_indicators=Count("indicators"))

    @admin.display(description=_("indicators"), ordering="_indicators")
    def indicator_count(self, obj) -> int:
        return obj._indicators

    @admin.action(description=_("Copy as a new version (to change the framework)"))
    def copy_as_new_version(self, request, queryset) -> None:
        from .services import framework_version_copy

        for version in queryset:
            new = framework_version_copy(version=version)
            self.message_user(request, _("Created %(version)s.") % {"version": new})


@admin.register(Indicator)
class IndicatorAdmin(EnglishOriginalMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = [
        "code",
        "title",
        "pillar",
        "kind",
        "baseline",
        "target",
        "target_year",
        "version",
    ]
    list_filter = ["version", "pillar", "kind", "direction"]
    search_fields = ["code", "title", "pillar"]
    list_select_related = ["version"]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.version.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.version.is_frozen:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["label", "kind", "opens_on", "due_on", "grace_days", "framework_version"]
    list_filter = ["kind", "framework_version"]
    search_fields = ["label"]
    list_select_related = ["framework_version"]
    date_hierarchy = "opens_on"


class ReadOnlyWhenLocked(InlineAdminMixin):
    """Accepted reports are locked; submitted ones change only through the review."""

    def _locked(self, obj) -> bool:
        return obj is not None and not obj.is_editable

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._locked(obj)


REVERT_REFUSED = _(
    "Reverting a progress report or its values to an earlier version is refused: a report's "
    "status, version and workflow dates change only through its workflow (submit, return, "
    "accept, reopen with a reason). Reopen an accepted report, then correct it."
)


class WorkflowHistoryAdmin(SimpleHistoryAdmin):
    """The history of a report (or of its values) can be read, never reverted: a revert would
    write the earlier status, version and dates back behind the workflow's back."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        # Read only: there is no version to carry, and a read-only field of the form alone
        # would be labelled by Django with its code ("Expected version"), in English.
        return [name for name in fields if name != "expected_version"]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            self.message_user(request, REVERT_REFUSED, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                    args=[object_id],
                )
            )
        # The version is shown to be read; say why it has no "Revert" button.
        self.message_user(request, REVERT_REFUSED, messages.INFO)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (services.ReportConflict, services.ReportNotEditable) as error:
            # Lost the compare-and-swap between the form's check and the save: nothing was
            # saved (the admin's transaction rolled back).
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReportVersionForm(forms.ModelForm):
    """Carries the report's version from the moment the page was opened, so a save from a
    stale page is refused with the progress form's own message (compare-and-swap)."""

    expected_version = forms.IntegerField(label=_("version"), widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self._report().version

    def _report(self) -> ProgressReport:
        return self.instance

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if expected is not None and self.instance.pk:
            current = ProgressReport.objects.select_related("updated_by").get(pk=self._report().pk)
            if current.version != expected:
                raise ValidationError(services.ReportConflict(current).messages)
        return cleaned


class ValueVersionForm(ReportVersionForm):
    def _report(self) -> ProgressReport:
        return self.instance.report


class IndicatorValueInline(ReadOnlyWhenLocked, admin.TabularInline):
    """The values as the focal points entered them; each row belongs to its indicator for good,
    and new rows come from the progress form, so the indicator is shown, not chosen."""

    model = IndicatorValue
    extra = 0
    fields = [
        "indicator",
        "value_number",
        "value_date",
        "value_text",
        "change_note",
        "narrative",
        "evidence",
    ]
    readonly_fields = ["indicator"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CommitmentUpdateInline(ReadOnlyWhenLocked, admin.TabularInline):
    model = CommitmentUpdate
    extra = 0
    fields = ["commitment", "status", "progress_percent", "narrative"]
    readonly_fields = ["commitment"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commitment")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReportTransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    fields = ("at", "from_status", "to_status", "by", "comment")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        # Each row is titled after its report (country and period) and names who acted.
        return (
            super()
            .get_queryset(request)
            .select_related("by", "report__pathfinder__country", "report__period")
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReviewCommentInline(admin.TabularInline):
    model = ReviewComment
    extra = 0
    fields = ("transition", "indicator", "commitment", "text")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        # Each row shows its return (named after the report), indicator and commitment.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "transition__report__pathfinder__country",
                "transition__report__period",
                "indicator",
                "commitment",
            )
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(CachedResultListMixin, WorkflowHistoryAdmin):
    form = ReportVersionForm
    list_display = [
        "pathfinder",
        "period",
        "status",
        "first_submitted_at",
        "accepted_at",
        "updated_at",
    ]
    list_filter = ["status", "period", "pathfinder__country__ilo_region"]
    search_fields = ["pathfinder__country__name", "period__label"]
    list_select_related = ["pathfinder__country", "period"]
    list_per_page = 50
    result_list_areas = ("pathfinders",)

    def get_object(self, request, object_id, from_field=None):
        # The change page shows the country, the period and who did what: load them with
        # the report.
        queryset = self.get_queryset(request).select_related(
            "pathfinder__country",
            "period",
            "created_by",
            "updated_by",
            "submitted_by",
            "returned_by",
            "accepted_by",
        )
        try:
            return queryset.get(pk=int(object_id))
        except (ValueError, ProgressReport.DoesNotExist):
            return None

    # The workflow (submit, return, accept, reopen) runs through pathfinders.services, from
    # the review pages (the "Reopen" button here leads to the page that asks the reason).
    readonly_fields = [
        "pathfinder",
        "period",
        "status",
        "version",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "first_submitted_at",
        "submitted_at",
        "submitted_by",
        "returned_at",
        "returned_by",
        "accepted_at",
        "accepted_by",
    ]
    inlines = [
        IndicatorValueInline,
        CommitmentUpdateInline,
        ReportTransitionInline,
        ReviewCommentInline,
    ]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Submitted and accepted reports are read-only here, as on the pages.
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # The same compare-and-swap as the progress form; the values of the inline are saved
        # after it, in the same transaction.
        services.report_admin_edit(
            report=obj,
            user=request.user,
            expected_version=form.cleaned_data["expected_version"],
            summary=obj.summary,
        )


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["pathfinder", "period", "stage", "sent_at", "recipients"]
    list_filter = ["stage", "period"]
    search_fields = ["pathfinder__country__name"]
    list_select_related = ["pathfinder__country", "period"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(CachedResultListMixin, WorkflowHistoryAdmin):
    """Every reported value across countries and periods; a change here claims its report's
    version like any save of the report."""

    form = ValueVersionForm
    readonly_fields = ["report", "indicator"]

    def has_add_permission(self, request) -> bool:
        return False  # a value is entered on its report's progress form

    list_display = [
        "report",
        "indicator",
        "value_number",
        "value_date",
        "short_text",
        "has_evidence",
    ]
    list_filter = [
        "report__period",
        "report__status",
        "indicator__version",
        "indicator__pillar",
        "report__pathfinder__country__ilo_region",
    ]
    search_fields = ["report__pathfinder__country__name", "indicator__code", "indicator__title"]
    list_select_related = ["report__pathfinder__country", "report__period", "indicator"]
    raw_id_fields = ["report", "indicator"]
    show_full_result_count = False
    list_per_page = 50
    result_list_areas = ("pathfinders",)
    # Newest reports first, by the (report, indicator) unique index: the model's ordering
    # (by the report's period and country, then the indicator's order) sorts every row.
    ordering = ["-report_id", "-indicator_id"]

    @admin.display(description=_("text"))
    def short_text(self, obj: IndicatorValue) -> str:
        return Truncator(obj.value_text).chars(60)

    @admin.display(description=_("evidence"), boolean=True)
    def has_evidence(self, obj: IndicatorValue) -> bool:
        return bool(obj.evidence)

    def _locked(self, obj) -> bool:
        return obj is not None and not obj.report.is_editable

    def save_model(self, request, obj, form, change) -> None:
        if change:
            services.report_admin_edit(
                report=obj.report,
                user=request.user,
                expected_version=form.cleaned_data["expected_version"],
                summary=obj.report.summary,
            )
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._locked(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._locked(obj)
