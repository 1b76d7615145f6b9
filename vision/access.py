"""Who may open the "Vision and progress" page: every signed-in reader with a role in the
Alliance (GCG members and observers, focal points, the Secretariat). Its figures are
Alliance-wide aggregates (the open data publishes the same kind: the gap by year and region,
the journey stages); the only per-country parts are the pipeline's country names, linked to
the country's page for those who may read it and to its public profile for the others."""

from alliance87.access import AccessRefused, can_read_everything, focal_point_country_ids
from alliance87.navigation import has_role


def may_read_vision(user) -> bool:
    return has_role(user)


def require_vision_reader(user) -> None:
    if not may_read_vision(user):
        raise AccessRefused


def readable_country_ids(user) -> frozenset[int] | None:
    """The countries whose page this reader may open (None: every country)."""
    if can_read_everything(user):
        return None
    return frozenset(focal_point_country_ids(user))
