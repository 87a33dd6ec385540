"""History and shared links in the browser.

Every answer is saved as a snapshot: the History page lists it, opens it as the
storefront it showed and compares two. "Share this view" gives a link that opens the
same view for a colleague (a new browser context: another session, the same server)
from the saved answer, without calling Fashion.AI; a bad or stale link opens with
warnings, never a traceback.

One app server serves every test of a worker, so the history holds other tests'
snapshots too: each test finds its own by its shopper session id.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import VIEWPORT
from tests.browser.streamlit_page import (
    alert,
    choose_in_multiselect,
    click_button,
    expect,
    expect_no_exception,
    get_widget,
    go_to,
    main,
    nav_link,
    open_app,
    open_popover,
    open_tab,
    rerun,
    select_option,
    selectbox_options,
    selectbox_value,
    sidebar,
    watch,
)

pytestmark = pytest.mark.browser

SNAPSHOTS = "Open one snapshot, or choose two to compare"
MATCHING = re.compile(r"([\d,]+) snapshots match")
NO_CALL = "no call was made"


def session_id(page) -> str:
    return get_widget(sidebar(page), "stTextInput", "Shopper session id").locator("input").input_value()


def card_names(page) -> list[str]:
    """The product names of the storefront grid (or a snapshot's), in order: its cards' only text elements."""
    return main(page).get_by_test_id("stText").all_inner_texts()


def preview_twice(page) -> list[str]:
    """Preview the storefront twice (the second is personalized); the first product names shown."""
    click_button(main(page), "Preview storefront")
    click_button(main(page), "Preview storefront")
    expect(main(page).get_by_text("order: Fashion.AI")).to_be_visible()
    return card_names(page)[:8]


def snapshots_matching(page) -> int:
    caption = main(page).get_by_text(MATCHING)
    expect(caption).to_be_visible()
    return int(MATCHING.search(caption.inner_text()).group(1).replace(",", ""))


def test_a_preview_is_saved_listed_and_opens_again_as_its_storefront(studio):
    session = session_id(studio)
    shown = preview_twice(studio)

    go_to(studio, "History")
    saved = snapshots_matching(studio)
    chosen = choose_in_multiselect(main(studio), SNAPSHOTS, session)  # the newest first: the second preview
    assert f"categoryView Knitwear · {session}" in chosen, chosen
    expect(main(studio).get_by_test_id("stHeading").filter(has_text="categoryView Knitwear")).to_be_visible()
    expect(main(studio).get_by_text(f"session {session}")).to_be_visible()
    assert card_names(studio)[:8] == shown

    with rerun(studio):
        main(studio).get_by_test_id("stPageLink").filter(has_text="Open on the storefront page").click()
    expect(nav_link(studio, "Storefront preview")).to_have_attribute("aria-current", "page")
    expect(alert(main(studio), "Info", NO_CALL)).to_be_visible()
    expect(main(studio).get_by_text("order: Fashion.AI")).to_be_visible()
    assert card_names(studio)[:8] == shown

    go_to(studio, "History")
    assert snapshots_matching(studio) == saved  # opening it again sent nothing


def test_two_snapshots_of_one_session_are_compared(studio):
    session = session_id(studio)
    preview_twice(studio)  # an empty answer (a new session), then a ranked one

    go_to(studio, "History")
    choose_in_multiselect(main(studio), SNAPSHOTS, session)
    choose_in_multiselect(main(studio), SNAPSHOTS, session)  # the chosen one has left the list

    expect_no_exception(studio)
    expect(main(studio).get_by_test_id("stHeading").filter(has_text="Two snapshots compared")).to_be_visible()
    for measure in ("Alike overall", "Shared in the top 10", "Shared of either top 10", "Same order"):
        expect(main(studio).get_by_test_id("stMetric").filter(has_text=measure)).to_be_visible()
    expect(main(studio).get_by_text("answered with an empty list").first).to_be_visible()  # the first preview's
    bump = open_tab(main(studio), "Bump chart").get_by_test_id("stVegaLiteChart")
    expect(bump.locator("svg, canvas").first).to_be_visible()
    expect(bump).to_contain_text("How the top 10 reshuffles across lanes")
    changes = open_tab(main(studio), "Rank changes")
    expect(changes.get_by_test_id("stMetric").filter(has_text="New in top 10")).to_be_visible()
    expect(changes.get_by_test_id("stVegaLiteChart")).to_contain_text("Who moved, and how far")
    assert "snap=" in studio.url and studio.url.count("snap=") == 2


def test_a_shared_link_shows_a_colleague_the_same_saved_storefront(studio, browser):
    category = selectbox_options(main(studio), "Category")[1]  # not the page's default
    select_option(main(studio), "Category", category)
    session = session_id(studio)
    shown = preview_twice(studio)

    share = open_popover(main(studio), "Share this view")
    expect(share).to_contain_text("without calling Fashion.AI again")
    link = share.get_by_test_id("stCode").inner_text().strip()
    studio.keyboard.press("Escape")
    assert "page=storefront" in link and f"session={session}" in link and re.search(r"snap=[0-9a-f]{32}", link)

    colleague_context = browser.new_context(viewport=VIEWPORT)
    try:
        colleague = colleague_context.new_page()
        watch(colleague)
        open_app(colleague, link)

        expect_no_exception(colleague)
        expect(alert(main(colleague), "Info", NO_CALL)).to_be_visible()
        assert selectbox_value(main(colleague), "Category") == category
        assert session_id(colleague) == session
        expect(main(colleague).get_by_text("order: Fashion.AI")).to_be_visible()
        assert card_names(colleague)[:8] == shown
    finally:
        colleague_context.close()


BAD_LINKS = [  # (address, the page it opens, words of the warnings it must show)
    ("/compare?page=compare&v=1&k=abc&snap=doesnotexist", "Compare lanes",
     ["K ('abc') is not a whole number", "saved answers are not a list"]),
    ("/?page=compare&k=abc&snap=doesnotexist", "Compare lanes",  # cut to the default page's address
     ["K ('abc') is not a whole number", "saved answers are not a list"]),
    ("/?page=storefront&v=1&category=Knitwear&snap=" + "0" * 32, "Storefront preview",
     ["names saved answers that are not in this studio's history"]),
    ("/history?page=history&v=1&event=nope&snap=" + "0" * 32, "History",
     ["event filter ('nope') is not one of", "names saved answers that are not in this studio's history"]),
    ("/journey?page=journey&v=1&journey=Persona%3A%20Nobody&k=2", "Personas and journeys",
     ["journey 'Persona: Nobody' is not available here", "K ('2') is not a whole number from 3 to 30"]),
]


def test_a_bad_or_stale_link_opens_its_page_with_warnings_and_no_error(studio, studio_server):
    for address, title, warnings in BAD_LINKS:  # each address opens a new session of the app
        open_app(studio, studio_server.url + address)

        expect_no_exception(studio)
        expect(nav_link(studio, title), address).to_have_attribute("aria-current", "page")
        expect(main(studio).locator("h1").filter(has_text=title), address).to_be_visible()
        for words in warnings:
            expect(alert(main(studio), "Warning", words), f"{address}: {words}").to_be_visible()
        expect(alert(main(studio), "Error"), address).to_have_count(0)
