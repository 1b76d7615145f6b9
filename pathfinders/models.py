import datetime
import uuid
from decimal import Decimal
from enum import Enum
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from alliance87.choices import DurbanArea, Theme
from alliance87.fields import ChoiceListField
from alliance87.models import Country, FocalPoint, IloRegion  # noqa: F401  (lived here)
from alliance87.numbers import format_percent
from alliance87.timezones import validate_time_zone  # noqa: F401  (named by migration 0007)
from alliance87.translated import translation_columns
from alliance87.uploads import ProtectedFileField, detected_type

from . import quality
from .indicator_types import IndicatorKind, indicator_type
from .validators import EVIDENCE_UPLOAD, completed_at_full_progress


class Stage(models.TextChoices):
    """The steps of a Pathfinder Country's journey, in order."""

    EXPRESSED_INTEREST = "expressed_interest", _("Expressed interest")
    WORKSHOP_HELD = "workshop_held", _("Strategic planning workshop held")
    ROADMAP_SUBMITTED = "roadmap_submitted", _("Roadmap submitted")
    STATUS_GRANTED = "status_granted", _("Pathfinder status granted")
    IMPLEMENTING = "implementing", _("Implementing")
    INACTIVE = "inactive", _("Inactive")


# The date field that records when each step was reached.
STAGE_DATE_FIELDS = {
    Stage.EXPRESSED_INTEREST: "interest_expressed_on",
    Stage.WORKSHOP_HELD: "workshop_held_on",
    Stage.ROADMAP_SUBMITTED: "roadmap_submitted_on",
    Stage.STATUS_GRANTED: "status_granted_on",
    Stage.IMPLEMENTING: "implementation_started_on",
    Stage.INACTIVE: "inactive_since",
}
# Countries at these stages report progress against the accountability framework.
REPORTING_STAGES = (Stage.STATUS_GRANTED, Stage.IMPLEMENTING)


def _field(record: models.Model, name: str) -> models.Field:
    field = record._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column of the record, not a reverse relation
    return field


class PathfinderCountry(models.Model):
    """A country on the Pathfinder journey; its focal points are the FocalPoint rows of its country."""

    country = models.OneToOneField(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="pathfinder"
    )
    stage = models.CharField(
        _("journey stage"),
        max_length=30,
        choices=Stage.choices,
        default=Stage.EXPRESSED_INTEREST,
        db_index=True,
    )
    interest_expressed_on = models.DateField(_("interest expressed on"), null=True, blank=True)
    workshop_held_on = models.DateField(
        _("strategic planning workshop held on"), null=True, blank=True
    )
    roadmap_submitted_on = models.DateField(_("roadmap submitted on"), null=True, blank=True)
    status_granted_on = models.DateField(_("Pathfinder status granted on"), null=True, blank=True)
    implementation_started_on = models.DateField(
        _("implementation started on"), null=True, blank=True
    )
    inactive_since = models.DateField(_("inactive since"), null=True, blank=True)
    reactivated_on = models.DateField(
        _("active again since"),
        null=True,
        blank=True,
        help_text=_("When an inactive country resumed its work; empty while it is inactive."),
    )
    status_decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("GCG decision granting the status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="granted_pathfinders",
    )
    lead_ministry = models.CharField(_("lead ministry"), max_length=200, blank=True)
    coordination_mechanism = models.CharField(
        _("national coordination mechanism"), max_length=200, blank=True
    )
    is_public = models.BooleanField(
        _("public profile published"),
        default=True,
        help_text=_("Anonymous visitors see the public profile only when this is ticked."),
    )
    public_summary = models.TextField(
        _("public profile"), blank=True, help_text=_("Shown to the public; plain text.")
    )
    website = models.URLField(_("public web page"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Pathfinder Country")
        verbose_name_plural = _("Pathfinder Countries")
        ordering = ["country__name"]

    def __str__(self) -> str:
        return str(self.country)

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        field = STAGE_DATE_FIELDS[Stage(self.stage)]
        if getattr(self, field) is None:
            errors[field] = _("Give the date on which the country reached this stage.")
        steps = [f for s, f in STAGE_DATE_FIELDS.items() if s != Stage.INACTIVE]
        previous = None
        for name in steps:
            value = getattr(self, name)
            if value is None:
                continue
            if previous is not None and value < getattr(self, previous):
                errors.setdefault(
                    name,
                    _("This step cannot come before %(step)s.")
                    % {"step": _field(self, previous).verbose_name},
                )
            previous = name
        if self.stage == Stage.INACTIVE and self.reactivated_on is not None:
            errors["reactivated_on"] = _(
                "An inactive country is not active again: clear this date or choose the stage "
                "it resumed."
            )
        elif self.stage != Stage.INACTIVE and self.inactive_since and not self.reactivated_on:
            errors["reactivated_on"] = _(
                "The country was inactive: give the date it became active again."
            )
        if (
            self.reactivated_on is not None
            and "reactivated_on" not in errors
            and (self.inactive_since is None or self.reactivated_on <= self.inactive_since)
        ):
            errors["reactivated_on"] = _("This date must come after the date it became inactive.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_reporting(self) -> bool:
        return self.stage in REPORTING_STAGES

    def was_inactive_on(self, day: datetime.date) -> bool:
        return (
            self.inactive_since is not None
            and self.inactive_since <= day
            and (self.reactivated_on is None or self.reactivated_on > day)
        )

    def is_expected_to_report(self, period: "ReportingPeriod") -> bool:
        """The expectation rule (EXPECTATION_RULE in pathfinders.reporting): Pathfinder status
        held by the period's due date, and not inactive when the period opened."""
        return (
            self.status_granted_on is not None
            and self.status_granted_on <= period.due_on
            and not self.was_inactive_on(period.opens_on)
        )

    @property
    def journey(self) -> list[dict]:
        """Every step with its date (None when not reached), in order; a country that
        resumed after a time inactive shows when."""
        steps = [
            {
                "stage": stage,
                "label": stage.label,
                "date": getattr(self, field),
                "current": stage == self.stage,
            }
            for stage, field in STAGE_DATE_FIELDS.items()
        ]
        if self.reactivated_on:
            steps.append(
                {
                    "stage": None,
                    "label": _field(self, "reactivated_on").verbose_name,
                    "date": self.reactivated_on,
                    "current": False,
                }
            )
        return steps


class Roadmap(models.Model):
    """A national action plan adopted on the Pathfinder journey."""

    pathfinder = models.ForeignKey(
        PathfinderCountry,
        verbose_name=_("Pathfinder Country"),
        on_delete=models.CASCADE,
        related_name="roadmaps",
    )
    title = models.CharField(_("title"), max_length=200)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    starts_year = models.PositiveSmallIntegerField(_("from year"))
    ends_year = models.PositiveSmallIntegerField(_("to year"))
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        ordering = ["pathfinder__country__name", "-starts_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_year__gte=models.F("starts_year")),
                name="pathfinders_roadmap_years_in_order",
            ),
            models.UniqueConstraint(
                fields=["pathfinder", "title"], name="pathfinders_roadmap_title_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_year}–{self.ends_year})"


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    OFF_TRACK = "off_track", _("Off track")
    COMPLETED = "completed", _("Completed")


# A narrative explaining the situation is required for these.
STATUSES_NEEDING_NARRATIVE = (CommitmentStatus.DELAYED, CommitmentStatus.OFF_TRACK)


class Commitment(models.Model):
    roadmap = models.ForeignKey(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="commitments"
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("e.g. 1.2"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    themes = ChoiceListField(_("themes"), choices=Theme.choices, blank=False)
    durban_areas = ChoiceListField(
        _("Durban Call to Action areas"), choices=DurbanArea.choices, blank=True
    )
    responsible_institution = models.CharField(_("responsible institution"), max_length=200)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(_("currency"), max_length=3, default="USD")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
        help_text=_("Follows the latest accepted progress report."),
    )
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["roadmap", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "code"], name="pathfinders_commitment_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100),
                name="pathfinders_commitment_progress_max_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def theme_labels(self) -> list[str]:
        field = _field(self, "themes")
        assert isinstance(field, ChoiceListField)
        return field.get_choice_labels(self.themes)

    @property
    def durban_area_labels(self) -> list[str]:
        field = _field(self, "durban_areas")
        assert isinstance(field, ChoiceListField)
        return field.get_choice_labels(self.durban_areas)


def reference_errors(indicator: "Indicator", holder) -> dict[str, StrOrPromise]:
    """What is wrong with a baseline and target (the framework's on an indicator, or a
    country's own on a RoadmapTarget) for the indicator's type, by field."""
    kind = indicator.type
    errors: dict[str, StrOrPromise] = {}
    for name in ("baseline", "target"):
        value = getattr(holder, name)
        if value is not None and (message := kind.reference_error(indicator, value)):
            errors[name] = message
    if kind.has_target_date and holder.target_date is None:
        errors["target_date"] = _("A milestone date indicator needs a target date.")
    if not kind.has_target_date and holder.target_date is not None:
        errors["target_date"] = _("Only milestone date indicators have a target date.")
    if holder.baseline_year and holder.target_year and holder.target_year < holder.baseline_year:
        errors["target_year"] = _("The target year cannot come before the baseline year.")
    return errors


class RoadmapTarget(models.Model):
    """A country's own baseline and target for one indicator, set by its roadmap.

    Where a roadmap sets none, the framework's baseline and target apply. Targets follow the
    indicator's code, so they hold across framework versions.
    """

    roadmap = models.ForeignKey(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        "Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="country_targets",
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_date = models.DateField(
        _("target date"), null=True, blank=True, help_text=_("Milestone date indicators only.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("country target")
        verbose_name_plural = _("country targets")
        ordering = ["roadmap", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "indicator"], name="pathfinders_one_target_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.roadmap}: {self.indicator.code}"

    def clean(self) -> None:
        if self.indicator_id is None:
            return
        indicator = self.indicator
        kind = indicator.type
        errors = reference_errors(indicator, self)
        if not kind.has_target_date and "target_date" not in errors:
            if kind.stores == "value_text":
                errors["target"] = _("This indicator is not measured against a target.")
            elif self.target is None:
                errors["target"] = _("Give the country's target for this indicator.")
        # Targets follow the indicator's code: one per code, whatever the framework version.
        if (
            self.roadmap_id is not None
            and RoadmapTarget.objects.filter(
                roadmap_id=self.roadmap_id, indicator__code=indicator.code
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["indicator"] = self.duplicate_message(indicator.code)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def duplicate_message(code: str) -> str:
        return _(
            "This roadmap already sets a target for %(code)s (an indicator keeps its code "
            "across framework versions): change that one instead."
        ) % {"code": code}


# Its `indicators` are Indicators, whose manager the type checker's Django plugin cannot name.
class FrameworkVersion(models.Model):  # type: ignore[django-manager-missing]
    """One version of the accountability framework; a period reports against one version.

    A version in use by a period with reports is frozen: changes go into a new version, so
    past reports keep the indicators they answered.
    """

    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    notes = models.TextField(_("what changed"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accountability framework version")
        verbose_name_plural = _("accountability framework versions")
        ordering = ["-number"]

    def __str__(self) -> str:
        return _("Framework v%(number)s: %(title)s") % {"number": self.number, "title": self.title}

    @property
    def is_frozen(self) -> bool:
        return ProgressReport.objects.filter(period__framework_version=self).exists()


class IndicatorType(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage")
    YES_NO = "yes_no", _("Yes/no")
    MILESTONE = "milestone", _("Milestone date")
    TEXT = "text", _("Text")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


# Recorded in English, French and Spanish (translation.py).
INDICATOR_TEXTS = ("title", "pillar", "unit", "guidance")


# Its manager is made by django-modeltranslation when the app registry loads (translation.py),
# which the type checker's Django plugin cannot name.
class Indicator(models.Model):  # type: ignore[django-manager-missing]
    version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("framework version"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=12)
    title = models.CharField(_("title"), max_length=250)
    pillar = models.CharField(_("pillar"), max_length=100)
    kind = models.CharField(_("type"), max_length=12, choices=IndicatorType.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    guidance = models.TextField(_("guidance for focal points"), blank=True)
    baseline = models.DecimalField(
        _("baseline"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Yes/no indicators: 1 for yes, 0 for no."),
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(
        _("target"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Yes/no indicators: 1 for yes, 0 for no."),
    )
    target_date = models.DateField(
        _("target date"), null=True, blank=True, help_text=_("Milestone date indicators only.")
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    direction = models.CharField(
        _("direction of improvement"),
        max_length=10,
        choices=Direction.choices,
        default=Direction.INCREASE,
    )
    minimum = models.DecimalField(
        _("lowest plausible value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("highest plausible value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    durban_areas = ChoiceListField(
        _("Durban Call to Action areas"),
        choices=DurbanArea.choices,
        blank=True,
        help_text=_("The commitment areas of the Durban Call to Action this indicator measures."),
    )
    history = HistoricalRecords(excluded_fields=translation_columns(INDICATOR_TEXTS))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="pathfinders_indicator_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def type(self) -> IndicatorKind:
        """What this indicator's type stores and how it is entered, checked and shown."""
        return indicator_type(self.kind)

    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """The lowest and highest value a report may give (None: no value of this form)."""
        return self.type.bounds(self)

    def clean(self) -> None:
        errors = reference_errors(self, self)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = _("The highest value must not be below the lowest.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_rated(self) -> bool:
        """Whether progress against target can be measured (see the overview's rating rule)."""
        return self.type.is_rated(self)


class ReportingPeriod(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        HALF_YEAR = "half_year", _("Half-year")

    label = models.CharField(
        _("label"), max_length=40, unique=True, help_text=_("e.g. 2025 or 2026 H1")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    framework_version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("framework version"),
        on_delete=models.PROTECT,
        related_name="periods",
    )
    opens_on = models.DateField(_("opening date"))
    due_on = models.DateField(_("due date"))
    grace_days = models.PositiveSmallIntegerField(
        _("grace days"),
        default=0,
        help_text=_("A report submitted within this many days after the due date is on time."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gt=models.F("opens_on")),
                name="pathfinders_period_due_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def deadline(self) -> datetime.date:
        """The last day a report counts as on time: the due date plus the grace days."""
        return self.due_on + datetime.timedelta(days=self.grace_days)

    def deadline_ends_at(self, zone: datetime.tzinfo) -> datetime.datetime:
        """The first moment after the deadline: midnight ending the deadline day, in the
        country's own time zone."""
        return datetime.datetime.combine(
            self.deadline + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )

    def is_on_time(self, submitted_at: datetime.datetime, zone: datetime.tzinfo) -> bool:
        """Submitted on or before the due date plus the grace days, in the country's time."""
        return submitted_at < self.deadline_ends_at(zone)

    def has_opened(self, today: datetime.date) -> bool:
        return self.opens_on <= today

    def is_past_deadline(self, today: datetime.date) -> bool:
        return today > self.deadline


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("progress report", "Accepted")
    # The Secretariat took an accepted report back, with a reason (as DHIS2's "unapprove"):
    # the focal points revise it and submit it again.
    REOPENED = "reopened", _("Reopened by the Secretariat")


# A focal point may change the report only in these states.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.REOPENED)


class ProgressReport(models.Model):
    pathfinder = models.ForeignKey(
        PathfinderCountry,
        verbose_name=_("Pathfinder Country"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )
    # Optimistic locking: every save and every transition checks and increments it (a
    # conditional UPDATE in pathfinders.services, the only code that writes it), so a stale
    # form is refused and the number only ever increases.
    version = models.PositiveIntegerField(_("version"), default=1)
    summary = models.TextField(_("overall summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period__opens_on", "pathfinder__country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathfinder", "period"], name="pathfinders_one_report_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(first_submitted_at__isnull=False),
                name="pathfinders_report_beyond_draft_was_submitted",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(accepted_at__isnull=False),
                name="pathfinders_accepted_report_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("%(country)s, %(period)s") % {"country": self.pathfinder, "period": self.period}

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.ACCEPTED

    @property
    def is_on_time(self) -> bool | None:
        """Whether the first submission came by the deadline; None while never submitted."""
        if self.first_submitted_at is None:
            return None
        return self.period.is_on_time(self.first_submitted_at, self.pathfinder.country.zone)


class ReportTransition(models.Model):
    """Who moved a report from one state to another, and when."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ReportStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("report state change")
        verbose_name_plural = _("report state changes")
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        before = self.get_from_status_display() if self.from_status else "–"
        return f"{self.report}: {before} → {self.get_to_status_display()}"


class _NotRead(Enum):
    NOT_READ = "not read"


# IndicatorValue.previous_accepted before anything read it.
NOT_READ = _NotRead.NOT_READ


def evidence_path(instance: "IndicatorValue", filename: str) -> str:
    # A random folder: evidence is served only through an access-checked view, and its
    # address must not be guessable even where the media folder is exposed.
    return f"pathfinders/evidence/{uuid.uuid4().hex}/{Path(filename).name[-120:]}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value_number = models.DecimalField(
        _("value"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Numbers and percentages; yes/no as 1 or 0."),
    )
    value_date = models.DateField(_("date reached"), null=True, blank=True)
    value_text = models.TextField(_("text"), blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    evidence = ProtectedFileField(
        _("evidence"),
        upload_to=evidence_path,
        blank=True,
        max_length=255,
        validators=[EVIDENCE_UPLOAD],
        help_text=EVIDENCE_UPLOAD.help_text,
        download_view="pathfinders:evidence_download",
    )
    evidence_type = models.CharField(
        _("evidence file type"),
        max_length=120,
        blank=True,
        editable=False,
        help_text=_("Read from the file's content when it was uploaded."),
    )
    change_note = models.TextField(
        _("explanation of a large change"),
        blank=True,
        help_text=_(
            "Why the value changed so much from the previous accepted value: required for a "
            "large change (see the rule on the progress form), and shown to the reviewer."
        ),
    )
    history = HistoricalRecords()

    # The previous accepted value of this indicator (a pathfinders.quality.PreviousValue or
    # None), set by a caller that read those of the whole report at once; read by clean()
    # otherwise (the admin).
    previous_accepted: "quality.PreviousValue | None | _NotRead" = NOT_READ

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["report", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="pathfinders_one_value_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.display_value}"

    @property
    def has_value(self) -> bool:
        return self.value_number is not None or self.value_date is not None or bool(self.value_text)

    @property
    def evidence_filename(self) -> str:
        return Path(self.evidence.name).name if self.evidence else ""

    @property
    def display_value(self) -> str:
        return self.indicator.type.display(self.value_number, self.value_date, self.value_text)

    @property
    def local_display_value(self) -> str:
        """The value as a page shows it to its reader: 12,5 % in French."""
        return self.indicator.type.display_local(
            self.value_number, self.value_date, self.value_text
        )

    def clean(self) -> None:
        if not self.evidence:
            self.evidence_type = ""
        elif kind := detected_type(self.evidence, EVIDENCE_UPLOAD):
            self.evidence_type = kind
        indicator = self.indicator
        errors: dict[str, StrOrPromise] = {}
        if self.report_id and indicator.version_id != self.report.period.framework_version_id:
            errors["indicator"] = _("This indicator belongs to another version of the framework.")
        errors.update(
            indicator.type.value_errors(
                indicator, self.value_number, self.value_date, self.value_text
            )
        )
        if not errors and self.value_number is not None and not self.change_note.strip():
            previous = self.previous_value()
            if previous is not None and quality.jumped(
                kind=indicator.kind, value_number=self.value_number, previous=previous
            ):
                errors["change_note"] = quality.jump_message(
                    previous=previous, new=self.value_number, kind=indicator.kind
                )
        if errors:
            raise ValidationError(errors)

    def previous_value(self) -> "quality.PreviousValue | None":
        """The value of the same indicator in the country's latest accepted report of an
        earlier period (quality.PREVIOUS_VALUE_RULE)."""
        if self.previous_accepted is NOT_READ:
            from .selectors import previous_values

            self.previous_accepted = previous_values(report=self.report).get(self.indicator.code)
        return self.previous_accepted


class CommitmentUpdate(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="commitment_updates",
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=20, choices=CommitmentStatus.choices)
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    narrative = models.TextField(_("narrative"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment update")
        verbose_name_plural = _("commitment updates")
        ordering = ["report", "commitment__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "commitment"], name="pathfinders_one_update_per_commitment"
            ),
            models.CheckConstraint(
                condition=models.Q(progress_percent__lte=100),
                name="pathfinders_update_progress_max_100",
            ),
        ]

    def __str__(self) -> str:
        progress = format_percent(self.progress_percent)
        return f"{self.commitment.code}: {self.get_status_display()} ({progress})"

    def clean(self) -> None:
        if self.status in STATUSES_NEEDING_NARRATIVE and not self.narrative.strip():
            raise ValidationError(
                {
                    "narrative": _(
                        "Explain what holds this commitment back: it is delayed or off track."
                    )
                }
            )
        if self.status == CommitmentStatus.COMPLETED and self.progress_percent != 100:
            raise ValidationError({"progress_percent": completed_at_full_progress()})


class ReviewComment(models.Model):
    """A reviewer's comment on a returned report, on the report as a whole or on one field."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="review_comments",
    )
    transition = models.ForeignKey(
        ReportTransition,
        verbose_name=_("return"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["report", "transition", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(indicator__isnull=True) | models.Q(commitment__isnull=True),
                name="pathfinders_comment_on_one_field",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class ReminderStage(models.TextChoices):
    DAYS_14 = "14_days", _("14 days before the due date")
    DAYS_3 = "3_days", _("3 days before the due date")
    OVERDUE = "overdue", _("Overdue")


class ReminderSent(models.Model):
    """A due-date reminder sent for a country and period; the constraint makes each stage once."""

    pathfinder = models.ForeignKey(
        PathfinderCountry,
        verbose_name=_("Pathfinder Country"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ReminderStage.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathfinder", "period", "stage"], name="pathfinders_reminder_once_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pathfinder} {self.period} {self.get_stage_display()}"
