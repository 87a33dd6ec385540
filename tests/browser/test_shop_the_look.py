"""Shop the look in the browser: find a main piece, see the look beside it and the button's verdict."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    fill_text,
    go_to,
    main,
    selectbox_options,
    selectbox_value,
)

pytestmark = pytest.mark.browser


def test_shop_the_look_shows_the_look_and_that_the_button_would_show(studio):
    go_to(studio, "Shop the look")
    click_button(main(studio), "Shop the look")

    expect(alert(main(studio), "Success", 'The "shop the look" button would be shown.')).to_be_visible()
    expect(main(studio).locator("strong", has_text="Main piece")).to_be_visible()
    expect(main(studio).get_by_role("img").nth(1)).to_be_visible()  # the main piece and a piece of its look
    expect(alert(main(studio), "Info", "Press Shop the look")).to_have_count(0)


def test_search_offers_matching_pieces_and_asks_about_the_first(studio):
    go_to(studio, "Shop the look")
    fill_text(main(studio), "Find the main piece", "dress")

    options = selectbox_options(main(studio), "Main piece")
    assert options and all("dress" in option.lower() for option in options), options[:5]
    click_button(main(studio), "Shop the look")
    first_name = options[0].rsplit(" · ", 1)[0]
    expect(main(studio).get_by_test_id("stText").first).to_have_text(first_name)


def test_search_shows_the_piece_it_will_ask_about(studio):
    go_to(studio, "Shop the look")
    fill_text(main(studio), "Find the main piece", "dress")

    assert selectbox_value(main(studio), "Main piece") == selectbox_options(main(studio), "Main piece")[0]
