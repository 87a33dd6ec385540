"""The Catalog page's collection over time in the browser: a fetched slice appears on the timeline, drawn, with
its inactive products counted (the answer kept with its slice)."""

from __future__ import annotations

import re

import pytest

from tests.browser.streamlit_page import (
    click_button,
    expect,
    expect_no_exception,
    go_to,
    main,
    open_tab,
    select_option,
)

pytestmark = pytest.mark.browser


def test_a_fetched_slice_is_on_the_timeline(studio):
    go_to(studio, "Catalog")
    panel = open_tab(main(studio), "Collections")
    select_option(panel, re.compile("^Collection$"), "4 · Street & Sport")
    click_button(panel, "Fetch the active slice")
    expect(panel.get_by_text("Over time", exact=True)).to_be_visible()
    expect(panel.get_by_text("Collection 4:", exact=False).first).to_be_visible()
    expect(panel.get_by_text("inactive or out of stock", exact=False).first).to_be_visible()
    expect(panel.get_by_text("saved before the studio kept", exact=False)).to_have_count(0)  # kept with its slice
    expect(panel.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    expect_no_exception(studio)
