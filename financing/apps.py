from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = _("Financing")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .rates import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="financing-sqlite")

        from alliance87 import jobs

        from .models import FundingFlowImport
        from .services import funding_flow_import_failed_fields

        jobs.register(
            jobs.JobKind(
                model=FundingFlowImport,
                task="financing.tasks.run_funding_flow_import",
                failed_fields=funding_flow_import_failed_fields,
            )
        )
