from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance87.choices import Theme


class Organisation(models.Model):
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
        "pathfinders.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.acronym or self.name


class GCGMeeting(models.Model):
    """A numbered meeting of the Global Coordinating Group."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    date = models.DateField(_("date"))
    is_virtual = models.BooleanField(_("virtual"), default=False)
    is_extraordinary = models.BooleanField(_("extraordinary"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("GCG meeting")
        verbose_name_plural = _("GCG meetings")
        ordering = ["-date"]

    def __str__(self) -> str:
        return _("%(number)s. GCG meeting (%(date)s)") % {"number": self.number, "date": self.date}


class Decision(models.Model):
    """A recorded decision of the GCG; what it decides points back to it."""

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
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("GCG decision")
        verbose_name_plural = _("GCG decisions")
        ordering = ["-date", "reference"]

    def __str__(self) -> str:
        return self.reference


class ActionGroup(models.Model):
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
    history = HistoricalRecords()

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
