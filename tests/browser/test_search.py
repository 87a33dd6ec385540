"""The Search page in a real browser on the simulator: a merchandiser types "vestido azul" for the sidebar's
shopper and sees the cards that shopper would see, what the same query gives another shopper, a persona and the
store's text match, and the WhatsApp chat cards."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    expect_no_exception,
    fill_text,
    go_to,
    main,
    rerun,
)

pytestmark = pytest.mark.browser


def test_vestido_azul_shows_the_shoppers_results_and_the_same_query_for_others(studio):
    go_to(studio, "Search")
    fill_text(main(studio), "Query", "vestido azul")  # Enter sends the search, as the Search button does
    expect_no_exception(studio)
    expect(main(studio).get_by_text("“vestido azul”")).to_be_visible()
    expect(main(studio).get_by_text("order: Fashion.AI's search")).to_be_visible()
    cards = main(studio).locator(".fai-card-picture")
    expect(cards.first).to_be_visible()
    names = [label for label in (card.get_attribute("aria-label") for card in cards.all()) if label]
    assert names and all("dress" in name.casefold() for name in names), names[:5]  # vestido: the dresses
    assert any("blue" in name.casefold() or "navy" in name.casefold() for name in names), names[:5]  # azul
    expect(main(studio).get_by_text("Arrows compare with the store's own text match")).to_be_visible()

    click_button(main(studio), "Compare")
    expect_no_exception(studio)
    expect(main(studio).get_by_text("Anonymous shopper", exact=True)).to_be_visible()
    expect(main(studio).get_by_text("Store's text match", exact=True)).to_be_visible()
    expect(main(studio).get_by_text("These two storefronts share").first).to_be_visible()

    click_button(main(studio), "Ask the WhatsApp search")
    expect_no_exception(studio)
    expect(alert(main(studio), "Error")).to_have_count(0)
    chat = main(studio).get_by_text("WhatsApp search: request and response")
    expect(chat).to_be_visible()


def test_the_walks_search_box_leads_to_a_product_page_and_into_the_trail(studio):
    go_to(studio, "Shopper walk")
    fill_text(main(studio), "Search the store", "vestido azul")  # Enter only commits the text
    expect(main(studio).get_by_text("No call yet")).to_be_visible()
    click_button(main(studio), "Search")
    expect_no_exception(studio)
    expect(main(studio).get_by_text("Search: “vestido azul”")).to_be_visible()
    opens = main(studio).get_by_test_id("stButton").get_by_role("button", name="Open", exact=True)
    with rerun(studio):  # the first result's "Open": its product page
        opens.first.click()
    expect_no_exception(studio)
    expect(main(studio).get_by_text("Similar for this shopper").first).to_be_visible()
    trail = main(studio).get_by_test_id("stTable")
    expect(trail.get_by_text("vestido azul")).to_be_visible()
    expect(trail.get_by_text("Product page", exact=True)).to_be_visible()
