"""The latency floor of bench/pages.py: a bare view that answers from memory.

Served only when BENCH_FLOOR is set (see alliance87/urls.py). It passes through the same
middleware as every page (sessions, authentication, CSRF, CSP, the two-factor check) and
returns as many bytes as the page it is compared with, so the difference is the page's own
work: its queries, its Python and its template.
"""

from django.http import Http404, HttpRequest, HttpResponse

MAX_SIZE = 64_000_000
_BODIES: dict[int, bytes] = {}


def floor(request: HttpRequest, size: int) -> HttpResponse:
    if size > MAX_SIZE:
        raise Http404
    body = _BODIES.get(size)
    if body is None:
        body = _BODIES.setdefault(size, b"x" * size)
    return HttpResponse(body, content_type="text/html; charset=utf-8")
