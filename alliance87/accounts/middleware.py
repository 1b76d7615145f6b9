from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from alliance87.access import AccessRefused
from alliance87.timezones import time_zone_for_request

from .models import SecurityEvent
from .services import security_event_record

# Paths a staff member without an authenticator may still reach: sign-in, sign-out,
# setting up two-factor, the language switch and the files the pages need.
_OPEN_PREFIXES = (
    "/accounts/",
    "/i18n/",
    "/static/",
    "/media/",
    "/healthz",
    # The open data and the API's documentation, which need no sign-in.
    "/api/v1/public/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/data/",
)


class RequireStaffTwoFactorMiddleware:
    """Secretariat staff must set up an authenticator app before using the portal."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and user.is_authenticated
            and user.is_staff
            and not request.path.startswith(_OPEN_PREFIXES)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "status": 403,
                        "code": "two_factor_required",
                        "detail": "Set up two-factor authentication first.",
                    },
                    status=403,
                )
            return redirect(
                f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied | AccessRefused):
            security_event_record(
                kind=SecurityEvent.Kind.ACCESS_REFUSED,
                request=request,
                user=request.user if request.user.is_authenticated else None,
            )


class UserLanguageMiddleware:
    """A signed-in person sees the portal in the language saved on their account. Before
    signing in, a link may name the language (`?language=fr`, as the invitation's link
    does for the person invited): it is used and remembered in the language cookie."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            return self.get_response(request)
        asked = request.GET.get("language", "")
        if asked not in dict(settings.LANGUAGES):
            return self.get_response(request)
        translation.activate(asked)
        request.LANGUAGE_CODE = asked
        response = self.get_response(request)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            asked,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response


class UserTimeZoneMiddleware:
    """Every time on a page is shown in the reader's time zone: the one saved on their
    account, else their country's (kept in the session from sign-in), else UTC. Anonymous
    readers see UTC. After AuthenticationMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        time_zone = time_zone_for_request(request)
        setattr(request, "time_zone", time_zone)  # noqa: B010  read by the templates
        with timezone.override(time_zone):
            return self.get_response(request)
