"""The compare page's charts read on a laptop and on a projector without hovering.

One page load: the four default lanes compared, then the window set to 1,280 × 800 and to a projector's
1,024 × 768. At each size, the Bump chart, Why and Measures tabs are opened and screenshotted into
tests/artifacts/ (chart-legibility-<size>-<tab>.png), and: no chart is taller than the window; the bump
chart writes product names as text (not only in a tooltip: at the line ends, and the reference's top 10 on the
rank axis); no two axis labels of a heatmap overlap (their slanted boxes, by separating axes). At the largest
K, the rank changes chart still fits the projector's window (its biggest moves, the rest behind a toggle). Last, a chart
saves itself as a PNG from Streamlit's own chart toolbar, offline (outside addresses are refused here).
"""

from __future__ import annotations

import pytest

from tests.browser import servers
from tests.browser.streamlit_page import (
    click_button,
    expect,
    expect_no_exception,
    go_to,
    main,
    open_tab,
    press_slider,
)

pytestmark = pytest.mark.browser

ARTIFACTS = servers.ROOT / "tests" / "artifacts"
SIZES = ({"width": 1280, "height": 800}, {"width": 1024, "height": 768})
TABS = ("Bump chart", "Why", "Measures")

# Vega draws an SVG: user marks are groups of class "role-mark", axis labels of class "role-axis-label".
MARK_TEXTS_JS = """chart => [...chart.querySelectorAll('g.mark-text.role-mark text')].map(t => t.textContent)"""
# Each axis label's own box (slanted labels stay slanted) as its four corners on the screen.
AXIS_LABEL_BOXES_JS = """chart => [...chart.querySelectorAll('g.role-axis')].map(axis =>
    [...axis.querySelectorAll('g.role-axis-label text')].filter(t => t.textContent).map(t => {
        const b = t.getBBox(), m = t.getScreenCTM();
        const corner = (x, y) => { const p = new DOMPoint(x, y).matrixTransform(m); return [p.x, p.y]; };
        return {text: t.textContent, corners: [corner(b.x, b.y), corner(b.x + b.width, b.y),
                corner(b.x + b.width, b.y + b.height), corner(b.x, b.y + b.height)]};
    }))"""
# The same boxes for the text marks (a bar's note, "from #70").
MARK_TEXT_BOXES_JS = AXIS_LABEL_BOXES_JS.replace("g.role-axis')", "g.mark-text.role-mark')").replace(
    "g.role-axis-label text", "text")
AXIS_LABELS_JS = """chart => [...chart.querySelectorAll('g.role-axis-label text')].map(t => t.textContent)"""


def _apart(one: list, two: list, slack: float) -> bool:
    """Whether an edge direction of either quadrilateral separates them by at least -`slack` (separating axes)."""
    for quad in (one, two):
        for (x1, y1), (x2, y2) in zip(quad, quad[1:] + quad[:1], strict=True):
            nx, ny = y1 - y2, x2 - x1
            length = (nx * nx + ny * ny) ** 0.5 or 1.0
            a = [(x * nx + y * ny) / length for x, y in one]
            b = [(x * nx + y * ny) / length for x, y in two]
            if max(a) <= min(b) + slack or max(b) <= min(a) + slack:
                return True
    return False


def overlapping(labels: list[dict], slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of labels whose (possibly slanted) boxes overlap by more than `slack` pixels."""
    return [(one["text"], two["text"]) for i, one in enumerate(labels) for two in labels[i + 1:]
            if not _apart(one["corners"], two["corners"], slack)]


def check_tab(page, tab: str, size: dict) -> None:
    panel = open_tab(main(page), tab, lazy=True)
    charts = panel.get_by_test_id("stVegaLiteChart")
    expect(charts.first.locator("svg").first).to_be_visible()
    name = f"chart-legibility-{size['width']}x{size['height']}-{tab.lower().replace(' ', '-')}"
    charts.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    for index in range(charts.count()):
        chart = charts.nth(index)
        expect(chart.locator("svg").first).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and box["height"] <= size["height"], (tab, index, box, size)
        if tab == "Measures":
            for axis in chart.evaluate(AXIS_LABEL_BOXES_JS):
                assert len(axis) >= 2 and not overlapping(axis), (size, index, axis)
    if tab == "Rank changes":  # no bar's note runs into the products' names
        names = [box for axis in charts.first.evaluate(AXIS_LABEL_BOXES_JS) for box in axis]
        notes = [box for marks in charts.first.evaluate(MARK_TEXT_BOXES_JS) for box in marks]
        assert names and notes
        assert [(a["text"], b["text"]) for a in notes for b in names if not _apart(a["corners"], b["corners"], 1.0)
                ] == []
    if tab == "Bump chart":
        names = [text for text in charts.first.evaluate(MARK_TEXTS_JS) if text.strip()]
        assert len(names) >= 5 and all(not name.isdigit() for name in names), names  # at the line ends
        ranks = [label for label in charts.first.evaluate(AXIS_LABELS_JS) if " · " in label]
        assert [label.split(" · ")[0] for label in ranks] == [str(rank) for rank in range(1, 11)], ranks


def test_the_compare_pages_charts_read_without_hovering_on_a_laptop_and_a_projector(studio):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    go_to(studio, "Compare lanes")
    click_button(main(studio), "Compare lanes")
    expect_no_exception(studio)
    expect(main(studio).get_by_test_id("stHeading").filter(has_text="Knitwear: 4 lanes")).to_be_visible()
    for size in SIZES:
        studio.set_viewport_size(size)
        for tab in TABS:
            check_tab(studio, tab, size)
    expect_no_exception(studio)

    # At the largest K, the rank changes still fit the projector: the biggest moves, the rest behind a toggle.
    press_slider(main(studio), "Top K", "End")
    check_tab(studio, "Rank changes", SIZES[-1])
    expect(main(studio).get_by_test_id("stCheckbox").filter(has_text="Chart all")).to_be_visible()

    # each chart saves itself as a PNG from Streamlit's own chart toolbar, offline (outside addresses refused)
    open_tab(main(studio), TABS[0], lazy=True)
    chart = main(studio).get_by_test_id("stVegaLiteChart").first
    expect(chart).to_be_visible()
    chart.hover()
    save = main(studio).get_by_role("button", name="Download as PNG").first
    expect(save).to_be_visible()
    with studio.expect_download() as download:
        save.click()
    with open(download.value.path(), "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    assert download.value.suggested_filename.endswith(".png")
