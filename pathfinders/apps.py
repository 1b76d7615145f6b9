from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathfindersConfig(AppConfig):
    name = "pathfinders"
    verbose_name = _("Pathfinder Countries")
