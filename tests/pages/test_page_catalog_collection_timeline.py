"""AppTest of the Catalog page's collection over time (Collections tab): read from the history's saved answers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.apptest_helpers import button, open_page, texts
from tests.history_helpers import snap

PAGE = "pages/catalog.py"
PICKER = "catalog_timeline_id"
LIMIT = "catalog_timeline_limit"
DAY1 = (datetime.now(timezone.utc) - timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0)
ENDPOINT = "http://simulator.local/api/v1/merchandising-collections/protected/4"


def seen(when, products=(), *, status=200, item="4", **slice_):
    """A saved answer of collection `item`; `slice_` its slice_id, slice_name and inactive (none: saved before the
    studio kept them)."""
    return snap(event_type="collection", item_id=item, endpoint=ENDPOINT, session_id=None, recorded_at=when,
                products=tuple(products), status_code=status, **slice_)


def timeline_charts(app) -> list:
    return [chart for chart in app.get("vega_lite_chart") if "Which slice was live when" in chart.proto.spec]


def timeline_text(app) -> str:
    return texts(app.main).replace("\\", "")


def test_an_empty_history_says_what_to_do(app, store):
    open_page(app, PAGE)  # the simulator's first sample collection is picked above
    assert app.selectbox(key=PICKER).options == ["1"]
    assert ("The history holds no answer for collection 1. Fetch its active slice on the Catalog page's "
            "Collections tab") in timeline_text(app)
    assert not timeline_charts(app) and not app.error


def test_saved_answers_show_slices_a_gap_and_a_day_over_the_limit(app, store):
    # The sample catalog: 000892 stock 45, 000814 stock 2, 002572 stock 0.
    for snapshot in (seen(DAY1, ["000892", "000814"]), seen(DAY1 + timedelta(days=1), status=404),
                     seen(DAY1 + timedelta(days=2), status=404), seen(DAY1 + timedelta(days=3), ["000892", "002572"]),
                     seen(DAY1, ["000892"], item="1")):
        store.record(snapshot)
    open_page(app, PAGE)
    assert app.selectbox(key=PICKER).options == ["4", "1"]  # most recently fetched first
    assert app.selectbox(key=PICKER).value == "1"  # the collection picked above
    app.selectbox(key=PICKER).set_value("4").run()
    text = timeline_text(app)
    assert ("Collection 4: 2 slices seen live over 4 days with answers saved, 1 gap with no slice live; 1 slice "
            "over the limit of 20% inactive or out of stock on 1 day.") in text
    assert ("2 answers saved before the studio kept each slice's name and inactive products: told apart by their "
            "products, their inactive products not counted.") in text
    assert f"No slice live from {DAY1 + timedelta(days=1):%d %b %Y, %H:%M} UTC" in text
    assert len(timeline_charts(app)) == 1
    [slices, days] = [frame.value for frame in app.dataframe][-2:]
    assert list(slices["Slice"]) == ["Slice 1 (2 products)", "Slice 2 (2 products)"]
    assert list(slices["Out of stock"]) == ["0%", "50%"]
    assert list(slices["Inactive"]) == ["not known", "not known"]
    assert list(days["State"]) == ["over the limit", "not live", "not live", "live"]
    assert list(days["Out of stock"]) == ["50%", "", "", "0%"]  # no share on a day with no slice live, not nan
    app.number_input(key=LIMIT).set_value(50).run()
    assert "no slice over the limit of 50% inactive or out of stock" in timeline_text(app)
    app.selectbox(key=PICKER).set_value("1").run()
    assert "Collection 1: 1 slice seen live over 1 day" in timeline_text(app)
    app.number_input(key=LIMIT).set_value(150).run()  # the widget keeps to 0-100
    assert not app.exception
    assert not app.exception and not app.error


def test_a_fetched_slice_appears_over_time(app, store):
    open_page(app, PAGE)
    app.selectbox(key="catalog_collection_id").set_value("4").run()
    button(app, "Fetch the active slice").click().run()
    assert not app.exception
    assert app.selectbox(key=PICKER).value == "4"
    text = timeline_text(app)
    assert "Collection 4: 1 slice seen live over 1 day with answers saved" in text
    assert "(slice " in [frame.value for frame in app.dataframe][-2]["Slice"].iloc[0]  # named by the answer's slice
    assert "saved before the studio kept" not in text


def test_named_slices_with_inactive_products_count_against_the_limit(app, store):
    # 000892 stock 45 and 000814 stock 2: none out of stock; 000814 inactive on the second day: 50%.
    wool = {"slice_id": "10", "slice_name": "Wool Coats"}
    for snapshot in (seen(DAY1, ["000892", "000814"], inactive=(), **wool),
                     seen(DAY1 + timedelta(days=1), ["000892", "000814"], inactive=("000814",), **wool)):
        store.record(snapshot)
    open_page(app, PAGE)
    app.selectbox(key=PICKER).set_value("4").run()
    text = timeline_text(app)
    assert ("Collection 4: 1 slice seen live over 2 days with answers saved, never without a live slice; 1 slice "
            "over the limit of 20% inactive or out of stock on 1 day.") in text
    assert "saved before the studio kept" not in text
    [slices, days] = [frame.value for frame in app.dataframe][-2:]
    assert list(slices["Slice"]) == ["Wool Coats (slice 10)"]
    assert list(days["Inactive"]) == ["50%", "0%"] and list(days["Out of stock"]) == ["0%", "0%"]
    assert list(days["State"]) == ["over the limit", "live"]
    assert not app.exception and not app.error
