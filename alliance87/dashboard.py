"""The dashboard's sections, one per area that has something to say to the person.

This module imports no app: each app registers its summary in its AppConfig.ready() with
`register(area, summarise)`. `summarise(user=...)` returns the section's data, or None when
the area has nothing for that person; the section renders `<area>/dashboard_summary.html`.
Sections appear in the order the apps are installed.
"""

from collections.abc import Callable

_SUMMARIES: dict[str, Callable[..., dict | None]] = {}


def register(area: str, summarise: Callable[..., dict | None]) -> None:
    _SUMMARIES[area] = summarise


def sections(user) -> list[dict]:
    found = []
    for area, summarise in _SUMMARIES.items():
        summary = summarise(user=user)
        if summary is not None:
            found.append({"area": area, "template": f"{area}/dashboard_summary.html", **summary})
    return found
