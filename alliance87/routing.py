from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse

# What `reverse` leaves unquoted in an argument (RFC 3986 sub-delimiters and "/~:@").
_URL_SAFE = "!$&'()*+,;=/~:@"
_MARKER = "987654321"


def route(name: str, *, current_app: str | None = None) -> Callable[[object], str]:
    """`reverse(name, args=[arg])` for the many rows of one table: the pattern is resolved
    once, and each argument is put in its place, quoted as `reverse` quotes it."""
    before, after = reverse(name, args=[_MARKER], current_app=current_app).split(_MARKER)
    return lambda arg: f"{before}{quote(str(arg), safe=_URL_SAFE)}{after}"
