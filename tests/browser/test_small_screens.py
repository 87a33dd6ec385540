"""Pages at a small laptop's size (1,024 x 768) and a laptop's (1,280 x 800), in a real browser: no button label
cut ("Preview sto…"), and every lane chosen on Compare lanes in sight (issue 21, item 23)."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import click_button, expect, expect_no_exception, get_widget, go_to, main

pytestmark = pytest.mark.browser


CUT_LABELS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] button')].filter(button => {
    const label = button.querySelector('[data-testid="stMarkdownContainer"]') || button;
    return label.scrollWidth > label.clientWidth + 1;
}).map(button => button.textContent)"""
"""The buttons of the page whose label is cut (an ellipsis): "Preview sto…"."""


@pytest.mark.parametrize("title", ["Storefront preview", "Shop the look"])
def test_the_primary_buttons_keep_their_whole_label_at_1024(studio, title):
    page = studio
    page.set_viewport_size({"width": 1024, "height": 768})
    go_to(page, title)
    expect_no_exception(page)
    expect(main(page).get_by_test_id("stButton").first).to_be_visible()
    assert page.evaluate(CUT_LABELS_JS) == []



CUT_METRIC_LABELS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetricLabel"]')]
    .filter(label => [label, ...label.querySelectorAll('*')].some(part => part.scrollWidth > part.clientWidth + 1))
    .map(label => label.textContent)"""
"""The figures' labels of the page that are cut (an ellipsis): "Returned by Fashio…"."""


def test_the_storefronts_figures_keep_their_whole_label_at_1024(studio):
    page = studio
    page.set_viewport_size({"width": 1024, "height": 768})
    go_to(page, "Storefront preview")
    click_button(main(page), "Preview storefront")
    expect_no_exception(page)
    expect(main(page).get_by_test_id("stMetricLabel").first).to_be_visible()
    assert page.evaluate(CUT_METRIC_LABELS_JS) == []


HIDDEN_CHIPS_JS = """(box) => {
    const picker = box.getBoundingClientRect();
    return [...box.querySelectorAll('[data-tag]')].filter(chip => {
        const seen = chip.getBoundingClientRect();
        return seen.right > picker.right + 1 || seen.left < picker.left - 1 || seen.width < 1;
    }).map(chip => chip.textContent);
}"""
"""The chosen options' chips of a multiselect that lie outside its box (scrolled out of sight)."""


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768)])
def test_the_default_lanes_are_all_in_sight_on_compare_lanes(studio, width, height):
    page = studio
    page.set_viewport_size({"width": width, "height": height})
    go_to(page, "Compare lanes")
    expect_no_exception(page)
    picker = get_widget(main(page), "stMultiSelect", "Lanes")
    expect(picker.locator('[data-tag]')).to_have_count(4)
    assert picker.evaluate(HIDDEN_CHIPS_JS) == []
