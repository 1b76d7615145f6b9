"""Vocabulary shared by every area of the Alliance."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    CHILD_LABOUR = "child_labour", _("Child labour")
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    MODERN_SLAVERY = "modern_slavery", _("Modern slavery")
    HUMAN_TRAFFICKING = "human_trafficking", _("Human trafficking")


class DurbanArea(models.TextChoices):
    """The six commitment areas of the Durban Call to Action (20 May 2022)."""

    DECENT_WORK = "decent_work", _("Decent work for adults and youth above the minimum working age")
    AGRICULTURE = "agriculture", _("Ending child labour in agriculture")
    PREVENTION = "prevention", _("Data-driven, survivor-informed prevention")
    EDUCATION = "education", _("Free, quality, inclusive education")
    SOCIAL_PROTECTION = "social_protection", _("Universal social protection")
    FINANCING = "financing", _("More financing and international cooperation")


# SDG Target 8.7: end child labour in all its forms by 2025; end forced labour, modern slavery
# and human trafficking by 2030. A deadline year ends on 31 December of that year.
TARGET_87_DEADLINES = {
    Theme.CHILD_LABOUR: 2025,
    Theme.FORCED_LABOUR: 2030,
    Theme.MODERN_SLAVERY: 2030,
    Theme.HUMAN_TRAFFICKING: 2030,
}
