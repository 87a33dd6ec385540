"""AppTest of the shopper walk's search box: search -> results (with arrows) -> product page, each click's calls
in the trail ("Search" with its query), the arrows of a second search against the first, a failing search said
in words with the walk kept, and a blank query that sends nothing."""

from __future__ import annotations

from fashionai.history import Snapshot
from tests.apptest_helpers import button, open_page, texts

PAGE = "pages/walk.py"


def calls(store) -> list[tuple[str, str | None]]:
    snapshots: list[Snapshot] = store.query(limit=1000)
    return [(s.event_type, s.item_id) for s in reversed(snapshots)]


def walk(at):
    return at.session_state["walk_state"]


def search(at, query: str):
    at.text_input(key="walk_search_query").input(query).run()
    return button(at, "Search").click().run()


def test_search_then_results_then_a_product_page_all_in_the_trail(app, store):
    open_page(app, PAGE)
    assert button(app, "Search").disabled  # nothing typed: nothing to send
    search(app, "vestido azul")
    assert not app.exception and not app.error
    assert [event for event, _ in calls(store)] == ["search"]
    assert walk(app).place == "search"
    results = walk(app).search
    assert len(results.preview.products) > 0
    assert all("dress" in name.casefold() for name in results.preview.products["name"])
    shown = texts(app)
    assert "Search: “vestido azul”" in shown and "store's own text match" in shown

    product = results.shown_ids[0]
    next(b for b in app.button if b.label == "Open").click().run()
    assert not app.exception
    assert [event for event, _ in calls(store)][1:] == ["productView", "similar", "shopTheLook"]
    assert walk(app).place == "product" and walk(app).product.product_id == product

    trail = app.table[0].value
    assert list(trail["Call"])[:2] == ["Search", "Product page"]
    assert next(iter(trail["Of"])) == "vestido azul"
    assert "4 calls, 3 tracking events" in texts(app)  # the search and the product page's two events

    button(app, "← back to “vestido azul”").click().run()  # the product was opened from the search: back to it
    assert not app.exception
    assert calls(store)[-1] == ("search", "vestido azul") and walk(app).place == "search"
    assert walk(app).search.against == "this session's previous search for the same query"


def test_a_failing_search_says_so_and_keeps_the_walk(app, store, monkeypatch):
    open_page(app, PAGE)
    search(app, "vestido")
    before = walk(app).search

    from fashionai.api.client import FashionAIClient
    from fashionai.api.errors import ServerError

    def broken(self, *args, **kwargs):
        raise ServerError("Fashion.AI had a problem (HTTP 500). Try again in a moment.", status_code=500)

    monkeypatch.setattr(FashionAIClient, "search", broken)
    search(app, "saia")
    assert not app.exception
    assert app.error and "Traceback" not in texts(app)
    assert walk(app).search is before and walk(app).place == "search"
    assert walk(app).trail[-1].error == "HTTP 500"
