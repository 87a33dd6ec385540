"""The Catalog page's logic: health in plain words, answers gathered from pages and history,
and their reconciliation with the catalog (on the in-process simulator)."""

from __future__ import annotations

from datetime import datetime, timezone

import altair as alt
import pandas as pd
import pytest

from fashionai.api.client import FashionAIClient, Recommendation, RequestRecord
from fashionai.catalog import load_catalog
from fashionai.catalog.report import (
    NONE_COLUMN,
    Answer,
    answer_from_recommendation,
    asked_about,
    default_category,
    describe_format,
    mapping_choices,
    mapping_override,
    never_returned,
    reconcile,
    stock_breakdown,
)
from fashionai.compare.fetch import compare_lanes
from fashionai.saved.reconcile import answers_from_snapshots, page_answers
from fashionai.compare.lanes import best_sellers_lane, native_lane, persona_lane, session_lane
from fashionai.history import HistoryStore, Snapshot
from fashionai.journeys.journey import Journey, Step
from fashionai.journeys.run import run_journey
from fashionai.output import catalog_charts
from fashionai.simulator import Simulator, SimulatorTransport
from fashionai.storefront.preview import preview_look, preview_storefront

CSV = b"""id,name,category,stock,price
001,Red Dress,Dresses,5,100
002,Blue Dress,Dresses,0,120
003,Green Dress,Dresses,,90
004,Pink Dress,Dresses,2,95
010,Denim Jacket,Jackets,3,200
011,Black Blazer,Jackets,0,300
"""


@pytest.fixture
def catalog():
    return load_catalog(CSV)


@pytest.fixture
def client(catalog):
    with FashionAIClient("t", base_url="http://sim/api/v1",
                         transport=SimulatorTransport(Simulator(catalog.products))) as c:
        yield c


def answer(products, *, seen_in="page", event="categoryView", item="Dresses", session="s1", id=None):
    return Answer(seen_in, event, item, session, tuple(products), id)


# --------------------------------------------------------------------------- health in words


def test_stock_breakdown_follows_the_kind_of_stock_column(catalog):
    assert stock_breakdown(catalog.health(), "quantity") == {
        "In stock (4 or more)": 1, "Low stock (1–3)": 2, "Out of stock": 2, "Stock unknown": 1}  # 5; 2, 3; 0, 0; blank
    yes_no = load_catalog(b"id,stock\n1,sim\n2,nao\n3,\n")
    assert yes_no.stock_kind == "yes/no"
    assert stock_breakdown(yes_no.health(), yes_no.stock_kind) == {"In stock": 1, "Out of stock": 1,
                                                                   "Stock unknown": 1}
    no_stock = load_catalog(b"id,name\n1,a\n2,b\n")
    assert stock_breakdown(no_stock.health(), no_stock.stock_kind) == {"Stock unknown": 2}


@pytest.mark.parametrize("csv", [CSV, b"id,stock\n1,sim\n2,nao\n3,\n4,sim\n", b"id,name\n1,a\n2,b\n",
                                 b"id,stock\n" + b"".join(b"%d,%d\n" % (i, i % 7 - 1) for i in range(200))])
def test_each_product_is_in_one_stock_bucket(csv):
    """One count, one meaning: the buckets (the chart's bars and the page's figures) add up to the
    products, so "in stock" never also counts the low-stock bar."""
    catalog = load_catalog(csv)
    counts = stock_breakdown(catalog.health(), catalog.stock_kind)
    assert sum(counts.values()) == len(catalog.products)
    stock = catalog.products["stock"]
    if catalog.stock_kind == "quantity":
        assert counts["In stock (4 or more)"] == int((stock > 3).sum())
        assert counts["Low stock (1–3)"] == int(stock.between(1, 3).sum())


@pytest.mark.parametrize(("data", "words"), [
    (b"id;nome\n1;a\n", "UTF-8, values separated by semicolons"),
    ("id,nome\n1,Vestido Azul Céu\n".encode("cp1252"), "Windows-1252, values separated by commas"),
    (b"\xef\xbb\xbfid\tname\n1\ta\n", "UTF-8 (with a byte order mark, as Excel writes it), values separated by tabs"),
])
def test_describe_format_says_how_the_file_was_read(data, words):
    assert describe_format(load_catalog(data)) == words


def test_mapping_choices_and_override_round_trip(catalog):
    choices = mapping_choices(catalog, ["product_id", "name", "brand"])
    assert choices == {"product_id": "id", "name": "name", "brand": NONE_COLUMN}
    assert mapping_override(choices) == {"product_id": "id", "name": "name", "brand": None}
    remapped = load_catalog(CSV, columns=mapping_override(choices | {"name": "category"}))
    assert remapped.products.loc["001", "name"] == "Dresses"


# --------------------------------------------------------------------------- answers


def test_answer_from_a_category_view_and_a_sales_ranking():
    view = Recommendation(("1", "2"), RequestRecord("POST", "http://x/api/v1/products/protected/recommendation",
                                                     {"sessionId": "s1", "eventType": "categoryView",
                                                      "data": {"id": "Dresses"}}, "categoryView"),
                          200, {}, 0.1, 1, exchange_id="e1")
    sales = Recommendation(("3",), RequestRecord("GET", "http://x/api/v1/products/protected/sales-ranking"
                                                        "?categoryId=Saias"), 200, {}, 0.1, 1)
    assert answer_from_recommendation(view, "Storefront preview") == Answer(
        "Storefront preview", "categoryView", "Dresses", "s1", ("1", "2"), "e1")
    assert answer_from_recommendation(sales, "Best sellers") == Answer(
        "Best sellers", "salesRanking", "Saias", None, ("3",), None)
    assert answer_from_recommendation(view, "x").asked == "categoryView Dresses"


def test_page_answers_gather_every_page_result_once(client, catalog):
    preview_storefront(client, catalog, "s1", "Dresses")
    storefront = preview_storefront(client, catalog, "s1", "Dresses")
    look = preview_look(client, catalog, "s1", "001")
    persona = Journey("Jacket fan", "", "Dresses", (Step("categoryView", "Jackets"), Step("productView", "010")))
    comparison = compare_lanes(client, catalog, "Dresses",
                               [native_lane(), best_sellers_lane(), session_lane("s1"), persona_lane(persona)])
    journey = run_journey(client, persona, session_id="s2")

    answers = page_answers(storefront=storefront, look=look, comparison=comparison, journey=journey)

    seen = [a.seen_in for a in answers]
    assert seen == [
        "Storefront preview", "Shop the look", "Compare lanes: Best sellers", "Compare lanes: s1",
        "Compare lanes: Jacket fan, step 1", "Compare lanes: Jacket fan, ranking after step 1",
        "Compare lanes: Jacket fan, step 2", "Compare lanes: Jacket fan, ranking after step 2",
        "Journey Jacket fan, step 1", "Journey Jacket fan, ranking after step 1",
        "Journey Jacket fan, step 2", "Journey Jacket fan, ranking after step 2",
    ]  # the native lane is the catalog's own order, not an answer
    assert answers[0].products == tuple(storefront.recommendation.products)
    assert answers[1].asked == "shopTheLook 001"
    assert [a.event_type for a in answers[2:4]] == ["salesRanking", "categoryView"]
    assert answers[-1].session_id == "s2"
    assert page_answers(storefront=storefront, look=None) == answers[:1]
    assert page_answers() == []


def test_history_answers_skip_failures_and_repeats():
    snapshots = [Snapshot(id="a" * 32, recorded_at=datetime(2026, 5, 2, 10, 14, 3, tzinfo=timezone.utc),
                          backend="simulator", endpoint="http://x", event_type="categoryView", session_id="s1",
                          user_id=None, item_id="Dresses", products=("001", "999"), elapsed=0.1, status_code=200)]
    failed = Snapshot(id="b" * 32, recorded_at=datetime(2026, 5, 2, tzinfo=timezone.utc), backend="simulator",
                      endpoint="http://x", event_type="categoryView", session_id="s1", user_id=None,
                      item_id="Dresses", products=(), elapsed=0.1, error="APITimeoutError")
    answers = answers_from_snapshots([*snapshots, failed, *snapshots])
    assert answers == [Answer("History, 2026-05-02 10:14:03 UTC", "categoryView", "Dresses", "s1",
                              ("001", "999"), "a" * 32)]


# --------------------------------------------------------------------------- reconciliation


def test_reconcile_lists_the_ids_the_catalog_lacks(catalog):
    answers = [answer(["001", "X9", "002", "X1"], seen_in="Storefront preview"),
               answer(["X1", "010"], seen_in="Shop the look", event="shopTheLook", item="001"),
               answer([], seen_in="Empty")]

    report = reconcile(catalog, answers)

    pd.testing.assert_frame_equal(report.unknown, pd.DataFrame({
        "product_id": pd.array(["X1", "X9"], dtype="str"),
        "answers": [2, 1],
        "best_rank": [1, 2],
        "first_seen_in": pd.array(["Storefront preview", "Storefront preview"], dtype="str"),
    }))
    pd.testing.assert_frame_equal(report.answers, pd.DataFrame({
        "seen_in": pd.array(["Storefront preview", "Shop the look", "Empty"], dtype="str"),
        "asked": pd.array(["categoryView Dresses", "shopTheLook 001", "categoryView Dresses"], dtype="str"),
        "session_id": pd.array(["s1", "s1", "s1"], dtype="str"),
        "returned": [4, 2, 0],
        "not_in_catalog": [2, 1, 0],
    }))
    assert report.returned == {"001", "002", "010", "X1", "X9"} and report.returned_count == 5


def test_never_returned_is_the_category_minus_every_answer(catalog):
    answers = [answer(["004", "X1"]), answer(["001"], event="shopTheLook", item="010")]
    report = reconcile(catalog, answers)
    assert never_returned(catalog, report, "Dresses") == ["002", "003"]  # in the catalog's order
    assert never_returned(catalog, report, "Jackets") == ["010", "011"]
    assert never_returned(catalog, report, "Hats") == []
    assert asked_about(answers, "Dresses") == 1 and asked_about(answers, "Jackets") == 0


def test_reconcile_with_no_answers(catalog):
    report = reconcile(catalog, [])
    assert report.unknown.empty and list(report.unknown.columns) == ["product_id", "answers", "best_rank",
                                                                     "first_seen_in"]
    assert report.answers.empty and report.returned_count == 0
    assert never_returned(catalog, report, "Jackets") == ["010", "011"]


def test_reconcile_a_large_answer_stays_quick(catalog):
    ids = [f"{i:03d}" for i in range(50_000)]
    report = reconcile(catalog, [answer(ids), answer(ids[::-1])])
    assert len(report.unknown) == 50_000 - 6  # all but the catalog's 001-004, 010 and 011
    assert report.unknown["answers"].eq(2).all()
    assert report.unknown["product_id"].iloc[0] == "000"


def test_default_category_is_the_first_storefront_the_catalog_holds(catalog):
    answers = [answer([], event="shopTheLook", item="Jackets"), answer([], item="Saias"), answer([], item="Jackets")]
    assert default_category(answers, catalog.categories) == "Jackets"
    assert default_category([], catalog.categories) == "Dresses"
    assert default_category([], []) is None


def test_what_was_asked_is_read_from_saved_snapshots_summaries_too(catalog, tmp_path):
    store = HistoryStore((tmp_path / "history.db").as_posix())
    common = dict(recorded_at=datetime(2026, 5, 2, 10, 14, 3, tzinfo=timezone.utc), backend="simulator",
                  endpoint="http://sim/api/v1/products/protected/recommendation", session_id="s1", user_id=None,
                  products=("001", "010"), elapsed=0.1, status_code=200)
    store.record(Snapshot(id="a" * 32, event_type="shopTheLook", item_id="Dresses", **common))
    store.record(Snapshot(id="b" * 32, event_type="categoryView", item_id="Jackets", **common))
    summaries = store.get_summaries(["a" * 32, "b" * 32])  # what was asked, without the ranked ids
    assert default_category(summaries, catalog.categories) == "Jackets"
    assert asked_about(summaries, "Jackets") == 1 and asked_about(summaries, "Dresses") == 0
    store.close()


# --------------------------------------------------------------------------- charts of the report


def test_top_counts_sums_the_smaller_categories_last():
    data = catalog_charts.top_counts({"a": 1, "b": 5, "c": 3, "d": 1}, 2)
    assert list(data["label"]) == ["b", "c", "Other categories (2)"]
    assert list(data["count"]) == [5, 3, 2]
    assert data["share"].sum() == pytest.approx(1.0)
    assert list(catalog_charts.top_counts({"a": 1, "b": 5}, 5)["label"]) == ["b", "a"]
    with pytest.raises(ValueError):
        catalog_charts.top_counts({"a": 1}, 0)


def test_category_sizes_chart_with_top_keeps_other_last():
    chart = catalog_charts.category_sizes_chart({f"cat {i}": i + 1 for i in range(20)}, top=3)
    spec = chart.to_dict()
    assert isinstance(chart, alt.Chart)
    assert spec["encoding"]["y"]["sort"] == ["cat 19", "cat 18", "cat 17", "Other categories (17)"]
    assert "rest summed" in spec["title"]["subtitle"]
    assert catalog_charts.category_sizes_chart({"a": 1}, top=3).to_dict()["title"] == "Products per category"
