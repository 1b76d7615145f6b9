import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, answer with a friendly 503 instead of an error page.

    The page is rendered without a request context, so it needs no database itself. The next
    request reconnects by itself (CONN_HEALTH_CHECKS); nothing needs restarting.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except DATABASE_ERRORS as error:
            return database_unavailable(error)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(exception)
        return None


DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_error_behind(error: BaseException | None) -> BaseException | None:
    """The database error that `error` is, or was raised while handling, if any (e.g. Django's
    SessionInterrupted, raised when the session could not be saved because the database
    went away)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DATABASE_ERRORS):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def database_unavailable(error: BaseException) -> HttpResponse:
    """The friendly 503 page; also answered by the 400 and 500 handlers (alliance87.views)
    for a database error raised in a middleware (loading or saving the session), which
    Django turns into a 400 or 500 before any outer middleware sees it."""
    logger.error("database unavailable: %s", error)
    response = HttpResponse(render_to_string("errors/503.html"), status=503)
    response["Retry-After"] = "30"
    return response


class PermissionsPolicyMiddleware:
    """Every response tells the browser which powerful features the portal never uses
    (settings.PERMISSIONS_POLICY): a script injected into a page could not switch them on."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
