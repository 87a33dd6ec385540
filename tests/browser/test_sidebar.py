"""The frame's sidebar in the browser: shopper session, kept across pages."""

from __future__ import annotations

import pytest

from tests.browser.streamlit_page import click_button, get_widget, go_to, nav_links, sidebar

pytestmark = pytest.mark.browser


def session_id(page) -> str:
    return get_widget(sidebar(page), "stTextInput", "Shopper session id").locator("input").input_value()


def test_new_synthetic_session_replaces_the_id_at_every_click(studio):
    # Read without retrying: each click's run must be on screen when click_button returns.
    seen = [session_id(studio)]
    for _ in range(5):
        click_button(sidebar(studio), "New synthetic session")
        seen.append(session_id(studio))
    assert all(value.startswith("studio-test-") for value in seen), seen
    assert len(set(seen)) == len(seen), seen


def test_shopper_session_is_kept_across_pages(studio):
    chosen = session_id(studio)
    for title, _ in nav_links(studio)[::-1]:
        go_to(studio, title)
        assert session_id(studio) == chosen, title
