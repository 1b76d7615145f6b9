"""Funding requirements, funding flows, exchange rates and the Secretariat's functions.

Money is always a Decimal with its ISO 4217 currency code. USD figures are derived from the
yearly exchange-rate table when the figures are analysed; the original amount is never
overwritten.
"""

import datetime
import hashlib
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance87.choices import DurbanArea, Theme
from alliance87.fields import ChoiceListField
from alliance87.jobs import Job
from alliance87.translated import translation_columns
from alliance87.uploads import UploadRule, named_upload

from .currencies import ISO_4217_CODES

FIRST_YEAR = 2000
LAST_YEAR = 2100
# A single flow above this USD equivalent is taken for a typing error (an extra zero, a
# figure in the wrong currency) rather than a real grant.
MAX_FLOW_USD = Decimal("1000000000")

currency_code_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code in capitals, e.g. USD, EUR, CHF.")
)
year_validators = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def validate_currency_code(value: str) -> None:
    currency_code_validator(value)
    if value not in ISO_4217_CODES:
        raise ValidationError(
            _("%(code)s is not an ISO 4217 currency code."), params={"code": value}, code="currency"
        )


class RecipientKind(models.TextChoices):
    COUNTRY = "country", _("Pathfinder country programme")
    ACTION_GROUP = "action_group", _("Global programme (action group)")
    SECRETARIAT = "secretariat", _("Alliance 8.7 Secretariat")


class FlowStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    COMMITTED = "committed", _("Committed")
    PAID = "paid", _("Paid")


# Funding counts toward coverage once committed (the humanitarian tracking convention).
COUNTED_STATUSES = (FlowStatus.COMMITTED, FlowStatus.PAID)


def _recipient_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=(
                models.Q(
                    recipient_kind=RecipientKind.COUNTRY,
                    country__isnull=False,
                    action_group__isnull=True,
                )
                | models.Q(
                    recipient_kind=RecipientKind.ACTION_GROUP,
                    country__isnull=True,
                    action_group__isnull=False,
                )
                | models.Q(
                    recipient_kind=RecipientKind.SECRETARIAT,
                    country__isnull=True,
                    action_group__isnull=True,
                )
            ),
            name=f"{prefix}_recipient_matches_kind",
        ),
        models.CheckConstraint(
            condition=models.Q(secretariat_function__isnull=True)
            | models.Q(recipient_kind=RecipientKind.SECRETARIAT),
            name=f"{prefix}_function_only_for_secretariat",
        ),
        models.CheckConstraint(condition=models.Q(amount__gt=0), name=f"{prefix}_amount_positive"),
        models.CheckConstraint(
            condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name=f"{prefix}_currency_code"
        ),
    ]


class RecipientMixin(models.Model):
    """Who receives the money: a Pathfinder country programme, an action group or the Secretariat."""

    recipient_kind = models.CharField(
        _("recipient"), max_length=20, choices=RecipientKind.choices, db_index=True
    )
    country = models.ForeignKey(
        "alliance87.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action_group = models.ForeignKey(
        "governance.ActionGroup",
        verbose_name=_("action group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    secretariat_function = models.ForeignKey(
        "financing.SecretariatFunction",
        verbose_name=_("Secretariat function"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only for the Secretariat: the function the money is earmarked for, if any."),
    )
    theme = models.CharField(
        _("theme"),
        max_length=30,
        choices=Theme.choices,
        blank=True,
        help_text=_("Leave empty for cross-cutting work."),
    )
    durban_areas = ChoiceListField(
        _("Durban Call to Action areas"),
        choices=DurbanArea.choices,
        blank=True,
        help_text=_("The commitment areas of the Durban Call to Action the money serves."),
    )
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[validate_currency_code]
    )
    is_demo = models.BooleanField(_("demo figure"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def recipient_label(self) -> str:
        if self.recipient_kind == RecipientKind.COUNTRY and self.country_id:
            return str(self.country)
        if self.recipient_kind == RecipientKind.ACTION_GROUP and self.action_group_id:
            return str(self.action_group)
        return str(RecipientKind.SECRETARIAT.label)

    def clean_recipient_and_amount(self) -> None:
        errors = {}
        kind = self.recipient_kind
        if kind == RecipientKind.COUNTRY and not self.country_id:
            errors["country"] = _("Choose the country whose programme receives the money.")
        if kind != RecipientKind.COUNTRY and self.country_id:
            errors["country"] = _("Only a country programme names a country.")
        if kind == RecipientKind.ACTION_GROUP and not self.action_group_id:
            errors["action_group"] = _("Choose the action group that runs the programme.")
        if kind != RecipientKind.ACTION_GROUP and self.action_group_id:
            errors["action_group"] = _("Only a global programme names an action group.")
        if kind != RecipientKind.SECRETARIAT and self.secretariat_function_id:
            errors["secretariat_function"] = _("Only the Secretariat's funding names a function.")
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("The amount must be more than zero.")
        if errors:
            raise ValidationError(errors)


class ExchangeRate(models.Model):
    """How many US dollars one unit of a currency was worth in a year (USD itself is 1)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    usd_per_unit = models.DecimalField(
        _("USD per unit"),
        max_digits=20,
        decimal_places=10,
        validators=[MinValueValidator(Decimal("0.0000000001"))],
        help_text=_("E.g. 1.0800000000 for EUR when one euro was worth 1.08 US dollars."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("E.g. UN operational rates, yearly average."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-year", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "currency"], name="financing_rate_one_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(usd_per_unit__gt=0), name="financing_rate_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(currency="USD"), name="financing_rate_not_usd"
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"),
                name="financing_rate_currency_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.year}: {self.usd_per_unit} USD"

    def clean(self) -> None:
        if self.currency == "USD":
            raise ValidationError(
                {"currency": _("USD needs no rate: it is the reference currency.")}
            )


# Recorded in English, French and Spanish (translation.py).
SECRETARIAT_FUNCTION_TEXTS = ("name", "description")


# Its manager is made by django-modeltranslation when the app registry loads (translation.py),
# which the type checker's Django plugin cannot name.
class SecretariatFunction(models.Model):  # type: ignore[django-manager-missing]
    """A service of the Secretariat with what it costs a year."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    annual_cost = models.DecimalField(
        _("annual cost (USD)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What the function costs a year at its current level, in US dollars."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=1,
        help_text=_("Funding that is not earmarked covers functions in this order (1 first)."),
    )
    is_demo = models.BooleanField(_("demo figure"), default=False)
    history = HistoricalRecords(excluded_fields=translation_columns(SECRETARIAT_FUNCTION_TEXTS))

    class Meta:
        verbose_name = _("Secretariat function")
        verbose_name_plural = _("Secretariat functions")
        ordering = ["priority", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_cost__gte=0), name="financing_function_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FundingRequirement(RecipientMixin):
    """What a Pathfinder roadmap, a global programme or the Secretariat needs for a theme in a year."""

    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators, db_index=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding requirement")
        verbose_name_plural = _("funding requirements")
        ordering = ["-year", "recipient_kind"]
        constraints = [
            *_recipient_constraints("financing_requirement"),
            models.UniqueConstraint(
                fields=["country", "theme", "year"],
                condition=models.Q(recipient_kind=RecipientKind.COUNTRY),
                name="financing_requirement_country_unique",
            ),
            models.UniqueConstraint(
                fields=["action_group", "theme", "year"],
                condition=models.Q(recipient_kind=RecipientKind.ACTION_GROUP),
                name="financing_requirement_group_unique",
            ),
            models.UniqueConstraint(
                fields=["secretariat_function", "theme", "year"],
                condition=models.Q(
                    recipient_kind=RecipientKind.SECRETARIAT, secretariat_function__isnull=False
                ),
                name="financing_requirement_function_unique",
            ),
            models.UniqueConstraint(
                fields=["theme", "year"],
                condition=models.Q(
                    recipient_kind=RecipientKind.SECRETARIAT, secretariat_function__isnull=True
                ),
                name="financing_requirement_secretariat_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_label} {self.year}: {self.amount} {self.currency}"

    def clean(self) -> None:
        self.clean_recipient_and_amount()


IMPORT_UPLOAD = UploadRule(kinds=["csv", "xlsx", "xml"], max_bytes=10 * 1024 * 1024)


class NumberFormat(models.TextChoices):
    """How a file writes its numbers: the thousands separator and the decimal mark."""

    DOT = "dot", "1,234.50"
    COMMA = "comma", "1.234,50"
    SPACE = "space", "1 234,50"


class DateFormat(models.TextChoices):
    """How a file writes its dates (cells that are dates in a workbook need none)."""

    YMD = "ymd", _("yyyy-mm-dd")
    DMY = "dmy", _("dd/mm/yyyy")
    MDY = "mdy", _("mm/dd/yyyy")


class ImportFileKind(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    IATI = "iati", _("IATI activity XML")


class FundingFlowImport(Job):
    """One upload of funding flows, checked and written by a background job (alliance87.jobs).

    The file is kept in the row (not on disk) so a worker on another host can read it, and so
    an attempt lost with its worker can run again; it is emptied once the file is imported or
    refused. A refused file stays as a record, with its errors, but writes no flow.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Checking")
        # Checked: what would be stored is shown, waiting for the Secretariat to confirm.
        PREVIEWED = "previewed", _("Waiting for confirmation")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    class Step(models.TextChoices):
        CHECKING = "checking", _("Checking the rows")
        WRITING = "writing", _("Writing the flows")

    FINISHED = (Status.PREVIEWED, Status.DONE, Status.FAILED)

    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file checksum (SHA-256)"), max_length=64, db_index=True)
    content = models.BinaryField(_("file content"), default=bytes, editable=False)
    content_type = models.CharField(
        _("file type"),
        max_length=120,
        blank=True,
        editable=False,
        help_text=_("Read from the file's content when it was uploaded."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("flows added"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows already recorded"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors (first ones)"), default=list, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    file_kind = models.CharField(
        _("kind of file"), max_length=10, choices=ImportFileKind.choices, blank=True
    )
    number_format = models.CharField(
        _("number format"), max_length=10, choices=NumberFormat.choices, default=NumberFormat.DOT
    )
    date_format = models.CharField(
        _("date format"), max_length=10, choices=DateFormat.choices, default=DateFormat.YMD
    )
    updated_count = models.PositiveIntegerField(_("flows updated"), default=0)
    not_placed_count = models.PositiveIntegerField(_("transactions not placed"), default=0)
    # What each row does (added, updated with its changes, unchanged, not placed), with the
    # values before and after, so the page can show it and an undo can put them back.
    rows = models.JSONField(_("rows"), default=list, blank=True, editable=False)
    plan_digest = models.CharField(_("checksum of the preview"), max_length=64, blank=True)
    preview_changed = models.BooleanField(
        _("recorded flows changed since the preview"), default=False
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("funding flow import")
        verbose_name_plural = _("funding flow imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def undo_until(self):
        """The last moment this import may be undone (FUNDING_FLOW_IMPORT_UNDO_DAYS)."""
        if self.status != self.Status.DONE or not self.finished_at:
            return None
        return self.finished_at + datetime.timedelta(days=settings.FUNDING_FLOW_IMPORT_UNDO_DAYS)

    def clean(self) -> None:
        # The upload is checked once, as it comes in (the content is emptied once imported).
        if self._state.adding:
            upload = named_upload(self.file_name, bytes(self.content))
            try:
                self.content_type = IMPORT_UPLOAD.check(upload).mime
            except ValidationError as error:
                raise ValidationError({"content": error.messages}) from error

    @property
    def stopped(self) -> bool:
        """Failed because the job could not finish, not because the file had errors."""
        return self.status == self.Status.FAILED and bool(self.error_detail)

    @property
    def progress_percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.row_count:
            return 0
        return min(99, self.processed_rows * 100 // self.row_count)


def flow_fingerprint(
    *,
    source_id: int,
    recipient_kind: str,
    country_id: int | None,
    action_group_id: int | None,
    secretariat_function_id: int | None,
    theme: str,
    amount: Decimal,
    currency: str,
    decision_date,
    year_start: int,
    year_end: int,
    reference: str,
) -> str:
    """The natural key of a flow; the status is left out, as it changes over a flow's life."""
    parts = [
        source_id,
        recipient_kind,
        country_id or "",
        action_group_id or "",
        secretariat_function_id or "",
        theme,
        f"{Decimal(amount):.2f}",
        currency,
        decision_date.isoformat(),
        year_start,
        year_end,
        reference.strip().casefold(),
    ]
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()


# Typographic quotes, dashes and spaces, folded to what a keyboard types.
_TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u00a0\u202f\u2009\u2007\u200a\t", " "),
    }
)


def name_key(value: str) -> str:
    """A name as it is compared: Unicode NFC, typographic quotes and dashes folded, spaces
    collapsed, case folded ("Côte d’Ivoire" typed decomposed matches "Côte d'Ivoire")."""
    folded = unicodedata.normalize("NFC", str(value)).translate(_TYPOGRAPHIC)
    return unicodedata.normalize("NFC", " ".join(folded.split()).casefold())


def flow_identity(*, source_id: int | None, reference: str) -> str:
    """Who gave it and under which of their references: a flow's identity across imports
    (OCHA FTS). Empty without a reference: such a flow is known by its fingerprint only."""
    if not source_id or not reference.strip():
        return ""
    return f"ref:{source_id}:{name_key(reference)}"[:255]


def iati_identity(*, activity: str, transaction: str) -> str:
    """An IATI transaction's identity: its activity identifier and its own reference."""
    return f"iati:{activity.strip()}:{transaction.strip()}"[:255]


class FundingFlow(RecipientMixin):
    """Money from a source organisation to a recipient, in its original currency."""

    source = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="funding_flows",
    )
    receiver = models.ForeignKey(
        "governance.Organisation",
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_flows_received",
        help_text=_(
            "The organisation that receives the money, when the donor names one (e.g. the ILO "
            "for the Secretariat, or a national agency)."
        ),
    )
    decision_date = models.DateField(_("decision date"))
    year_start = models.PositiveSmallIntegerField(
        _("first year covered"), validators=year_validators
    )
    year_end = models.PositiveSmallIntegerField(_("last year covered"), validators=year_validators)
    status = models.CharField(_("status"), max_length=20, choices=FlowStatus.choices, db_index=True)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The donor's own reference, if any."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True, editable=False)
    identity_key = models.CharField(
        _("identity"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_(
            "The source and the donor's reference (or the IATI activity and transaction): "
            "importing a row with the same identity updates this flow."
        ),
    )
    import_batch = models.ForeignKey(
        FundingFlowImport,
        verbose_name=_("imported with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flows",
        editable=False,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding flow")
        verbose_name_plural = _("funding flows")
        ordering = ["-decision_date", "-pk"]
        indexes = [
            models.Index(fields=["recipient_kind", "year_start", "year_end"]),
            # The admin list: its order (newest decision first), date hierarchy and filters.
            models.Index(fields=["decision_date", "id"], name="financing_flow_decided_idx"),
            models.Index(fields=["currency"], name="financing_flow_currency_idx"),
            models.Index(fields=["theme"], name="financing_flow_theme_idx"),
        ]
        constraints = [
            *_recipient_constraints("financing_flow"),
            models.CheckConstraint(
                condition=models.Q(year_end__gte=models.F("year_start")),
                name="financing_flow_years_ordered",
            ),
            models.UniqueConstraint(
                fields=["identity_key"],
                condition=~models.Q(identity_key=""),
                name="financing_flow_identity_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.recipient_label}: {self.amount} {self.currency} ({self.get_status_display()})"

    def compute_fingerprint(self) -> str:
        return flow_fingerprint(
            source_id=self.source_id,
            recipient_kind=self.recipient_kind,
            country_id=self.country_id,
            action_group_id=self.action_group_id,
            secretariat_function_id=self.secretariat_function_id,
            theme=self.theme,
            amount=self.amount,
            currency=self.currency,
            decision_date=self.decision_date,
            year_start=self.year_start,
            year_end=self.year_end,
            reference=self.reference,
        )

    def clean(self) -> None:
        self.clean_recipient_and_amount()
        if self.year_start and self.year_end and self.year_end < self.year_start:
            raise ValidationError({"year_end": _("The last year covered comes before the first.")})
        if (
            self.source_id
            and self.amount
            and self.decision_date
            and self.year_start
            and self.year_end
        ):
            self.fingerprint = self.compute_fingerprint()
            if not self.identity_key.startswith("iati:"):
                self.identity_key = flow_identity(
                    source_id=self.source_id, reference=self.reference
                )
            if (
                self.identity_key
                and FundingFlow.objects.filter(identity_key=self.identity_key)
                .exclude(pk=self.pk)
                .exists()
            ):
                raise ValidationError(
                    {
                        "reference": _(
                            "This source already has a flow with this reference; change that flow instead."
                        )
                    }
                )
            duplicate = FundingFlow.objects.filter(fingerprint=self.fingerprint).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError(
                    _(
                        "This flow is already recorded (same source, recipient, amount, date and years)."
                    )
                )
