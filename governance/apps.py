from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


# The selectors load pandas: imported when a page or a report first needs them, not when a
# process starts (a worker that renders no governance report never loads it).
def dashboard_summary(*, user) -> dict | None:
    from .selectors import dashboard_summary

    return dashboard_summary(user=user)


def gcg_composition_report(**parameters) -> dict:
    from .selectors import gcg_composition_report

    return gcg_composition_report(**parameters)


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from alliance87 import dashboard, navigation
        from alliance87.access import can_read_everything
        from alliance87.reports.kinds import ReportKind, register

        navigation.register(
            navigation.NavItem(_("GCG"), "governance:composition", navigation.has_role),
            navigation.NavItem(_("Groups"), "governance:group_list", navigation.has_role),
            navigation.NavItem(_("Partners"), "governance:partner_analysis", can_read_everything),
        )
        dashboard.register("governance", dashboard_summary)
        register(
            ReportKind(
                code="gcg_composition",
                label=_("GCG composition and rotation report"),
                template="governance/pdf/gcg_composition.html",
                context=gcg_composition_report,
                can_view=can_read_everything,
            )
        )
