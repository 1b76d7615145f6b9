"""Events of the Alliance (workshops, consultations, GCG meetings) and what they produce."""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from alliance87.choices import DurbanArea
from alliance87.fields import ChoiceListField
from alliance87.translated import translation_columns
from alliance87.uploads import ProtectedFileField, UploadRule, detected_type

if TYPE_CHECKING:
    from governance.models import OfficeHolder

# Recorded in English, French and Spanish (translation.py).
EVENT_TEXTS = (
    "title",
    "purpose",
    "expected_outcomes",
    "organised_by",
    "led_by",
    "supported_by",
)


# Its manager is made by django-modeltranslation when the app registry loads (translation.py),
# which the type checker's Django plugin cannot name.
class Event(models.Model):  # type: ignore[django-manager-missing]
    class Kind(models.TextChoices):
        STRATEGY_WORKSHOP = "strategy_workshop", _("Strategy workshop")
        REGIONAL_CONSULTATION = "regional_consultation", _("Regional consultation")
        NATIONAL_WORKSHOP = "national_workshop", _("National workshop")
        GCG_MEETING = "gcg_meeting", _("GCG meeting")
        GLOBAL_CONFERENCE = "global_conference", _("Global conference")
        WEBINAR = "webinar", _("Webinar")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=250)
    start_date = models.DateField(_("first day"), db_index=True)
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        "alliance87.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Leave empty for an online event."),
    )
    is_online = models.BooleanField(_("online"), default=False)
    organisers = models.ManyToManyField(
        "governance.Organisation",
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
    )
    organised_by = models.CharField(
        _("organised by (as written)"),
        max_length=300,
        blank=True,
        help_text=_(
            "How the organisers are described, e.g. “GCG members and Pathfinder Countries”."
        ),
    )
    led_by = models.CharField(
        _("led by"), max_length=200, blank=True, help_text=_("e.g. Alliance Chair (France).")
    )
    supported_by = models.CharField(
        _("supported by"), max_length=200, blank=True, help_text=_("e.g. Alliance Secretariat.")
    )
    purpose = models.TextField(_("purpose"), blank=True)
    expected_outcomes = models.TextField(_("expected outcomes"), blank=True)
    durban_areas = ChoiceListField(
        _("Durban Call to Action areas"),
        choices=DurbanArea.choices,
        blank=True,
        help_text=_("The commitment areas of the Durban Call to Action the event worked on."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public events are visible to every focal point, invited or not."),
    )
    # The links are rows of the model Django creates for them, which has no name to write here.
    feeds_into: "models.ManyToManyField[Event, Any]" = models.ManyToManyField(
        "self",
        verbose_name=_("outcomes feed into"),
        symmetrical=False,
        blank=True,
        related_name="fed_by",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=translation_columns(EVENT_TEXTS))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "start_date"], name="workshops_event_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="workshops_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.pk and self.kind != self.Kind.GCG_MEETING and self.is_gcg_meeting:
            raise ValidationError(
                {"kind": _("An event that carries a GCG meeting number is a GCG meeting.")}
            )

    @property
    def is_gcg_meeting(self) -> bool:
        """Whether the event is a numbered GCG meeting (governance.GCGMeeting.event is this one;
        ``gcg_meeting`` reads it, select_related("gcg_meeting") loads it with the event)."""
        return getattr(self, "gcg_meeting", None) is not None

    def is_same_body_as(self, other: "Event") -> bool:
        """Whether ``other`` is a meeting of the body that held this one: a GCG meeting for a GCG
        meeting, an event of the same kind, or the event this one feeds into."""
        if self.kind == self.Kind.GCG_MEETING:
            return other.is_gcg_meeting
        return other.kind == self.kind or self.feeds_into.filter(pk=other.pk).exists()

    @property
    def place(self) -> str:
        parts = [self.venue, self.city]
        return ", ".join(part for part in parts if part)


# Recorded in English, French and Spanish (translation.py).
OBJECTIVE_TEXTS = ("text",)


# Its manager too is made by django-modeltranslation (see Event).
class EventObjective(models.Model):  # type: ignore[django-manager-missing]
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="objectives"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("objective"))
    history = HistoricalRecords(excluded_fields=translation_columns(OBJECTIVE_TEXTS))

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["event", "order"]
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="workshops_objective_order"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


# Recorded in English, French and Spanish (translation.py).
AGENDA_ITEM_TEXTS = ("title", "description", "expected_output")


# Its manager too is made by django-modeltranslation (see Event).
class AgendaItem(models.Model):  # type: ignore[django-manager-missing]
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    day = models.DateField(_("day"), null=True, blank=True)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    expected_output = models.TextField(
        _("expected output"), blank=True, help_text=_("As written in the agenda; may be empty.")
    )
    history = HistoricalRecords(excluded_fields=translation_columns(AGENDA_ITEM_TEXTS))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["event", "order"]
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="workshops_agenda_item_order"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="workshops_agenda_item_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class OfficeRole(models.TextChoices):
    CHAIR = "chair", _("Alliance Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Alliance Deputy Chair")


def office_holders_on(day: datetime.date) -> dict:
    """The Chair and Deputy Chair of the Alliance on a day, from the office-holder records."""
    from governance.models import OfficeHolder

    holders = OfficeHolder.objects.filter(term_start__lte=day, term_end__gte=day).select_related(
        "organisation"
    )
    return {holder.office: holder for holder in holders}


class CoLead(models.Model):
    """One co-lead of an agenda item: an organisation, a country, or an office holder.

    An office is recorded with its holder at the time of the event, so the agenda still reads
    “Alliance Deputy Chair (Argentina)” after the office changes hands.
    """

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        COUNTRY = "country", _("Country")
        OFFICE = "office", _("Office holder")

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="co_leads"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_co_leads",
    )
    country = models.ForeignKey(
        "alliance87.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_co_leads",
    )
    role = models.CharField(_("office"), max_length=20, choices=OfficeRole.choices, blank=True)
    # Set by the event page's selector: the office-holder record this co-lead contradicts.
    office_record: "OfficeHolder | None"
    holder_country = models.ForeignKey(
        "alliance87.Country",
        verbose_name=_("office holder (country)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder_organisation = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("office holder (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("co-lead")
        verbose_name_plural = _("co-leads")
        ordering = ["agenda_item", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "order"], name="workshops_co_lead_order"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="organisation",
                        organisation__isnull=False,
                        country__isnull=True,
                        role="",
                        holder_country__isnull=True,
                        holder_organisation__isnull=True,
                    )
                    | Q(
                        kind="country",
                        country__isnull=False,
                        organisation__isnull=True,
                        role="",
                        holder_country__isnull=True,
                        holder_organisation__isnull=True,
                    )
                    | (
                        Q(kind="office", organisation__isnull=True, country__isnull=True)
                        & ~Q(role="")
                        & (
                            Q(holder_country__isnull=False, holder_organisation__isnull=True)
                            | Q(holder_country__isnull=True, holder_organisation__isnull=False)
                        )
                    )
                ),
                name="workshops_co_lead_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def office_record_mismatch(self, holders: dict):
        """The office-holder record this co-lead contradicts on the meeting date, if any."""
        record = holders.get(self.role) if self.kind == self.Kind.OFFICE else None
        if record is None:
            return None
        if self.holder_organisation_id:
            return record if self.holder_organisation_id != record.organisation_id else None
        if self.holder_country_id:
            organisation = record.organisation
            same = (
                organisation.country_id == self.holder_country_id
                if organisation.country_id
                else self.holder_country is not None
                and organisation.name == self.holder_country.name
            )
            return None if same else record
        return None

    @property
    def label(self) -> str:
        """As the agenda writes it: “ILO”, “Australia”, “Alliance Deputy Chair (Argentina)”."""
        if self.kind == self.Kind.ORGANISATION and self.organisation_id:
            return str(self.organisation)
        if self.kind == self.Kind.COUNTRY and self.country is not None:
            return self.country.local_name
        holder = self.holder_country or self.holder_organisation
        return f"{self.get_role_display()} ({holder})"


# Recorded in English, French and Spanish (translation.py).
OUTPUT_TEXTS = ("title", "text")


# Its manager too is made by django-modeltranslation (see Event).
class Output(models.Model):  # type: ignore[django-manager-missing]
    """What an agenda item actually produced, and what became of it."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        ANALYSIS = "analysis", _("Analysis")
        DECISION = "decision", _("Decision")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="outputs"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outputs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    decided_at = models.ForeignKey(
        Event,
        verbose_name=_("decided at meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decided_outputs",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gcg_decision = models.OneToOneField(
        "governance.Decision",
        verbose_name=_("GCG decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workshop_output",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=translation_columns(OUTPUT_TEXTS))

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["event", "agenda_item__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed", decided_at__isnull=True, decided_on__isnull=True)
                | (~Q(status="proposed") & Q(decided_at__isnull=False, decided_on__isnull=False)),
                name="workshops_output_decision_recorded",
            ),
            models.CheckConstraint(
                condition=Q(gcg_decision__isnull=True) | Q(status="adopted"),
                name="workshops_output_decision_only_when_adopted",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        meeting = self.decided_at if self.decided_at_id else None
        if meeting is not None and self.event_id:
            if not meeting.is_gcg_meeting:
                errors["decided_at"] = _(
                    "Outputs are adopted, rejected or deferred only at a GCG meeting; "
                    "“%(title)s” is not a GCG meeting."
                ) % {"title": meeting.title}
            elif meeting.start_date < self.event.start_date:
                errors["decided_at"] = _(
                    "Outputs are decided only at a GCG meeting held on or after the event that "
                    "produced them (%(date)s)."
                ) % {"date": date_format(self.event.start_date)}
            if self.decided_on and not meeting.start_date <= self.decided_on <= meeting.end_date:
                errors["decided_on"] = _(
                    "The date must fall within the meeting (%(start)s to %(end)s)."
                ) % {"start": date_format(meeting.start_date), "end": date_format(meeting.end_date)}
        if self.decided_on and self.decided_on > timezone.localdate():
            # The admin too: a decision is recorded once taken, never ahead of its meeting.
            errors.setdefault("decided_on", _("A decision cannot be recorded in advance."))
        decision = self.gcg_decision if "decided_at" not in errors else None
        if decision is not None and (meeting is None or decision.meeting.event_id != meeting.pk):
            errors["gcg_decision"] = _(
                "An output's GCG decision is one taken at the meeting that adopted it; "
                "%(reference)s was taken at GCG meeting %(number)s."
            ) % {"reference": decision.reference, "number": decision.meeting.number}
        if errors:
            raise ValidationError(errors)


class FollowUpActionQuerySet(models.QuerySet):
    def open(self) -> "FollowUpActionQuerySet":
        return self.filter(status__in=FollowUpAction.OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> "FollowUpActionQuerySet":
        return self.open().filter(due_date__lt=today or timezone.localdate())


class FollowUpAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    event = models.ForeignKey(
        Event,
        verbose_name=_("agreed at"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    output = models.ForeignKey(
        Output,
        verbose_name=_("output"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    description = models.TextField(_("action"))
    owner = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="follow_up_actions",
    )
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    carried_to = models.ForeignKey(
        AgendaItem,
        verbose_name=_("carried into agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_follow_ups",
        help_text=_("The item of the next meeting's agenda where this action is reviewed."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="workshops_follow_up_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return Truncator(self.description).chars(80)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class Participant(models.Model):
    """A registration: a person (with or without an account) or an organisation at an event."""

    class Role(models.TextChoices):
        GCG_MEMBER = "gcg_member", _("GCG member")
        OBSERVER = "observer", _("Observer")
        FOCAL_POINT = "focal_point", _("Focal point")
        PARTNER = "partner", _("Partner")
        SECRETARIAT = "secretariat", _("Secretariat")

    class Invitation(models.TextChoices):
        NOT_SENT = "not_sent", _("Not sent yet")
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person with an account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("For a person without an account.")
    )
    email = models.EmailField(_("email"), blank=True)
    organisation = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_registrations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invitation = models.CharField(
        _("invitation"), max_length=20, choices=Invitation.choices, default=Invitation.NOT_SENT
    )
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    accessibility_needs = models.TextField(
        _("accessibility needs"), blank=True, help_text=_("Seen only by the Secretariat.")
    )
    dietary_requirements = models.TextField(
        _("dietary requirements"), blank=True, help_text=_("Seen only by the Secretariat.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event", "role", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="workshops_participant_once_per_event",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name="") | Q(organisation__isnull=False),
                name="workshops_participant_is_someone",
            ),
        ]

    def __str__(self) -> str:
        who = self.display_name
        return f"{who} – {self.event}" if self.event_id else who

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.user_id:
            return str(self.user)
        return str(self.organisation)


class Minutes(models.Model):
    """The record of an event: drafted, circulated, then approved at the next meeting."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated")
        APPROVED = "approved", _("Approved")

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="minutes"
    )
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    circulated_on = models.DateField(_("circulated on"), null=True, blank=True)
    approved_at = models.ForeignKey(
        Event,
        verbose_name=_("approved at meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    participants_notified_at = models.DateTimeField(
        _("participants notified"), null=True, blank=True, editable=False
    )
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approval recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="draft") | Q(circulated_on__isnull=True),
                name="workshops_minutes_draft_not_circulated",
            ),
            models.CheckConstraint(
                condition=~Q(status="circulated") | Q(circulated_on__isnull=False),
                name="workshops_minutes_circulated_has_date",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="approved", approved_at__isnull=False, approved_on__isnull=False)
                    | (
                        ~Q(status="approved")
                        & Q(approved_at__isnull=True, approved_on__isnull=True)
                    )
                ),
                name="workshops_minutes_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return _("Minutes of %(event)s") % {"event": self.event}

    def clean(self) -> None:
        if not self.event_id or (meeting := self.approved_at) is None:
            return
        event = self.event
        if meeting.pk == event.pk or meeting.start_date <= event.end_date:
            raise ValidationError(
                {
                    "approved_at": _(
                        "Minutes are approved at a later meeting than the one they record."
                    )
                }
            )
        if not event.is_same_body_as(meeting):
            raise ValidationError(
                {
                    "approved_at": _(
                        "Minutes are approved at a later meeting of the same body: the minutes "
                        "of a %(kind)s are not approved at “%(title)s” (%(other)s)."
                    )
                    % {
                        "kind": event.get_kind_display(),
                        "title": meeting.title,
                        "other": meeting.get_kind_display(),
                    }
                }
            )
        if self.approved_on and not meeting.start_date <= self.approved_on <= meeting.end_date:
            raise ValidationError(
                {
                    "approved_on": _(
                        "The date must fall within the meeting (%(start)s to %(end)s)."
                    )
                    % {
                        "start": date_format(meeting.start_date),
                        "end": date_format(meeting.end_date),
                    }
                }
            )


DOCUMENT_UPLOAD = UploadRule(
    kinds=["pdf", "docx", "xlsx", "pptx", "png", "jpeg", "gif", "webp"],
    max_bytes=20 * 1024 * 1024,
)


def document_upload_to(instance: "EventDocument", filename: str) -> str:
    return f"workshops/events/{instance.event_id}/{filename}"


class EventDocument(models.Model):
    class Kind(models.TextChoices):
        CONCEPT_NOTE = "concept_note", _("Concept note")
        AGENDA = "agenda", _("Agenda")
        REPORT = "report", _("Report")
        PRESENTATION = "presentation", _("Presentation")
        OTHER = "other", _("Other")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    file = ProtectedFileField(
        _("file"),
        upload_to=document_upload_to,
        max_length=300,
        validators=[DOCUMENT_UPLOAD],
        help_text=DOCUMENT_UPLOAD.help_text,
        download_view="workshops:document_download",
    )
    # Read from the file itself when it comes in (clean), never typed in.
    content_type = models.CharField(_("file type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["event", "kind", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""

    def clean_fields(self, exclude=None) -> None:
        # The type and size come from the file (clean), whichever path it came by.
        super().clean_fields(exclude={*(exclude or ()), "content_type", "size"})

    def clean(self) -> None:
        if content_type := detected_type(self.file, DOCUMENT_UPLOAD):
            self.content_type = content_type
            self.size = self.file.size
