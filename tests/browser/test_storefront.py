"""Storefront preview in the browser: the fallback first, then the personalized cards."""

from __future__ import annotations

import re

import pytest

from tests.browser.streamlit_page import alert, click_button, expect, main

pytestmark = pytest.mark.browser


def test_second_preview_shows_product_cards_with_images_and_stock(studio):
    click_button(main(studio), "Preview storefront")  # a new session: the store's own order, and why
    expect(alert(main(studio), "Warning", "empty list")).to_be_visible()

    click_button(main(studio), "Preview storefront")  # now recorded as a visit: Fashion.AI's order
    expect(main(studio).get_by_text("order: Fashion.AI")).to_be_visible()
    expect(alert(main(studio), "Warning", "empty list")).to_have_count(0)
    cards = main(studio).locator(".fai-card-picture")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 4
    layers = [card.evaluate("e => getComputedStyle(e.firstElementChild).backgroundImage") for card in cards.all()]
    assert all(layer.startswith('url("data:image/') for layer in layers), [layer[:40] for layer in layers[:3]]
    assert all(card.get_attribute("aria-label") for card in cards.all())  # each picture named for a screen reader
    badges = main(studio).locator(".stMarkdownBadge")
    assert set(badges.all_inner_texts()) & {"in stock", "low stock", "out of stock"}
    assert any(re.fullmatch(r"[↑↓]\d+", text) for text in badges.all_inner_texts())  # moved since the first visit
    expect(main(studio).get_by_text("Arrows compare with this session's previous visit")).to_be_visible()
    expect(main(studio).get_by_test_id("stMetric").first).to_be_visible()
