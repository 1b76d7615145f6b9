import logging
from collections.abc import Iterable

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from alliance87.outbox.services import email_render_and_queue, private_id
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
