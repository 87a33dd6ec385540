"""What the history page shows of snapshots, worked out without Streamlit (fashionai.saved.view)."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

from fashionai.catalog import load_catalog
from fashionai.history import HistoryConfig, ImportResult, Snapshot
from fashionai.saved.view import (
    OpenedSnapshot,
    TwoSnapshots,
    compare_two,
    different_things_note,
    failure_message,
    import_failure,
    import_message,
    look_caption,
    matches_caption,
    open_snapshot,
    pair_metrics,
    pair_sentence,
    products_frame,
    snapshot_caption,
    snapshot_export,
    snapshot_title,
    storage_note,
)
from fashionai.storefront.preview import LookPreview, StorefrontPreview
from tests.history_helpers import snap as history_snap

NOW = datetime(2026, 4, 17, 12, 0, 5, tzinfo=timezone.utc)


def snap(**changes) -> Snapshot:
    return history_snap(**({"recorded_at": NOW} | changes))


@pytest.fixture(scope="module")
def catalog():
    csv = ("id,name,category,price,stock\n"
           "p1,Red dress,dresses,100,5\np2,Blue dress,dresses,120,0\np3,Green dress,dresses,90,2\n"
           "p4,Black dress,dresses,150,9\nq1,Jeans,pants,80,1\nq2,Shorts,pants,60,0\n")
    return load_catalog(csv.encode())




# --------------------------------------------------------------------------- one snapshot opened


def test_a_storefront_snapshot_opens_as_its_storefront_with_its_export_and_answer(catalog):
    snapshot = snap()
    opened = open_snapshot(snapshot, catalog)
    assert opened.event_type == "categoryView" and isinstance(opened.built, StorefrontPreview)
    assert list(opened.built.products["product_id"]) == ["p3", "p1", "p2"]
    assert opened.recommendation.exchange_id == snapshot.id and opened.recommendation.products == ("p3", "p1", "p2")
    assert opened.export.tables.keys() == snapshot_export(snapshot, opened.built).tables.keys()
    with pytest.raises(AttributeError):
        opened.built = None  # frozen


def test_a_look_snapshot_opens_as_its_look(catalog):
    opened = open_snapshot(snap(event_type="shopTheLook", item_id="p1", products=("q1", "q2", "zz")), catalog)
    assert isinstance(opened.built, LookPreview) and opened.built.product_id == "p1"
    assert look_caption(opened.built) == ("1 of 3 suggested pieces has stock in today's catalog: the \"shop the "
                                          "look\" button would show.")


def test_any_other_snapshot_opens_as_its_products_exported_with_its_ids(catalog):
    snapshot = snap(event_type="productView", item_id="p1", products=("p2", "q1"), user_id="90")
    opened = open_snapshot(snapshot, catalog)
    assert isinstance(opened, OpenedSnapshot) and isinstance(opened.built, pd.DataFrame)
    assert list(opened.built["product_id"]) == ["p2", "q1"]
    pd.testing.assert_frame_equal(opened.built, products_frame(snapshot, catalog))
    assert opened.export.meta == {"kind": "productView", "snapshot_id": snapshot.id, "item_id": "p1",
                                  "session_id": "sess-1", "user_id": "90"}
    assert list(opened.export.tables) == ["products"]
    assert open_snapshot(snap(event_type="customShelf", item_id="", products=()), catalog).built.empty


def test_a_failed_snapshot_cannot_be_opened(catalog):
    with pytest.raises(ValueError, match="recorded a failure"):
        open_snapshot(snap(products=(), error="ServerError", status_code=500), catalog)


@pytest.mark.parametrize("shown, returned, words", [
    (("q1",), ("q1", "q2"), ("1 of 2 suggested pieces has stock in today's catalog: the \"shop the look\" button "
                             "would show.")),
    ((), ("q2",), ("0 of 1 suggested piece has stock in today's catalog: the \"shop the look\" button would be "
                   "hidden.")),
    (("q1", "p1"), ("q1", "p1", "q2"), "2 of 3 suggested pieces have stock"),
])
def test_a_looks_caption_agrees_in_number(catalog, shown, returned, words):
    look = open_snapshot(snap(event_type="shopTheLook", item_id="p4", products=returned), catalog).built
    assert len(look.shown_pieces(unknown_in_stock=False)) == len(shown)
    assert look_caption(look).startswith(words)


def test_a_looks_caption_follows_the_unknown_stock_setting(catalog):
    """q3 has unknown stock: off, the button is hidden and the caption says why; on, it shows."""
    csv = "id,name,category,stock\np4,Black dress,dresses,9\nq3,Belt,pants,\nq2,Shorts,pants,0\n"
    unknown = load_catalog(csv.encode())
    saved = snap(event_type="shopTheLook", item_id="p4", products=("q3", "q2"))
    off = open_snapshot(saved, unknown)
    assert look_caption(off.built) == (
        "0 of 2 suggested pieces have stock in today's catalog: the \"shop the look\" button would be hidden. "
        "1 suggested piece with unknown stock is left out of the look: unknown stock counts as out of stock "
        "(change it in Settings).")
    assert off.export.meta["button_visible"] is False
    on = open_snapshot(saved, unknown, unknown_in_stock=True)
    assert look_caption(on.built, unknown_in_stock=True).startswith(
        "1 of 2 suggested pieces has stock in today's catalog: the \"shop the look\" button would show. 1 "
        "suggested piece with unknown stock is counted with the look: unknown stock counts as in stock")
    assert on.export.meta["button_visible"] is True and on.export.meta["unknown_stock_counts_as"] == "in stock"


def test_the_title_and_caption_say_what_when_for_whom_and_how_it_ended():
    snapshot = snap(item_id="dresses_2", user_id="9`0", elapsed=0.25)
    assert snapshot_title(snapshot) == "categoryView dresses\\_2"
    assert snapshot_caption(snapshot) == ("2026-04-17 12:00:05 UTC · session `sess-1`, user `9'0` · Built-in simulator · "
                                          "HTTP 200 in 250 ms · joined with today's catalog")
    assert snapshot_caption(snap(session_id=None, backend="live")).startswith(
        "2026-04-17 12:00:05 UTC · no session · Live Fashion.AI API · ")


def test_a_failure_says_its_outcome_and_attempts():
    assert failure_message(snap(error="ServerError", status_code=500, products=())) == (
        "**This call failed:** ServerError \\(HTTP 500\\). No products were shown.")
    assert failure_message(snap(error="APITimeoutError", status_code=None, attempts=3, products=())) == (
        "**This call failed:** APITimeoutError after 3 attempts. No products were shown.")


# --------------------------------------------------------------------------- two snapshots compared


def test_two_snapshots_compare_at_the_default_k_and_p(catalog):
    yesterday, today = snap(products=("p1", "p2", "p3")), snap(products=("p3", "p1", "p2"))
    two = compare_two([yesterday, today], catalog)
    assert two.problem is None and two.measurable
    assert (two.comparison.k, two.comparison.p) == (10, 0.9)
    metrics = pair_metrics(two.comparison.remeasure(k=3, p=0.8))
    assert [m.label for m in metrics] == ["Alike overall", "Shared in the top 3", "Shared of either top 3",
                                          "Same order"]
    assert [m.value for m in metrics][1:] == ["1.00", "1.00", "-0.33"]
    assert metrics[0].help.startswith("Rank-biased overlap (RBO, p=0.80)")  # the technical names in the help
    assert [m.help.split(":")[0] for m in metrics[1:]] == ["Overlap@3", "Jaccard@3", "Kendall's tau over the products both hold"]
    assert [m.reading for m in metrics[1:]] == ["Their top 3 hold the same 3 products.",
                                                "Their top 3 hold exactly the same products.",
                                                "The products they share come mostly in a different order."]
    assert pair_sentence(two.comparison.remeasure(k=3, p=0.8)).startswith(
        "These two storefronts share all of their top 3 products, mostly in a different order, and are ")


def test_a_tau_that_cannot_be_measured_is_a_dash(catalog):
    two = compare_two([snap(products=("p1",)), snap(products=("p2",))], catalog)
    assert pair_metrics(two.comparison)[3].value == "—"


def test_a_failed_snapshot_is_a_problem_said_as_a_sentence(catalog):
    two = compare_two([snap(), snap(error="ServerError", status_code=500, products=())], catalog)
    assert two == TwoSnapshots(None, two.problem) and not two.measurable
    assert two.problem.startswith("The snapshot of 2026\\-04\\-17 12\\:00\\:05 recorded a failure")
    assert two.problem.endswith("it has no ranking to compare.")


def test_two_snapshots_without_two_rankings_are_not_measured(catalog):
    empty_sales = snap(event_type="salesRanking", session_id=None, item_id="dresses", products=())
    two = compare_two([empty_sales, snap()], catalog)
    assert two.problem is None and not two.measurable


def test_snapshots_about_different_things_are_said_to_be():
    assert different_things_note(snap(), snap()) is None
    assert different_things_note(snap(), snap(event_type="productView", item_id="p_1")) == (
        "**These are answers to different questions:** categoryView dresses and productView p\\_1; the measures "
        "below compare their product lists only.")


# --------------------------------------------------------------------------- the list, the import, the store


def test_the_count_of_matches_says_when_only_the_newest_are_listed():
    assert matches_caption(1, 500) == "1 snapshot matches. Times are UTC."
    assert matches_caption(1200, 500) == "1,200 snapshots match; the newest 500 are listed. Times are UTC."


def test_an_import_says_what_it_added_and_what_it_left_out_and_why():
    assert import_message("a.json", ImportResult(3, 0, 0), 100) == "a.json: 3 snapshots added."
    message = import_message("b.json", ImportResult(1, 2, 1, in_future=1, over_limit=4), 100_000)
    assert message == (
        "b.json: 1 snapshot added; 2 were already in the history; 1 is older than the history keeps and was left "
        "out; 1 is dated more than a day ahead of this server's clock (the clock of the studio that recorded them "
        "was wrong?) and was left out; 4 were left out because the history is full: it keeps at most 100,000 "
        "snapshots, and the ones already here stay (raise FASHIONAI_HISTORY_MAX_COUNT to take more).")
    assert import_failure("c.json", ValueError("not JSON")) == "c.json was not imported: not JSON. Nothing was added."


def test_where_the_history_is_kept_and_for_how_long():
    config = HistoryConfig("sqlite:///h.db", "FASHIONAI_HISTORY_URL", max_age_days=90, max_count=100_000)
    assert storage_note("/data/h_1.db", config) == (
        "Stored in /data/h\\_1\\.db (set by FASHIONAI\\_HISTORY\\_URL); kept 90 days, at most 100,000 snapshots.")
    forever = HistoryConfig("sqlite:///h.db", "the default", max_age_days=None, max_count=None)
    assert storage_note("h", forever) == "Stored in h (set by the default); kept forever."


def test_an_admins_choice_of_what_the_history_keeps_wins_in_the_note():
    from fashionai.team.retention import Retention

    config = HistoryConfig("sqlite:///h.db", "the default", max_age_days=90, max_count=100_000)
    assert storage_note("h", config, Retention(90, 100_000)) == (
        "Stored in h (set by the default); kept 90 days, at most 100,000 snapshots.")
    assert storage_note("h", config, Retention(7, None, set_by="lead@store.com")) == (
        "Stored in h (set by the default); kept 7 days (chosen by an admin on the Team page).")
