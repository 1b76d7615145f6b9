from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import translation

from alliance87.redirects import is_safe_next

from .selectors import sign_in_locked_out
from .services import client_ip, sign_in_attempt


@dataclass(frozen=True)
class PortalSite:
    """What allauth's emails call the site: the portal's name, and the address it was reached
    at (SITE_URL's when no request is being answered)."""

    name: str
    domain: str


PORTAL_NAME = "Alliance 8.7"


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # In the language saved on the person's account (the page that asked may be in
        # another), naming the portal rather than the host it runs on.
        request = context.get("request") or getattr(allauth_context, "request", None)
        domain = request.get_host() if request else urlsplit(settings.SITE_URL).netloc
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(
                template_prefix,
                email,
                {**context, "current_site": PortalSite(name=PORTAL_NAME, domain=domain)},
            )

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts come from the Secretariat (admin or invitation), never from sign-up.
        return False

    def is_safe_url(self, url: str | None) -> bool:
        # Sign-in, sign-out, two-factor and re-authentication follow `next` by the portal's rule.
        return is_safe_next(allauth_context.request, url)

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        # The check of the lockout, the password and the storing of a failure happen for one
        # try of an address at a time (services.sign_in_attempt).
        email = credentials.get("email") or credentials.get("username") or ""
        with sign_in_attempt(email=email):
            return super().authenticate(request, **credentials)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        # The lockout is counted from the failed sign-ins stored in the database (one count
        # for every web process, with Redis down as with it up); allauth's own count in the
        # cache is switched off (ACCOUNT_RATE_LIMITS["login_failed"]). A refused try raises
        # before the password is checked, so it is not stored and does not prolong the lockout.
        email = credentials.get("email") or credentials.get("username") or ""
        if sign_in_locked_out(email=email, ip_address=client_ip(request)):
            raise self.validation_error("too_many_login_attempts")


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        user = authenticator.user
        if (
            settings.MFA_REQUIRED_FOR_STAFF
            and user.is_staff
            and authenticator.type == Authenticator.Type.TOTP
        ):
            return False
        return super().can_delete_authenticator(authenticator)
