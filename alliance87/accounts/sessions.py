"""A form posted after its author's session expired, kept until they sign in again.

Kept only for a request that carries the cookie of a session that expired while a real user
was signed in (not ended by signing out, nor by a password change), once per expired session,
and only up to MAX_KEPT_FORM_BYTES. Anyone else's post is dropped: no session row is ever
created for a stranger. The form is handed back only to the user it was kept for.
"""

import enum
import json
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

MAX_KEPT_FORM_BYTES = 256 * 1024
KEPT_FORM_KEY = "accounts:form-kept-after-expiry"


class Kept(enum.Enum):
    KEPT = "kept"
    TOO_LARGE = "too_large"
    NOT_A_RETURNING_USER = "not_a_returning_user"


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def expired_session_user_id(request: HttpRequest) -> int | None:
    """The user whose expired session the request's cookie names, if it was still theirs."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return None
    store = _session_store()
    row = (
        store.get_model_class()
        .objects.filter(session_key=session_key[:40], expire_date__lte=timezone.now())
        .first()
    )
    if row is None:
        return None
    data = store().decode(row.session_data)
    user = get_user_model().objects.filter(pk=data.get(SESSION_KEY), is_active=True).first()
    if user is None or not constant_time_compare(
        data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        return None
    return user.pk


def form_keep(request: HttpRequest, *, key: str, data: dict, files: list[str]) -> tuple[Kept, int]:
    """Keep a form posted by someone whose session expired; returns what happened and the
    form's size in bytes."""
    current = request.session.get(KEPT_FORM_KEY)
    user_id = current["user"] if current else expired_session_user_id(request)
    entry = {"user": user_id, "key": key, "data": data, "files": files}
    raw = len(json.dumps(entry, separators=(",", ":")).encode())
    if user_id is None:
        return Kept.NOT_A_RETURNING_USER, raw
    stored = len(request.session.encode({KEPT_FORM_KEY: entry}))
    if max(raw, stored) > MAX_KEPT_FORM_BYTES:
        return Kept.TOO_LARGE, raw
    if current is None:
        # One kept form per expired session: a replayed cookie keeps nothing more.
        _session_store()(request.COOKIES[settings.SESSION_COOKIE_NAME][:40]).delete()
    request.session[KEPT_FORM_KEY] = entry
    return Kept.KEPT, raw


def form_take(request: HttpRequest, *, key: str) -> dict | None:
    """The form kept under `key` for the signed-in user ({"data": ..., "files": [...]}), once."""
    entry = request.session.get(KEPT_FORM_KEY)
    if not entry or entry["key"] != key:
        return None
    del request.session[KEPT_FORM_KEY]
    if entry["user"] != request.user.pk:
        return None
    return entry
