"""Every page in the sidebar navigation renders in a real browser, clicked or opened by address."""

from __future__ import annotations

import pytest

from tests.browser import servers
from tests.browser.conftest import VIEWPORT
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
    watch,
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


RECORD_NAVIGATION_JS = """
window.__navigations = [];
new MutationObserver(() => {
    const links = [...document.querySelectorAll('[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"]')]
        .map(link => link.innerText.trim());
    const last = window.__navigations[window.__navigations.length - 1];
    if (links.length && (last === undefined || last.join('|') !== links.join('|'))) window.__navigations.push(links);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
"""Records every list of page titles the sidebar navigation shows, from the page's first paint."""


@pytest.mark.parametrize(("address", "title"), [("/", "Storefront preview"), ("/compare", "Compare lanes")])
def test_a_cold_server_shows_only_the_studios_navigation(browser, tmp_path, address, title):
    """The very first visit to a fresh server, at the home page or a page's address (a link a colleague
    sent). Streamlit sees the ``pages/`` folder and, until app.py has run once, would list the raw page
    files (``app, audit, catalog, ...``) for the seconds of that first run, or run a page's file alone
    without the frame's sidebar."""
    server = servers.start_app(tmp_path / "cold-server")
    context = browser.new_context(viewport=VIEWPORT, base_url=server.url)
    context.add_init_script(RECORD_NAVIGATION_JS)
    try:
        page = context.new_page()
        watch(page)
        open_app(page, server.url + address)
        expect_page_rendered(page, title)
        expect(sidebar(page).get_by_text("Shopper session id")).to_be_visible()
        titles = [shown for shown, _ in nav_links(page)]
        assert "Storefront preview" in titles and "app" not in titles  # not Streamlit's file-based navigation
        assert page.evaluate("window.__navigations") == [titles]  # never another list, not even for a moment
    finally:
        context.close()
        server.stop()
