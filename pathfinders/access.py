"""Who may see or change Pathfinder records: one helper per object type.

Outsiders get AccessRefused (a 404, logged); people who may read but not write get
PermissionDenied (a 403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from alliance87.access import (
    AccessRefused,
    Person,
    can_read_everything,
    focal_point_country_ids,
    is_focal_point,
    is_secretariat,
)

from .models import PathfinderCountry, ProgressReport


def may_use_pathfinders(user: Person) -> bool:
    return can_read_everything(user) or is_focal_point(user)


def require_pathfinder_reader(user: Person) -> None:
    """For list pages: anyone with a role in this area; outsiders get a 404."""
    if not may_use_pathfinders(user):
        raise AccessRefused


def visible_pathfinders(user: Person) -> QuerySet[PathfinderCountry]:
    queryset = PathfinderCountry.objects.all()
    if can_read_everything(user):
        return queryset
    return queryset.filter(country_id__in=focal_point_country_ids(user))


def visible_reports(user: Person) -> QuerySet[ProgressReport]:
    """The progress reports a person may read (the API's list of reports)."""
    queryset = ProgressReport.objects.all()
    if can_read_everything(user):
        return queryset
    return queryset.filter(pathfinder__country_id__in=focal_point_country_ids(user))


def get_pathfinder_for_user(
    user: Person, iso_code: str, *, write: bool = False
) -> PathfinderCountry:
    """A Pathfinder Country by ISO code; `write` means starting a report for it."""
    pathfinder = (
        PathfinderCountry.objects.select_related("country", "status_decision")
        .filter(country__iso_code=iso_code.upper())
        .first()
    )
    if pathfinder is None:
        raise AccessRefused
    own = pathfinder.country_id in focal_point_country_ids(user)
    if not (own or can_read_everything(user)):
        raise AccessRefused
    if write and not own:
        raise PermissionDenied
    return pathfinder


def get_public_pathfinder(iso_code: str) -> PathfinderCountry:
    pathfinder = (
        PathfinderCountry.objects.select_related("country")
        .filter(country__iso_code=iso_code.upper(), is_public=True)
        .first()
    )
    if pathfinder is None:
        raise AccessRefused
    return pathfinder


def get_report_for_user(user: Person, pk: int, *, write: bool = False) -> ProgressReport:
    """A progress report; `write` means filling it in, which only its own focal points do.

    Read with what its pages show besides its parts; filling it in shows who last saved it
    but not who submitted, returned or accepted it (a join each, on the form opened and
    saved most)."""
    people = (
        ("updated_by",) if write else ("submitted_by", "returned_by", "accepted_by", "updated_by")
    )
    report = (
        ProgressReport.objects.select_related(
            "pathfinder__country", "period__framework_version", *people
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise AccessRefused
    own = report.pathfinder.country_id in focal_point_country_ids(user)
    if not (own or can_read_everything(user)):
        raise AccessRefused
    if write and not own:
        raise PermissionDenied
    return report


def get_report_for_review(user: Person, pk: int) -> ProgressReport:
    """Reviewing (accepting, returning) is the Secretariat's."""
    report = get_report_for_user(user, pk)
    if not is_secretariat(user):
        raise PermissionDenied
    return report


def require_secretariat(user: Person) -> None:
    if not may_use_pathfinders(user):
        raise AccessRefused
    if not is_secretariat(user):
        raise PermissionDenied


def can_view_country_dossier(user: Person, *, country: str) -> bool:
    """The dossier is open to whoever may open the country page."""
    try:
        get_pathfinder_for_user(user, country)
    except AccessRefused:
        return False
    return True
