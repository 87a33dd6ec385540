"""Fault drills in the browser: a preset turned on in Settings, a clear error on the storefront, then reset."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import (
    alert,
    badge,
    click_button,
    expect,
    expect_no_exception,
    go_to,
    main,
    select_option,
    sidebar,
)

pytestmark = pytest.mark.browser


def product_cards(page):
    return main(page).get_by_role("img")  # each card's picture


def test_a_dropped_connections_drill_shows_a_clear_error_keeps_the_cards_and_resets(studio):
    click_button(main(studio), "Preview storefront")  # something on screen before the drill
    expect(product_cards(studio).first).to_be_visible()

    go_to(studio, "Settings")
    select_option(main(studio), "Preset", "Dropped connections")
    click_button(main(studio), "Apply")
    expect(alert(main(studio), "Warning", "Fault drill on (Dropped connections)")).to_be_visible()
    expect(badge(sidebar(studio), "Fault drill on")).to_be_visible()

    # The drill's dice are seeded (seed 0): its first request is dropped.
    go_to(studio, "Storefront preview")
    expect(badge(sidebar(studio), "Fault drill on")).to_be_visible()
    click_button(main(studio), "Preview storefront")
    error = alert(main(studio), "Error", "Previewing the storefront did not work")
    expect(error).to_be_visible()
    expect(error).to_contain_text("failed before an answer arrived")
    expect(error).to_contain_text("Anything already on screen has been kept")
    expect(main(studio).get_by_text("fault drill is on for your browser session")).to_be_visible()
    expect(product_cards(studio).first).to_be_visible()  # the earlier storefront stays
    expect_no_exception(studio)

    go_to(studio, "Settings")
    click_button(main(studio), "Reset")
    expect(main(studio).get_by_text("No fault drill is on")).to_be_visible()
    expect(badge(sidebar(studio), "Fault drill on")).to_have_count(0)

    go_to(studio, "Storefront preview")
    click_button(main(studio), "Preview storefront")
    expect(alert(main(studio), "Error")).to_have_count(0)
    expect(product_cards(studio).first).to_be_visible()
    expect_no_exception(studio)
