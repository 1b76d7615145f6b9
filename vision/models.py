"""The global estimates Target 8.7 is measured by, as the Secretariat keeps them."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alliance87.choices import TARGET_87_DEADLINES, Theme

year_validators = [MinValueValidator(1990), MaxValueValidator(2100)]


class EstimateSeries(models.Model):
    """One measure the global estimates count over the years, e.g. children in child labour."""

    measure = models.CharField(
        _("measure"), max_length=200, unique=True, help_text=_("e.g. Children in child labour.")
    )
    theme = models.CharField(
        _("theme"),
        max_length=30,
        choices=Theme.choices,
        help_text=_("Decides the deadline: child labour by 2025, the others by 2030."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=60,
        help_text=_("What the figures count, e.g. million children or million people."),
    )
    measures_target = models.BooleanField(
        _("measured against the deadline"),
        default=True,
        help_text=_(
            "Target 8.7 ends what this series counts: its trend is compared with the pace "
            "the deadline needs. Untick for a breakdown shown for context."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("global estimate series")
        verbose_name_plural = _("global estimate series")
        ordering = ["order", "measure"]

    def __str__(self) -> str:
        return self.measure

    @property
    def deadline_year(self) -> int:
        return TARGET_87_DEADLINES[Theme(self.theme)]


class GlobalEstimate(models.Model):
    """One figure of a series: the estimate for a year, with the publication that gives it."""

    series = models.ForeignKey(
        EstimateSeries,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="estimates",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=year_validators, help_text=_("The year the estimate is for.")
    )
    figure = models.DecimalField(
        _("figure"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("In the series' unit, e.g. 160 for 160 million children."),
    )
    source = models.CharField(
        _("source"), max_length=200, help_text=_("Who estimated it, e.g. ILO and UNICEF.")
    )
    publication = models.CharField(
        _("publication"),
        max_length=300,
        help_text=_("e.g. Child Labour: Global estimates 2020, trends and the road forward."),
    )
    published_year = models.PositiveSmallIntegerField(
        _("year published"), validators=year_validators, null=True, blank=True
    )
    link = models.URLField(_("link to the publication"), blank=True)
    notes = models.CharField(
        _("notes"),
        max_length=300,
        blank=True,
        help_text=_("e.g. the breakdown the publication gives."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("global estimate")
        verbose_name_plural = _("global estimates")
        ordering = ["series", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year"], name="vision_one_estimate_per_series_and_year"
            ),
            models.CheckConstraint(
                condition=models.Q(figure__gte=0), name="vision_estimate_figure_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series}, {self.year}: {self.figure.normalize():f} {self.series.unit}"
