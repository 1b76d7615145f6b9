"""The dashboard's sections, one per area that has something to say to the person.

This module imports no app: each app registers its summary in its AppConfig.ready() with
`register(area, summarise)`. `summarise(user=...)` returns the section's data, or None when
the area has nothing for that person; the section renders `<area>/dashboard_summary.html`.
Sections appear in the order the apps are installed.

The dashboard below the navigation (`content`: the person's roles and countries, then the
sections) is kept in the cache for its reader through alliance87.fragments: for the person,
their name, roles, language and time zone, the quarter hour and their session's CSRF secret (a
section may hold a form), until any area's data or the reference data changes.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from alliance87 import fragments
from alliance87.access import SignedInRequest, is_focal_point, role_labels
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


def content(request: SignedInRequest) -> SafeString:
    """The person's dashboard below the navigation, as HTML: from the cache while nothing it
    shows has changed."""
    user = request.user
    return fragments.cached_render(
        request,
        "dashboard_content.html",
        areas=(*AREAS, REFERENCE_AREA),
        # The welcome names the person; their roles are in the key, their countries are
        # reference data.
        part=f"{user.first_name}|{user.email}",
        context=lambda: _context(request),
        person=True,
        form=True,
    )


def _context(request: SignedInRequest) -> dict:
    user = request.user
    countries = []
    if is_focal_point(user):  # their countries, named on the page, in one query
        countries = [a.country for a in user.focal_point_assignments.select_related("country")]
    found = rendered_sections(request)
    return {
        "role_labels": role_labels(user),
        "focal_point_countries": countries,
        "sections": found,
        # A section may lead (a focal point's own report): the others follow, lighter.
        "has_lead": any(section.lead for section in found),
    }


def rendered_sections(request: HttpRequest) -> list[Section]:
    """The person's sections, each rendered by its area's template."""
    return [
        Section(
            area=section["area"],
            lead=bool(section.get("lead")),
            html=render_to_string(section["template"], {"summary": section}, request=request),
        )
        for section in sections(request.user)
    ]
