"""Where a form may send the person next: only back into the portal.

Every `next` a request names (a hidden field, a query parameter, allauth's redirect field)
goes through `is_safe_next`, so no page of the portal forwards anyone to another site.
"""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_FIELD = "next"


def is_safe_next(request: HttpRequest | None, url: str | None) -> bool:
    """The address stays on this host (a path, or this host's URL), with HTTPS once the
    request came over HTTPS: no other host, no `//host`, no `javascript:`, no backslash
    tricks, no control characters."""
    if not url or request is None:
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, fallback: str, *args, **kwargs) -> str:
    """The `next` the request names (POST first, then the query) if it is safe, else the
    fallback (a URL name, with its arguments, or a path)."""
    target = request.POST.get(NEXT_FIELD) or request.GET.get(NEXT_FIELD)
    if target and is_safe_next(request, target):
        return target
    return resolve_url(fallback, *args, **kwargs)


def redirect_next(request: HttpRequest, fallback: str, *args, **kwargs) -> HttpResponseRedirect:
    return HttpResponseRedirect(safe_next(request, fallback, *args, **kwargs))
