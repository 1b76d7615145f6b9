import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from alliance87.links import absolute_url
from alliance87.models import Country, FocalPoint
from alliance87.outbox.services import email_render_and_queue, private_id
from alliance87.timezones import time_zone_for

from . import roles, totp
from .models import SecurityEvent, UsedTotpCode, User
from .selectors import two_factor_locked_out

logger = logging.getLogger("alliance87.security")


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as allauth's rate limits see it: X-Forwarded-For is read only
    as far as TRUSTED_PROXY_COUNT proxies of our own appended to it, never as the client
    wrote it."""
    if request is None:
        return None
    try:
        address: str | None = get_adapter(request).get_client_ip(request)
        return address
    except (PermissionDenied, ImproperlyConfigured):
        # No usable address in the header (malformed, or fewer proxies than configured).
        return request.META.get("REMOTE_ADDR") or None


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None,
    user: User | None = None,
    email: str = "",
) -> SecurityEvent:
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        email=(email or (user.email if user else ""))[:254],
        ip_address=client_ip(request),
        path=(request.get_full_path() if request else "")[:500],
    )
    logger.info(
        "security event %s",
        kind,
        extra={
            "event": kind,
            "user_id": user.pk if user else None,
            "email": event.email,
            "ip": event.ip_address,
            "path": event.path,
            "utc": event.occurred_at.isoformat(),
        },
    )
    return event


# Namespaces the advisory locks of sign-in attempts (the second key is the address's hash).
SIGN_IN_LOCK_NAMESPACE = 87


@contextmanager
def sign_in_attempt(*, email: str) -> Iterator[None]:
    """One password check at a time for an address, its failure stored before the next one
    starts: simultaneous tries cannot all pass the lockout check before any is counted.

    On PostgreSQL an advisory lock held until the transaction ends; SQLite serves one process
    (development) and needs none.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(lower(%s)))",
                    [SIGN_IN_LOCK_NAMESPACE, email],
                )
        yield


def _totp_time_step(authenticator: Authenticator, code: str) -> int | None:
    """The time step whose TOTP code `code` is, among those valid now (allauth's tolerance)."""
    secret = decrypt(authenticator.data["secret"])
    for step in totp.time_steps_accepted():
        if totp.codes_match(code, totp.code_for(secret, step)):
            return step
    return None


def _totp_step_claim(*, authenticator: Authenticator, step: int) -> bool:
    """Record the step as used; False if another request (in any process) used it first."""
    UsedTotpCode.objects.filter(
        authenticator=authenticator, time_step__lt=step - 2 * mfa_settings.TOTP_TOLERANCE
    ).delete()
    try:
        with transaction.atomic():
            UsedTotpCode.objects.create(authenticator=authenticator, time_step=step)
    except IntegrityError:
        return False
    return True


class TwoFactorLockedOut(Exception):
    """Too many wrong codes: every code is refused, the right one too, for a while."""


@transaction.atomic
def two_factor_code_accept(
    *, user: User, code: str, request: HttpRequest | None
) -> Authenticator | None:
    """The authenticator of `user` that accepts `code`, or None: the second factor's one check.

    The person's authenticators stay locked during the check, so codes sent at the same
    instant are checked one after another: each wrong one is stored (a security event)
    before the next is weighed against the limit (selectors.two_factor_locked_out), which
    raises TwoFactorLockedOut without looking at the code. A TOTP code is accepted once: its
    time step is claimed in the database, so a replay is refused whichever process it
    reaches, with Redis down as with it up (allauth remembers used codes only in the cache).
    A recovery code is spent by allauth in its authenticator's locked row.
    """
    authenticators = list(
        Authenticator.objects.select_for_update()
        .filter(user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES])
        .order_by("pk")
    )
    if two_factor_locked_out(user=user):
        raise TwoFactorLockedOut
    # The authenticator app first, as allauth does.
    for authenticator in sorted(authenticators, key=lambda a: a.type != Authenticator.Type.TOTP):
        if authenticator.type == Authenticator.Type.TOTP:
            step = _totp_time_step(authenticator, code)
            if step is not None and _totp_step_claim(authenticator=authenticator, step=step):
                return authenticator
        elif authenticator.wrap().validate_code(code):
            return authenticator
    security_event_record(kind=SecurityEvent.Kind.TWO_FACTOR_FAILED, request=request, user=user)
    return None


def invitation_url(*, user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    # In the person's language: the page that sets their password is the first they see.
    return absolute_url(f"{path}?{urlencode({'language': user.language})}")


@transaction.atomic
def user_email_verify(*, user: User) -> EmailAddress:
    """The person opened a link sent to their address (the invitation, a password reset):
    the address is theirs. Verified and primary, it lets them set up two-factor at once."""
    address, _created = EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True}
    )
    if not address.primary:
        address.set_as_primary()
    return address


def user_send_invitation(*, user: User, invited_by: User | None) -> None:
    """Email a link from which the person sets their password and signs in for the first
    time, through the outbox once the current transaction commits."""
    url = invitation_url(user=user)
    with translation.override(user.language):
        role_labels = [
            str(roles.ROLE_LABELS[g.name]) for g in user.groups.all() if g.name in roles.ROLE_LABELS
        ]
    email_render_and_queue(
        purpose="accounts.invitation",
        # Each invitation is its own email (the admin may send another); the link is not kept
        # in the key.
        object_id=f"{user.pk}:{private_id(url)}",
        to=user.email,
        language=user.language,
        time_zone=time_zone_for(user),
        template="account/email/invitation",
        context={
            "user": user,
            "invited_by": invited_by,
            "url": url,
            "role_labels": role_labels,
        },
    )


@transaction.atomic
def user_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    language: str = "en",
    countries: Iterable[Country] = (),
    capacity: str = FocalPoint.Capacity.GOVERNMENT,
    invited_by: User | None = None,
) -> User:
    """Create an account for a role and send its invitation once the account is stored.

    A focal point is bound to the countries given; that binding scopes their access.
    """
    if role not in roles.ROLES:
        raise ValueError(f"Unknown role {role!r}")
    countries = list(countries)
    if role == roles.FOCAL_POINT and not countries:
        raise ValidationError({"countries": _("A focal point answers for at least one country.")})
    user = User(
        email=email.strip().lower(),
        first_name=first_name,
        last_name=last_name,
        language=language,
        is_staff=role == roles.SECRETARIAT,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    if role == roles.FOCAL_POINT:
        for country in countries:
            focal_point = FocalPoint(user=user, country=country, capacity=capacity)
            focal_point.full_clean()
            focal_point.save()
    user_send_invitation(user=user, invited_by=invited_by)
    return user


# What a person may change on their own account.
_SETTINGS = ("language", "time_zone")


@transaction.atomic
def user_settings_update(*, user: User, language: str, time_zone: str) -> User:
    """A person's own settings: the language of the portal and their emails, and the time
    zone they read times in ("" for their country's)."""
    user.language = language
    user.time_zone = time_zone
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in _SETTINGS])
    user.save(update_fields=list(_SETTINGS))
    return user
