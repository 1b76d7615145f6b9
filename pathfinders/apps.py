from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def focal_point_time_zone(user) -> str | None:
    """A focal point reads times in the zone of the country they answer for (the first by
    name, if several)."""
    return (
        user.focal_point_assignments.order_by("country__name")
        .values_list("country__time_zone", flat=True)
        .first()
    )


class PathfindersConfig(AppConfig):
    name = "pathfinders"
    verbose_name = _("Pathfinder Countries")

    def ready(self) -> None:
        from alliance87 import timezones

        # A person who chose no time zone reads times in their country's.
        timezones.register_default_provider(focal_point_time_zone)
