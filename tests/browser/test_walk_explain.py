"""The walk's leave-one-out panel in a real browser, on the simulator: the cost said before anything is sent, the
run's progress, then the sentences and the heatmap read back from the stored run, in the experiment's own report
and in the walk's."""

from __future__ import annotations

import re

import pytest

from tests.browser.streamlit_page import (
    click_button,
    download,
    expect,
    expect_no_exception,
    go_to,
    main,
    rerun,
    select_option,
    selectbox_options,
)

pytestmark = pytest.mark.browser


def test_the_walk_panel_says_the_cost_runs_and_shows_what_moved(studio):
    page = studio
    go_to(page, "Shopper walk")
    category = selectbox_options(main(page), "Category")[0]
    select_option(main(page), "Category", category)
    click_button(main(page), "Open category")
    opens = main(page).get_by_test_id("stButton").get_by_role("button", name="Open", exact=True)
    with rerun(page):
        opens.first.click()
    expect_no_exception(page)

    panel = main(page).get_by_test_id("stExpander").filter(has_text="What moved these products")
    panel.get_by_text("What moved these products").first.click()
    expect(panel.get_by_text(re.compile(r"Replays 3 events of the walk of .*: 22 calls"))).to_be_visible()

    click_button(panel, "Run the experiment")
    expect(panel.get_by_text("Read from the stored run")).to_be_visible(timeout=60_000)
    expect(panel.get_by_text(re.compile(r" moved .* from (#\d+|not shown) to ")).first).to_be_visible()
    expect(panel.get_by_test_id("stVegaLiteChart")).to_be_visible()
    expect_no_exception(page)

    own = download(panel, "Download a report").decode("utf-8")  # the experiment's own report
    walks = download(page.locator(".st-key-walk_handover_report"), "Download a report").decode("utf-8")
    for report in (own, walks):
        assert "What moved these products (leave-one-out replays)" in report and " moved “" in report
