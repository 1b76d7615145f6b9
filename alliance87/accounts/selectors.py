from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from .models import SecurityEvent, User


def failed_sign_ins_reach(
    *, limit: int, since: datetime, email: str | None = None, ip_address: str | None = None
) -> bool:
    """Whether at least `limit` failed sign-ins for this address or IP address are stored since then."""
    events = SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED, occurred_at__gte=since
    )
    if email is not None:
        events = events.filter(email__iexact=email)
    if ip_address is not None:
        events = events.filter(ip_address=ip_address)
    # Counting stops at the limit: an address under attack may have thousands of rows.
    return events.values("pk")[:limit].count() >= limit


@dataclass(frozen=True)
class FailureLimit:
    amount: int
    seconds: float
    per: str  # "ip" (per IP address) or "key" (per email address, or per person)


_SECONDS_PER_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _failure_limit(rate: str) -> FailureLimit:
    # allauth's rate syntax: amount/duration[/per], e.g. 5/5m/key; "per" defaults to ip.
    amount, duration, *per = rate.strip().split("/")
    if len(per) > 1 or not duration or duration[-1] not in _SECONDS_PER_UNIT:
        raise ValueError(f"Not a rate: {rate!r} (e.g. 5/5m/key)")
    count = float(duration[:-1]) if duration[:-1] else 1.0
    return FailureLimit(
        amount=int(amount),
        seconds=count * _SECONDS_PER_UNIT[duration[-1]],
        per=per[0] if per else "ip",
    )


def sign_in_failure_limits() -> list[FailureLimit]:
    """SIGN_IN_FAILURE_LIMITS in allauth's rate syntax (e.g. 20/5m/ip,5/5m/key)."""
    rates = settings.SIGN_IN_FAILURE_LIMITS.strip()
    return [_failure_limit(rate) for rate in rates.split(",")] if rates else []


def sign_in_locked_out(*, email: str, ip_address: str | None) -> bool:
    """Whether the failed sign-ins stored in the database reach SIGN_IN_FAILURE_LIMITS (e.g.
    five per address and twenty per IP address in five minutes): the sign-in lockout.

    A password reset lifts the lockout of its address at once (as allauth intends): only the
    failures after the last reset count. An IPv6 address is matched exactly.
    """
    now = timezone.now()
    last_reset = None
    for rate in sign_in_failure_limits():
        since = now - timedelta(seconds=rate.seconds)
        if rate.per == "key" and email:
            if last_reset is None:
                last_reset = (
                    SecurityEvent.objects.filter(
                        kind=SecurityEvent.Kind.PASSWORD_RESET, email__iexact=email
                    ).aggregate(last=Max("occurred_at"))["last"]
                    or since
                )
            scope = {"email": email}
            since = max(since, last_reset)
        elif rate.per == "ip" and ip_address:
            scope = {"ip_address": ip_address}
        else:
            continue
        if failed_sign_ins_reach(limit=rate.amount, since=since, **scope):
            return True
    return False


def two_factor_locked_out(*, user: User) -> bool:
    """Whether the wrong two-factor codes stored for this user reach the per-person ("key")
    rates of SIGN_IN_FAILURE_LIMITS (e.g. five in five minutes).

    Only codes after the user's last accepted second factor count, so a person who mistyped
    before signing in is not locked out by those mistakes the next time.
    """
    now = timezone.now()
    last_accepted = Authenticator.objects.filter(user=user).aggregate(last=Max("last_used_at"))[
        "last"
    ]
    for rate in sign_in_failure_limits():
        if rate.per != "key":
            continue
        since = now - timedelta(seconds=rate.seconds)
        if last_accepted is not None and last_accepted > since:
            since = last_accepted
        events = SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.TWO_FACTOR_FAILED, user=user, occurred_at__gte=since
        )
        # Counting stops at the limit, as for failed sign-ins.
        if events.values("pk")[: rate.amount].count() >= rate.amount:
            return True
    return False
