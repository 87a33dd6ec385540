"""Settings in the browser: which backend answers, and a connection check that succeeds."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import alert, click_button, expect, go_to, main

pytestmark = pytest.mark.browser


def test_connection_check_succeeds_on_the_simulator(studio):
    go_to(studio, "Settings")
    expect(main(studio).get_by_text("Built-in simulator", exact=True)).to_be_visible()
    click_button(main(studio), "Check the connection")
    expect(alert(main(studio), "Success", "Connected: Built-in simulator answered HTTP 200")).to_be_visible()
    expect(main(studio).get_by_test_id("stExpander").filter(has_text="Request and response")).to_be_visible()
