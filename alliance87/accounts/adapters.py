from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from alliance87.cache import cache_is_failing
from alliance87.redirects import is_safe_next

from .selectors import sign_in_locked_out
from .services import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts come from the Secretariat (admin or invitation), never from sign-up.
        return False

    def is_safe_url(self, url: str | None) -> bool:
        # Sign-in, sign-out, two-factor and re-authentication follow `next` by the portal's rule.
        return is_safe_next(context.request, url)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        # allauth counts failed sign-ins in the cache. With Redis unreachable the cache fails
        # soft and that count is always empty, which would give a brute-force attack unlimited
        # tries; then the failed sign-ins stored in the database (SecurityEvent) decide, with
        # the same rates and the same message. While the cache works allauth alone decides
        # (and a password reset lifts the lockout at once, as allauth intends).
        # Wrong two-factor codes are limited from the database too (forms.WrongCodesLimitedMixin).
        # allauth's other rate limits (password reset emails, re-authentication by password)
        # count only in the cache: they fail open while Redis is down.
        if not cache_is_failing():
            return
        email = credentials.get("email") or credentials.get("username") or ""
        if sign_in_locked_out(email=email, ip_address=client_ip(request)):
            self._rollback_login_failed_rl_usage()
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
