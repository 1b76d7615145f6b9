"""Personal API tokens: created, found by the token a client sends, revoked. Every write of a
token goes through here, from the account page and the admin alike."""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance87.access import is_secretariat

from .models import ApiRequest, ApiToken, User
from .services import client_ip

logger = logging.getLogger("alliance87.api")

TOKEN_START = "a87_"  # noqa: S105  the start every token shares, not a secret


def token_hash(plain: str) -> str:
    # A token is 32 random bytes: a plain digest cannot be reversed, and a lookup stays one query.
    return hashlib.sha256(plain.encode()).hexdigest()


def api_token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` days; the plain token is returned once, never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name, e.g. the system that uses it.")]})
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {
                "days": [
                    _("A token is valid for 1 to %(days)s days.")
                    % {"days": settings.API_TOKEN_MAX_DAYS}
                ]
            }
        )
    prefix = secrets.token_hex(4)
    plain = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        token_hash=token_hash(plain),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    token.full_clean(exclude=["token_hash"])
    token.save()
    return token, plain


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Its owner or the Secretariat revokes a token; revoking twice changes nothing."""
    if token.user_id != by.pk and not is_secretariat(by):
        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    token.refresh_from_db()
    return token


def api_token_find(plain: str) -> ApiToken | None:
    """The active token a client sent, with its owner; None for anything else."""
    if not plain.startswith(TOKEN_START) or len(plain) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(plain), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_active_at(now) or not token.user.is_active:
        return None
    # Written at most once a minute per token: a burst of requests is one UPDATE.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_request_record(*, request: HttpRequest, status: int) -> ApiRequest:
    """The log line and row of one API request: token, person, IP address and UTC time."""
    token = getattr(request, "auth", None)
    token = token if isinstance(token, ApiToken) else None
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    entry = ApiRequest.objects.create(
        token=token,
        user=user,
        method=(request.method or "")[:10],
        path=request.get_full_path()[:500],
        status=status,
        ip_address=client_ip(request),
    )
    logger.info(
        "api request %s %s %s",
        entry.method,
        entry.path,
        status,
        extra={
            "token": token.prefix if token else None,
            "user_id": user.pk if user else None,
            "ip": entry.ip_address,
            "status": status,
            "utc": entry.occurred_at.isoformat(),
        },
    )
    return entry
