"""AppTest of the shopper walk: home -> category -> product -> look -> back to the category, each click sending
exactly the live storefront's calls (and a rerun none), the arrows of a second visit, the trail, restart,
saving the walk as a journey, and its share link replayed from the history without a call."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from fashionai.domain import CALL_LABELS
from fashionai.history import Snapshot
from tests.apptest_helpers import button, open_page, texts

PAGE = "pages/walk.py"


def calls(store) -> list[tuple[str, str | None]]:
    """Every call the history saved, oldest first: (event, id)."""
    snapshots: list[Snapshot] = store.query(limit=1000)
    return [(s.event_type, s.item_id) for s in reversed(snapshots)]


def open_button(at: AppTest, number: int = 0):
    return [b for b in at.button if b.label == "Open"][number]


def walk(at: AppTest):
    return at.session_state["walk_state"]


def open_category(at: AppTest, category: str) -> AppTest:
    at.selectbox(key="walk_pick_category").set_value(category).run()
    return button(at, "Open category").click().run()


def test_the_page_is_in_the_navigation_and_opens_without_a_call(app, store):
    open_page(app, PAGE)
    assert app.title[0].value == "Shopper walk"
    assert "Open the home page" in [b.label for b in app.button]
    assert calls(store) == []
    assert "No call yet" in texts(app)


def test_the_walk_sends_exactly_the_storefronts_calls(app, store):
    open_page(app, PAGE)
    session = app.session_state["shopper_session_id"]
    category = app.selectbox(key="walk_pick_category").options[0]

    button(app, "Open the home page").click().run()
    assert not app.exception and not app.error
    assert calls(store) == [("customShelf", ""), ("collection", "1"), ("salesRanking", None)]  # the first sample
    assert "Fashion.AI knows nothing about this shopper yet" in texts(app)  # a new session's empty shelf
    app.run()  # a rerun sends nothing
    assert len(calls(store)) == 3

    open_category(app, category)
    assert not app.exception
    assert calls(store)[3:] == [("categoryView", category)]
    assert "The arrows compare each product's place with the store's own order" in texts(app)

    product = str(walk(app).category.preview.products["product_id"].iloc[0])
    open_button(app).click().run()
    assert not app.exception and not app.error
    sent = calls(store)[4:]
    assert sent == [("productView", product), ("similar", product), ("shopTheLook", product)]
    assert walk(app).place == "product"
    assert "Similar for this shopper" in texts(app)

    before = len(calls(store))
    look = walk(app).product.look
    assert look.button_visible(unknown_in_stock=False)  # the sample look has pieces in stock
    button(app, "Shop the look").click().run()
    assert not app.exception
    assert walk(app).place == "look" and len(calls(store)) == before  # the drawer sends nothing
    assert "Opening it sent nothing" in texts(app)

    button(app, f"← back to {category}").click().run()
    assert not app.exception
    assert calls(store)[before:] == [("categoryView", category)]
    page = walk(app).category
    assert page.against == "this session's previous visit of the category"
    assert "previous visit of the category" in texts(app)
    badges = [m.value for m in app.main.markdown if "-badge[" in m.value]
    assert any("↑" in b or "↓" in b for b in badges)  # the second visit is re-ranked: arrows

    trail = walk(app).trail
    assert [(e.event, e.item_id) for e in trail] == [
        (event, item or "") for event, item in calls(store)]
    assert trail[-1].change != "first visit"
    assert app.session_state["shopper_session_id"] == session
    frame = app.table[0].value
    assert [call.replace("\\", "") for call in frame["Call"]] == [CALL_LABELS[e.event] for e in trail]  # as seen
    app.run()
    assert len(calls(store)) == len(trail)  # no call on a rerun


def test_restart_starts_a_fresh_session_with_an_empty_trail(app, store):
    open_page(app, PAGE)
    session = app.session_state["shopper_session_id"]
    button(app, "Open the home page").click().run()
    assert walk(app).trail
    button(app, "Restart").click().run()
    assert not app.exception
    fresh = app.session_state["shopper_session_id"]
    assert fresh != session and fresh.startswith("studio-test-")
    assert app.text_input(key="shopper_session_id").value == fresh
    assert walk(app).trail == () and walk(app).session_id == fresh
    assert len(calls(store)) == 3  # restarting sends nothing


def test_a_walk_saved_as_a_journey_is_on_the_journey_and_compare_pages(app, store):
    open_page(app, PAGE)
    category = app.selectbox(key="walk_pick_category").options[1]
    button(app, "Open the home page").click().run()
    button(app, "Save as a journey").click().run()
    assert "open a category first" in texts(app)  # home alone watches no category
    open_category(app, category)
    open_button(app).click().run()
    app.text_input(key="walk_journey_name").set_value("Demo walk").run()
    button(app, "Save as a journey").click().run()
    assert not app.exception
    journey = app.session_state["studio_journeys"]["Demo walk"]
    assert journey.target_category == category
    assert [s.event_type for s in journey.steps] == ["customShelf", "categoryView", "productView", "shopTheLook"]
    assert journey.owner == "local"  # the walker's (issue 23)
    assert "Saved **Demo walk**" in texts(app)

    app.switch_page("pages/journey.py").run()
    assert not app.exception
    assert "Saved: Demo walk" in app.selectbox(key="journey_choice").options
    app.selectbox(key="journey_choice").set_value("Saved: Demo walk").run()
    assert "made by local user" in " ".join(c.value for c in app.caption)
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    assert "Journey: Demo walk" in app.multiselect(key="compare_lanes").options


def test_the_share_link_replays_the_walk_from_the_history_without_a_call(app, store):
    open_page(app, PAGE)
    category = app.selectbox(key="walk_pick_category").options[0]
    button(app, "Open the home page").click().run()
    open_category(app, category)
    open_category(app, category)
    open_button(app).click().run()
    assert not app.exception
    params = dict(app.query_params)
    assert params["page"] == "walk" and params["session"] == app.session_state["shopper_session_id"]
    sent, trail = calls(store), walk(app).trail

    other = AppTest.from_file(app._script_path, default_timeout=60)  # a colleague opens the link
    other.query_params.update(params)
    other.run()
    assert not other.exception
    assert "no call was made" in texts(other)
    assert calls(store) == sent  # nothing was sent to Fashion.AI
    replayed = other.session_state["walk_state"]
    assert [(e.event, e.item_id, e.products) for e in replayed.trail] == [
        (e.event, e.item_id, e.products) for e in trail]
    assert replayed.place == "product" and replayed.product.product_id == walk(app).product.product_id
    assert replayed.category.against == "this session's previous visit of the category"
    other.run()
    assert calls(store) == sent


def test_similar_is_asked_again_alone_with_its_new_limit(app, store):
    open_page(app, PAGE)
    open_category(app, app.selectbox(key="walk_pick_category").options[0])
    open_button(app).click().run()
    before = len(calls(store))
    app.number_input(key="walk_similar_limit").set_value(3).run()
    assert len(calls(store)) == before  # changing N sends nothing by itself
    button(app, "Ask again").click().run()
    assert not app.exception
    assert [event for event, _ in calls(store)[before:]] == ["similar"]
    assert len(walk(app).product.similar.products) <= 3


def test_a_product_unknown_to_similar_says_so_in_place(app, store):
    open_page(app, PAGE)
    open_category(app, app.selectbox(key="walk_pick_category").options[0])
    app.session_state["walk_action"] = ("product", "no-such-product")
    app.run()
    assert not app.exception
    assert "Fashion.AI does not know this product, so it has no similar products for it" in texts(app)
    assert not [e for e in app.error if "similar" in e.value.lower()]


def test_a_new_catalog_rejoins_the_walk_without_a_call(app, store):
    open_page(app, PAGE)
    category = app.selectbox(key="walk_pick_category").options[0]
    open_category(app, category)
    assert walk(app).category.preview.products["in_catalog"].all()
    sent = len(calls(store))

    csv = "product_id,name,category,price,stock\nzz-1,Novo vestido,Vestidos,10,1\n"
    app.file_uploader(key="catalog_upload").set_value(("other.csv", csv.encode(), "text/csv")).run()
    assert not app.exception
    page = walk(app).category.preview
    assert not page.products["in_catalog"].any()  # the old names are gone: joined with the new catalog
    assert len(calls(store)) == sent  # joined again, not asked again


def test_with_a_user_id_the_profile_panel_marks_the_shelves_products_of_its_looks(app, store):
    from fashionai.storefront.profile import look_matches

    open_page(app, PAGE)
    app.sidebar.text_input(key="shopper_user_id").set_value("90").run()
    category = app.selectbox(key="walk_pick_category").options[0]
    open_category(app, category)  # the user's history: a category seen
    open_button(app).click().run()  # and a product
    button(app, "Home").click().run()
    sent = len(calls(store))
    assert "Press **Fetch the profile** to read what Fashion.AI writes about this shopper." in texts(app)
    button(app, "Fetch the profile").click().run()
    assert not app.exception and not app.error
    assert len(calls(store)) == sent  # a profile is no storefront call: not in the history, not in the trail
    assert len(walk(app).trail) == sent
    profile = app.session_state["walk_profile_result"].profile
    assert profile is not None and "Profile of user" in texts(app)
    home = walk(app).home
    shown = [frame.head(8) for frame in (home.best_products, home.shelf_products) if frame is not None]  # a row each
    matched = [match for frame in shown for match in look_matches(profile, frame)]
    assert matched, "the sample's best sellers and shelf hold a piece of the suggested looks"
    marks = [c.value for c in app.main.caption if c.value.startswith(":material/checkroom: In a suggested look")]
    assert len(marks) == len(matched)
