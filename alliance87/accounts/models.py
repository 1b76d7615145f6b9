from typing import ClassVar

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance87.timezones import validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class AccountHistory(HistoricalRecords):
    """A person's history leaves out the password hash and the time of the last sign-in; a save
    that changes only those (a sign-in, a new password) adds no entry."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


class User(AbstractUser):
    """A person who signs in with an email address; roles are groups (see roles.py)."""

    # Django removes an inherited field set to None; the stub knows only the field.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Emails to this person are written in this language."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "Times are shown to this person in this IANA time zone, e.g. Pacific/Fiji. "
            "Empty: the time zone of the country they answer for, else UTC."
        ),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # A user model without a username has its own manager (Django's documented way); the stub
    # expects Django's UserManager, whose methods take a username.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]
    # Roles are groups: who gave whom which role is part of the record.
    history = AccountHistory(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class SecurityEvent(models.Model):
    """A sign-in, a failed sign-in, a wrong two-factor code, a password reset, a sign-out or a
    refused access, kept for audit. The failed ones also count towards the sign-in lockout."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        TWO_FACTOR_FAILED = "two_factor_failed", _("Wrong two-factor code")
        PASSWORD_RESET = "password_reset", _("Password reset")
        SIGNED_OUT = "signed_out", _("Signed out")
        ACCESS_REFUSED = "access_refused", _("Access refused")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    email = models.CharField(_("email given"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["kind", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.email or self.user_id} {self.occurred_at:%Y-%m-%d %H:%M}"


class UsedTotpCode(models.Model):
    """A TOTP time step whose code was accepted: each code signs in once, in every process.

    The unique constraint is the claim: of two requests bearing the same code, one inserts the
    row and the other fails. Steps that can no longer be valid are pruned at the next claim.
    """

    authenticator = models.ForeignKey(
        Authenticator, verbose_name=_("authenticator"), on_delete=models.CASCADE, related_name="+"
    )
    time_step = models.BigIntegerField(_("time step"))
    used_at = models.DateTimeField(_("used at"), default=timezone.now)

    class Meta:
        verbose_name = _("used two-factor code")
        verbose_name_plural = _("used two-factor codes")
        constraints = [
            models.UniqueConstraint(
                fields=["authenticator", "time_step"], name="accounts_totp_step_used_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authenticator_id}@{self.time_step}"


class ApiToken(models.Model):
    """A personal API token: its owner names it and sees it once; only its hash is stored.

    The token reads `a87_<prefix>_<secret>`: the prefix finds the row and is shown in the
    lists, the whole token's SHA-256 is compared. It stops working when revoked or expired.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    token_hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and self.expires_at > moment


class ApiRequest(models.Model):
    """One request to the API: who (token, person), from where, when (UTC) and its answer."""

    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("token"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
