"""A shop-the-look answer of thousands of pieces is paged, on the look page and when opened from the history.

Issue 10, item 5: 3,000 pieces took 29 s to draw and 20,000 never finished, because
every piece became a card. Now one page of cards is drawn, as on the storefront.
"""

from __future__ import annotations

from fashionai.storefront.preview import look_from_snapshot
from fashionai.ui import PAGE_SIZES
from tests.apptest_helpers import card_pictures, texts
from tests.pages.history_pages import open_history, snap

PIECES = 5_000
FIRST_PAGE = 24  # paginate's default page size


def big_look(catalog):
    """A saved look of PIECES pieces: every product of the catalog, then ids it does not know."""
    known = list(catalog.products.index)
    unknown = [f"gone-{i:05d}" for i in range(PIECES - len(known))]
    return snap(catalog, event_type="shopTheLook", item_id=known[0], products=tuple(known + unknown))


def cards(at) -> int:
    """Product cards drawn in the main area (each card has one picture; the main piece's is one of them)."""
    return len(card_pictures(at.main))


def test_a_look_of_thousands_of_pieces_draws_one_page_of_cards_and_pages_through_them(app, catalog):
    look = look_from_snapshot(big_look(catalog), catalog)
    app.run()
    app.switch_page("pages/shop_the_look.py")
    app.session_state["look_preview"] = look
    app.run()
    assert not app.exception
    assert cards(app) == 1 + FIRST_PAGE  # the main piece, then one page of pieces
    assert f"Showing 1–{FIRST_PAGE} of {PIECES:,}" in texts(app)

    app.number_input(key="look_pieces_page").set_value(3).run()
    assert not app.exception
    assert f"Showing {2 * FIRST_PAGE + 1}–{3 * FIRST_PAGE} of {PIECES:,}" in texts(app)
    shown = [element.value for element in app.main if type(element).__name__ == "Text"]
    assert look.look["name"].iloc[2 * FIRST_PAGE] in shown  # the third page's first piece

    app.selectbox(key="look_pieces_size").set_value(PAGE_SIZES[-1]).run()
    assert cards(app) == 1 + PAGE_SIZES[-1]

    app.toggle(key="look_only_valid").set_value(True).run()  # fewer pieces: the page is still in range
    assert not app.exception
    assert cards(app) <= 1 + PAGE_SIZES[-1]
    assert f"of {len(look.shown_pieces(unknown_in_stock=False)):,}" in texts(app)


def test_a_saved_look_of_thousands_of_pieces_opens_from_the_history_one_page_at_a_time(studio, store, catalog):
    saved = store.record(big_look(catalog))
    at = open_history(studio)
    at.multiselect(key="history_selected").set_value([saved.id]).run()
    assert not at.exception
    assert cards(at) == 1 + FIRST_PAGE
    assert f"Showing 1–{FIRST_PAGE} of {PIECES:,}" in texts(at)
    at.number_input(key="history_look_page").set_value(2).run()
    assert not at.exception
    assert f"Showing {FIRST_PAGE + 1}–{2 * FIRST_PAGE} of {PIECES:,}" in texts(at)
