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
        from alliance87 import dashboard, navigation, timezones
        from alliance87.access import is_secretariat
        from alliance87.reports.kinds import ReportKind, register

        from . import access, selectors

        # A person who chose no time zone reads times in their country's.
        timezones.register_default_provider(focal_point_time_zone)
        navigation.register(
            navigation.NavItem(
                _("Pathfinder Countries"), "pathfinders:overview", navigation.has_role
            ),
            navigation.NavItem(_("Review queue"), "pathfinders:review_queue", is_secretariat),
        )
        dashboard.register("pathfinders", selectors.dashboard_summary)
        register(
            ReportKind(
                code="country_dossier",
                label=_("Pathfinder country accountability dossier"),
                template="pathfinders/pdf/country_dossier.html",
                context=selectors.country_dossier_report,
                can_view=access.can_view_country_dossier,
                parameters=("country",),
            )
        )
        # The Alliance-wide report is registered by the vision app, which adds its chapter.
