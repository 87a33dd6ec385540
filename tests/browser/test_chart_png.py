"""Each chart's own PNG: the compare page's charts carry "Download as PNG" in Streamlit's chart toolbar, and it
works offline (the browser refuses every outside address here). One page load."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import click_button, expect, expect_no_exception, go_to, main

pytestmark = pytest.mark.browser


def test_the_bump_chart_saves_itself_as_a_png_offline(studio):
    go_to(studio, "Compare lanes")
    click_button(main(studio), "Compare lanes")
    expect_no_exception(studio)
    chart = main(studio).get_by_test_id("stVegaLiteChart").first
    expect(chart).to_be_visible()
    chart.hover()
    save = main(studio).get_by_role("button", name="Download as PNG").first  # Streamlit's chart toolbar
    expect(save).to_be_visible()
    with studio.expect_download() as download:
        save.click()
    path = download.value.path()
    with open(path, "rb") as png:
        assert png.read(8) == b"\x89PNG\r\n\x1a\n"
    assert download.value.suggested_filename.endswith(".png")
