from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisionConfig(AppConfig):
    """The Alliance against Target 8.7's deadlines: a page that reads every area (Pathfinder
    figures, funding, events), so it sits above them; nothing depends on it."""

    name = "vision"
    verbose_name = _("Vision and progress")

    def ready(self) -> None:
        from alliance87 import navigation
        from alliance87.access import can_read_everything
        from alliance87.navigation import NavItem, has_role
        from alliance87.reports.kinds import ReportKind, register

        from . import selectors

        navigation.register(NavItem(_("Vision and progress"), "vision:progress", has_role))
        register(
            ReportKind(
                code="alliance_accountability",
                label=_("Alliance-wide accountability report"),
                template="pathfinders/pdf/alliance_accountability.html",
                context=selectors.alliance_accountability_report,
                can_view=can_read_everything,
            )
        )
