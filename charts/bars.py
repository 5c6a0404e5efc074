"""Bar charts of figures (timeliness, outcomes, volumes) as SVG, with the same numbers as a table.

One function for pages and documents alike: pygal draws the SVG on the server (no JavaScript, no
script from a CDN: `js=[]`), and the caller shows `Chart.table` beside it as its text alternative
(WCAG 1.1.1), so a figure is never only a picture. Words come translated from the caller; numbers
the chart cannot show (a withheld cell, a figure under the minimum) are `None`, drawn as no bar and
written in the table as the caller's `missing` text (e.g. "<10").
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

_RANDOM_ID = re.compile(r'id="(chart-[0-9a-f-]{36})"')
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
INK, GRID = "#1a1a1a", "#cccccc"
# The Ontario Design System's blue, teal and dark grey: distinguishable, and 3:1 against white.
SERIES_COLOURS = ("#0066cc", "#00838f", "#4d4d4d", "#8a5a00")
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground=INK, foreground_strong=INK,
    foreground_subtle=GRID, colors=SERIES_COLOURS, font_family="'Open Sans', Arial, sans-serif",
    label_font_size=14, major_label_font_size=14, legend_font_size=14, title_font_size=16,
    value_font_size=13,
)


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
) -> Chart:
    """Horizontal bars: one group per label, one bar per series (e.g. median, p80, p90).

    `ident` must be unique on the page: it names the SVG's title for `aria-labelledby`.
    """
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} labels")
    chart = pygal.HorizontalBar(
        style=STYLE, js=[], width=width,
        height=max(160, 60 + 28 * len(labels) * max(1, len(series))), explicit_size=True,
        disable_xml_declaration=True, legend_at_bottom=True, print_values=False,
        show_legend=len(series) > 1, truncate_label=-1, no_data_text="",
    )
    chart.title = title
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    svg = chart.render(is_unicode=True)
    # The same figures draw the same bytes (a document's hash must not move): pygal's random id
    # becomes the caller's, its dated comments go.
    random_id = _RANDOM_ID.search(svg)
    if random_id:
        svg = svg.replace(random_id.group(1), str(escape(ident)))
    svg = _SCRIPT.sub("", _COMMENT.sub("", svg))  # pygal's inline config, for its tooltips
    # Say what it is to assistive technology; the table beside it carries the numbers.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    headers = (label_header, *(name for name, _ in series))
    rows = tuple(
        (label, *(_cell(values[i], missing, digits) for _, values in series))
        for i, label in enumerate(labels)
    )
    return Chart(title=title, svg=Markup(svg), headers=headers, rows=rows)  # noqa: S704 - pygal escapes
