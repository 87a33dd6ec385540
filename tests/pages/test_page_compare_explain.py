"""AppTest of the leave-one-out panel on the compare page: a session lane's saved history replayed, its cost said
first, the result read back from the store, in the comparison's deck and report and in its share link (which
replays it from the store with no call)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fashionai.audit import background
from fashionai.domain import EventType
from fashionai.ui import handover_widgets
from tests.apptest_helpers import button, open_page, opened_by_a_colleague
from tests.apptest_helpers import texts as all_texts
from tests.history_helpers import snap


def texts(app) -> str:
    return all_texts(app).replace("\\", "")


RUN = "compare_sess-x_explain_run"
SECTION = "What moved these products (leave-one-out replays)"


def compared_and_explained(app, store, catalog) -> str:
    """Sess-x's two product views saved, the category compared for sess-x and the native order, the lane's
    experiment run to its end and shown; its stored run's id."""
    viewed = catalog.category_ids(catalog.categories[1])[:2]
    now = datetime.now(timezone.utc) - timedelta(minutes=5)
    for product in viewed:
        store.record(snap(session_id="sess-x", event_type=EventType.PRODUCT_VIEW, item_id=product, recorded_at=now,
                          products=tuple(catalog.category_ids(catalog.categories[1])[:5])))
    app.session_state["compare_sessions"] = "sess-x"
    open_page(app, "pages/compare.py")
    app.multiselect(key="compare_lanes").set_value(["Native order"]).run()
    button(app, "Compare lanes").click().run()
    button(app, "Run the experiment").click().run()
    run_id = app.session_state[RUN]
    assert background.wait(run_id, timeout=60)
    app.run()
    assert not app.exception and not app.error
    assert "Read from the stored run" in texts(app)
    return run_id


def test_the_comparisons_deck_and_report_hold_the_experiments_section(app, store, catalog, monkeypatch):
    built = {}
    drawn = handover_widgets.handover_buttons

    def kept(build, *, key, name="fashionai-handover"):
        built[key] = build
        drawn(build, key=key, name=name)
    monkeypatch.setattr(handover_widgets, "handover_buttons", kept)
    compared_and_explained(app, store, catalog)
    titles = [section.heading for section in built["compare_handover"]().sections]
    assert titles[-1] == SECTION and titles.count(SECTION) == 1  # after the comparison's own sections


def test_the_share_link_names_the_lanes_experiment_and_replays_it_without_a_call(app, store, catalog):
    run_id = compared_and_explained(app, store, catalog)
    params = dict(app.query_params)
    assert params["page"] == "compare" and params["explain"] == run_id and params["xlane"] == "sess-x"
    sent = len(store.query(limit=1000))

    other = opened_by_a_colleague(app, params)
    words = texts(other)
    assert "Read from the stored run" in words and " moved " in words
    assert other.session_state[RUN] == run_id
    other.run()
    assert len(store.query(limit=1000)) == sent  # nothing was sent to Fashion.AI


def test_the_compare_page_explains_a_session_lanes_history(app, store, catalog):
    category = catalog.categories[0]
    viewed = catalog.category_ids(catalog.categories[1])[:2]
    now = datetime.now(timezone.utc) - timedelta(minutes=5)  # within the history's retention
    for product in viewed:  # the shopper's visits before the comparison
        store.record(snap(session_id="sess-x", event_type=EventType.PRODUCT_VIEW, item_id=product, recorded_at=now,
                          products=tuple(catalog.category_ids(catalog.categories[1])[:5])))
    app.session_state["compare_sessions"] = "sess-x"
    open_page(app, "pages/compare.py")
    assert app.selectbox(key="compare_category").value == category
    app.multiselect(key="compare_lanes").set_value(["Native order"]).run()
    [b for b in app.button if b.label == "Compare lanes"][0].click().run()
    assert not app.exception
    words = texts(app)
    # its two product views, then the comparison's own category page: three events
    assert "Replays 3 events of the history of lane sess-x" in words
    before = len(store.query(limit=1000))
    button(app, "Run the experiment").click().run()
    assert not app.exception and not app.error
    assert background.wait(app.session_state["compare_sess-x_explain_run"], timeout=60)
    app.run()
    assert not app.exception and not app.error
    assert "Read from the stored run" in texts(app)
    assert len(store.query(limit=1000)) == before + 22
