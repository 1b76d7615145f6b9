"""Parts of pages rendered once and kept in the cache while nothing they show has changed.

A part is keyed by the tokens of the areas whose data it shows (alliance87.aggregates: any
write to them renders it anew) and by what it reads besides the data (`reader_key`): the
reader's language and time zone and the quarter hour always; the person and their roles when the
part is theirs; the session's CSRF secret when it holds a form. The views stay as they are:
they hand over the template and a function that gathers its context, called only when the
part is not in the cache.
"""

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from alliance87.access import role_names
from alliance87.aggregates import NotKept, cached_under, versioned_key

T = TypeVar("T")
R = TypeVar("R")

# What a part shows changes with time alone at a midnight somewhere: a report turns late at
# midnight in its country's time, an action overdue at midnight in the reader's, a countdown
# moves on a day. Every time zone's offset from UTC is a whole number of quarter hours, so
# nothing a part shows changes within a quarter hour of UTC: parts are kept per quarter hour
# (not per minute, which had every page rendered anew each minute, by all its readers at once).
SLOT_MINUTES = 15
FRAGMENT_SECONDS = SLOT_MINUTES * 60


def time_slot(now: datetime.datetime | None = None) -> str:
    """The quarter hour of UTC `now` (default: the present) falls in, for a key."""
    now = (now or timezone.now()).astimezone(datetime.UTC)
    start = now.replace(minute=now.minute - now.minute % SLOT_MINUTES, second=0, microsecond=0)
    return start.strftime("%Y-%m-%dT%H:%M")


def reader_key(request: HttpRequest, *, person: bool = False, form: bool = False) -> str:
    """What a part reads besides the data of its areas."""
    parts = [
        get_language() or "",
        timezone.get_current_timezone_name(),
        time_slot(),
    ]
    if person:
        user = request.user
        # Everything the access helpers read of the person besides the areas' data: their
        # roles, and the flags that make a member of the Secretariat one.
        flags = f"staff={user.is_staff},superuser={user.is_superuser}"
        parts += [str(user.pk), ",".join(sorted(role_names(user))), flags]
    if form:
        # A first visit has no CSRF secret yet: it gets one now (and its cookie with the
        # page) whether the part comes from the cache or not. The secret changes at each
        # sign-in, and a form's token is made from it.
        get_token(request)
        parts.append(request.META.get("CSRF_COOKIE", ""))
    return "|".join(parts)


def cached(
    request: HttpRequest,
    *,
    areas: Iterable[str],
    name: str,
    compute: Callable[[], T],
    person: bool = False,
    form: bool = False,
) -> T:
    """`compute()`, or what it returned for the same part, reader and data."""
    return cached_under(
        key(request, areas=areas, name=name, person=person, form=form), compute, FRAGMENT_SECONDS
    )


def key(
    request: HttpRequest,
    *,
    areas: Iterable[str],
    name: str,
    person: bool = False,
    form: bool = False,
) -> str:
    """The cache key of the part `name` for this reader and the data of `areas` as it stands."""
    full = versioned_key(areas, f"{name}|{reader_key(request, person=person, form=form)}")
    # One token per area and the reader's parts make the key long: kept short for the cache.
    return "fragment:" + hashlib.sha256(full.encode()).hexdigest()


def cached_render(
    request: HttpRequest,
    template_name: str,
    *,
    areas: Iterable[str],
    context: Callable[[], dict],
    part: str = "",
    person: bool = False,
    form: bool = False,
) -> SafeString:
    """The template rendered with `context()`, or as it was rendered for the same reader
    while none of `areas` has changed. `part` names what else it depends on: the record it
    shows, the filters in the address."""
    return cached(
        request,
        areas=areas,
        name=f"{template_name}|{part}",
        compute=lambda: SafeString(render_to_string(template_name, context(), request=request)),
        person=person,
        form=form,
    )


def cached_response(
    key: str,
    respond: Callable[[], HttpResponseBase],
    *,
    payload: Callable[[HttpResponseBase], Any],
    rebuild: Callable[[Any], HttpResponseBase],
) -> HttpResponseBase:
    """`respond()`'s answer, or one rebuilt from what was kept of it under `key` (`key()`).

    `payload(answer)` is what is kept of an answer (the API's data, an admin page's bytes),
    None for an answer never kept (anything but 200); `rebuild(payload)` makes an answer of it
    again. The reader who computed gets the answer as the view made it.
    """
    made: list[HttpResponseBase] = []

    def compute() -> Any:
        answer = respond()
        made.append(answer)
        kept = payload(answer)
        if kept is None:
            raise NotKept(answer)
        return kept

    found = cached_under(key, compute, FRAGMENT_SECONDS)
    return made[0] if made else rebuild(found)


@dataclass(frozen=True)
class Page:
    """A record's page as the person sees it: its title and its main part, rendered."""

    title: str
    content: SafeString


def cached_page(
    request: HttpRequest,
    template_name: str,
    *,
    areas: Iterable[str],
    part: str,
    load: Callable[[], R],
    title: Callable[[R], str],
    context: Callable[[R], dict],
    form: bool = False,
) -> Page:
    """A record's page for the person, kept as `cached_render` keeps a part. `load()` is the
    record's access helper: it reads the record and checks the person may see it, raising
    AccessRefused or PermissionDenied (nothing is kept then).

    It is called only when the page is not in the cache: a page is kept for one person (their
    roles and Secretariat flags in its key) and only once they were let in, and anything that
    could shut them out later (a focal point's countries, an event's registrations or
    openness, a report's status) is data of the `areas`, whose next write leaves the page
    behind. `part` names the record as its address does.
    """

    def render_page() -> Page:
        record = load()
        content = render_to_string(template_name, context(record), request=request)
        return Page(title=title(record), content=SafeString(content))

    return cached(
        request,
        areas=areas,
        name=f"{template_name}|{part}",
        compute=render_page,
        person=True,
        form=form,
    )
