import logging
from collections.abc import Iterable

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pathfinders.models import Country, FocalPoint

from . import roles
from .models import SecurityEvent, User

logger = logging.getLogger("alliance87.security")


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.PRODUCTION:
        # The proxy in front of gunicorn appends the client's address last.
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


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


def invitation_url(*, user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


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
    """Email a link from which the person sets their password and signs in for the first time."""
    with translation.override(user.language):
        context = {
            "user": user,
            "invited_by": invited_by,
            "url": invitation_url(user=user),
            "role_labels": [
                str(roles.ROLE_LABELS[g.name])
                for g in user.groups.all()
                if g.name in roles.ROLE_LABELS
            ],
        }
        subject = render_to_string("account/email/invitation_subject.txt", context).strip()
        body = render_to_string("account/email/invitation_message.txt", context)
    send_mail(subject, body, None, [user.email])


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
    transaction.on_commit(lambda: user_send_invitation(user=user, invited_by=invited_by))
    return user
