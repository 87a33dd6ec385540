"""The shopper walk laid out for a laptop (1,280 x 800) and a small screen (1,024 x 768), in a real browser: no
product card narrower than MIN_CARD_PX, no word of a card's name broken across lines, and the trail's "What it
changed" column on screen (issue 21, item 20: three columns left cards about 90 px wide, "Quechu a")."""

from __future__ import annotations

import pytest

from fashionai.output.images import CARD_PICTURE_CLASS
from tests.browser.streamlit_page import (
    click_button,
    expect,
    expect_no_exception,
    go_to,
    main,
    rerun,
    select_option,
    selectbox_options,
)

pytestmark = pytest.mark.browser
MIN_CARD_PX = 150

CARD_SIZES_JS = """(cls) => [...document.querySelectorAll('[data-testid="stMain"] .' + cls)].map(picture => {
    const card = picture.closest('[data-testid="stVerticalBlock"]');
    return Math.round(card.getBoundingClientRect().width);
})"""
"""The width of each product card on screen (the block holding its picture)."""

BROKEN_WORDS_JS = """(cls) => {
    const broken = [];
    for (const picture of document.querySelectorAll('[data-testid="stMain"] .' + cls)) {
        const card = picture.closest('[data-testid="stVerticalBlock"]');
        for (const text of card.querySelectorAll('[data-testid="stText"]')) {
            const node = [...text.querySelectorAll('*'), text].flatMap(e => [...e.childNodes])
                .find(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
            if (!node) continue;
            let at = 0;
            for (const word of node.textContent.split(/(\\s+)/)) {
                if (word.trim()) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + word.length);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    if (lines.size > 1) broken.push(word);
                }
                at += word.length;
            }
        }
    }
    return broken;
}"""
"""The words of the cards' names that a line break cuts in two."""


def check_cards(page, where: str) -> None:
    widths = page.evaluate(CARD_SIZES_JS, CARD_PICTURE_CLASS)
    assert widths, f"no product card on the {where}"
    assert min(widths) >= MIN_CARD_PX, f"a card of the {where} is {min(widths)} px wide: {widths}"
    assert page.evaluate(BROKEN_WORDS_JS, CARD_PICTURE_CLASS) == [], f"words broken on the {where}"


@pytest.mark.parametrize("width, height", [(1280, 800), (1024, 768)])
def test_the_walk_reads_whole_at_a_laptops_and_a_small_screens_size(studio, width, height):
    page = studio
    page.set_viewport_size({"width": width, "height": height})
    go_to(page, "Shopper walk")
    click_button(main(page), "Open the home page")
    select_option(main(page), "Category", selectbox_options(main(page), "Category")[0])
    click_button(main(page), "Open category")
    check_cards(page, "category page")

    with rerun(page):  # the first card's "Open": the product page
        main(page).get_by_test_id("stButton").get_by_role("button", name="Open", exact=True).first.click()
    expect(main(page).get_by_text("Similar for this shopper", exact=True)).to_be_visible()
    expect_no_exception(page)
    check_cards(page, "product page")

    changed = main(page).get_by_test_id("stTable").get_by_text("What it changed", exact=True)
    changed.scroll_into_view_if_needed()
    expect(changed).to_be_visible()
    box, table = changed.bounding_box(), main(page).get_by_test_id("stTable").bounding_box()
    assert box["x"] + box["width"] <= table["x"] + table["width"] + 1  # the column is inside the table, on screen
    assert box["x"] + box["width"] <= width

