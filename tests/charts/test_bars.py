"""The bar chart: SVG with no script, labelled for assistive technology, and a table that says the same."""

from xml.etree import ElementTree

import pytest

from charts.bars import SERIES_COLOURS, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_the_chart_and_its_table_carry_the_same_numbers() -> None:
    chart = bar_chart(
        "Business days by stage", ["Assessment", "Review"],
        [("Median", [12.0, 30.5]), ("90th percentile", [40.0, None])],
        label_header="Stage", missing="<10", ident="timeliness",
    )
    svg = str(chart.svg)
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg and 'aria-label="Business days by stage"' in svg
    assert "<script" not in svg and "<!--" not in svg
    assert svg.count(' id="timeliness"') == 1 and "chart-" not in svg.split(">", 1)[0]
    assert chart.headers == ("Stage", "Median", "90th percentile")
    assert chart.rows == (("Assessment", "12.0", "40.0"), ("Review", "30.5", "<10"))


def test_the_same_figures_draw_the_same_bytes() -> None:
    def draw() -> str:
        return str(bar_chart("t", ["a", "b"], [("n", [1.0, 2.0])], label_header="x", ident="c").svg)

    assert draw() == draw()


def test_a_title_is_escaped_in_the_label() -> None:
    chart = bar_chart('A "quoted" <title>', ["x"], [("n", [1.0])], label_header="x")
    assert 'aria-label="A &#34;quoted&#34; &lt;title&gt;"' in str(chart.svg)


def test_a_series_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(ValueError, match="has 1 values for 2 labels"):
        bar_chart("t", ["a", "b"], [("n", [1.0])], label_header="x")


def test_bars_are_drawn_to_scale_with_no_style_and_none_for_a_missing_value() -> None:
    chart = bar_chart("t", ["a", "b"], [("median", [10.0, 20.0]), ("p90", [None, 40.0])],
                      label_header="x", ident="scale")
    root = ElementTree.fromstring(str(chart.svg))  # noqa: S314 - our own SVG
    bars = {colour: [float(r.get("width", 0)) for r in root.iter(f"{SVG}rect")
                     if r.get("fill") == colour and r.get("height") != "12"]  # legend keys: 12
            for colour in SERIES_COLOURS[:2]}
    assert len(bars[SERIES_COLOURS[0]]) == 2 and len(bars[SERIES_COLOURS[1]]) == 1  # None: no bar
    (ten, twenty), (forty,) = bars[SERIES_COLOURS[0]], bars[SERIES_COLOURS[1]]
    assert twenty == pytest.approx(2 * ten, rel=0.01) and forty == pytest.approx(4 * ten, rel=0.01)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"t", "a", "b", "median", "p90", "0", "40"} <= set(texts)
    assert "style" not in str(chart.svg) and root.find(f"{SVG}title") is not None


def test_an_untitled_chart_draws_no_title_but_keeps_it_as_its_name() -> None:
    chart = bar_chart("The title", ["a"], [("n", [1.0])], label_header="x", ident="u", titled=False)
    root = ElementTree.fromstring(str(chart.svg))  # noqa: S314 - our own SVG
    assert "The title" not in [t.text for t in root.iter(f"{SVG}text")]
    assert root.find(f"{SVG}title").text == "The title" and root.get("aria-label") == "The title"
    assert {"a", "n", "0"} & {t.text for t in root.iter(f"{SVG}text")}
