from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = _("Financing")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .rates import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="financing-sqlite")
