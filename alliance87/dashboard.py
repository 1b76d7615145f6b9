"""The dashboard's sections, one per area that has something to say to the person.

This module imports no app: each app registers its summary in its AppConfig.ready() with
`register(area, summarise)`. `summarise(user=...)` returns the section's data, or None when
the area has nothing for that person; the section renders `<area>/dashboard_summary.html`.
Sections appear in the order the apps are installed.

The rendered sections are kept in the cache for their reader (`rendered_sections`, through
alliance87.fragments): for the person, their roles, language and time zone, the quarter hour and
their session's CSRF secret (a section may hold a form), until any area's data changes.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from alliance87 import fragments
from alliance87.aggregates import AREAS, REFERENCE_AREA

_SUMMARIES: dict[str, Callable[..., dict | None]] = {}


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


def rendered_sections(request: HttpRequest) -> list[Section]:
    """The person's sections as HTML: from the cache while nothing they read has changed."""
    return fragments.cached(
        request,
        areas=(*AREAS, REFERENCE_AREA),
        name="dashboard",
        compute=lambda: _render(request),
        person=True,
        form=True,
    )


def _render(request: HttpRequest) -> list[Section]:
    return [
        Section(
            area=section["area"],
            lead=bool(section.get("lead")),
            html=render_to_string(section["template"], {"summary": section}, request=request),
        )
        for section in sections(request.user)
    ]
