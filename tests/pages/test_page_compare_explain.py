"""AppTest of the leave-one-out panel on the compare page: a session lane's saved history replayed, its cost said
first, the result read back from the store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fashionai.audit import background
from fashionai.domain import EventType
from tests.apptest_helpers import button, open_page
from tests.apptest_helpers import texts as all_texts
from tests.history_helpers import snap


def texts(app) -> str:
    return all_texts(app).replace("\\", "")


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
