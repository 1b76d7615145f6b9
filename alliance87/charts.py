"""Server-side SVG charts, shared by the web pages and the PDF reports.

Each function takes plain data (lists and numbers, e.g. from a pandas selector) and returns
inline SVG that needs no JavaScript, no remote font and no external file. Every chart has a
title and description for screen readers; pages show the same figures in a table too.
"""

from collections.abc import Sequence
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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


def _frame(width: int, height: int, title: str, description: str, body: list[str]) -> SafeString:
    uid = next(_ids)
    return mark_safe(  # noqa: S308  every text inside was escaped by the callers
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="chart-title-{uid} chart-desc-{uid}">'
        f'<title id="chart-title-{uid}">{escape(title)}</title>'
        f'<desc id="chart-desc-{uid}">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _legend(names: Sequence[str], x: int, y: int, colours: Sequence[str]) -> list[str]:
    parts, offset = [], x
    for name, colour in zip(names, colours, strict=False):
        parts.append(f'<rect x="{offset}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{offset + 16}" y="{y}">{escape(name)}</text>')
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
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}">{escape(_number(value or 0, unit))}</text>'
        )
    description = "; ".join(f"{label}: {_number(value or 0, unit)}" for label, value in rows)
    return _frame(width, max(height, 40), title, description, body)


def stacked_bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    colours: Sequence[str] = PALETTE,
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
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(category)}</text>'
        )
        for name, colour in zip(names, colours, strict=False):
            value = series[name][index] or 0
            length = max(0.0, plot_width * value / top_value)
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}">'
                f"<title>{escape(name)}: {escape(_number(value, unit))}</title></rect>"
            )
            x += length
        body.append(
            f'<text x="{x + 6:.1f}" y="{y + 15}">{escape(_number(totals[index], unit))}</text>'
        )
    description = "; ".join(
        f"{category}: " + ", ".join(f"{n} {_number(series[n][i] or 0, unit)}" for n in names)
        for i, category in enumerate(categories)
    )
    return _frame(width, height, title, description, body)


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
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d4dbe3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_number(value, unit))}</text>'
        )
    for index, label in enumerate(x_labels):
        x = left + index * step
        body.append(
            f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle">{escape(label)}</text>'
        )
    if target is not None:
        y = y_of(target)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#1c2430" '
            f'stroke-dasharray="6 4"/><text x="{width - right}" y="{y - 4:.1f}" text-anchor="end">'
            f"{escape(gettext('Target'))} {escape(_number(target, unit))}</text>"
        )
    for (name, points), colour in zip(series.items(), colours, strict=False):
        segment: list[str] = []
        for index, value in enumerate(points):
            if value is None:
                if join_gaps:
                    continue
                if len(segment) > 1:
                    body.append(
                        f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(segment)}"/>'
                    )
                segment = []
                continue
            x, y = left + index * step, y_of(value)
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(name)} {escape(x_labels[index])}: {escape(_number(value, unit))}</title></circle>"
            )
        if len(segment) > 1:
            body.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{" ".join(segment)}"/>'
            )
    description = "; ".join(
        f"{name}: "
        + ", ".join(
            f"{label} {_number(v, unit) if v is not None else '–'}"
            for label, v in zip(x_labels, points, strict=False)
        )
        for name, points in series.items()
    )
    return _frame(width, height, title, description, body)
