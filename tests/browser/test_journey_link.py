"""A journey's share link in the browser: a colleague (another browser context) sees the same run, replayed
from the history without a call."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import VIEWPORT
from tests.browser.streamlit_page import (
    alert,
    click_button,
    expect,
    expect_no_exception,
    go_to,
    main,
    open_app,
    open_popover,
    watch,
)

pytestmark = pytest.mark.browser


def _metric(page, label: str):
    return main(page).get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_a_journey_link_shows_a_colleague_the_same_run_without_a_call(studio, browser):
    go_to(studio, "Personas and journeys")
    click_button(main(studio), "Run journey")
    expect(_metric(studio, "Steps done")).to_have_text("4 of 4")
    caption = main(studio).get_by_text(re.compile(r"Session `?studio-journey-")).first.inner_text()

    share = open_popover(main(studio), "Share this view")
    expect(share).to_contain_text("without calling Fashion.AI again")
    link = share.get_by_test_id("stCode").inner_text().strip()
    studio.keyboard.press("Escape")
    assert "page=journey" in link and len(re.findall(r"snap=[0-9a-f]{32}", link)) == 8

    colleague_context = browser.new_context(viewport=VIEWPORT)
    try:
        colleague = colleague_context.new_page()
        watch(colleague)
        open_app(colleague, link)
        expect_no_exception(colleague)
        expect(alert(main(colleague), "Info", "Replaying the journey saved on")).to_be_visible()
        expect(alert(main(colleague), "Info", "no call was made")).to_be_visible()
        expect(_metric(colleague, "Steps done")).to_have_text("4 of 4")
        expect(main(colleague).get_by_test_id("stHeading").filter(has_text="Sporty shopper · Knitwear")).to_be_visible()
        session = re.search(r"studio-journey-[0-9a-z]+", caption).group(0)
        expect(main(colleague).get_by_text(re.compile(session)).first).to_be_visible()
        expect(main(colleague).locator(".fai-card-picture")).to_have_count(10)
    finally:
        colleague_context.close()
