from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Alliance87Config(AppConfig):
    name = "alliance87"
    verbose_name = _("Alliance 8.7 portal")

    def ready(self) -> None:
        from . import aggregates, errors  # noqa: F401  (errors registers its deploy check)

        aggregates.connect_signals()
