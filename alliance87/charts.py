"""Server-side SVG charts, shared by the web pages and the PDF reports.

Each function takes plain data (lists and numbers, e.g. from a pandas selector) and returns
inline SVG that needs no JavaScript, no remote font and no external file. Every chart has a
title and description for screen readers; pages show the same figures in a table too.
"""

from collections.abc import Sequence
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

# Colour-blind-safe palette (Okabe–Ito), darkened where text sits on it.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999"]
_ids = count(1)
# Room a label's character takes at 12 px in a wide sans-serif (DejaVu Sans in the PDFs).
CHAR_WIDTH = 8


def _number(value: float, unit: str = "") -> str:
    if abs(value) >= 1_000_000:
        text = f"{value / 1_000_000:.1f} M"
    elif abs(value) >= 10_000:
        text = f"{value / 1_000:.0f} k"
    elif float(value).is_integer():
        text = f"{value:.0f}"
    else:
        text = f"{value:.1f}"
    return f"{text}{unit}"


def _f(value: float) -> str:
    """A coordinate with one decimal, as the SVG's attributes hold it."""
    return f"{value:.1f}"


def _frame(
    width: int,
    height: int,
    title: str,
    description: str,
    body: list[SafeString],
    uid: str | None = None,
) -> SafeString:
    """The chart's SVG around its body. Its ids end in `uid`, unique within the page: by
    default a number counted in this process; a chart kept in the shared cache is given an
    id of its own so that it never repeats another chart's on the same page."""
    uid = uid or str(next(_ids))
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-labelledby="chart-title-{} chart-desc-{}">'
        '<title id="chart-title-{}">{}</title><desc id="chart-desc-{}">{}</desc>{}</svg>',
        width,
        height,
        width,
        height,
        uid,
        uid,
        uid,
        title,
        uid,
        description,
        format_html_join("", "{}", ((part,) for part in body)),
    )


def _legend(names: Sequence[str], x: int, y: int, colours: Sequence[str]) -> list[SafeString]:
    parts, offset = [], x
    for name, colour in zip(names, colours, strict=False):
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}">{}</text>',
                offset,
                y - 10,
                colour,
                offset + 16,
                y,
                name,
            )
        )
        offset += 28 + CHAR_WIDTH * len(str(name))
    return parts


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    width: int = 640,
    colour: str = PALETTE[0],
    uid: str | None = None,
) -> SafeString:
    """Horizontal bars, one a row, labelled with their value."""
    label_width = min(300, 16 + CHAR_WIDTH * max((len(str(label)) for label, _ in rows), default=4))
    bar_height, gap, top = 22, 8, 8
    height = top + len(rows) * (bar_height + gap) + 8
    top_value = max_value or max((value for _, value in rows), default=0) or 1
    plot_width = width - label_width - 70
    body = []
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_height + gap)
        length = max(0.0, plot_width * (value or 0) / top_value)
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}">{}</text>',
                label_width - 8,
                y + 15,
                label,
                label_width,
                y,
                _f(length),
                bar_height,
                colour,
                _f(label_width + length + 6),
                y + 15,
                _number(value or 0, unit),
            )
        )
    description = "; ".join(f"{label}: {_number(value or 0, unit)}" for label, value in rows)
    return _frame(width, max(height, 40), title, description, body, uid)


def stacked_bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    colours: Sequence[str] = PALETTE,
    uid: str | None = None,
) -> SafeString:
    """Horizontal stacked bars: one bar a category, one segment a series."""
    names = list(series)
    label_width = min(300, 16 + CHAR_WIDTH * max((len(str(c)) for c in categories), default=4))
    bar_height, gap, top = 22, 8, 30
    height = top + len(categories) * (bar_height + gap) + 8
    totals = [sum(series[name][i] or 0 for name in names) for i in range(len(categories))]
    top_value = max(totals, default=0) or 1
    plot_width = width - label_width - 70
    body = _legend(names, label_width, 16, colours)
    for index, category in enumerate(categories):
        y = top + index * (bar_height + gap)
        x = float(label_width)
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>', label_width - 8, y + 15, category
            )
        )
        for name, colour in zip(names, colours, strict=False):
            value = series[name][index] or 0
            length = max(0.0, plot_width * value / top_value)
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {}</title></rect>",
                    _f(x),
                    y,
                    _f(length),
                    bar_height,
                    colour,
                    name,
                    _number(value, unit),
                )
            )
            x += length
        body.append(
            format_html(
                '<text x="{}" y="{}">{}</text>', _f(x + 6), y + 15, _number(totals[index], unit)
            )
        )
    description = "; ".join(
        f"{category}: " + ", ".join(f"{n} {_number(series[n][i] or 0, unit)}" for n in names)
        for i, category in enumerate(categories)
    )
    return _frame(width, height, title, description, body, uid)


def line_chart(
    x_labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str,
    unit: str = "",
    target: float | None = None,
    width: int = 640,
    height: int = 240,
    colours: Sequence[str] = PALETTE,
    uid: str | None = None,
    join_gaps: bool = False,
) -> SafeString:
    """Lines over ordered labels (periods, years); gaps where a value is missing, unless
    `join_gaps` draws each line straight across them (measurements years apart)."""
    left, right, top, bottom = 56, 16, 30, 36
    values = [v for points in series.values() for v in points if v is not None]
    if target is not None:
        values.append(target)
    low, high = min(values, default=0), max(values, default=1)
    low = min(low, 0)
    high = high if high > low else low + 1
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(x_labels) - 1, 1)

    def y_of(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    body = _legend(list(series), left, 16, colours)
    for fraction in (0, 0.5, 1):
        value = low + (high - low) * fraction
        y = y_of(value)
        body.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d4dbe3"/>'
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                width - right,
                _f(y),
                _f(y),
                left - 6,
                _f(y + 4),
                _number(value, unit),
            )
        )
    for index, label in enumerate(x_labels):
        body.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                _f(left + index * step),
                height - 12,
                label,
            )
        )
    if target is not None:
        y = y_of(target)
        body.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#1c2430" stroke-dasharray="6 4"/>'
                '<text x="{}" y="{}" text-anchor="end">{} {}</text>',
                left,
                width - right,
                _f(y),
                _f(y),
                width - right,
                _f(y - 4),
                gettext("Target"),
                _number(target, unit),
            )
        )

    def polyline(colour: str, segment: list[str]) -> SafeString:
        return format_html(
            '<polyline fill="none" stroke="{}" stroke-width="2.5" points="{}"/>',
            colour,
            " ".join(segment),
        )

    for (name, points), colour in zip(series.items(), colours, strict=False):
        segment: list[str] = []
        for index, value in enumerate(points):
            if value is None:
                if join_gaps:
                    continue
                if len(segment) > 1:
                    body.append(polyline(colour, segment))
                segment = []
                continue
            x, y = left + index * step, y_of(value)
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{} {}: {}</title></circle>',
                    _f(x),
                    _f(y),
                    colour,
                    name,
                    x_labels[index],
                    _number(value, unit),
                )
            )
        if len(segment) > 1:
            body.append(polyline(colour, segment))
    description = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{label} {_number(v, unit) if v is not None else '–'}"
            for label, v in zip(x_labels, points, strict=False)
        )
        for name, points in series.items()
    )
    return _frame(width, height, title, description, body, uid)
