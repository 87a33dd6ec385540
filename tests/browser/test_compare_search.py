"""Compare lanes of a search query in the browser: the page switched to a search, a query typed, one click fetches
every lane (two personas searching on fresh sessions, the store's text match), drawn as the category lanes are."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import click_button, expect, expect_no_exception, fill_text, go_to, main

pytestmark = pytest.mark.browser


def test_a_query_compared_across_personas_draws_the_lanes_and_the_bump_chart(studio):
    go_to(studio, "Compare lanes")
    main(studio).get_by_test_id("stButtonGroup").get_by_text("A search query", exact=True).click()
    fill_text(main(studio), "Search query", "dress")
    expect(main(studio).get_by_text("Best sellers", exact=True)).to_have_count(0)
    click_button(main(studio), "Compare lanes")
    expect_no_exception(studio)
    expect(main(studio).get_by_text("Search “dress”: 3 lanes")).to_be_visible()
    expect(main(studio).get_by_text("The store's own search", exact=False).first).to_be_visible()
    expect(main(studio).get_by_test_id("stVegaLiteChart").first).to_be_visible()
