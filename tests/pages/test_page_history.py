"""The history page under AppTest: browse, filter, open one snapshot, compare two, import, share links.

Runs the real frame (app.py); the fixtures `studio`, `catalog` and `store` are in
tests/pages/conftest.py, the helpers in tests/pages/history_pages.py.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from fashionai import history as history_
from fashionai.history import HistoryStore, snapshots_to_json
from fashionai.output import share, share_params
from tests.pages.history_pages import NOW, PAGE, open_history, snap, texts, uploader

# --------------------------------------------------------------------------- smoke and browsing


def test_the_page_opens_on_an_empty_history(studio):
    at = open_history(studio)
    assert not at.exception
    assert "The history is empty" in texts(at, "alert") + texts(at, "info")


def test_a_preview_made_in_the_app_is_saved_and_listed(studio):
    at = studio.run()  # the storefront page is the default
    [preview] = [b for b in at.button if b.label == "Preview storefront"]
    preview.click().run()
    assert not at.exception
    at.switch_page(PAGE).run()
    assert not at.exception
    [table] = at.dataframe
    frame = table.value
    assert len(frame) == 1
    assert frame.iloc[0]["event_type"] == "categoryView" and frame.iloc[0]["outcome"] == "HTTP 200"
    assert frame.iloc[0]["session_id"] == at.session_state["shopper_session_id"]


def test_filters_narrow_the_list(studio, store, catalog):
    store.record(snap(catalog, session_id="alpha"))
    store.record(snap(catalog, session_id="beta", recorded_at=NOW - timedelta(days=3)))
    store.record(snap(catalog, session_id="beta", event_type="salesRanking", products=("x",)))
    at = open_history(studio)
    assert len(at.dataframe[0].value) == 3
    at.selectbox(key="history_session").set_value("beta").run()
    assert len(at.dataframe[0].value) == 2
    at.selectbox(key="history_event").set_value("categoryView").run()
    assert list(at.dataframe[0].value["session_id"]) == ["beta"]
    at.date_input(key="history_from").set_value((NOW - timedelta(days=1)).date()).run()
    assert "No snapshot matches" in texts(at, "info")
    assert not at.exception


# --------------------------------------------------------------------------- open one, compare two


def test_a_collection_fetch_with_no_active_slice_opens_as_that_normal_state(studio, store, catalog):
    none_active = store.record(snap(catalog, event_type="collection", item_id="3", session_id=None, products=(),
                                    status_code=404, endpoint="https://api.test/api/v1/merchandising-collections/"
                                                              "protected/3"))
    at = open_history(studio)
    assert list(at.dataframe[0].value["outcome"]) == ["No active slice (HTTP 404)"]
    at.multiselect(key="history_selected").set_value([none_active.id]).run()
    assert not at.exception and not at.error
    assert "No slice of collection `3` was active then" in texts(at, "info")
    [request] = [e for e in at.expander if e.label == "The request and its answer"]
    sent = request.caption[0].value
    assert sent.startswith("GET ") and "protected/3" in sent  # a GET, as the client sends it, with no body


def test_a_collection_slice_and_a_similar_answer_open_as_their_products(studio, store, catalog):
    ids = tuple(catalog.category_ids(catalog.categories[0])[:5])
    slice_ = store.record(snap(catalog, event_type="collection", item_id="1", session_id=None, products=ids,
                               endpoint="https://api.test/api/v1/merchandising-collections/protected/1"))
    similar = store.record(snap(catalog, event_type="similar", item_id=ids[0], products=ids[1:],
                                endpoint="https://api.test/api/v1/products/protected/similar?limit=4",
                                recorded_at=NOW - timedelta(seconds=5)))
    at = open_history(studio)
    for saved, shown in ((slice_, ids), (similar, ids[1:])):
        at.multiselect(key="history_selected").set_value([saved.id]).run()
        assert not at.exception and not at.error
        names = texts(at, "text")
        assert all(catalog.products.loc[pid, "name"] in names for pid in shown)
    codes = texts(at, "code")
    assert '"eventType"' not in codes  # similar's body has no event type, as the client sends it




def test_one_snapshot_opens_as_the_storefront_it_showed(studio, store, catalog):
    saved = store.record(snap(catalog))
    at = open_history(studio)
    at.multiselect(key="history_selected").set_value([saved.id]).run()
    assert not at.exception
    assert at.metric[0].value == "12"  # returned by Fashion.AI
    names = texts(at, "text")
    first = catalog.products.loc[saved.products[0], "name"]
    assert first in names
    [page_link] = at.get("page_link")
    assert "snap=" + saved.id in page_link.proto.query_string


def test_a_failed_snapshot_says_how_it_failed(studio, store, catalog):
    failed = store.record(snap(catalog, products=(), status_code=429, error="RateLimitError"))
    at = open_history(studio)
    at.multiselect(key="history_selected").set_value([failed.id]).run()
    assert not at.exception
    assert r"RateLimitError \(HTTP 429\)" in texts(at, "error")  # escaped for Markdown


def test_yesterday_and_today_of_one_session_are_compared_with_the_compare_charts(studio, store, catalog):
    yesterday = store.record(snap(catalog, recorded_at=NOW - timedelta(days=1)))
    today = store.record(snap(catalog, products=tuple(reversed(yesterday.products))))
    at = open_history(studio)
    at.multiselect(key="history_selected").set_value([yesterday.id, today.id]).run()
    assert not at.exception
    assert "Two snapshots compared" in texts(at, "subheader")
    assert len(at.get("vega_lite_chart")) == 2  # bump chart and rank changes
    keys = [frame.value for frame in at.dataframe if "key" in frame.value.columns]  # the bump chart's key
    assert len(keys) == 1 and len(keys[0]) == 12 and keys[0]["key"].is_unique
    assert at.metric[1].label == "Shared in the top 10" and at.metric[1].value == "0.80"  # top 10 of 12, reversed
    said = texts(at, "markdown").replace("\\", "")  # the rank changes in words: 12 reversed, the top 10 share 8
    assert ("Of the 8 products both show in the top 10, 4 moved up and 4 moved down. 2 products are new in the top 10; "
            "2 have left.") in said
    at.slider(key="history_k").set_value(12).run()
    assert at.metric[1].value == "1.00"
    assert not at.exception


def test_paging_an_opened_storefront_keeps_it_and_a_deleted_snapshot_is_let_go(studio, store, catalog):
    saved = store.record(snap(catalog, products=tuple(catalog.products.index[:40])))
    at = open_history(studio)
    at.multiselect(key="history_selected").set_value([saved.id]).run()
    first_page = texts(at, "text")
    at.number_input(key="history_storefront_page").set_value(2).run()
    assert not at.exception
    assert at.metric[0].value == "40" and texts(at, "text") != first_page
    assert catalog.products.loc[saved.products[30], "name"] in texts(at, "text")
    store.apply_retention(max_age_days=1, now=NOW + timedelta(days=3))  # the history no longer holds it
    at.run()
    assert not at.exception
    assert at.multiselect(key="history_selected").value == []
    assert "Returned by Fashion.AI" not in [m.label for m in at.metric]


# --------------------------------------------------------------------------- links


def test_the_view_is_in_the_query_string(studio, store, catalog):
    saved = store.record(snap(catalog, session_id="alpha"))
    at = open_history(studio)
    at.selectbox(key="history_session").set_value("alpha").run()
    at.multiselect(key="history_selected").set_value([saved.id]).run()
    assert at.query_params["page"] == "history"
    assert at.query_params["session"] == "alpha"
    assert at.query_params["snap"] == saved.id
    assert "token" not in json.dumps(at.query_params).lower()


def test_a_link_opens_the_same_view_for_a_colleague(studio, store, catalog):
    yesterday = store.record(snap(catalog, recorded_at=NOW - timedelta(days=1)))
    today = store.record(snap(catalog, products=tuple(reversed(yesterday.products))))
    params = share.encode(share.HistoryView(session="sess-1", selected=(yesterday.id, today.id), k=5))
    at = open_history(studio, **params)
    assert not at.exception
    assert at.selectbox(key="history_session").value == "sess-1"
    assert at.multiselect(key="history_selected").value == [yesterday.id, today.id]
    assert at.slider(key="history_k").value == 5
    assert "Two snapshots compared" in texts(at, "subheader")


def test_a_link_with_bad_or_stale_values_opens_with_messages(studio, store, catalog):
    at = open_history(studio, page="history", v="1", k="lots", event="purchase", snap="f" * 32)
    assert not at.exception
    warnings = texts(at, "warning")
    assert "K" in warnings and "'lots'" in warnings
    assert "event filter" in warnings
    assert "not in this studio's history" in warnings
    assert at.multiselect(key="history_selected").value == []


def test_a_link_from_another_version_opens_the_page_as_usual(studio):
    at = open_history(studio, page="history", v="9", session="x")
    assert not at.exception
    assert "another version of the studio" in texts(at, "warning")
    assert at.selectbox(key="history_session").value is None


# --------------------------------------------------------------------------- import


def test_an_import_adds_snapshots_and_a_bad_file_adds_none(studio, catalog):
    incoming = [snap(catalog, session_id="from-elsewhere") for _ in range(2)]
    at = open_history(studio)
    uploader(at).set_value(("export.json", snapshots_to_json(incoming).encode(), "application/json"))
    at.run()
    assert not at.exception
    assert "2 snapshots added" in texts(at, "success")
    assert len(at.dataframe[0].value) == 2

    uploader(at).set_value(("bad.json", b'{"format": "nope"}', "application/json"))
    at.run()
    assert "was not imported" in texts(at, "error")
    assert len(at.dataframe[0].value) == 2


def test_a_broken_history_setting_is_a_message_not_a_traceback(studio, monkeypatch):
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", "mysql://u@h/db")
    at = open_history(studio)
    assert not at.exception
    assert "The history cannot be opened" in texts(at, "error")


def test_a_broken_history_never_stops_a_preview(studio, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", (blocker / "history.db").as_posix())  # cannot be created
    at = studio.run()
    [preview] = [b for b in at.button if b.label == "Preview storefront"]
    preview.click().run()
    assert not at.exception
    assert not at.error
    assert at.metric[0].label == "Returned by Fashion.AI"


# --------------------------------------------------------------------------- links on the storefront and look pages


def click(at: AppTest, label: str) -> AppTest:
    [found] = [b for b in at.button if b.label == label]
    return found.click().run()


def shown_ids(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["product_id"])


def colleague(studio: AppTest, params: dict) -> AppTest:
    """Another browser opening the link: a new session of the same server (same history, same caches)."""
    fresh = AppTest.from_file(studio._script_path, default_timeout=60)
    fresh.query_params.update(params)
    return fresh.run()


def test_a_storefront_link_opens_the_same_storefront_without_calling_again(studio, store):
    at = studio.run()
    click(at, "Preview storefront")
    click(at, "Preview storefront")  # the second preview is personalized
    assert not at.exception
    params = dict(at.query_params)
    assert params["page"] == "storefront" and params["session"] == at.session_state["shopper_session_id"]
    assert len(params["snap"]) == 32
    seen, saved = shown_ids(at), store.count()

    other = colleague(at, params)
    assert not other.exception
    assert other.text_input(key="shopper_session_id").value == params["session"]
    assert other.selectbox(key="storefront_category").value == params["category"]
    assert shown_ids(other) == seen
    assert "no call was made" in texts(other, "info")
    assert store.count() == saved  # nothing was sent to Fashion.AI

    click(other, "Preview storefront")  # the colleague can run it live: a new snapshot
    assert store.count() == saved + 1


def test_a_link_whose_snapshot_is_gone_says_so_and_keeps_its_settings(studio, catalog):
    category = catalog.categories[2]
    params = share.encode(share.StorefrontView(category=category, session="sess-gone", hide_out_of_stock=True,
                                              snapshot="0" * 32))
    at = colleague(studio, params)
    assert not at.exception
    assert "not in this studio's history" in texts(at, "warning")
    assert at.selectbox(key="storefront_category").value == category
    assert at.text_input(key="shopper_session_id").value == "sess-gone"
    assert "Press **Preview storefront**" in texts(at, "info")


def test_a_storefront_link_with_bad_values_opens_with_messages(studio):
    at = colleague(studio, {"page": "storefront", "category": "x" * (share_params.MAX_TEXT + 1), "hide": "maybe",
                            "snap": "nope", "utm_source": "chat"})
    assert not at.exception
    warnings = texts(at, "warning")
    for words in (r"category \(", r"hiding out\-of\-stock", "saved answer", r"utm\_source"):
        assert words in warnings


def test_a_look_link_opens_the_same_look(studio, store):
    at = studio.run()
    at.switch_page("pages/shop_the_look.py").run()
    click(at, "Shop the look")
    assert not at.exception
    params = dict(at.query_params)
    assert params["page"] == "shop_the_look" and len(params["snap"]) == 32
    saved = store.count()

    other = colleague(at, {})
    other.switch_page("pages/shop_the_look.py")
    other.query_params.update(params)
    other.run()
    assert not other.exception
    assert other.selectbox(key="look_product").value == params["product"]
    assert "no call was made" in texts(other, "info")
    assert store.count() == saved


def test_a_live_link_never_holds_the_token(studio, fake_api):
    at = studio.run()
    click(at, "Preview storefront")
    assert not at.exception
    assert "live-token-SECRET-7d3f" not in json.dumps(dict(at.query_params))
    assert "live-token-SECRET-7d3f" not in repr(at)


def test_a_link_naming_another_page_goes_there_and_is_applied(studio):
    # A link cut to the address of the default page (`/?page=compare&…`) opened the
    # storefront and dropped its settings without a word.
    at = colleague(studio, {"page": "compare", "v": "1", "category": "Dresses", "k": "abc", "snap": "doesnotexist"})
    assert not at.exception
    assert [title.value for title in at.title] == ["Compare lanes"]
    assert at.selectbox(key="compare_category").value == "Dresses"
    warnings = texts(at, "warning")
    assert r"K \('abc'\) is not a whole number" in warnings  # (markdown-escaped)
    assert "saved answers are not a list" in warnings


def test_a_link_naming_a_page_no_link_opens_says_so(studio):
    at = colleague(studio, {"page": "settings", "category": "Dresses"})
    assert not at.exception
    assert [title.value for title in at.title] == ["Storefront preview"]
    assert "This link is for a page no link can open ('settings')" in texts(at, "warning")


# --------------------------------------------------------------------------- a broken history

UNEXPECTED = "Something unexpected went wrong"


def all_texts(at: AppTest) -> str:
    return "\n".join(texts(at, kind) for kind in ("error", "warning", "info", "markdown", "caption"))


@pytest.fixture
def corrupt_history(monkeypatch, tmp_path):
    """A history file a colleague overwrote: not a database at all."""
    path = tmp_path / "broken" / "history.db"
    path.parent.mkdir()
    path.write_bytes(b"not a database " * 500)
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", path.as_posix())
    return path


@pytest.fixture
def blocked_folder(monkeypatch, tmp_path):
    """A history whose folder cannot be made (a file stands where it should be)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", (blocker / "history.db").as_posix())
    return blocker


@pytest.mark.parametrize("broken, words", [("corrupt_history", "damaged"), ("blocked_folder", "folder")])
def test_the_history_page_says_what_is_wrong_with_the_history(studio, request, broken, words):
    request.getfixturevalue(broken)
    at = open_history(studio)
    assert not at.exception
    errors = texts(at, "error")
    assert "The history cannot be read" in errors and words in errors
    assert UNEXPECTED not in all_texts(at)


def test_the_history_page_of_a_history_down_with_a_link_says_so(studio, corrupt_history):
    at = open_history(studio, page="history", to="2026-04-17", snap=["a" * 32])
    assert not at.exception
    assert "damaged" in texts(at, "error") and UNEXPECTED not in all_texts(at)


def test_a_read_only_history_is_listed_and_says_saving_is_off(studio, store, catalog, monkeypatch):
    kept = store.record(snap(catalog))
    store.close()
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", f"sqlite:///{store.path.as_posix()}?mode=ro")
    at = open_history(studio)
    assert not at.exception
    assert list(at.dataframe[0].value["id"]) == [kept.id]
    assert "saving is off" in texts(at, "warning")
    assert uploader(at).disabled


def test_a_storefront_link_opened_while_the_history_is_down_keeps_the_page(studio, corrupt_history, catalog):
    # The whole storefront page went down ("Something unexpected went wrong").
    category = catalog.categories[1]
    params = share.encode(share.StorefrontView(category=category, session="sess-7", snapshot="b" * 32))
    at = colleague(studio, params)
    assert not at.exception
    assert [title.value for title in at.title] == ["Storefront preview"]
    warnings = texts(at, "warning")
    assert "saved answers this link names cannot be read" in warnings and "damaged" in warnings
    assert UNEXPECTED not in all_texts(at)
    assert at.selectbox(key="storefront_category").value == category
    click(at, "Preview storefront")  # previews still work, unsaved
    assert not at.exception and not at.error
    assert at.metric[0].label == "Returned by Fashion.AI"


def test_a_link_names_no_saved_answer_when_nothing_was_saved(studio, corrupt_history):
    at = studio.run()
    click(at, "Preview storefront")
    assert not at.exception and not at.error
    params = dict(at.query_params)
    assert params["page"] == "storefront" and "snap" not in params
    assert "was not saved" in texts(at, "caption") + texts(at, "markdown")


def test_the_catalog_page_saved_answers_say_the_history_is_down(studio, corrupt_history):
    at = studio.run()
    at.session_state["catalog_reconcile_source"] = "Saved answers of these shopper sessions"
    at.switch_page("pages/catalog.py").run()
    assert not at.exception
    assert "The history cannot be read" in texts(at, "error") and "damaged" in texts(at, "error")
    assert UNEXPECTED not in all_texts(at)
    assert [title.value for title in at.title] == ["Catalog"]


def test_the_catalog_page_saved_answers_when_the_history_breaks_after_listing(studio, store, catalog, monkeypatch):
    # The summaries were read, then the ranked ids could not be: the page went down.
    store.record(snap(catalog, session_id="sess-9"))
    at = studio.run()
    at.session_state["shopper_session_id"] = "sess-9"
    at.session_state["catalog_reconcile_source"] = "Saved answers of these shopper sessions"

    def broken_get(self, ids):
        raise history_.HistoryUnavailable("The history file is damaged.", history_.CORRUPT)

    monkeypatch.setattr(HistoryStore, "get", broken_get)
    at.switch_page("pages/catalog.py").run()
    assert not at.exception
    assert "damaged" in texts(at, "error") and UNEXPECTED not in all_texts(at)


# --------------------------------------------------------------------------- days at the edges of the calendar


@pytest.mark.parametrize("query, words", [
    ({"to": "9999-12-31"}, "last day"),
    ({"from": "0001-01-01", "to": "9999-12-31"}, "first day"),
    ({"from": "2026-04-18", "to": "2026-04-17"}, "is after the last day"),
    ({"from": "garbage"}, "not a date"),
])
def test_a_history_link_with_days_at_the_edges_opens_with_a_message(studio, store, catalog, query, words):
    # to=9999-12-31 raised OverflowError on the page.
    store.record(snap(catalog))
    at = open_history(studio, page="history", **query)
    assert not at.exception
    assert words in texts(at, "warning")
    assert UNEXPECTED not in all_texts(at)
    assert len(at.dataframe[0].value) == 1


def test_the_day_pickers_reach_the_ends_of_the_range_links_accept(studio, store, catalog):
    store.record(snap(catalog))
    at = open_history(studio)
    low, high = share_params.DATE_RANGE
    at.date_input(key="history_to").set_value(high).run()
    at.date_input(key="history_from").set_value(low).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 1


def test_a_saved_search_is_listed_in_words_and_opens_as_its_page(studio, store, catalog):
    ids = tuple(catalog.category_ids(catalog.categories[0])[:4])
    search = store.record(snap(catalog, event_type="search", item_id="vestido azul", products=ids, total_items=24,
                               total_pages=6, endpoint="https://api.test/api/v1/products/protected/search"
                                                       "?page=2&limit=4&query=vestido%20azul"))
    at = open_history(studio)
    assert list(at.dataframe[0].value["event_type"]) == ["search"]
    at.multiselect(key="history_selected").set_value([search.id]).run()
    assert not at.exception and not at.error
    assert "Page 2 of 6 (4 products) of the 24 results Fashion.AI found for “vestido azul”." in texts(at, "caption")
    assert "Search “vestido azul”, page 2 of 6 (24 results)" in at.multiselect(key="history_selected").format_func(
        search.id)
    [request] = [e for e in at.expander if e.label == "The request and its answer"]
    assert request.caption[0].value.startswith("POST ") and "query=vestido%20azul" in request.caption[0].value
    shown = "\n".join(str(c.value) for c in request.code)
    assert '"sessionId"' in shown and "eventType" not in shown and '"totalItems": 24' in shown
    assert "curl" in shown and "$FASHIONAI_APP_TOKEN" in shown
