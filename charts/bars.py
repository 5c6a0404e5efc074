"""Bar charts of figures (timeliness, outcomes, volumes) as SVG, with the same numbers as a table.

One function for pages and documents alike: the SVG is drawn here, bars, axis and words as plain
elements with presentation attributes (no script, no style sheet, no `style` attribute: the pages
run without 'unsafe-inline', and WeasyPrint draws a small SVG in a small fraction of the time it
took for a charting library's, whose style sheet it parsed per chart). The caller shows
`Chart.table` beside it as its text alternative (WCAG 1.1.1), so a figure is never only a picture.
Words come translated from the caller; numbers the chart cannot show (a withheld cell, a figure
under the minimum) are `None`, drawn as no bar and written in the table as the caller's `missing`
text (e.g. "<10"). The same figures draw the same bytes (a document's hash must not move).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

INK, GRID = "#1a1a1a", "#cccccc"
# The Ontario Design System's blue, teal and dark grey: distinguishable, and 3:1 against white.
SERIES_COLOURS = ("#0066cc", "#00838f", "#4d4d4d", "#8a5a00")
FONT = "'Open Sans', Arial, sans-serif"
LABEL_SIZE, TITLE_SIZE = 14, 16
BAR_HEIGHT = 28  # per label and series
TICKS = 5


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the table that says the same."""

    title: str
    svg: Markup
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _cell(value: float | None, missing: str, digits: int) -> str:
    if value is None:
        return missing
    return f"{value:.{digits}f}" if digits else f"{value:.0f}"


def _step(top: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about TICKS ticks up to `top`."""
    rough = top / TICKS
    power = 10.0 ** math.floor(math.log10(rough))
    return next(float(m * power) for m in (1, 2, 5, 10) if m * power >= rough)


def _num(value: float) -> str:
    """A coordinate or a tick, short and the same every time."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, words: str, size: int, anchor: str = "start") -> str:
    return (f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" text-anchor="{anchor}">'
            f"{escape(words)}</text>")


def _svg(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
         ident: str, width: int, titled: bool) -> str:
    legend = len(series) > 1
    per_label = BAR_HEIGHT * max(1, len(series))
    height = max(160, (60 if titled else 40) + per_label * len(labels))
    # The label column: as wide as the longest label (about 0.55 em a character), up to 40 %.
    left = min(0.4 * width, 12 + 0.55 * LABEL_SIZE * max((len(label) for label in labels), default=0))
    right, top = width - 16, (32.0 if titled else 12.0)
    bottom = height - (44 if legend else 24)
    values = [v for _, vs in series for v in vs if v is not None]
    highest = max(values, default=0.0)
    step = _step(highest) if highest > 0 else 1.0
    scale_top = step * max(1, math.ceil(highest / step))
    span = right - left

    def x_of(value: float) -> float:
        return left + span * value / scale_top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'aria-labelledby="{escape(ident)}-svg-title" id="{escape(ident)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" fill="{INK}">',
        f'<title id="{escape(ident)}-svg-title">{escape(title)}</title>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if titled:
        parts.append(_text(width / 2, 22, title, TITLE_SIZE, "middle"))
    ticks = round(scale_top / step)
    for i in range(ticks + 1):
        x = x_of(i * step)
        parts.append(f'<line x1="{_num(x)}" y1="{_num(top)}" x2="{_num(x)}" y2="{_num(bottom)}" '
                     f'stroke="{GRID}"/>')
        parts.append(_text(x, bottom + 16, _num(i * step), LABEL_SIZE - 2, "middle"))
    band = (bottom - top) / max(1, len(labels))
    bar = band * 0.8 / max(1, len(series))
    for row, label in enumerate(labels):
        y0 = top + row * band
        parts.append(_text(left - 6, y0 + band / 2 + LABEL_SIZE / 3, label, LABEL_SIZE, "end"))
        for number, (_, vs) in enumerate(series):
            value = vs[row]
            if value is None or value <= 0:
                continue
            colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
            parts.append(f'<rect x="{_num(left)}" y="{_num(y0 + band * 0.1 + number * bar)}" '
                         f'width="{_num(x_of(value) - left)}" height="{_num(bar)}" '
                         f'fill="{colour}"/>')
    parts.append(f'<line x1="{_num(left)}" y1="{_num(top)}" x2="{_num(left)}" '
                 f'y2="{_num(bottom)}" stroke="{INK}"/>')
    if legend:
        x, y = left, height - 10
        for number, (name, _) in enumerate(series):
            colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
            parts.append(f'<rect x="{_num(x)}" y="{_num(y - 11)}" width="12" height="12" '
                         f'fill="{colour}"/>')
            parts.append(_text(x + 16, y, name, LABEL_SIZE - 2))
            x += 40 + 0.55 * (LABEL_SIZE - 2) * len(name)
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    label_header: str,
    missing: str = "—",
    digits: int = 1,
    ident: str = "chart",
    width: int = 640,
    titled: bool = True,
) -> Chart:
    """Horizontal bars: one group per label, one bar per series (e.g. median, p80, p90).

    `ident` must be unique on the page: it names the SVG (and its title, for `aria-labelledby`).
    `titled=False` leaves the title out of the drawing (it stays the SVG's `<title>` and label) for
    a caller that prints it beside the chart: WeasyPrint lays out an SVG's text one letter at a
    time, so a PDF's chart costs what its drawn words cost.
    """
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} labels")
    svg = _svg(title, labels, series, ident, width, titled)
    headers = (label_header, *(name for name, _ in series))
    rows = tuple(
        (label, *(_cell(values[i], missing, digits) for _, values in series))
        for i, label in enumerate(labels)
    )
    return Chart(title=title, svg=Markup(svg), headers=headers, rows=rows)  # noqa: S704 - escaped above
