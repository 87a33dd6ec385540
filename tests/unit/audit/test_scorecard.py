"""The scorecard of a run: score_run on literal answers against a tiny catalog, JSON, text."""

from __future__ import annotations

import json
import math
import time

import pandas as pd
import pytest

from fashionai.audit.model import MeasureInfo
from fashionai.audit.scorecard import (
    MEASURE_INFO,
    MEASURE_KEYS,
    MEASURES,
    ROW_COLUMNS,
    Scorecard,
    format_value,
    not_measured_reasons,
    score_run,
    scorecard_text,
)
from fashionai.audit.scoring import LIST_KEYS, RATE_KEYS
from fashionai.catalog import load_catalog
from tests.unit.audit.scorecard_helpers import CV, PV, SHELF, answer, run_answers, tiny_catalog


@pytest.fixture
def catalog(tmp_path):
    """The tiny catalog (not the folder's sample one): the answers' products and hand-computed figures."""
    return tiny_catalog(tmp_path)


def test_measures_have_the_issue_keys_and_are_scored_once():
    assert MEASURE_KEYS == (
        "personalization", "coverage", "gini", "long_tail", "diversity_style", "diversity_color",
        "diversity_brand", "diversity_price_band", "bias_style", "bias_color", "bias_brand", "bias_price_band",
        "novelty", "popularity_bias", "entropy", "intra_list_diversity", "calibration", "exposure_parity",
        "out_of_stock", "unknown", "filter_breaches", "empty_rate", "error_rate", "latency_p50", "latency_p95", "stability",
        "ndcg", "precision", "recall", "mrr", "results_per_search", "search_personalization")
    assert set(MEASURE_KEYS) == set(LIST_KEYS) | set(RATE_KEYS) and not set(LIST_KEYS) & set(RATE_KEYS)
    for info in MEASURES:
        assert info.label and info.meaning and info.help and info.better in ("higher", "lower", "")
        assert info.unit in ("share", "ratio", "ms")


def test_a_run_without_searches_says_why_search_is_not_measured(catalog):
    card = score_run(run_answers(), catalog, k=2)
    assert card.not_measured["results_per_search"] == "the run sent no search"
    assert card.not_measured["ndcg"] == "the run sent no search"
    assert card.overall()["ndcg"] is None and card.overall()["search_personalization"] is None
    reasons = not_measured_reasons(catalog, twins=True, searched=True)
    assert "ndcg" in reasons and "results_per_search" not in reasons
    assert reasons["mrr"] == "no search of the run has judgments"
    assert "mrr" not in not_measured_reasons(catalog, twins=True, searched=True, judged=True)


def test_category_row_hand_computed(catalog):
    card = score_run(run_answers(), catalog, k=2)
    assert list(card.rows.columns) == list(ROW_COLUMNS)
    shoes = card.category_rows().set_index("category").loc["Shoes"]
    # measured: a, b, c (empty), d (failed); the twin and the warm-up left out
    assert shoes["shoppers"] == 4 and shoes["calls"] == 4
    # lists at K=2: a {007,8}, b {8,007}: identical -> overlap 1 -> personalization 0
    assert shoes["personalization"] == pytest.approx(0.0)
    # Shoes {007,7,8,9}: shown {007,8} -> coverage 2/4
    assert shoes["coverage"] == pytest.approx(0.5)
    # counts sorted 0,0,2,2: Σ i·x = 3·2 + 4·2 = 14; G = 2·14/(4·4) - 5/4 = 1.75 - 1.25 = 0.5
    assert shoes["gini"] == pytest.approx(0.5)
    # head = ceil(4/5) = 1 first of the ranking: {9}; no place holds 9 -> long tail 1
    assert shoes["long_tail"] == pytest.approx(1.0)
    # places 007,8,8,007: 007 out of stock (stock 0) -> 2/4; no unknown within K=2
    assert shoes["out_of_stock"] == pytest.approx(0.5) and shoes["unknown"] == pytest.approx(0.0)
    assert shoes["empty_rate"] == pytest.approx(0.25) and shoes["error_rate"] == pytest.approx(0.25)
    # latency over succeeded calls 100, 200, 300 ms -> p50 200 ms
    assert shoes["latency_p50"] == pytest.approx(200.0)
    # colours: a = red, blue (differ) -> 1; b the same -> mean 1
    assert shoes["diversity_color"] == pytest.approx(1.0)
    # colour shares shown red .5 blue .5; category (7 has none) red 2/3 blue 1/3 -> TVD 1/6
    assert shoes["bias_color"] == pytest.approx(1 / 6)
    # twin [007, 9] against a's [007, 8]: rbo at p=0.9
    from fashionai.measures.ranking import rbo
    assert shoes["stability"] == pytest.approx(rbo(["007", "9"], ["007", "8"], 0.9))


def test_unknown_ids_within_k_counted(catalog):
    card = score_run([answer("a", CV, "Shoes", "Shoes", ["x", "7"]), answer("b", CV, "Shoes", "Shoes", ["7", "8"])],
                     catalog, k=2)
    # places x,7,7,8 -> unknown 1/4
    assert card.overall()["unknown"] == pytest.approx(0.25)
    assert math.isnan(card.category_rows().iloc[0]["long_tail"])  # no reference: no head


def test_home_shelf_and_product_pages(catalog):
    card = score_run(run_answers(), catalog, k=2)
    shelf = card.category_rows(SHELF)
    assert shelf["category"].tolist() == [""] and shelf.iloc[0]["shoppers"] == 1
    # one shopper: personalization not measurable; the whole catalog (6 products) is its category: 2/6
    assert math.isnan(shelf.iloc[0]["personalization"])
    assert shelf.iloc[0]["coverage"] == pytest.approx(2 / 6)
    pages = card.category_rows(PV)
    assert pages["category"].tolist() == ["Shoes"]
    row = pages.iloc[0]
    # slot "8": a {9,007} b {9,7} -> overlap 1/2 -> 0.5; slot "9": one shopper -> None; mean 0.5
    assert row["personalization"] == pytest.approx(0.5)
    # slot 8 coverage 3/4, slot 9 coverage {8,007} 2/4: mean 5/8
    assert row["coverage"] == pytest.approx(5 / 8)
    assert row["calls"] == 3 and row["shoppers"] == 2


def test_overall_row(catalog):
    card = score_run(run_answers(), catalog, k=2)
    rows = card.rows
    assert rows.iloc[-1]["placement"] == "overall" and rows.iloc[-1]["category"] == ""
    overall = card.overall()
    # personalization: mean of category pages Shoes 0 and Bags 0 (identical lists) -> 0
    assert overall["personalization"] == pytest.approx(0.0)
    # coverage: Shoes 0.5, Bags 2/2 -> 0.75
    assert overall["coverage"] == pytest.approx(0.75)
    # rates pooled over every measured call: 4 Shoes + 2 Bags + 1 shelf + 3 product pages = 10, one failed
    assert rows.iloc[-1]["calls"] == 10
    assert overall["error_rate"] == pytest.approx(0.1) and overall["empty_rate"] == pytest.approx(0.1)
    # places: Shoes 4 (2 oos), Bags 4, shelf 20,9, pages 9,007,9,7,8,007 -> 16 places, 007 in 4 -> 4/16
    assert overall["out_of_stock"] == pytest.approx(0.25)
    assert set(overall) == set(MEASURE_KEYS)


def test_bias_table(catalog):
    card = score_run(run_answers(), catalog, k=2)
    bias = card.bias
    assert list(bias.columns) == ["placement", "category", "attribute", "value", "share_shown", "share_category",
                                  "lift"]
    red = bias[(bias["placement"] == CV) & (bias["category"] == "Shoes") & (bias["attribute"] == "color")
               & (bias["value"] == "red")].iloc[0]
    assert red["share_shown"] == pytest.approx(0.5) and red["share_category"] == pytest.approx(2 / 3)
    assert red["lift"] == pytest.approx(0.75)


def test_category_without_products_and_no_answers(catalog):
    card = score_run([answer("a", CV, "Hats", "Hats", ["x"]), answer("b", CV, "Hats", "Hats", ["y"])], catalog, k=3)
    hats = card.category_rows().iloc[0]
    assert math.isnan(hats["coverage"]) and math.isnan(hats["gini"])
    assert hats["personalization"] == pytest.approx(1.0) and hats["unknown"] == pytest.approx(1.0)
    empty = score_run([], catalog, k=3, partial=True)
    assert empty.partial and empty.rows["placement"].tolist() == ["overall"]
    assert all(v is None for v in empty.overall().values())
    assert "partial" in scorecard_text(empty)


def test_nan_stock_is_not_out_of_stock(catalog):
    card = score_run([answer("a", CV, "Shoes", "Shoes", ["7"])], catalog, k=3)
    assert card.overall()["out_of_stock"] == 0.0


def test_numeric_looking_ids_stay_distinct(catalog):
    # "7" is in stock-unknown, "007" is out of stock: never confused
    card = score_run([answer("a", CV, "Shoes", "Shoes", ["7"]), answer("b", CV, "Shoes", "Shoes", ["007"])],
                     catalog, k=3)
    assert card.overall()["out_of_stock"] == pytest.approx(0.5)
    assert card.overall()["personalization"] == pytest.approx(1.0)


def test_last_answer_of_a_shopper_counts(catalog):
    answers = [answer("a", CV, "Shoes", "Shoes", ["8"]), answer("a", CV, "Shoes", "Shoes", ["9"]),
               answer("b", CV, "Shoes", "Shoes", ["9"])]
    card = score_run(answers, catalog, k=1)
    assert card.overall()["personalization"] == pytest.approx(0.0)  # a's last {9} equals b's


def test_json_round_trip(catalog):
    card = score_run(run_answers(), catalog, k=2, partial=True)
    back = Scorecard.from_json(card.to_json())
    assert back.k == 2 and back.partial and back.catalog_fingerprint == catalog.fingerprint
    pd.testing.assert_frame_equal(back.rows, card.rows)
    pd.testing.assert_frame_equal(back.bias, card.bias)
    assert back.overall() == card.overall()


@pytest.mark.parametrize("text, words", [
    ("not json", "not readable JSON"),
    ("[]", "format"),
    (json.dumps({"format": "fashionai-audit-scorecard/1", "k": 0, "rows": [], "bias": []}), "K"),
    (json.dumps({"format": "fashionai-audit-scorecard/1", "k": 3, "rows": [{"placement": "overall"}], "bias": []}),
     "lacks"),
    (json.dumps({"format": "fashionai-audit-scorecard/1", "k": 3, "rows": "x", "bias": []}), "list of rows"),
])
def test_from_json_says_what_is_wrong(text, words):
    with pytest.raises(ValueError, match=words):
        Scorecard.from_json(text)


def test_format_value():
    share, ms, ratio = MEASURE_INFO["personalization"], MEASURE_INFO["latency_p50"], MEASURE_INFO["gini"]
    assert format_value(share, 0.723) == "72%"
    assert format_value(ms, 140.2) == "140 ms"
    assert format_value(ms, 1500) == "1,500 ms"
    assert format_value(ratio, 0.4141) == "0.41"
    assert format_value(share, None) == "—" and format_value(share, float("nan")) == "—"
    assert format_value(MeasureInfo("x", "X", "", ""), 1.0) == "100%"


def test_scorecard_text(catalog):
    text = scorecard_text(score_run(run_answers(), catalog, k=2))
    assert "Personalization" in text and "higher is better" in text and "lower is better" in text
    assert "Home shelf" in text and "Shoes" in text and "Bags" in text and "product pages" in text
    assert "Traceback" not in text


def test_score_run_is_fast(catalog):
    # 1,000 shoppers x 12 categories (a benchmark guard, generous: not a timing test of the machine)
    shoes = ["007", "7", "8", "9"]
    answers = (answer(f"s{s}", CV, f"C{c}", f"C{c}", [shoes[(s + i) % 4] for i in range(10)] + [f"u{s % 50}"])
               for s in range(1000) for c in range(12))
    start = time.perf_counter()
    card = score_run(answers, catalog, k=10)
    assert len(card.category_rows()) == 12
    assert time.perf_counter() - start < 20


NO_STOCK_CSV = """id,name,category,price,style
1,Red boot,Shoes,10,sporty
2,Blue heel,Shoes,30,classic
3,Red flat,Shoes,40,sporty
"""


def test_not_measured_is_not_zero(tmp_path):
    # issue 21, item 4: a catalog without stock said "Out of stock shown 0%"
    path = tmp_path / "nostock.csv"
    path.write_text(NO_STOCK_CSV, encoding="utf-8")
    card = score_run([answer("a", CV, "Shoes", "Shoes", ["1", "2"]), answer("b", CV, "Shoes", "Shoes", ["3", "2"])],
                     load_catalog(path), k=2)
    overall = card.overall()
    assert overall["out_of_stock"] is None
    assert card.not_measured["out_of_stock"] == "the catalog has no stock column"
    assert card.not_measured["diversity_color"] == card.not_measured["bias_color"] == "the catalog has no colour column"
    assert "brand column" in card.not_measured["bias_brand"]
    assert "ran twice" in card.not_measured["stability"]  # no twin answered
    assert "diversity_style" not in card.not_measured and overall["diversity_style"] is not None
    assert card.category_rows()["out_of_stock"].isna().all()
    text = scorecard_text(card)
    assert "not measured, because the catalog has no stock column" in text
    data = json.loads(card.to_json())
    assert data["not_measured"]["out_of_stock"] == "the catalog has no stock column"
    assert next(r for r in data["rows"] if r["placement"] == "overall")["out_of_stock"] is None
    assert Scorecard.from_json(card.to_json()).not_measured == card.not_measured


def test_a_run_with_twins_and_stock_measures_them(catalog):
    card = score_run(run_answers(), catalog, k=2)
    assert "stability" not in card.not_measured and "out_of_stock" not in card.not_measured
    assert card.not_measured["bias_brand"] == "the catalog has no brand column"


def test_a_scorecard_stored_before_the_search_measures_still_opens(catalog):
    stored = json.loads(score_run(run_answers(), catalog, k=2).to_json())
    for row in stored["rows"]:
        for key in ("ndcg", "precision", "recall", "mrr", "results_per_search", "search_personalization"):
            del row[key]
    stored["not_measured"] = {k: v for k, v in stored["not_measured"].items() if k not in ("ndcg", "mrr")}
    card = Scorecard.from_json(json.dumps(stored))
    assert card.overall()["ndcg"] is None
    assert card.overall()["personalization"] == score_run(run_answers(), catalog, k=2).overall()["personalization"]
    assert card.not_measured["ndcg"] == "the run was scored before this measure was added"
    assert card.not_measured["results_per_search"].startswith("the run sent no search")  # its own reason kept
    del stored["rows"][0]["personalization"]  # an older measure missing from one row only: damaged, refused
    with pytest.raises(ValueError, match="lacks personalization"):
        Scorecard.from_json(json.dumps(stored))
