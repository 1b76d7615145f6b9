from allauth.account.signals import password_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from alliance87.timezones import remember_default

from .models import SecurityEvent
from .services import security_event_record, user_email_verify


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs) -> None:
    security_event_record(kind=SecurityEvent.Kind.SIGNED_IN, request=request, user=user)


@receiver(user_logged_in)
def remember_time_zone(sender, request, user, **kwargs) -> None:
    # The country's zone is looked up once, at sign-in, not on every page.
    if request is not None and hasattr(request, "session"):
        remember_default(request, user)


@receiver(user_login_failed)
def record_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    email = credentials.get("email") or credentials.get("username") or ""
    security_event_record(kind=SecurityEvent.Kind.SIGN_IN_FAILED, request=request, email=email)


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        security_event_record(kind=SecurityEvent.Kind.SIGNED_OUT, request=request, user=user)


@receiver(password_reset)
def record_password_reset(sender, request, user, **kwargs) -> None:
    # Setting a password from an emailed link lifts the sign-in lockout of the address
    # (selectors.sign_in_locked_out) and proves the address: accepting an invitation is
    # setting a first password that way.
    security_event_record(kind=SecurityEvent.Kind.PASSWORD_RESET, request=request, user=user)
    user_email_verify(user=user)
