import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from alliance87.choices import Theme
from alliance87.models import IloRegion
from alliance87.translated import translation_columns

from . import rotation


# The related managers of ActionGroup (chaired_groups, co_chaired_groups) are made from its
# manager, which django-modeltranslation makes when the app registry loads: the type
# checker's Django plugin cannot name them.
class Organisation(models.Model):  # type: ignore[django-manager-missing]
    """Any body the Alliance works with: governments, social partners, agencies, NGOs."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        WORKERS = "workers", _("Workers' organisation")
        EMPLOYERS = "employers", _("Employers' organisation")
        UN_AGENCY = "un_agency", _("UN or intergovernmental agency")
        CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
        ACADEMIA = "academia", _("Academia")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True, db_index=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    country = models.ForeignKey(
        "alliance87.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_(
            "As in IATI files, e.g. XM-DAC-41302 for the ILO; IATI imports find the organisation by it."
        ),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~models.Q(iati_identifier=""),
                name="governance_organisation_iati_identifier_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym or self.name

    @property
    def local_name(self) -> str:
        """A country's government is named as its country is, in the reader's language (CLDR:
        "Pays-Bas"); other organisations by their own name. Reads the country: select it with
        the organisation."""
        return self._country_name() or self.name

    @property
    def local_label(self) -> str:
        """As `str()` (the acronym, else the name), a country's government named as its country
        is in the reader's language."""
        return self._country_name() or str(self)

    def _country_name(self) -> str | None:
        country = self.country if self.country_id else None
        if country is not None and self.name == country.name:
            return country.local_name
        return None


class GCGMeeting(models.Model):
    """The GCG side of a meeting: its number and its decisions.

    The meeting itself is its event (``event``, required and unique, so the database holds one
    event per GCG meeting; ``event.gcg_meeting`` leads back): agenda, participants, documents
    and minutes live there. Title, date, place and format are copied from that event by
    workshops.services.event_set_gcg_number and are not edited here.
    """

    event = models.OneToOneField(
        "workshops.Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        related_name="gcg_meeting",
        help_text=_("The meeting itself: agenda, participants, documents and minutes."),
    )
    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True, editable=False)
    date = models.DateField(_("date"), editable=False)
    is_virtual = models.BooleanField(_("virtual"), default=False, editable=False)
    is_extraordinary = models.BooleanField(_("extraordinary"), default=False)
    location = models.CharField(_("location"), max_length=200, blank=True, editable=False)
    summary = models.TextField(_("summary"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("GCG meeting")
        verbose_name_plural = _("GCG meetings")
        ordering = ["-date"]

    def __str__(self) -> str:
        return _("%(number)s. GCG meeting (%(date)s)") % {
            "number": self.number,
            "date": formats.date_format(self.date),
        }

    def clean(self) -> None:
        if self.number is None or self.date is None:
            return
        # GCG meetings are numbered in the order they are held.
        others = GCGMeeting.objects.exclude(pk=self.pk)
        before = (
            others.filter(number__lt=self.number, date__gte=self.date).order_by("-number").first()
        )
        if before is not None:
            raise ValidationError(
                {
                    "number": _(
                        "GCG meetings are numbered in the order they are held: meeting "
                        "%(other)s was held on %(other_date)s, so meeting %(number)s is held "
                        "after that date, not on %(date)s."
                    )
                    % {
                        "other": before.number,
                        "other_date": _date(before.date),
                        "number": self.number,
                        "date": _date(self.date),
                    }
                }
            )
        after = (
            others.filter(number__gt=self.number, date__lte=self.date).order_by("number").first()
        )
        if after is not None:
            raise ValidationError(
                {
                    "number": _(
                        "GCG meetings are numbered in the order they are held: meeting "
                        "%(other)s is held on %(other_date)s, so meeting %(number)s is held "
                        "before that date, not on %(date)s."
                    )
                    % {
                        "other": after.number,
                        "other_date": _date(after.date),
                        "number": self.number,
                        "date": _date(self.date),
                    }
                }
            )


def decision_reference(meeting_number: int, number: int) -> str:
    """The GCG's own style: GCG/15/1 is the first decision of the 15th meeting."""
    return f"GCG/{meeting_number}/{number}"


# created_groups and closed_groups: ActionGroup's related managers (see Organisation).
class Decision(models.Model):  # type: ignore[django-manager-missing]
    """A recorded decision of the GCG; what it decides points back to it.

    Its reference and date come from its meeting (governance.services.decision_record).
    """

    class Kind(models.TextChoices):
        GRANT_PATHFINDER_STATUS = "grant_pathfinder_status", _("Grant Pathfinder status")
        CREATE_GROUP = "create_group", _("Create a group")
        CLOSE_GROUP = "close_group", _("Close a group")
        ADOPT_OUTPUT = "adopt_output", _("Adopt a workshop output")
        APPOINT = "appoint", _("Appoint an office holder or member")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        GCGMeeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.PositiveIntegerField(_("number at the meeting"), editable=False)
    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    date = models.DateField(_("date"), editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    text = models.TextField(_("text"))
    review_note = models.TextField(
        _("to be checked by the Secretariat"),
        blank=True,
        help_text=_("What the move to one record per meeting found inconsistent and changed."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("GCG decision")
        verbose_name_plural = _("GCG decisions")
        ordering = ["-date", "meeting__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="governance_decision_number_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        if self.meeting_id and self._state.adding and self.meeting.date > timezone.localdate():
            raise ValidationError(
                {"meeting": _("A decision is recorded once its meeting has been held.")}
            )
        if not self.meeting_id or self.number is None:
            return
        meeting = self.meeting
        if self.reference != decision_reference(meeting.number, self.number):
            raise ValidationError(
                {
                    "meeting": _(
                        "A decision's reference names its meeting: %(reference)s belongs to "
                        "meeting %(number)s."
                    )
                    % {
                        "reference": decision_reference(meeting.number, self.number),
                        "number": meeting.number,
                    }
                }
            )
        if self.date != meeting.date:
            raise ValidationError(
                {
                    "meeting": _("A decision is dated on its meeting's date (%(date)s).")
                    % {"date": meeting.date}
                }
            )


# Recorded in English, French and Spanish (translation.py).
GROUP_TEXTS = ("name", "purpose", "terms_of_reference")


# Its manager is made by django-modeltranslation when the app registry loads (translation.py),
# which the type checker's Django plugin cannot name.
class ActionGroup(models.Model):  # type: ignore[django-manager-missing]
    """An action group, or a working group (possibly under an action group)."""

    class Kind(models.TextChoices):
        ACTION_GROUP = "action_group", _("Action group")
        WORKING_GROUP = "working_group", _("Working group")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under action group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    chair = models.ForeignKey(
        Organisation,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_groups",
    )
    co_chair = models.ForeignKey(
        Organisation,
        verbose_name=_("co-chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="co_chaired_groups",
    )
    created_by_decision = models.ForeignKey(
        Decision,
        verbose_name=_("created by decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="created_groups",
    )
    closed_by_decision = models.ForeignKey(
        Decision,
        verbose_name=_("closed by decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_groups",
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    sponsors = models.ManyToManyField(
        Organisation,
        verbose_name=_("sponsoring member organisations"),
        blank=True,
        related_name="sponsored_groups",
    )
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    flagged_inactive_on = models.DateField(_("flagged inactive on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(excluded_fields=translation_columns(GROUP_TEXTS))

    class Meta:
        verbose_name = _("action or working group")
        verbose_name_plural = _("action and working groups")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="action_group", parent__isnull=False),
                name="governance_action_group_has_no_parent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed", closed_by_decision__isnull=True),
                name="governance_closed_group_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        created, closed = self.created_by_decision, self.closed_by_decision
        if created and created.kind != Decision.Kind.CREATE_GROUP:
            errors["created_by_decision"] = _(
                "A group is created by a GCG decision to create a group."
            )
        elif created and self.proposed_on and created.date < self.proposed_on:
            errors["created_by_decision"] = _(
                "A group is created at a GCG meeting held on or after its proposal (%(date)s)."
            ) % {"date": self.proposed_on}
        elif created and self.launched_on and self.launched_on != created.date:
            errors["launched_on"] = _(
                "A group starts on the date of the GCG meeting that created it (%(date)s)."
            ) % {"date": created.date}
        if closed and closed.kind != Decision.Kind.CLOSE_GROUP:
            errors["closed_by_decision"] = _("A group is closed by a GCG decision to close it.")
        elif closed and created and closed.date < created.date:
            errors["closed_by_decision"] = _(
                "A group cannot be closed at a meeting held before the one that created it."
            )
        if errors:
            raise ValidationError(errors)


# --- Fields added after 0001 live on the models above through later migrations; new models follow.


class ContactPerson(models.Model):
    """A person who speaks for an organisation: a portal user, or a contact record without an account."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="governance_contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="governance_contact_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


def _date(day) -> str:
    return formats.date_format(day) if day else "…"


def covered(spans, start, end) -> bool:
    """Whether the (start, end) spans, joined where one starts the day after another ends,
    cover every day from `start` to `end` (a span ending on None runs for ever)."""
    needed = start
    for span_start, span_end in sorted(spans, key=lambda span: span[0]):
        if span_start > needed:
            return False
        if span_end is None:
            return True
        if span_end >= needed:
            needed = span_end + datetime.timedelta(days=1)
        if needed > end:
            return True
    return False


# Recorded in English, French and Spanish (translation.py).
CONSTITUENCY_TEXTS = ("name",)
SEAT_TEXTS = ("label",)


# Its manager is made by django-modeltranslation when the app registry loads (translation.py),
# which the type checker's Django plugin cannot name.
class Constituency(models.Model):  # type: ignore[django-manager-missing]
    """A group of GCG seats and the rules its rotation follows; the rules are data, edited in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    seat_quota = models.PositiveSmallIntegerField(
        _("seat quota"), help_text=_("How many member seats the constituency has.")
    )
    max_per_region = models.PositiveSmallIntegerField(
        _("maximum seats per ILO region"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty when the region does not matter, e.g. 1 for Pathfinder Country seats."
        ),
    )
    term_years = models.PositiveSmallIntegerField(_("term length (years)"), default=3)
    max_consecutive_terms = models.PositiveSmallIntegerField(
        _("maximum consecutive terms"), default=2
    )
    max_change_share = models.DecimalField(
        _("largest share of seats changing in one year"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text=_(
            "Staggering: 0.50 means at most half of the seats change in one calendar year."
        ),
    )
    holder_kind = models.CharField(
        _("seats held by"),
        max_length=20,
        choices=Organisation.Kind.choices,
        blank=True,
        help_text=_(
            "The type of organisation that may hold the constituency's seats, e.g. governments "
            "for Pathfinder Country seats; empty for any type."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(excluded_fields=translation_columns(CONSTITUENCY_TEXTS))

    class Meta:
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Rules apply to current and future terms: a rule cannot change under them."""
        if not self.pk or None in (self.seat_quota, self.term_years, self.max_consecutive_terms):
            return
        today = timezone.localdate()
        running = (
            Membership.objects.filter(constituency_id=self.pk, role=Membership.Role.MEMBER)
            .filter(models.Q(term_end__gte=today) | models.Q(term_end__isnull=True))
            .select_related("organisation__country", "seat", "constituency")
        )
        errors: dict[str, str] = {}
        for membership in running:
            if membership.ends_on and membership.ends_on < today:
                continue
            for rule, _field, message in membership.rule_breaches(constituency=self):
                if rule == "term_years" and membership.term_start <= today:
                    continue  # a new term length applies to terms that have not started
                if rule in (
                    "seat_quota",
                    "term_years",
                    "max_consecutive_terms",
                    "max_per_region",
                    "holder_kind",
                ):
                    errors.setdefault(
                        rule,
                        _(
                            "%(organisation)s's term from %(start)s would break this rule: "
                            "%(message)s"
                        )
                        % {
                            "organisation": membership.organisation,
                            "start": _date(membership.term_start),
                            "message": message,
                        },
                    )
        if errors:
            raise ValidationError(errors)


# Its manager too is made by django-modeltranslation (see Constituency).
class Seat(models.Model):  # type: ignore[django-manager-missing]
    """One member seat of a constituency; members hold seats, observers do not."""

    constituency = models.ForeignKey(
        Constituency, verbose_name=_("constituency"), on_delete=models.PROTECT, related_name="seats"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=100, blank=True)
    region = models.CharField(
        _("reserved for ILO region"),
        max_length=30,
        choices=IloRegion.choices,
        blank=True,
        help_text=_("Only organisations of this region may hold the seat; empty for any region."),
    )
    history = HistoricalRecords(excluded_fields=translation_columns(SEAT_TEXTS))

    class Meta:
        verbose_name = _("GCG seat")
        verbose_name_plural = _("GCG seats")
        ordering = ["constituency__order", "constituency__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "number"], name="governance_seat_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.constituency} – {self.number}"

    def clean(self) -> None:
        if not self.pk or not self.region:
            return
        today = timezone.localdate()
        for membership in self.memberships.filter(
            role=Membership.Role.MEMBER, term_end__gte=today
        ).select_related("organisation__country"):
            country = membership.organisation.country
            if country is None or country.ilo_region != self.region:
                raise ValidationError(
                    {
                        "region": _(
                            "%(organisation)s holds this seat until %(end)s and is not in that "
                            "region: a regional seat goes to a country of its region."
                        )
                        % {
                            "organisation": membership.organisation,
                            "end": _date(membership.ends_on),
                        }
                    }
                )


class Membership(models.Model):
    """An organisation in the GCG, as member (holding a seat) or observer, for a term."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="gcg_memberships",
    )
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("constituency"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    seat = models.ForeignKey(
        Seat,
        verbose_name=_("seat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    left_on = models.DateField(
        _("left early on"),
        null=True,
        blank=True,
        help_text=_("Only when the term ended before its end date."),
    )
    representatives = models.ManyToManyField(
        ContactPerson, verbose_name=_("representatives"), blank=True, related_name="memberships"
    )
    appointed_by_decision = models.ForeignKey(
        Decision,
        verbose_name=_("appointed by decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords(m2m_fields=["representatives"])

    class Meta:
        verbose_name = _("GCG membership")
        verbose_name_plural = _("GCG memberships")
        ordering = ["constituency__order", "-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="member", seat__isnull=True),
                name="governance_member_holds_seat",
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="governance_membership_term_order",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("term_start")),
                name="governance_membership_left_after_start",
            ),
            models.UniqueConstraint(
                fields=["organisation", "constituency", "term_start"],
                name="governance_membership_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.constituency} ({self.get_role_display()})"

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if (
            self.seat_id
            and self.constituency_id
            and self.seat is not None
            and self.seat.constituency_id != self.constituency_id
        ):
            errors["seat"] = _("This seat belongs to another constituency.")
        if self.role == self.Role.MEMBER and not self.seat_id:
            errors["seat"] = _("A member holds a seat; choose one.")
        if self.role == self.Role.MEMBER and not self.term_end:
            errors["term_end"] = _("A member's term has an end date.")
        if self.term_end and self.term_start and self.term_end < self.term_start:
            errors["term_end"] = _("The term cannot end before it starts.")
        if self.left_on and self.term_start and self.left_on < self.term_start:
            errors["left_on"] = _("An organisation cannot leave before its term starts.")
        if self.role == self.Role.OBSERVER and self.seat_id:
            errors["seat"] = _("An observer holds no seat; leave the seat empty.")
        if errors:
            raise ValidationError(errors)
        if not (self.organisation_id and self.constituency_id and self.term_start):
            return
        breaches: dict[str, list[str]] = {}
        for _rule, field, message in self.rule_breaches():
            breaches.setdefault(field, []).append(message)
        uncovered = self._office_terms_left_uncovered() if self.pk else {}
        if breaches or uncovered:
            raise ValidationError({**breaches, **uncovered})

    def as_term(self) -> rotation.Term:
        country = self.organisation.country
        return rotation.Term(
            organisation_id=self.organisation_id,
            organisation=self.organisation.local_label,
            constituency=str(self.constituency_id),
            start=self.term_start,
            end=self.term_end,
            role=self.role,
            seat_id=self.seat_id,
            region=country.ilo_region if country else None,
            left_on=self.left_on,
        )

    def rule_breaches(
        self, constituency: "Constituency | None" = None
    ) -> list[tuple[str, str, str]]:
        """The seat rules this member term breaks, as (rule, field at fault, message).

        `constituency` stands for the constituency with rules not yet saved (a rule being edited).
        The rule is the name of the constituency's field that sets it.
        """
        if self.role != self.Role.MEMBER or not self.seat_id or not self.term_end:
            return []
        rules = constituency or self.constituency
        term = self.as_term()
        others = [
            m.as_term()
            for m in Membership.objects.filter(
                constituency_id=self.constituency_id, role=self.Role.MEMBER
            )
            .exclude(pk=self.pk)
            .select_related("organisation__country")
            .order_by("term_start", "pk")
        ]
        breaches = []
        if rules.holder_kind and self.organisation.kind != rules.holder_kind:
            breaches.append(
                (
                    "holder_kind",
                    "organisation",
                    _(
                        "The seats of %(constituency)s are held by: %(kind)s; %(organisation)s "
                        "is of the type %(its_kind)s (who may hold a seat)."
                    )
                    % {
                        "constituency": rules,
                        "kind": Organisation.Kind(rules.holder_kind).label,
                        "organisation": self.organisation,
                        "its_kind": self.organisation.get_kind_display(),
                    },
                )
            )
        seat = self.seat
        if seat is not None and seat.region and term.region != seat.region:
            breaches.append(
                (
                    "region",
                    "seat",
                    _(
                        "%(seat)s is reserved for %(region)s and %(organisation)s is not in that "
                        "region: a regional seat goes to a country of its region."
                    )
                    % {
                        "seat": seat,
                        "region": seat.get_region_display(),
                        "organisation": self.organisation,
                    },
                )
            )
        for other in others:
            if other.seat_id == self.seat_id and rotation.overlaps(other, term):
                breaches.append(
                    (
                        "seat",
                        "seat",
                        _(
                            "This seat is held by %(organisation)s from %(start)s to %(end)s: "
                            "one holder per seat at a time."
                        )
                        % {
                            "organisation": other.organisation,
                            "start": _date(other.start),
                            "end": _date(other.ends_on),
                        },
                    )
                )
                break
        longest = rotation.term_end_for(self.term_start, rules.term_years)
        if self.term_end > longest:
            breaches.append(
                (
                    "term_years",
                    "term_end",
                    _(
                        "A term in %(constituency)s lasts at most %(years)s years: starting on "
                        "%(start)s, it ends on %(longest)s at the latest (term length rule)."
                    )
                    % {
                        "constituency": rules,
                        "years": rules.term_years,
                        "start": _date(self.term_start),
                        "longest": _date(longest),
                    },
                )
            )
        in_a_row = rotation.consecutive_run([*others, term], term)
        if in_a_row > rules.max_consecutive_terms:
            breaches.append(
                (
                    "max_consecutive_terms",
                    "organisation",
                    _(
                        "%(organisation)s would serve %(count)s terms in a row in %(constituency)s, "
                        "at most %(limit)s: consecutive-term limit."
                    )
                    % {
                        "organisation": self.organisation,
                        "count": in_a_row,
                        "constituency": rules,
                        "limit": rules.max_consecutive_terms,
                    },
                )
            )
        at_once = rotation.most_at_once(others, term)
        if len(at_once) > rules.seat_quota:
            breaches.append(
                (
                    "seat_quota",
                    "seat",
                    _(
                        "%(constituency)s would have %(count)s members at once and its quota is "
                        "%(limit)s: constituency quota."
                    )
                    % {"constituency": rules, "count": len(at_once), "limit": rules.seat_quota},
                )
            )
        if rules.max_per_region is not None and term.region:
            same_region = [o for o in others if o.region == term.region]
            at_once = rotation.most_at_once(same_region, term)
            if len(at_once) > rules.max_per_region:
                breaches.append(
                    (
                        "max_per_region",
                        "organisation",
                        _(
                            "%(constituency)s would have %(count)s members from %(region)s at once "
                            "(%(names)s), at most %(limit)s: regional quota."
                        )
                        % {
                            "constituency": rules,
                            "count": len(at_once),
                            "region": IloRegion(term.region).label,
                            "names": ", ".join(sorted(t.organisation for t in at_once)),
                            "limit": rules.max_per_region,
                        },
                    )
                )
        return breaches

    def _office_terms_left_uncovered(self) -> dict[str, str]:
        """Shortening a membership (or moving it to another organisation) must not leave an
        office term uncovered that it covered."""
        stored = Membership.objects.filter(pk=self.pk).first()
        if stored is None:
            return {}
        for organisation_id in {self.organisation_id, stored.organisation_id}:
            others = Membership.objects.filter(organisation_id=organisation_id).exclude(pk=self.pk)
            spans = [(m.term_start, m.ends_on) for m in others]
            before, after = list(spans), list(spans)
            if organisation_id == stored.organisation_id:
                before.append((stored.term_start, stored.ends_on))
            if organisation_id == self.organisation_id:
                after.append((self.term_start, self.ends_on))
            for holder in OfficeHolder.objects.filter(
                organisation_id=organisation_id
            ).select_related("organisation"):
                term = (holder.term_start, holder.term_end)
                if covered(before, *term) and not covered(after, *term):
                    return self._office_error(holder)
        return {}

    def _office_error(self, holder: "OfficeHolder") -> dict[str, str]:
        if holder.organisation_id != self.organisation_id:
            field = "organisation"
        else:
            field = "left_on" if self.left_on else "term_end"
        return {
            field: _(
                "%(organisation)s is %(office)s from %(start)s to %(end)s and its GCG "
                "membership must cover that term: the Chair and Deputy Chair serve "
                "within a membership."
            )
            % {
                "organisation": holder.organisation,
                "office": holder.get_office_display(),
                "start": _date(holder.term_start),
                "end": _date(holder.term_end),
            }
        }

    @property
    def ends_on(self):
        """The day the membership really ends: an early departure wins over the term end."""
        if self.left_on and (self.term_end is None or self.left_on < self.term_end):
            return self.left_on
        return self.term_end


class OfficeHolder(models.Model):
    """The Chair or Deputy Chair of the Alliance for a term."""

    class Office(models.TextChoices):
        CHAIR = "chair", _("Chair")
        DEPUTY_CHAIR = "deputy_chair", _("Deputy Chair")

    office = models.CharField(_("office"), max_length=20, choices=Office.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="offices_held",
    )
    representative = models.ForeignKey(
        ContactPerson,
        verbose_name=_("representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offices_held",
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    appointed_by_decision = models.ForeignKey(
        Decision,
        verbose_name=_("appointed by decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="office_holders",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office holder")
        verbose_name_plural = _("office holders")
        ordering = ["-term_start", "office"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "term_start"], name="governance_office_unique_term"
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__gt=models.F("term_start")),
                name="governance_office_term_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_office_display()}: {self.organisation} ({self.term_start:%Y}–{self.term_end:%Y})"

    def clean(self) -> None:
        if not (self.term_start and self.term_end and self.office and self.organisation_id):
            return
        if self.term_end <= self.term_start:
            raise ValidationError({"term_end": _("The term must end after it starts.")})
        errors = {}
        overlapping = (
            OfficeHolder.objects.filter(
                office=self.office, term_start__lte=self.term_end, term_end__gte=self.term_start
            )
            .exclude(pk=self.pk)
            .select_related("organisation")
            .first()
        )
        if overlapping is not None:
            errors["term_start"] = _(
                "The %(office)s is held by %(organisation)s from %(start)s to %(end)s: one "
                "holder per office at a time."
            ) % {
                "office": self.get_office_display(),
                "organisation": overlapping.organisation,
                "start": _date(overlapping.term_start),
                "end": _date(overlapping.term_end),
            }
        spans = [
            (m.term_start, m.ends_on)
            for m in Membership.objects.filter(organisation_id=self.organisation_id)
        ]
        if not covered(spans, self.term_start, self.term_end):
            errors["organisation"] = _(
                "%(organisation)s is not a GCG member or observer for the whole term, from "
                "%(start)s to %(end)s: the Chair and Deputy Chair serve within a membership."
            ) % {
                "organisation": self.organisation,
                "start": _date(self.term_start),
                "end": _date(self.term_end),
            }
        if errors:
            raise ValidationError(errors)


class CallForInterest(models.Model):
    """A call for expressions of interest for an upcoming vacancy: a seat, or the Chair or Deputy Chair."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    seat = models.ForeignKey(
        Seat,
        verbose_name=_("seat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls_for_interest",
    )
    office = models.CharField(
        _("office"), max_length=20, choices=OfficeHolder.Office.choices, blank=True
    )
    vacancy_on = models.DateField(_("vacancy from"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    notes = models.TextField(_("notes"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appointed_membership = models.OneToOneField(
        Membership,
        verbose_name=_("appointed member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_for_interest",
    )
    appointed_office_holder = models.OneToOneField(
        OfficeHolder,
        verbose_name=_("appointed office holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_for_interest",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("call for expressions of interest")
        verbose_name_plural = _("calls for expressions of interest")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(seat__isnull=False) & models.Q(office=""))
                | (models.Q(seat__isnull=True) & ~models.Q(office="")),
                name="governance_call_for_seat_or_office",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="governance_call_dates_order",
            ),
        ]

    def __str__(self) -> str:
        target = self.seat or self.get_office_display()
        return _("Call for %(target)s (vacancy from %(date)s)") % {
            "target": target,
            "date": self.vacancy_on,
        }

    @property
    def appointment(self) -> "Membership | OfficeHolder | None":
        return self.appointed_membership or self.appointed_office_holder

    def clean(self) -> None:
        if bool(self.seat_id) == bool(self.office):
            raise ValidationError(
                _("A call is for either a seat or an office, not both or neither.")
            )
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A call cannot close before it opens.")})


class Candidate(models.Model):
    """An organisation that answered a call for expressions of interest."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        SELECTED = "selected", _("Selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    call = models.ForeignKey(
        CallForInterest, verbose_name=_("call"), on_delete=models.CASCADE, related_name="candidates"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    received_on = models.DateField(_("received on"))
    statement = models.TextField(_("statement of interest"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["received_on", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="governance_candidate_once_per_call"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.call}"


class GroupMembership(models.Model):
    """An organisation taking part in an action or working group."""

    group = models.ForeignKey(
        ActionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["joined_on", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation"], name="governance_group_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.group}"


class Workplan(models.Model):
    group = models.ForeignKey(
        ActionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="workplans"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    outcomes = models.TextField(_("outcomes"), help_text=_("One expected outcome a line."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("workplan")
        verbose_name_plural = _("workplans")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="governance_workplan_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.title}"

    @property
    def outcome_lines(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]


class GroupActivity(models.Model):
    """An entry of a group's activity log: a meeting held or an output produced."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        OUTPUT = "output", _("Output")

    group = models.ForeignKey(
        ActionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    link = models.URLField(_("link"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "date", "title"], name="governance_activity_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class GroupClosureProposal(models.Model):
    """The Secretariat's proposal to close an inactive group; a recorded GCG decision settles it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting a GCG decision")
        DECIDED = "decided", _("Closed by decision")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    group = models.ForeignKey(
        ActionGroup,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="closure_proposals",
    )
    proposed_on = models.DateField(_("proposed on"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closure_proposals",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("group closure proposal")
        verbose_name_plural = _("group closure proposals")
        ordering = ["-proposed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(status="open"),
                name="governance_one_open_closure_proposal",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="decided", decision__isnull=True),
                name="governance_decided_closure_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return _("Closing %(group)s") % {"group": self.group}

    def clean(self) -> None:
        decision = self.decision if self.decision_id else None
        if decision is None:
            return
        if decision.kind != Decision.Kind.CLOSE_GROUP:
            raise ValidationError(
                {"decision": _("A group is closed by a GCG decision to close it.")}
            )
        if self.proposed_on and decision.date < self.proposed_on:
            raise ValidationError(
                {
                    "decision": _(
                        "A closure is decided at a GCG meeting held on or after its proposal "
                        "(%(date)s)."
                    )
                    % {"date": self.proposed_on}
                }
            )


class Partner(models.Model):
    """An organisation that joined the Alliance as a partner."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="partner",
    )
    joined_on = models.DateField(_("joined on"), db_index=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return str(self.organisation)


class Engagement(models.Model):
    """Something a partner did with the Alliance."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Event participation")
        GROUP = "group", _("Action group membership")
        KNOWLEDGE = "knowledge", _("Knowledge contribution")
        COMMUNICATIONS = "communications", _("Communications")
        PLEDGE = "pledge", _("Pledge")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="engagements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    date = models.DateField(_("date"), db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("engagement record")
        verbose_name_plural = _("engagement records")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.partner} – {self.get_kind_display()} ({self.date})"


class PartnerService(models.Model):
    """A service the Alliance gave a partner."""

    class Kind(models.TextChoices):
        TECHNICAL_SUPPORT = "technical_support", _("Technical support")
        CONVENING = "convening", _("Convening and networking")
        KNOWLEDGE_PLATFORM = "knowledge_platform", _("Knowledge platform")
        COMMUNICATIONS = "communications", _("Communications support")
        CAPACITY_BUILDING = "capacity_building", _("Capacity building")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="services"
    )
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices, db_index=True)
    date = models.DateField(_("date"), db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service to a partner")
        verbose_name_plural = _("services to partners")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.partner} – {self.get_kind_display()} ({self.date})"
