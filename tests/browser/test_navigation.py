"""Every page in the sidebar navigation renders in a real browser, clicked or opened by address."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import (
    badge,
    expect,
    expect_no_exception,
    go_to,
    main,
    nav_link,
    nav_links,
    open_app,
    sidebar,
    traffic,
)

pytestmark = pytest.mark.browser



def expect_page_rendered(page, title: str) -> None:
    expect(nav_link(page, title)).to_have_attribute("aria-current", "page")
    expect(main(page).locator("h1").first).to_be_visible()
    expect_no_exception(page)
    expect(badge(sidebar(page), "Simulator")).to_be_visible()


def test_every_page_in_the_navigation_renders(studio):
    pages = nav_links(studio)
    assert len(pages) >= 3, pages
    for title, _ in pages:
        go_to(studio, title)
        expect_page_rendered(studio, title)
    assert traffic(studio).page_errors == []


def test_every_page_opens_from_its_own_address(studio, studio_server):
    for title, address in nav_links(studio):
        open_app(studio, address)
        expect_page_rendered(studio, title)


def test_the_browser_requests_nothing_outside_loopback(studio):
    for title, _ in nav_links(studio):
        go_to(studio, title)
    refused = traffic(studio).refused
    assert refused == []
