"""Factories for the global estimates."""

import factory

from vision.models import EstimateSeries, GlobalEstimate


class EstimateSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EstimateSeries
        django_get_or_create = ["measure"]

    measure = "Children in child labour"
    theme = "child_labour"
    unit = "million children"
    measures_target = True


class GlobalEstimateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlobalEstimate

    series = factory.SubFactory(EstimateSeriesFactory)
    year = 2020
    figure = 160
    source = "ILO and UNICEF"
    publication = "Child Labour: Global estimates 2020, trends and the road forward"
    published_year = 2021


def child_labour_estimates() -> EstimateSeries:
    """The ILO–UNICEF series: 160 million children in 2020, 138 million in 2024."""
    series = EstimateSeriesFactory()
    GlobalEstimateFactory(series=series, year=2020, figure=160)
    GlobalEstimateFactory(
        series=series,
        year=2024,
        figure=138,
        publication="Child Labour: Global estimates 2024, trends and the road forward",
        published_year=2025,
    )
    return series


def forced_labour_estimates() -> EstimateSeries:
    """Global Estimates of Modern Slavery: 24.9 million in forced labour in 2016, 28 in 2021."""
    series = EstimateSeriesFactory(
        measure="People in forced labour", theme="forced_labour", unit="million people"
    )
    for year, figure in ((2016, "24.9"), (2021, "28")):
        GlobalEstimateFactory(
            series=series,
            year=year,
            figure=figure,
            source="ILO, Walk Free and IOM",
            publication="Global Estimates of Modern Slavery",
        )
    return series
