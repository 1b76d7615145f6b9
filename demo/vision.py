"""The global estimates as published (ILO and UNICEF; ILO, Walk Free and IOM): public
figures, so not marked as demo data. The Secretariat keeps the series in the admin."""

from alliance87.choices import Theme
from vision.models import EstimateSeries, GlobalEstimate

CHILD_LABOUR_2020 = (
    "ILO and UNICEF",
    "Child Labour: Global estimates 2020, trends and the road forward",
    2021,
)
CHILD_LABOUR_2024 = (
    "ILO and UNICEF",
    "Child Labour: Global estimates 2024, trends and the road forward",
    2025,
)
MODERN_SLAVERY_2016 = (
    "ILO and Walk Free Foundation, in partnership with IOM",
    "Global Estimates of Modern Slavery: Forced Labour and Forced Marriage",
    2017,
)
MODERN_SLAVERY_2021 = (
    "ILO, Walk Free and IOM",
    "Global Estimates of Modern Slavery: Forced Labour and Forced Marriage",
    2022,
)

# measure, theme, unit, measured against the deadline, [(year, figure, publication, notes)]
SERIES = [
    (
        "Children in child labour",
        Theme.CHILD_LABOUR,
        "million children",
        True,
        [
            (2020, "160", CHILD_LABOUR_2020, "63 million girls and 97 million boys."),
            (2024, "138", CHILD_LABOUR_2024, ""),
        ],
    ),
    (
        "Children in hazardous child labour",
        Theme.CHILD_LABOUR,
        "million children",
        False,
        [(2020, "79", CHILD_LABOUR_2020, "Of the 160 million children in child labour.")],
    ),
    (
        "Children in child labour in agriculture",
        Theme.CHILD_LABOUR,
        "million children",
        False,
        [(2020, "112", CHILD_LABOUR_2020, "Of the 160 million children in child labour.")],
    ),
    (
        "People in modern slavery",
        Theme.MODERN_SLAVERY,
        "million people",
        True,
        [
            (2016, "40.3", MODERN_SLAVERY_2016, "Forced labour and forced marriage."),
            (2021, "50", MODERN_SLAVERY_2021, "Forced labour and forced marriage."),
        ],
    ),
    (
        "People in forced labour",
        Theme.FORCED_LABOUR,
        "million people",
        True,
        [
            (2016, "24.9", MODERN_SLAVERY_2016, ""),
            (2021, "28", MODERN_SLAVERY_2021, "Of the 50 million people in modern slavery."),
        ],
    ),
    (
        "People in forced marriage",
        Theme.MODERN_SLAVERY,
        "million people",
        False,
        [
            (2016, "15.4", MODERN_SLAVERY_2016, ""),
            (2021, "22", MODERN_SLAVERY_2021, "Of the 50 million people in modern slavery."),
        ],
    ),
]


def seed(*, stdout=None) -> None:
    count = 0
    for order, (measure, theme, unit, measured, estimates) in enumerate(SERIES, start=1):
        series, _created = EstimateSeries.objects.get_or_create(
            measure=measure,
            defaults={"theme": theme, "unit": unit, "measures_target": measured, "order": order},
        )
        for year, figure, (source, publication, published), notes in estimates:
            GlobalEstimate.objects.get_or_create(
                series=series,
                year=year,
                defaults={
                    "figure": figure,
                    "source": source,
                    "publication": publication,
                    "published_year": published,
                    "notes": notes,
                },
            )
            count += 1
    if stdout:
        stdout.write(f"Global estimates: {len(SERIES)} series, {count} figures")
