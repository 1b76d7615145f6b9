"""Absolute links for what leaves the portal (emails, calendar files): built from the address
the portal was reached at when a request is being answered, from SITE_URL otherwise (a
scheduled job, a command).

`RequestBaseMiddleware` notes the request's scheme and host (already checked against
ALLOWED_HOSTS) for the time of the request; `absolute_url(path)` reads it.
"""

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_base: ContextVar[str | None] = ContextVar("alliance87_link_base", default=None)


def absolute_url(path: str) -> str:
    """`path` (from reverse()) as an absolute link."""
    base = _base.get() or settings.SITE_URL
    return base.rstrip("/") + path


class RequestBaseMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _base.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _base.reset(token)
