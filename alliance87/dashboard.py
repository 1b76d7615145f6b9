"""The dashboard's sections, one per area that has something to say to the person.

This module imports no app: each app registers its summary in its AppConfig.ready() with
`register(area, summarise)`. `summarise(user=...)` returns the section's data, or None when
the area has nothing for that person; the section renders `<area>/dashboard_summary.html`.
Sections appear in the order the apps are installed.

The rendered sections are kept in the cache for their reader (`rendered_sections`): the key
names everything they read besides the data (the person, their roles, language and time zone,
the minute, and the session's CSRF secret, since a section may hold a form) and the tokens of
every area, so any write to any area's data renders them anew on the next visit.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from alliance87.aggregates import AREAS, REFERENCE_AREA, cached_under, versioned_key

_SUMMARIES: dict[str, Callable[..., dict | None]] = {}
# At most a minute: a report turns late at midnight in its country's time, and the sections
# count the days left.
FRAGMENT_SECONDS = 60


@dataclass(frozen=True)
class Section:
    area: str
    # The person's own task (a focal point's report): shown first, on its own.
    lead: bool
    html: SafeString


def register(area: str, summarise: Callable[..., dict | None]) -> None:
    _SUMMARIES[area] = summarise


def sections(user) -> list[dict]:
    found = []
    for area, summarise in _SUMMARIES.items():
        summary = summarise(user=user)
        if summary is not None:
            found.append({"area": area, "template": f"{area}/dashboard_summary.html", **summary})
    return found


def rendered_sections(request: HttpRequest, *, roles: list[str]) -> list[Section]:
    """The person's sections as HTML: from the cache while nothing they read has changed."""
    key = versioned_key((*AREAS, REFERENCE_AREA), _reader_key(request, roles))
    # One token per area makes the key long: kept short for the cache.
    short = "dashboard:" + hashlib.sha256(key.encode()).hexdigest()
    return cached_under(short, lambda: _render(request), FRAGMENT_SECONDS)


def _render(request: HttpRequest) -> list[Section]:
    return [
        Section(
            area=section["area"],
            lead=bool(section.get("lead")),
            html=render_to_string(section["template"], {"summary": section}, request=request),
        )
        for section in sections(request.user)
    ]


def _reader_key(request: HttpRequest, roles: list[str]) -> str:
    # A first visit has no CSRF secret yet: it gets one now (and its cookie with the page),
    # whether the sections come from the cache or not.
    get_token(request)
    minute = timezone.now().strftime("%Y-%m-%dT%H:%M")
    reader = "|".join(
        [
            str(request.user.pk),
            ",".join(roles),
            get_language() or "",
            timezone.get_current_timezone_name(),
            minute,
            # The CSRF secret (rotated at each sign-in): a section's form carries a token of it.
            request.META.get("CSRF_COOKIE", ""),
        ]
    )
    return hashlib.sha256(reader.encode()).hexdigest()
