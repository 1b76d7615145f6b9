from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from alliance87 import dashboard, demo, navigation
        from alliance87.access import can_read_everything
        from alliance87.reports.kinds import ReportKind, register

        from . import selectors

        navigation.register(
            navigation.NavItem(_("GCG"), "governance:composition", navigation.has_role),
            navigation.NavItem(_("Groups"), "governance:group_list", navigation.has_role),
            navigation.NavItem(_("Partners"), "governance:partner_analysis", can_read_everything),
        )
        dashboard.register("governance", selectors.dashboard_summary)
        register(
            ReportKind(
                code="gcg_composition",
                label=_("GCG composition and rotation report"),
                template="governance/pdf/gcg_composition.html",
                context=selectors.gcg_composition_report,
                can_view=can_read_everything,
            )
        )
        demo.register_demo_step("governance.demo.seed", position=30)
        demo.register_scale_step("governance.scale", position=20)
