"""AppTest of the Search page: it opens without a call; a query for the sidebar's shopper shows the results as the
storefront does (cards joined with the catalog, badges, paging through Fashion.AI's pages, one search a press);
an empty answer explained with the store's text match; a failing API said in words, the results before kept;
what the same query gives on fresh sessions; the WhatsApp preview and its disagreement marks."""

from __future__ import annotations

import json

from fashionai.history import Snapshot
from fashionai.text.formatting import escape_markdown
from tests.apptest_helpers import button, open_page, texts

PAGE = "pages/search.py"


def calls(store) -> list[tuple[str, str | None, str | None]]:
    """Every call the history saved, oldest first: (event, session, id)."""
    snapshots: list[Snapshot] = store.query(limit=1000)
    return [(s.event_type, s.session_id, s.item_id) for s in reversed(snapshots)]


def search(at, query: str):
    at.text_input(key="search_query").input(query)
    return button(at, "Search").click().run()


def test_the_page_is_in_the_navigation_and_opens_without_a_call(app, store):
    open_page(app, PAGE)
    assert app.title[0].value == "Search"
    assert "Type a query and press **Search**" in texts(app)
    assert calls(store) == []
    assert app.get("button_group")[0].options[:2] == ["Knitwear", "Bags"]  # suggestions: the categories first


def test_a_blank_query_sends_nothing_and_says_what_to_do(app, store):
    open_page(app, PAGE)
    button(app, "Search").click().run()
    assert not app.exception
    assert "Type a query first" in texts(app)
    assert calls(store) == []


def searches(fake_api) -> list[str]:
    """The site searches the fake API was sent: their paths and query strings."""
    return [seen.path for seen in fake_api.requests if "/protected/search?" in seen.path]


def test_results_are_cards_joined_with_the_catalog_and_paged_one_search_a_press(app, fake_api, catalog):
    ids = list(catalog.products.index[:25])
    fake_api.products = ids
    open_page(app, PAGE)
    search(app, "vestido azul")
    assert not app.exception and not app.error
    assert searches(fake_api) == ["/api/v1/products/protected/search?page=1&limit=20&query=vestido%20azul"]
    preview = app.session_state["search_preview"]
    assert list(preview.products["product_id"]) == ids[:20]
    shown = texts(app)
    assert catalog.products.loc[ids[0], "name"] in shown  # a card's name, from the catalog
    assert "Arrows compare with the store's own text match" in shown
    assert "page 1 of 2" in shown

    app.run()  # a rerun sends nothing
    assert len(searches(fake_api)) == 1
    button(app, "Next page").click().run()
    assert not app.exception
    assert searches(fake_api)[1:] == ["/api/v1/products/protected/search?page=2&limit=20&query=vestido%20azul"]
    preview = app.session_state["search_preview"]
    assert list(preview.products["product_id"]) == ids[20:] and list(preview.products["rank"]) == [21, 22, 23, 24, 25]

    button(app, "Previous page").click().run()
    assert "Arrows compare with this session's previous search for the same query" in texts(app)


def test_an_empty_answer_is_explained_and_the_stores_text_match_shown(app, fake_api, catalog):
    fake_api.mode = "empty"
    open_page(app, PAGE)
    search(app, "knit vest")
    assert not app.exception and not app.error
    shown = texts(app)
    assert "Fashion.AI's search found nothing for this query" in shown
    preview = app.session_state["search_preview"]
    assert preview.fallback and len(preview.products) > 0
    assert all("knit" in name.casefold() and "vest" in name.casefold() for name in preview.products["name"])


def test_a_failing_api_says_so_in_words_and_keeps_the_results_before(app, fake_api, catalog):
    fake_api.products = list(catalog.products.index[:5])
    open_page(app, PAGE)
    search(app, "dress")
    before = app.session_state["search_preview"]
    fake_api.mode = "500"
    search(app, "jeans")
    assert not app.exception
    assert app.error and "Traceback" not in texts(app)
    assert app.session_state["search_preview"] is before  # the results on screen stay
    assert "“dress”" in texts(app)


def test_a_suggestion_becomes_the_query_and_is_searched_once(app, fake_api, catalog):
    fake_api.products = list(catalog.products.index[:3])
    open_page(app, PAGE)
    search(app, "knit")  # the suggestions follow the query sent (a form's text reaches the page when sent)
    pills = app.get("button_group")[0]
    assert pills.options and all("knit" in option.casefold() for option in pills.options)
    pills.set_value(pills.options[0]).run()
    assert not app.exception
    assert app.session_state["search_preview"].query == pills.options[0]
    assert app.text_input(key="search_query").value == pills.options[0]
    assert len(searches(fake_api)) == 2
    app.run()
    assert len(searches(fake_api)) == 2


def test_the_same_query_for_others_searches_on_fresh_sessions_only(app, fake_api, catalog):
    fake_api.products = list(catalog.products.index[:12])
    open_page(app, PAGE)
    shopper = app.session_state["shopper_session_id"]
    search(app, "dress")
    assert "Comparing sends" in texts(app) and "fresh synthetic sessions" in texts(app)
    sent = len(fake_api.requests)
    button(app, "Compare").click().run()
    assert not app.exception and not app.error
    bodies = [seen.body for seen in fake_api.requests[sent:]]
    assert bodies and all(shopper not in str(body) for body in bodies)  # the shopper's session is not touched
    same = app.session_state["search_same_query"]
    assert same.comparison.labels[0] == "This shopper" and "Store's text match" in same.comparison.labels
    shown = texts(app)
    assert "Anonymous shopper" in shown and "These two storefronts share" in shown
    assert "Rank changes and measures against this shopper" in [e.label for e in app.expander]


def test_the_whatsapp_preview_shows_chat_cards_and_marks_where_they_disagree(app, fake_api, catalog):
    ids = list(catalog.products.index[:3])
    fake_api.products = ids
    open_page(app, PAGE)
    search(app, "dress")
    app.text_input(key="search_size").input("M")
    button(app, "Ask the WhatsApp search").click().run()
    assert not app.exception and not app.error
    detailed = [seen.path for seen in fake_api.requests if "/search/detailed" in seen.path]
    assert detailed == ["/v1/products/protected/search/detailed?query=dress&size=M"]
    chat = app.session_state["search_whatsapp"]
    assert [card.product.product_id for card in chat.cards] == ids
    shown = texts(app)
    # the fake answers "Product <id>" at 199.90 (sale 159.90): names and prices the catalog does not hold
    name = catalog.products.loc[ids[0], "name"]
    assert escape_markdown(f"name “Product {ids[0]}” here, “{name}” in your catalog") in shown
    assert "differs" in shown and "3 cards of 3 disagree with your catalog" in shown


def test_an_empty_whatsapp_answer_may_also_be_an_error(app, fake_api, catalog):
    fake_api.products = list(catalog.products.index[:3])
    open_page(app, PAGE)
    search(app, "dress")
    fake_api.mode = "empty"
    button(app, "Ask the WhatsApp search").click().run()
    assert not app.exception
    assert "does not prove there is no match" in texts(app)


def test_results_made_for_another_shopper_say_so_and_search_again_for_this_one(app, fake_api, catalog):
    fake_api.products = list(catalog.products.index[:3])
    open_page(app, PAGE)
    search(app, "dress")
    first = app.session_state["search_preview"].session_id
    app.text_input(key="shopper_session_id").input("sess-other").run()
    assert escape_markdown(f"This search was made for session {first}") in texts(app)
    assert len(searches(fake_api)) == 1  # changing the shopper sends nothing
    button(app, "Search again").click().run()
    assert not app.exception
    again = app.session_state["search_preview"]
    assert (again.session_id, again.query) == ("sess-other", "dress")
    assert len(searches(fake_api)) == 2


def test_a_share_link_reopens_the_search_from_the_history_without_a_call(app, fake_api, catalog):
    from fashionai.output import share

    fake_api.products = list(catalog.products.index[:4])
    open_page(app, PAGE)
    search(app, "dress")
    preview = app.session_state["search_preview"]
    assert app.query_params["page"] == "search" and app.query_params["snap"] == preview.answer.exchange_id
    sent = len(searches(fake_api))
    link = share.encode(share.SearchView(query="dress", session="sess-shared", snapshot=preview.answer.exchange_id))
    app.query_params.clear()
    app.query_params.update(link)  # a colleague's link: another shopper, the saved answer
    app.run()
    assert not app.exception
    reopened = app.session_state["search_preview"]
    assert reopened is not preview and list(reopened.products["product_id"]) == list(preview.products["product_id"])
    assert "no call was made" in texts(app)
    assert app.session_state["shopper_session_id"] == "sess-shared"
    assert len(searches(fake_api)) == sent


def test_the_search_hands_over_a_deck_and_a_report(app, fake_api, catalog):
    fake_api.products = list(catalog.products.index[:3])
    open_page(app, PAGE)
    search(app, "dress")
    buttons = [element.label for element in app.get("download_button")]
    assert "Download a deck" in buttons and "Download a report" in buttons


def test_out_of_stock_results_can_be_hidden_as_the_live_store_would(app, fake_api, catalog):
    stock = catalog.products["stock"]
    out = [str(pid) for pid in stock.index[stock.fillna(1) <= 0][:2]]
    fake_api.products = out + list(stock.index[stock.fillna(0) > 5][:2])
    open_page(app, PAGE)
    search(app, "dress")
    assert len(app.session_state["search_preview"].products) == 4
    app.toggle(key="search_hide_oos").set_value(True).run()
    assert not app.exception
    shown = texts(app)
    assert all(catalog.products.loc[pid, "name"] not in shown for pid in out)
    assert len(searches(fake_api)) == 1  # hiding sends nothing


def test_added_shopper_sessions_search_the_same_query_as_themselves(app, fake_api, catalog):
    fake_api.products = list(catalog.products.index[:5])
    open_page(app, PAGE)
    search(app, "dress")
    app.multiselect(key="search_persona").set_value([]).run()
    app.text_area(key="search_sessions").input("sess-anna, 90, Anna").run()
    assert "a search for the shopper session added" in texts(app)
    sent = len(fake_api.requests)
    button(app, "Compare").click().run()
    assert not app.exception and not app.error
    bodies = [json.loads(seen.body) for seen in fake_api.requests[sent:]]
    assert {"userId": "90", "sessionId": "sess-anna"} in bodies and len(bodies) == 2  # Anna and the anonymous one
    assert app.session_state["search_same_query"].comparison.labels[2] == "Anna"

    shopper = app.session_state["shopper_session_id"]
    app.text_area(key="search_sessions").input(shopper).run()  # the sidebar's shopper is already a lane
    assert "is the sidebar's shopper" in texts(app)
    assert button(app, "Compare").disabled
