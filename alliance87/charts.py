"""Server-side SVG charts, shared by the web pages and the PDF reports.

Each function takes plain data (lists and numbers, e.g. from a pandas selector) and returns
inline SVG that needs no JavaScript, no remote font and no external file, followed by the
chart's figures as a table (closed on the pages, left out of the PDFs, whose tables hold the
same figures). Every chart has a title and a description for screen readers.

What a reader relies on:
- numbers in the reader's convention (Django's formats of the active language: "29,8" in
  French), with translatable abbreviations ("16,5 M"); percentages (`unit=PERCENT`) as
  alliance87.numbers writes them everywhere ("29.8%", "29,8\u00a0%");
- one colour and one pattern per meaning of a series across the portal (`STYLES`), each at
  least 3:1 against the page, with a legend showing the same pattern, so colour is not the
  only cue;
- text never cut mid-word nor clipped: labels wrap on word boundaries, and every label's room
  is reserved with a generous per-character width (DejaVu Sans, the PDFs' wide font);
- text of at least 12 px wherever the chart is drawn: every chart is WIDTH units wide with text
  of FONT_SIZE units, and the style sheets never draw it narrower than MIN_RENDERED_WIDTH px;
- a missing value is a gap in its line, never a drop to 0.
"""

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext

from alliance87.numbers import with_percent_sign
from alliance87.translated import RecordText

_ids = count(1)

# Every chart's coordinate system: WIDTH units wide, text FONT_SIZE units high. The pages
# (portal.css) draw a chart between MIN_RENDERED_WIDTH and MAX_RENDERED_WIDTH px wide, the PDFs
# (pdf.css) PDF_WIDTH px, so its text is FONT_SIZE x drawn width / WIDTH >= 12 px.
WIDTH = 320
FONT_SIZE = 16
MIN_RENDERED_WIDTH = 240
MAX_RENDERED_WIDTH = 360
PDF_WIDTH = 256
LINE_HEIGHT = 19
PAD = 4  # room kept clear at every edge of the viewBox
NBSP = "\u00a0"
# The unit of a chart of percentages: the sign placed as the reader's language places it.
PERCENT = "%"


@dataclass(frozen=True)
class Style:
    colour: str
    pattern: str = "solid"  # bars: solid, hatch, dots or cross
    dash: str = ""  # lines: stroke-dasharray
    marker: str = "circle"  # lines: circle, square, triangle or diamond


# One style per meaning of a series, the same in every chart of the portal. Colours have at
# least 3:1 against white and the page's background (#f6f8fa) (WCAG 1.4.11).
STYLES = {
    "value": Style("#0b5d8c"),  # the one measure a chart draws: a count, a value, a share
    "target": Style("#1c2430", dash="6 4", marker="diamond"),
    "requirement": Style("#5b6675", dash="2 3", marker="square"),
    "paid": Style("#00695c"),
    "committed": Style("#0072B2", pattern="hatch", marker="triangle"),
    "funded": Style("#332288", marker="circle"),  # paid and committed
    "pledged": Style("#AA3377", pattern="dots", dash="8 3", marker="triangle"),
    "gap": Style("#c2410c", pattern="cross", marker="square"),
    "completeness": Style("#0b5d8c"),
    "timeliness": Style("#882255", dash="8 3", marker="square"),
    "projection": Style("#882255", dash="2 3", marker="triangle"),
    "green": Style("#1e7a3c"),
    "amber": Style("#9a6700", pattern="hatch"),
    "red": Style("#b42318", pattern="cross"),
    "not_rated": Style("#6b7280", pattern="dots"),
}
# Series without a meaning of their own (engagement types, …), in order.
CATEGORICAL = [
    Style("#0b5d8c"),
    Style("#c2410c", pattern="hatch", dash="8 3", marker="square"),
    Style("#00695c", pattern="dots", dash="2 3", marker="triangle"),
    Style("#882255", pattern="cross", dash="6 2 2 2", marker="diamond"),
    Style("#5b6675", pattern="hatch", dash="4 4", marker="circle"),
    Style("#9a6700", pattern="dots", dash="1 3", marker="square"),
]
COLOURS = {role: style.colour for role, style in STYLES.items()}


def _styles(count_: int, roles: Sequence[str]) -> list[Style]:
    return [
        STYLES[roles[i]] if i < len(roles) else CATEGORICAL[i % len(CATEGORICAL)]
        for i in range(count_)
    ]


# --- Numbers -------------------------------------------------------------------------------


def _with_unit(text: str, unit: str) -> str:
    """A unit written after its number without a line break between them ("16 months")."""
    if unit == PERCENT:
        return with_percent_sign(text)
    return text + (NBSP + unit[1:] if unit.startswith(" ") else unit)


def format_number(value: float, unit: str = "", *, short: bool = True) -> str:
    """A number in the reader's convention; large ones abbreviated when `short`."""
    if short and abs(value) >= 999_950:
        text = pgettext("chart number in millions", "%(number)s M") % {
            "number": number_format(round(value / 1_000_000, 1), 1, force_grouping=True)
        }
    elif short and abs(value) >= 10_000:
        text = pgettext("chart number in thousands", "%(number)s k") % {
            "number": number_format(round(value / 1_000), 0, force_grouping=True)
        }
    elif float(value).is_integer():
        text = number_format(int(value), 0, force_grouping=True)
    else:
        text = number_format(round(value, 1), 1, force_grouping=True)
    return _with_unit(text.replace(" ", NBSP), unit)


# --- Text room -----------------------------------------------------------------------------

# Widths in em of DejaVu Sans (the widest font the charts are drawn with), rounded up.
_NARROW = set(" .,:;'|!ijlIft()[]r`\u00a0\u202f")
_WIDE = set("mwMW%@—…ŒœÆæ")


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The room a line of text takes, estimated on the generous side."""
    em = 0.0
    for char in str(text):
        base = unicodedata.normalize("NFD", char)[0]
        if base in _NARROW:
            em += 0.42
        elif base in _WIDE:
            em += 1.0
        elif base.isupper():
            em += 0.8
        elif base.isascii() and (base.isalnum() or base in '-_+=*/\\<>?"#$&~^'):
            em += 0.66
        else:
            em += 1.0
    return em * size


def _words(text: str) -> list[str]:
    """The words of a text; a number grouped with spaces ("10 000") is one word."""
    text = re.sub(r"(?<=\d) (?=\d{3}\b)", NBSP, str(text)).strip()
    return re.split(r"[ \t\r\n]+", text) if text else []


def wrap(text: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """The text in lines no wider than `width`, broken only between words (a word wider
    than `width` keeps a line of its own)."""
    lines: list[str] = []
    for word in _words(text):
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _f(value: float) -> str:
    """A coordinate with one decimal, as the SVG's attributes hold it."""
    return f"{value:.1f}"


# --- Drawing parts -------------------------------------------------------------------------


def _text(
    x: float, y: float, lines: Sequence[str], anchor: str = "start", extra: SafeString | str = ""
) -> SafeString:
    """Text of one or more lines, the first with its baseline at `y`."""
    if len(lines) == 1:
        return format_html(
            '<text x="{}" y="{}" text-anchor="{}"{}>{}</text>',
            _f(x),
            _f(y),
            anchor,
            extra,
            lines[0],
        )
    spans = format_html_join(
        "",
        '<tspan x="{}" dy="{}">{}</tspan>',
        ((_f(x), 0 if i == 0 else LINE_HEIGHT, line) for i, line in enumerate(lines)),
    )
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}"{}>{}</text>', _f(x), _f(y), anchor, extra, spans
    )


def _lang(label: object) -> SafeString | str:
    """The attributes of a label's <text> naming its language when it is not the page's (a
    recorded text shown in English for want of a translation)."""
    if isinstance(label, RecordText) and label.lang:
        return format_html(' lang="{}" xml:lang="{}"', label.lang, label.lang)
    return ""


def _labelled(label: object, value: object) -> str:
    """A label and its value, joined as the reader's language writes it ("Paid: 12",
    "Versé : 12")."""
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


def _separator() -> str:
    """Between the items of a description ("; ", "\u00a0; " in French)."""
    return pgettext("between the items of a list", "; ")


def _fill(style: Style, index: int, uid: str) -> str:
    return style.colour if style.pattern == "solid" else f"url(#chart-pattern-{uid}-{index})"


_PATTERN_MARKS = {
    "hatch": '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="#fff" stroke-width="1.6"/>',
    "cross": '<path d="M0,6 l6,-6 M0,0 l6,6" stroke="#fff" stroke-width="1.3"/>',
    "dots": '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
}


def _patterns(styles: Sequence[Style], uid: str) -> SafeString:
    parts = [
        format_html(
            '<pattern id="chart-pattern-{}-{}" width="6" height="6" patternUnits="userSpaceOnUse">'
            '<rect width="6" height="6" fill="{}"/>{}</pattern>',
            uid,
            index,
            style.colour,
            SafeString(_PATTERN_MARKS[style.pattern]),
        )
        for index, style in enumerate(styles)
        if style.pattern != "solid"
    ]
    if not parts:
        return SafeString("")
    return format_html("<defs>{}</defs>", format_html_join("", "{}", ((p,) for p in parts)))


def _marker(style: Style, x: float, y: float, tooltip: str = "") -> SafeString:
    title = format_html("<title>{}</title>", tooltip) if tooltip else ""
    if style.marker == "square":
        return format_html(
            '<rect x="{}" y="{}" width="7" height="7" fill="{}">{}</rect>',
            _f(x - 3.5),
            _f(y - 3.5),
            style.colour,
            title,
        )
    if style.marker in ("triangle", "diamond"):
        points = (
            f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f}"
            if style.marker == "triangle"
            else f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        )
        return format_html(
            '<polygon points="{}" fill="{}">{}</polygon>', points, style.colour, title
        )
    return format_html(
        '<circle cx="{}" cy="{}" r="3.5" fill="{}">{}</circle>', _f(x), _f(y), style.colour, title
    )


def _legend(
    items: Sequence[tuple[str, Style, int]], *, lines: bool, uid: str, top: float = PAD
) -> tuple[list[SafeString], float]:
    """The legend in rows that wrap within the chart's width, a swatch (bars) or a line
    sample with its marker (lines) before each name, and room between the entries.
    Returns its parts and the height it takes."""
    swatch = 22 if lines else 14
    room = WIDTH - 2 * PAD - swatch - 6
    parts: list[SafeString] = []
    x, y, row_height = float(PAD), top, LINE_HEIGHT
    for name, style, index in items:
        names = wrap(name, room)
        width = swatch + 6 + max(text_width(line) for line in names)
        if x > PAD and x + width > WIDTH - PAD:
            x, y, row_height = float(PAD), y + row_height + 4, LINE_HEIGHT
        middle = y + LINE_HEIGHT / 2
        if lines:
            parts.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2.5"{}/>',
                    _f(x),
                    _f(x + swatch),
                    _f(middle),
                    _f(middle),
                    style.colour,
                    format_html(' stroke-dasharray="{}"', style.dash) if style.dash else "",
                )
            )
            parts.append(_marker(style, x + swatch / 2, middle))
        else:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="14" height="14" fill="{}"/>',
                    _f(x),
                    _f(middle - 7),
                    _fill(style, index, uid),
                )
            )
        parts.append(_text(x + swatch + 6, y + LINE_HEIGHT - 4, names))
        row_height = max(row_height, len(names) * LINE_HEIGHT)
        x += width + 16
    return parts, y + row_height - top + 14


class Chart(SafeString):
    """A chart as the pages show it: its SVG, then its figures in a closed table. `svg` is the
    SVG alone, for the PDFs (their own tables hold the same figures)."""

    svg: SafeString


def _frame(
    height: float,
    title: str,
    description: str,
    body: list[SafeString],
    table: dict,
    uid: str,
) -> Chart:
    """The chart's SVG around its body, then its figures as a table. Its ids end in `uid`,
    unique within the page: by default a number counted in this process; a chart kept in the
    shared cache is given an id of its own so that it never repeats another chart's."""
    height = math.ceil(height)
    svg = format_html(
        '<div class="chart-box"><svg class="chart" xmlns="http://www.w3.org/2000/svg" '
        'viewBox="0 0 {} {}" width="{}" height="{}" font-size="{}" role="img" '
        'aria-labelledby="chart-title-{} chart-desc-{}">'
        '<title id="chart-title-{}">{}</title><desc id="chart-desc-{}">{}</desc>{}</svg></div>',
        WIDTH,
        height,
        WIDTH,
        height,
        FONT_SIZE,
        uid,
        uid,
        uid,
        title,
        uid,
        description,
        format_html_join("", "{}", ((part,) for part in body)),
    )
    chart = Chart(svg + render_to_string("charts/data_table.html", {"caption": title, **table}))
    chart.svg = svg
    return chart


def _bar_rows(labels: Sequence[object], value_width: float) -> tuple[list[list[str]], float]:
    """Each label wrapped into the label column, and the column's width."""
    cap = WIDTH * 0.4
    words = [text_width(word) for label in labels for word in _words(str(label))]
    column = min(cap, max((text_width(str(label)) for label in labels), default=0))
    column = max(column, *words, 10) if words else max(column, 10)
    column = min(column, WIDTH - 2 * PAD - value_width - 60)
    return [wrap(str(label), column) for label in labels], column


# --- Charts --------------------------------------------------------------------------------


def bar_chart(
    rows: Sequence[tuple[str | RecordText, float]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    role: str = "value",
    name: str = "",
    uid: str | None = None,
) -> Chart:
    """Horizontal bars, one a row, labelled with their value; `name` heads the values'
    column of the chart's table."""
    uid = uid or str(next(_ids))
    style = STYLES[role]
    values = [float(value or 0) for _, value in rows]
    texts = [format_number(value, unit) for value in values]
    value_width = max((text_width(t) for t in texts), default=0) + 6
    labels, column = _bar_rows([label for label, _ in rows], value_width)
    bar_height, gap = 16, 8
    plot_x = PAD + column + 8
    plot_width = WIDTH - plot_x - value_width - PAD
    top_value = max_value or max(values, default=0) or 1
    body: list[SafeString] = [_patterns([style], uid)]
    y = float(PAD)
    for (label, _value), lines, value, text in zip(rows, labels, values, texts, strict=True):
        row_height = max(bar_height, len(lines) * LINE_HEIGHT)
        middle = y + row_height / 2
        length = max(0.0, min(plot_width, plot_width * value / top_value))
        label_y = middle + 5 - (len(lines) - 1) * LINE_HEIGHT / 2
        body += [
            _text(plot_x - 8, label_y, lines, "end", _lang(label)),
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                _f(plot_x),
                _f(middle - bar_height / 2),
                _f(length),
                bar_height,
                _fill(style, 0, uid),
            ),
            _text(plot_x + length + 6, middle + 5, [text]),
        ]
        y += row_height + gap
    description = _separator().join(
        _labelled(label, text) for (label, _), text in zip(rows, texts, strict=True)
    )
    table = {
        "headers": ["", name or title],
        "rows": [
            [label, format_number(value, unit, short=False)]
            for (label, _), value in zip(rows, values, strict=True)
        ],
    }
    return _frame(max(y - gap + PAD, 40), title, description, body, table, uid)


def stacked_bar_chart(
    categories: Sequence[str | RecordText],
    series: dict[str, Sequence[float]],
    *,
    title: str,
    unit: str = "",
    roles: Sequence[str] = (),
    label_series: str | None = None,
    uid: str | None = None,
) -> Chart:
    """Horizontal stacked bars: one bar a category, one segment a series. Each bar is
    labelled with its total, or with the value of `label_series` when the title names it."""
    uid = uid or str(next(_ids))
    names = list(series)
    styles = _styles(len(names), roles)
    values = [[float(series[name][i] or 0) for name in names] for i in range(len(categories))]
    totals = [sum(row) for row in values]
    shown = (
        [row[names.index(label_series)] for row in values] if label_series is not None else totals
    )
    texts = [format_number(value, unit) for value in shown]
    value_width = max((text_width(t) for t in texts), default=0) + 6
    labels, column = _bar_rows(categories, value_width)
    bar_height, gap = 16, 8
    plot_x = PAD + column + 8
    plot_width = WIDTH - plot_x - value_width - PAD
    top_value = max(totals, default=0) or 1
    body, legend_height = _legend(
        [(name, style, i) for i, (name, style) in enumerate(zip(names, styles, strict=True))],
        lines=False,
        uid=uid,
    )
    body.insert(0, _patterns(styles, uid))
    y = PAD + legend_height
    for category, lines, row, text in zip(categories, labels, values, texts, strict=True):
        row_height = max(bar_height, len(lines) * LINE_HEIGHT)
        middle = y + row_height / 2
        label_y = middle + 5 - (len(lines) - 1) * LINE_HEIGHT / 2
        body.append(_text(plot_x - 8, label_y, lines, "end", _lang(category)))
        x = plot_x
        for index, (name, value) in enumerate(zip(names, row, strict=True)):
            length = max(0.0, plot_width * value / top_value)
            if length:
                body.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff" '
                        'stroke-width="1"><title>{}</title></rect>',
                        _f(x),
                        _f(middle - bar_height / 2),
                        _f(length),
                        bar_height,
                        _fill(styles[index], index, uid),
                        _labelled(name, format_number(value, unit)),
                    )
                )
            x += length
        body.append(_text(x + 6, middle + 5, [text]))
        y += row_height + gap
    description = _separator().join(
        _labelled(
            category,
            ", ".join(f"{n} {format_number(v, unit)}" for n, v in zip(names, row, strict=True)),
        )
        for category, row in zip(categories, values, strict=True)
    )
    table = {
        "headers": ["", *names],
        "rows": [
            [category, *(format_number(v, unit, short=False) for v in row)]
            for category, row in zip(categories, values, strict=True)
        ],
    }
    return _frame(y - gap + PAD, title, description, body, table, uid)


def _table_cell(points: Sequence[float | None], index: int, unit: str) -> str:
    """A series' figure at `index` in a chart's table; a dash where it has none."""
    point = points[index] if index < len(points) else None
    return "—" if point is None else format_number(point, unit, short=False)


def line_chart(
    x_labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str,
    unit: str = "",
    target: float | None = None,
    height: int = 160,
    roles: Sequence[str] = (),
    uid: str | None = None,
    join_gaps: bool = False,
) -> Chart:
    """Lines over ordered labels (periods, years); a gap where a value is missing, noted
    under the chart, unless `join_gaps` draws each line straight across them (measurements
    years apart, paths between two points). `height` is the plot's."""
    uid = uid or str(next(_ids))
    names = list(series)
    styles = _styles(len(names), roles)
    values = [float(v) for points in series.values() for v in points if v is not None]
    if target is not None:
        values.append(float(target))
    low, high = min(values, default=0), max(values, default=1)
    low = min(low, 0)
    high = high if high > low else low + 1
    ticks = [low + (high - low) * fraction for fraction in (0, 0.5, 1)]
    tick_texts = [format_number(value, unit) for value in ticks]
    label_widths = [text_width(str(label)) for label in x_labels]
    left = max(
        PAD + max(text_width(t) for t in tick_texts) + 6,
        PAD + (label_widths[0] / 2 if label_widths else 0),
    )
    right = PAD + (label_widths[-1] / 2 if label_widths else 0)
    legend_items = [
        (name, style, i) for i, (name, style) in enumerate(zip(names, styles, strict=True))
    ]
    target_text = ""
    if target is not None:
        target_text = gettext("Target: %(value)s") % {"value": format_number(target, unit)}
        legend_items.append((target_text, STYLES["target"], len(names)))
    body, legend_height = _legend(legend_items, lines=True, uid=uid)
    top = PAD + legend_height
    plot_w, plot_h = WIDTH - left - right, float(height)
    step = plot_w / max(len(x_labels) - 1, 1)

    def y_of(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    for value, text in zip(ticks, tick_texts, strict=True):
        y = y_of(value)
        body.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#8795a6" stroke-width="0.6"/>',
                _f(left),
                _f(WIDTH - right),
                _f(y),
                _f(y),
            )
        )
        body.append(_text(left - 6, y + 5, [text], "end"))
    # Every label where there is room for it, else every second, third, …, and the last
    # (a deadline) in place of the one before it if they would touch.
    every = max(1, math.ceil((max(label_widths, default=0) + 8) / step)) if len(x_labels) > 1 else 1
    shown = set(range(0, len(x_labels), every))
    if x_labels and len(x_labels) - 1 not in shown:
        previous = max(shown)
        if previous and len(x_labels) - 1 - previous < every:
            shown.discard(previous)
        shown.add(len(x_labels) - 1)
    for index, label in enumerate(x_labels):
        if index in shown:
            body.append(
                _text(left + index * step, top + plot_h + LINE_HEIGHT + 4, [str(label)], "middle")
            )
    bottom = top + plot_h + LINE_HEIGHT + 8
    if target is not None:
        y = y_of(float(target))
        body.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="{}"/>',
                _f(left),
                _f(WIDTH - right),
                _f(y),
                _f(y),
                STYLES["target"].colour,
                STYLES["target"].dash,
            )
        )

    def polyline(style: Style, segment: list[str]) -> SafeString:
        return format_html(
            '<polyline fill="none" stroke="{}" stroke-width="2.5"{} points="{}"/>',
            style.colour,
            format_html(' stroke-dasharray="{}"', style.dash) if style.dash else "",
            " ".join(segment),
        )

    gaps = False
    for (name, points), style in zip(series.items(), styles, strict=True):
        segment: list[str] = []
        markers: list[SafeString] = []
        present = [i for i, v in enumerate(points) if v is not None]
        for index, point in enumerate(points):
            if point is None:
                if join_gaps:
                    continue
                if present and present[0] < index < present[-1]:
                    gaps = True
                if len(segment) > 1:
                    body.append(polyline(style, segment))
                segment = []
                continue
            x, y = left + index * step, y_of(float(point))
            segment.append(f"{x:.1f},{y:.1f}")
            markers.append(
                _marker(
                    style, x, y, _labelled(f"{name} {x_labels[index]}", format_number(point, unit))
                )
            )
        if len(segment) > 1:
            body.append(polyline(style, segment))
        body += markers
    if gaps:
        note = wrap(gettext("A break in a line: no data for that period."), WIDTH - 2 * PAD)
        body.append(
            _text(PAD, bottom + LINE_HEIGHT - 4, note, extra=format_html(' fill="{}"', "#4f5b69"))
        )
        bottom += len(note) * LINE_HEIGHT + 4
    no_data = gettext("no data")
    description = _separator().join(
        _labelled(
            name,
            ", ".join(
                f"{label} {format_number(v, unit) if v is not None else no_data}"
                for label, v in zip(x_labels, points, strict=False)
            ),
        )
        for name, points in series.items()
    )
    if target_text:
        description += _separator() + target_text
    table = {
        "headers": ["", *names],
        "rows": [
            [
                label,
                *(_table_cell(points, i, unit) for points in series.values()),
            ]
            for i, label in enumerate(x_labels)
        ],
        "note": target_text,
    }
    return _frame(bottom + PAD, title, description, body, table, uid)
