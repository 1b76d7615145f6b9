import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.utils import translation

from alliance87.charts import (
    CATEGORICAL,
    FONT_SIZE,
    LINE_HEIGHT,
    MAX_RENDERED_WIDTH,
    MIN_RENDERED_WIDTH,
    PDF_WIDTH,
    PERCENT,
    STYLES,
    WIDTH,
    bar_chart,
    format_number,
    line_chart,
    stacked_bar_chart,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).resolve().parents[2] / "static" / "css"
LONG = "Households in target districts covered by social protection schemes"


def _svg(chart: str) -> ET.Element:
    svg = chart[chart.index("<svg") : chart.index("</svg>") + 6]
    return ET.fromstring(svg)  # noqa: S314  our own chart


def _lines(root: ET.Element) -> list[tuple[float, float, str, str]]:
    """Every line of text the chart draws: x, baseline y, anchor and the text."""
    found = []
    for text in root.iter(f"{SVG}text"):
        anchor = text.get("text-anchor", "start")
        spans = list(text.iter(f"{SVG}tspan"))
        if not spans:
            found.append((float(text.get("x")), float(text.get("y")), anchor, text.text or ""))
        y = float(text.get("y"))
        for span in spans:
            y += float(span.get("dy"))
            found.append((float(span.get("x")), y, anchor, span.text or ""))
    return found


def _assert_nothing_clipped(chart: str) -> None:
    root = _svg(chart)
    _, _, width, height = (float(n) for n in root.get("viewBox").split())
    assert width == WIDTH
    for x, y, anchor, text in _lines(root):
        room = text_width(text)
        left = {"start": x, "middle": x - room / 2, "end": x - room}[anchor]
        assert left >= 0, (text, left)
        assert left + room <= width, (text, left + room, width)
        assert y - FONT_SIZE >= 0 and y + 4 <= height, (text, y, height)


def _fill_colour(root: ET.Element, fill: str) -> str:
    """The colour of a fill, the pattern's own colour for a pattern."""
    match = re.fullmatch(r"url\(#(.+)\)", fill)
    if not match:
        return fill
    pattern = next(p for p in root.iter(f"{SVG}pattern") if p.get("id") == match[1])
    return pattern.find(f"{SVG}rect").get("fill")


def _contrast(colour: str, background: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(colour), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_bar_chart_escapes_labels_and_describes_every_value():
    svg = bar_chart([("<b>Fiji</b>", 40), ("Ghana", 80)], title="Completeness", unit="%")

    assert "<b>" not in svg
    assert "&lt;b&gt;Fiji&lt;/b&gt;: 40%; Ghana: 80%" in svg
    assert 'role="img"' in svg


def test_every_chart_is_labelled_by_its_title_and_description():
    for chart in (
        bar_chart([("Fiji", 40)], title="Completeness", uid="a"),
        stacked_bar_chart(["2024"], {"Paid": [1]}, title="Funding", uid="b"),
        line_chart(["2023", "2024"], {"Fiji": [1, 2]}, title="Trend", uid="c"),
    ):
        root = _svg(chart)
        assert root.get("role") == "img"
        title_id, desc_id = root.get("aria-labelledby").split()
        assert root.find(f"{SVG}title").get("id") == title_id
        assert root.find(f"{SVG}desc").get("id") == desc_id
        assert root.find(f"{SVG}desc").text


def test_stacked_bar_chart_prints_each_category_total():
    svg = stacked_bar_chart(["2024"], {"Committed": [30], "Paid": [20]}, title="Funding")

    assert ">50<" in svg
    assert "2024: Committed 30, Paid 20" in svg


def test_stacked_bar_chart_labels_the_bar_with_the_series_its_title_names():
    svg = stacked_bar_chart(
        ["Fiji"],
        {"Paid": [300], "Committed": [200], "Gap": [40]},
        title="Gap by country",
        label_series="Gap",
    )

    texts = [text for *_, text in _lines(_svg(svg))]
    assert "40" in texts
    assert "540" not in texts


@pytest.mark.parametrize(
    ("language", "share", "amount", "whole"),
    [
        ("en", "29.8%", "16.5\u00a0M", "16,500,000"),
        ("fr", "29,8\u00a0%", "16,5\u00a0M", "16\u00a0500\u00a0000"),
        ("es", "29,8\u00a0%", "16,5\u00a0M", "16\u00a0500\u00a0000"),
    ],
)
def test_numbers_are_written_in_the_readers_convention(language, share, amount, whole):
    with translation.override(language):
        svg = bar_chart([("Fiji", 29.8)], title="Share", unit=PERCENT)
        money = bar_chart([("Fiji", 16_500_000)], title="Funding")

    assert f">{share}<" in svg
    assert f">{amount}<" in money
    # The chart's table gives the whole number, grouped as the reader groups thousands.
    assert f">{whole}<" in money


def test_thousands_are_abbreviated_and_small_numbers_kept():
    with translation.override("fr"):
        assert format_number(24_400) == "24\u00a0k"
        assert format_number(2.5, PERCENT) == "2,5\u00a0%"
        assert format_number(16, " months") == "16\u00a0months"
        assert format_number(1234) == "1\u00a0234"


def test_long_labels_wrap_between_words_and_are_never_cut():
    charts = [
        bar_chart([(LONG, 40), ("Fiji", 80)], title="t"),
        stacked_bar_chart([LONG], {LONG: [3], "Paid": [4]}, title="t"),
        line_chart(["2023", "2024"], {LONG: [1, 2]}, title="t", target=3),
    ]
    for chart in charts:
        drawn = [text for *_, text in _lines(_svg(chart))]
        assert " ".join(line for line in drawn if line in LONG).count(LONG) >= 1
        for line in drawn:
            if line in LONG:
                assert set(line.split()) <= set(LONG.split()), line


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_text_runs_out_of_the_chart(language):
    with translation.override(language):
        charts = [
            bar_chart(
                [(LONG, 12.6), ("Democratic Republic of the Congo", 99.9)], title="t", unit=PERCENT
            ),
            bar_chart([("Asia and the Pacific", 16_543_210)], title="t"),
            stacked_bar_chart(
                ["Fiji", "Ghana"],
                {"Green": [3, 1], "Amber": [2, 0], "Red": [1, 4], "Not rated": [0, 2]},
                title="t",
                roles=["green", "amber", "red", "not_rated"],
            ),
            line_chart(
                [str(year) for year in range(2015, 2031)],
                {"Estimates": [160.0] + [None] * 15, "Pace needed": [None] * 15 + [0.0]},
                title="t",
                target=0,
                join_gaps=True,
            ),
            line_chart(
                ["2022", "2023", "2024", "2025"],
                {"Completeness": [100, 12.6, None, 80], "Timeliness": [50, 25, None, 75]},
                title="t",
                unit=PERCENT,
                target=80,
            ),
        ]
    for chart in charts:
        _assert_nothing_clipped(chart)


def test_legend_entries_keep_clear_of_each_other():
    svg = stacked_bar_chart(
        ["Fiji"],
        {"Green": [3], "Amber": [2], "Red": [1], "Not rated": [1]},
        title="t",
        roles=["green", "amber", "red", "not_rated"],
    )
    root = _svg(svg)
    swatches = [r for r in root.iter(f"{SVG}rect") if r.get("width") == "14"]
    names = [line for line in _lines(root) if line[3] in {"Green", "Amber", "Red", "Not rated"}]
    for (x, _y, _, text), swatch in zip(names, swatches, strict=True):
        assert x >= float(swatch.get("x")) + 14 + 4, text
    rows: dict[float, list] = {}
    for x, y, _, text in names:
        rows.setdefault(y, []).append((x, text))
    for row in rows.values():
        for (x, text), (next_x, _) in zip(row, row[1:], strict=False):
            assert x + text_width(text) + 8 <= next_x - 14, text


def test_line_chart_leaves_a_gap_where_a_value_is_missing():
    svg = line_chart(["2022", "2023", "2024"], {"Fiji": [10, None, 30]}, title="Trend", target=50)

    root = _svg(svg)
    assert not list(root.iter(f"{SVG}polyline"))  # no two consecutive points to join
    assert len(list(root.iter(f"{SVG}circle"))) == 3  # two points and the legend's sample
    assert "Target: 50" in svg
    assert "2023 no data" in svg
    assert "A break in a line: no data" in svg
    assert '<th scope="row">2023</th><td class="num">—</td>' in svg


def test_line_chart_breaks_the_line_at_a_missing_value_rather_than_drawing_zero():
    svg = line_chart(["2021", "2022", "2023", "2024"], {"Funded": [5, 6, None, 8]}, title="t")

    polylines = list(_svg(svg).iter(f"{SVG}polyline"))
    assert len(polylines) == 1
    assert len(polylines[0].get("points").split()) == 2  # 2021 to 2022, then a gap


def test_paid_has_one_colour_in_every_chart():
    charts = [
        stacked_bar_chart(
            ["Fiji"],
            {"Paid": [1], "Committed": [2], "Gap": [3]},
            title="t",
            roles=["paid", "committed", "gap"],
        ),
        stacked_bar_chart(["Fiji"], {"Gap": [3], "Paid": [1]}, title="t", roles=["gap", "paid"]),
    ]
    for chart in charts:
        root = _svg(chart)
        paid = [
            r
            for r in root.iter(f"{SVG}rect")
            if (r.findtext(f"{SVG}title") or "").startswith("Paid")
        ]
        assert paid
        assert {_fill_colour(root, r.get("fill")) for r in paid} == {STYLES["paid"].colour}
    line = line_chart(["2023", "2024"], {"Pledged": [1, 2]}, title="t", roles=["pledged"])
    assert {p.get("stroke") for p in _svg(line).iter(f"{SVG}polyline")} == {
        STYLES["pledged"].colour
    }


def test_every_colour_stands_out_from_the_page_and_meanings_differ_by_more_than_colour():
    for style in [*STYLES.values(), *CATEGORICAL]:
        assert _contrast(style.colour, "#ffffff") >= 3, style
        assert _contrast(style.colour, "#f6f8fa") >= 3, style
    # Series drawn side by side differ by pattern (bars) or by dash and marker (lines).
    for group in (["paid", "committed", "gap"], ["green", "amber", "red", "not_rated"]):
        assert len({STYLES[role].pattern for role in group}) == len(group)
    for group in (["requirement", "funded", "pledged"], ["completeness", "timeliness"]):
        looks = {(STYLES[role].dash, STYLES[role].marker) for role in group}
        assert len(looks) == len(group)


def test_text_is_at_least_12_px_however_narrow_the_chart_is_drawn():
    chart = bar_chart([("Fiji", 40)], title="t")
    root = _svg(chart)
    assert root.get("font-size") == str(FONT_SIZE)
    assert not [t for t in root.iter() if t.get("font-size") and t is not root]
    # The page draws a chart no narrower than MIN_RENDERED_WIDTH px (a narrower column
    # scrolls it), the PDF PDF_WIDTH px wide.
    portal = (CSS / "portal.css").read_text()
    assert f"min-width: {MIN_RENDERED_WIDTH}px" in re.search(r"\n\.chart \{[^}]*\}", portal)[0]
    assert f"max-width: {MAX_RENDERED_WIDTH}px" in re.search(r"\n\.chart \{[^}]*\}", portal)[0]
    assert "font-size" not in re.search(r"\.chart text \{[^}]*\}", portal)[0]
    pdf = (CSS / "pdf.css").read_text()
    assert f"width: {PDF_WIDTH}px" in re.search(r"svg\.chart \{[^}]*\}", pdf)[0]
    assert "font-size" not in re.search(r"svg\.chart text \{[^}]*\}", pdf)[0]
    assert FONT_SIZE * MIN_RENDERED_WIDTH / WIDTH >= 12
    assert FONT_SIZE * PDF_WIDTH / WIDTH >= 12
    assert LINE_HEIGHT >= FONT_SIZE


def test_a_charts_description_and_tooltips_are_punctuated_as_the_reader_writes():
    with translation.override("fr"):
        chart = str(
            line_chart(["2024", "2025"], {"Payé": [1, 2], "Promis": [3, 4]}, title="Flux", target=5)
        )
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", chart).group(1)

    assert (
        desc
        == "Payé\u00a0: 2024 1, 2025 2\u00a0; Promis\u00a0: 2024 3, 2025 4\u00a0; Cible\u00a0: 5"
    )
    assert "<title>Payé 2025\u00a0: 2</title>" in chart
