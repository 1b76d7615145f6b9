from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "alliance87.accounts"
    label = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self) -> None:
        from . import roles, signals  # noqa: F401  (connects the sign-in receivers)

        # Installed last, so every app's permissions exist when the roles are synced.
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
