from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops and meetings")

    def ready(self) -> None:
        from alliance87 import dashboard, navigation
        from alliance87.access import can_read_everything
        from alliance87.reports.kinds import ReportKind, register

        from . import access, selectors

        navigation.register(
            # Public events are open to everyone signed in.
            navigation.NavItem(_("Events"), "workshops:event_list", navigation.signed_in),
            navigation.NavItem(_("Follow-ups"), "workshops:followup_board", can_read_everything),
        )
        dashboard.register("workshops", selectors.dashboard_summary)
        register(
            ReportKind(
                code="event_outcome",
                label=_("Event outcome report"),
                template="workshops/pdf/event_outcome.html",
                context=selectors.event_outcome_report,
                can_view=access.can_view_event_report,
                parameters=("event",),
            )
        )
