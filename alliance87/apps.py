from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class Alliance87Config(AppConfig):
    name = "alliance87"
    verbose_name = _("Alliance 8.7 portal")

    def ready(self) -> None:
        from . import (  # noqa: F401  (errors registers its deploy check)
            aggregates,
            errors,
            reference_admin,  # noqa: F401  (the admin of countries and focal points)
        )

        aggregates.connect_signals()


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, its site checking every list's filter values (alliance87.admin)."""

    default = False  # named in INSTALLED_APPS; Alliance87Config stays this module's default
    default_site = "alliance87.admin.PortalAdminSite"
