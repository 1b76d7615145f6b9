import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from alliance87 import dashboard as dashboard_page
from alliance87.access import SignedInRequest
from alliance87.api import errors as api_errors
from alliance87.errors import errors_reach_the_team
from alliance87.middleware import database_error_behind, database_unavailable
from alliance87.redirects import is_safe_next
from alliance87.tasks import HEARTBEAT_KEY

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@login_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    # Each area registers its section (alliance87.dashboard).
    return render(request, "dashboard.html", {"content": dashboard_page.content(request)})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on the person's account."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    if isinstance(response, HttpResponseRedirect) and not is_safe_next(request, response.url):
        return redirect("home")
    return response


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and docker-compose: the database answers; when a worker last ran."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "worker_heartbeat": cache.get(HEARTBEAT_KEY)})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if api_errors.is_api(request):
        return api_errors.json_error(403, "permission_denied", str(exception or "Forbidden"))
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if api_errors.is_api(request):
        return api_errors.not_found()
    return render(request, "errors/404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The session could not be saved because the database went away (SessionInterrupted):
    # an outage, not a bad request.
    if error := database_error_behind(exception):
        return database_unavailable(error)
    if api_errors.is_api(request):
        return api_errors.json_error(400, "bad_request", "Bad request.")
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Called while the uncaught exception is being handled. A database error raised in a
    # middleware (loading the session or the user while PostgreSQL restarts) is an outage,
    # not a bug: the same 503 page as the views get, rendered without touching the database.
    if error := database_error_behind(sys.exc_info()[1]):
        return database_unavailable(error)
    if api_errors.is_api(request):
        return api_errors.server_error()
    return render(request, "errors/500.html", {"team_told": errors_reach_the_team()}, status=500)
