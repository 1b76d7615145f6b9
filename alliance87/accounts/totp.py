"""Time-based one-time codes (RFC 6238), as allauth's authenticator app checks them.

allauth keeps its own implementation private; the portal needs the codes itself to claim each
code's time step in the database (services.two_factor_code_accept), to seed the demo's
authenticator and for `make totp`. The period, digits and tolerance are allauth's settings
(MFA_TOTP_PERIOD, MFA_TOTP_DIGITS, MFA_TOTP_TOLERANCE), so both read a code alike.
"""

import base64
import hashlib
import hmac
import secrets
import string
import struct
import time
from collections.abc import Iterator

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt

from .models import User

_SEPARATORS = str.maketrans("", "", string.punctuation + string.whitespace)


def secret_generate() -> str:
    """A new secret in base 32, as authenticator apps take it."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def time_step(at: float | None = None) -> int:
    """The number of the period `at` (now by default) falls in."""
    return int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD


def time_steps_accepted() -> Iterator[int]:
    """The periods whose code is accepted now: this one and allauth's tolerance either side."""
    current = time_step()
    for offset in range(-mfa_settings.TOTP_TOLERANCE, mfa_settings.TOTP_TOLERANCE + 1):
        yield current + offset


def code_for(secret: str, step: int) -> str:
    """The code of `secret` for the period `step`, with its leading zeros."""
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    digits = mfa_settings.TOTP_DIGITS
    return f"{value % 10**digits:0{digits}}"


def code_now(secret: str) -> str:
    return code_for(secret, time_step())


def codes_match(typed: str, expected: str) -> bool:
    """Whether a typed code is `expected`, spaces and dashes aside, in constant time."""
    typed = typed.translate(_SEPARATORS)
    try:
        return bool(expected) and secrets.compare_digest(typed, expected)
    except TypeError:  # characters outside ASCII cannot be a code
        return False


def authenticator_activate(*, user: User, secret: str) -> Authenticator:
    """Give `user` an authenticator app with `secret`, stored as allauth stores it (encrypted
    by its adapter), as if they had set it up themselves."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
    )
