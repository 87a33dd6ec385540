"""AppTest of the compare page's lanes of a search query: every lane a session searching the same query (the store's
text match as the native lane, no call), measured as the category lanes are; a failing API keeps the lanes before;
a share link replays the saved searches without a call."""

from __future__ import annotations

from tests.apptest_helpers import open_page, texts
from tests.pages.compare_pages import PAGE, charts, compare_button


def searches(fake_api) -> list[str]:
    """The site searches the fake API was sent: their paths and query strings."""
    return [seen.path for seen in fake_api.requests if "/protected/search?" in seen.path]


def search_lanes(app, query="dress", sessions="sess-a\nsess-b, 90"):
    app.session_state["compare_sessions"] = sessions
    open_page(app, PAGE)
    app.segmented_control(key="compare_surface").set_value("A search query").run()
    assert "Best sellers" not in app.multiselect(key="compare_lanes").options  # a query has no sales ranking
    app.multiselect(key="compare_lanes").set_value(["Native order"]).run()
    app.text_input(key="compare_query").input(query).run()
    assert not app.exception
    return app


def test_a_query_is_compared_across_sessions_with_the_compare_measures(app, fake_api, catalog):
    fake_api.products = list(catalog.products.index[:6])
    search_lanes(app)
    assert "This comparison sends 2 tracking events." in texts(app)  # one search a session, none for the store
    assert not fake_api.requests  # nothing before the click
    compare_button(app).click().run()
    assert not app.exception and not app.error
    sent = searches(fake_api)
    assert len(sent) == 2 and all("query=dress" in path and "page=1" in path for path in sent)
    page = texts(app)
    assert "Search “dress”: 3 lanes" in page
    assert "Fashion\\.AI's search for session sess\\-a\\: 6 products on its first page" in page
    assert "The store's own search" in page  # the native lane: the store's text match
    assert app.session_state["compare_reference"] == "Native order"
    assert charts(app)  # the bump chart of the three lanes


def test_a_failing_api_says_so_and_keeps_the_lanes_before(app, fake_api, catalog):
    fake_api.products = list(catalog.products.index[:6])
    search_lanes(app)
    compare_button(app).click().run()
    before = app.session_state["compare_result"]
    fake_api.mode = "500"
    compare_button(app).click().run()
    assert not app.exception
    assert app.error and "Traceback" not in texts(app)
    assert app.session_state["compare_result"] is before
    assert "comparison below is the one fetched before" in texts(app)


def test_a_share_link_replays_the_saved_searches_without_a_call(app, fake_api, catalog, store):
    fake_api.products = list(catalog.products.index[:5])
    search_lanes(app)
    compare_button(app).click().run()
    before = app.session_state["compare_result"]
    params = dict(app.query_params)
    assert params["page"] == "compare" and params["query"] == "dress" and params["snap"]
    sent = len(searches(fake_api))
    app.query_params.clear()
    app.query_params.update(params | {"k": "5"})  # a colleague's link (at another K) opened here
    app.session_state["compare_surface"] = "A category"
    app.run()
    assert not app.exception
    replayed = app.session_state["compare_result"]
    assert replayed is not before and replayed.search and replayed.category == "dress" and replayed.k == 5
    assert replayed.rankings == before.rankings
    assert "no call was made" in texts(app)
    assert app.segmented_control(key="compare_surface").value == "A search query"
    assert len(searches(fake_api)) == sent


def test_a_blank_query_is_said_and_sends_nothing_and_switching_back_says_the_lanes_are_of_a_search(app, fake_api,
                                                                                                   catalog):
    fake_api.products = list(catalog.products.index[:3])
    search_lanes(app, query="   ")
    assert any("The search is blank" in w.value for w in app.warning)
    assert compare_button(app).disabled and not fake_api.requests
    app.text_input(key="compare_query").input("dress").run()
    compare_button(app).click().run()
    app.segmented_control(key="compare_surface").set_value("A category").run()
    assert not app.exception
    page = texts(app)
    assert "search query dress" in page and "Traceback" not in page and "None" not in page


def test_personas_search_the_query_on_the_simulator_after_their_taste(app):
    open_page(app, PAGE)
    app.segmented_control(key="compare_surface").set_value("A search query").run()
    app.text_input(key="compare_query").input("dress").run()
    lanes = app.multiselect(key="compare_lanes").value
    assert lanes == ["Persona: Sporty shopper", "Persona: Office shopper", "Native order"]  # best sellers left out
    compare_button(app).click().run()
    assert not app.exception and not app.error
    page = texts(app)
    assert "visits of its taste" in page and "The store's own search" in page
    assert charts(app)
    buttons = [element.label for element in app.get("download_button")]
    assert "Download a deck" in buttons and "Download a report" in buttons
