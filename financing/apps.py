from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = _("Financing")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .rates import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="financing-sqlite")

        from alliance87 import dashboard, jobs, navigation
        from alliance87.access import can_read_everything
        from alliance87.reports.kinds import ReportKind, register

        from . import selectors
        from .models import FundingFlowImport
        from .services import funding_flow_import_failed_fields

        jobs.register(
            jobs.JobKind(
                model=FundingFlowImport,
                task="financing.tasks.run_funding_flow_import",
                failed_fields=funding_flow_import_failed_fields,
            )
        )
        navigation.register(
            navigation.NavItem(_("Financing"), "financing:gaps", navigation.has_role),
            navigation.NavItem(
                _("Secretariat funding"), "financing:sustainability", can_read_everything
            ),
        )
        dashboard.register("financing", selectors.dashboard_summary)
        register(
            ReportKind(
                code="financing_gap",
                label=_("Financing gap report"),
                template="financing/pdf/financing_gap.html",
                context=selectors.financing_gap_report,
                can_view=can_read_everything,
            )
        )
