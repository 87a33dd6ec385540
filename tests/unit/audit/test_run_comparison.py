"""Two audit runs compared: measure changes with verdicts, shopper overlap, thresholds."""

from __future__ import annotations

import dataclasses
import json
import math

import pandas as pd
import pytest

from fashionai.audit.comparison import (
    COMPARISON_COLUMNS,
    check_report,
    check_thresholds,
    compare_scorecards,
    parse_thresholds,
    query_change_lines,
    query_changes,
    run_differences,
    shopper_overlap,
    threshold_checks,
    verdict,
)
from fashionai.audit.noise import check_json
from fashionai.audit.model import Answer, AuditRun, Purpose
from fashionai.audit.plan import AuditPlan, PastedShopper, plan_to_json
from fashionai.audit.scorecard import MEASURE_KEYS, ROW_COLUMNS, Scorecard, score_run
from fashionai.audit.search_plan import with_searches
from fashionai.domain import EventType
from fashionai.measures.ranking import rbo
from fashionai.relevance.judgments import read_judgments

CV, PV = EventType.CATEGORY_VIEW, EventType.PRODUCT_VIEW


def card(rows: list[dict], k: int = 10) -> Scorecard:
    """A scorecard from partial rows (unset measures NaN)."""
    full = [{"shoppers": 5, "calls": 5, **dict.fromkeys(MEASURE_KEYS, math.nan), **row} for row in rows]
    frame = pd.DataFrame(full, columns=list(ROW_COLUMNS))
    frame[list(MEASURE_KEYS)] = frame[list(MEASURE_KEYS)].astype("float64")
    bias = pd.DataFrame(columns=["placement", "category", "attribute", "value", "share_shown", "share_category",
                                 "lift"])
    return Scorecard(k=k, rows=frame, bias=bias)


BEFORE = card([
    {"placement": CV, "category": "Shoes", "personalization": 0.70, "out_of_stock": 0.10, "latency_p50": 100.0},
    {"placement": CV, "category": "Bags", "personalization": 0.50},
    {"placement": "overall", "category": "", "personalization": 0.60, "out_of_stock": 0.10, "latency_p50": 100.0},
])
AFTER = card([
    {"placement": CV, "category": "Shoes", "personalization": 0.60, "out_of_stock": 0.05, "latency_p50": 100.2},
    {"placement": CV, "category": "Hats", "personalization": 0.90},
    {"placement": "overall", "category": "", "personalization": 0.52, "out_of_stock": 0.13, "latency_p50": 100.2},
])


def test_compare_scorecards_rows_changes_and_verdicts():
    table = compare_scorecards(BEFORE, AFTER)
    assert list(table.columns) == list(COMPARISON_COLUMNS)
    # categories of either run, the first run's order, new ones after, overall last
    assert list(dict.fromkeys(zip(table["placement"], table["category"], strict=True))) == [
        (CV, "Shoes"), (CV, "Bags"), (CV, "Hats"), ("overall", "")]
    shoes = table[(table["category"] == "Shoes")].set_index("measure")
    # personalization 0.70 -> 0.60: change -0.10, higher is better -> worse
    assert shoes.loc["personalization", "change"] == pytest.approx(-0.10)
    assert shoes.loc["personalization", "verdict"] == "worse"
    # out of stock 0.10 -> 0.05: lower is better -> better
    assert shoes.loc["out_of_stock", "verdict"] == "better"
    # latency +0.2 ms: within half a millisecond -> same
    assert shoes.loc["latency_p50", "verdict"] == "same"
    assert shoes.loc["coverage", "verdict"] == "" and math.isnan(shoes.loc["coverage", "change"])
    bags = table[(table["category"] == "Bags")].set_index("measure")
    assert bags.loc["personalization", "before"] == 0.5 and math.isnan(bags.loc["personalization", "after"])
    assert bags.loc["personalization", "verdict"] == ""


def test_verdict_directions():
    assert verdict("personalization", 0.5, 0.6) == "better"
    assert verdict("gini", 0.5, 0.6) == "worse"
    assert verdict("coverage", 0.5, 0.504) == "same"
    assert verdict("coverage", None, 0.5) == ""


def answer(key, event, item, category, products, *, purpose=Purpose.MEASURE, ok=True, twin_of=None):
    return Answer(shopper=0, shopper_key=key, shopper_label=key.title(), session_id=None, user_id=None,
                  twin_of=twin_of, step=0, event_type=str(event), item_id=item, category=category,
                  purpose=str(purpose), products=tuple(products), elapsed=0.1, ok=ok)


def test_shopper_overlap_matches_shoppers_and_slots_in_both_runs():
    before = [
        answer("persona:a", CV, "Shoes", "Shoes", ["1", "2", "3"]),
        answer("persona:b", CV, "Shoes", "Shoes", ["1", "2"]),
        answer("persona:a#twin", CV, "Shoes", "Shoes", ["9"], twin_of="persona:a"),
        answer("persona:a", CV, "Bags", "Bags", ["5"], purpose=Purpose.WARMUP),
        answer("persona:a", PV, "1", "Shoes", ["7", "007"]),
    ]
    after = [
        answer("persona:a", CV, "Shoes", "Shoes", ["1", "3", "2", "8"]),
        answer("persona:c", CV, "Shoes", "Shoes", ["1", "2"]),  # not in the first run
        answer("persona:a#twin", CV, "Shoes", "Shoes", ["9"], twin_of="persona:a"),
        answer("persona:a", CV, "Bags", "Bags", ["5"]),  # a warm-up before: no pair
        answer("persona:a", PV, "1", "Shoes", ["007", "7"]),
        answer("persona:b", CV, "Shoes", "Shoes", [], ok=False),  # failed: no pair
    ]
    table = shopper_overlap(before, after, k=3)
    assert list(table.columns) == ["shopper_key", "shopper_label", "placement", "category", "item_id", "rbo"]
    assert table[["shopper_key", "placement", "item_id"]].values.tolist() == [
        ["persona:a", CV, "Shoes"], ["persona:a", PV, "1"]]
    # top 3: [1,2,3] vs [1,3,2]
    assert table.iloc[0]["rbo"] == pytest.approx(rbo(["1", "2", "3"], ["1", "3", "2"], 0.9))
    assert table.iloc[0]["shopper_label"] == "Persona:A" and table.iloc[0]["category"] == "Shoes"
    # "7" and "007" stay distinct ids: the same two products swapped
    assert table.iloc[1]["rbo"] == pytest.approx(rbo(["7", "007"], ["007", "7"], 0.9))


def test_shopper_overlap_empty():
    table = shopper_overlap([], [], k=5)
    assert table.empty and "rbo" in table.columns


def test_parse_thresholds():
    assert parse_thresholds(["personalization=0.05", " out_of_stock = 2% ", "latency_p95=50"]) == {
        "personalization": 0.05, "out_of_stock": pytest.approx(0.02), "latency_p95": 50.0}
    assert parse_thresholds([]) == {}


@pytest.mark.parametrize("item", ["personalisation=0.05", "personalization", "=0.1"])
def test_parse_thresholds_unknown_measure_names_the_keys(item):
    with pytest.raises(ValueError, match="personalization, coverage"):
        parse_thresholds([item])


@pytest.mark.parametrize("item", ["coverage=abc", "coverage=", "coverage=-0.1", "coverage=nan"])
def test_parse_thresholds_bad_number(item):
    with pytest.raises(ValueError, match="coverage"):
        parse_thresholds([item])


def test_check_thresholds_on_the_overall_row():
    # overall personalization 0.60 -> 0.52: a drop of 0.08
    assert check_thresholds(BEFORE, AFTER, max_drop={"personalization": 0.10}, max_rise={}) == []
    breaches = check_thresholds(BEFORE, AFTER, max_drop={"personalization": 0.05}, max_rise={})
    assert [(b.measure, b.kind) for b in breaches] == [("personalization", "drop")]
    assert breaches[0].change == pytest.approx(0.08)
    # out of stock 0.10 -> 0.13: a rise of 0.03
    assert check_thresholds(BEFORE, AFTER, max_drop={}, max_rise={"out_of_stock": 0.02})[0].measure == "out_of_stock"
    assert not check_thresholds(BEFORE, AFTER, max_drop={}, max_rise={"out_of_stock": 0.03})
    # a drop threshold is not crossed by a rise
    assert not check_thresholds(BEFORE, AFTER, max_drop={"out_of_stock": 0.0}, max_rise={})


def test_unmeasurable_measure_is_reported_not_a_breach():
    checks = threshold_checks(BEFORE, AFTER, max_drop={"coverage": 0.0}, max_rise={})
    assert len(checks) == 1 and not checks[0].measured and not checks[0].crossed
    assert check_thresholds(BEFORE, AFTER, max_drop={"coverage": 0.0}, max_rise={}) == []
    report = check_report(BEFORE, AFTER, max_drop={"coverage": 0.0}, max_rise={})
    assert "CANNOT BE CHECKED (a run could not measure it; neither passed nor failed)" in report
    assert "CROSSED" not in report and "OK" not in report
    assert report.splitlines()[-1] == "No threshold crossed (0 checked; 1 could not be checked)."


def test_a_measure_not_measured_cannot_be_checked_and_says_why():
    # issue 21, item 4: a catalog without stock passed `audit check` on out_of_stock
    without = Scorecard(k=10, rows=AFTER.rows.assign(out_of_stock=math.nan), bias=AFTER.bias,
                        not_measured={"out_of_stock": "the catalog has no stock column"})
    checks = threshold_checks(BEFORE, without, max_drop={}, max_rise={"out_of_stock": 0.02})
    assert not checks[0].measured and not checks[0].crossed
    assert checks[0].why == "in the later run the catalog has no stock column"
    report = check_report(BEFORE, without, max_drop={"personalization": 0.5}, max_rise={"out_of_stock": 0.02})
    assert ("CANNOT BE CHECKED (not measured, because in the later run the catalog has no stock column; neither "
            "passed nor failed)") in report
    assert report.splitlines()[-1] == "No threshold crossed (1 checked; 1 could not be checked)."
    both = threshold_checks(without, without, max_drop={"out_of_stock": 0.0}, max_rise={})
    assert both[0].why == "the catalog has no stock column"


def test_check_report_lines():
    report = check_report(BEFORE, AFTER, max_drop={"personalization": 0.05}, max_rise={"out_of_stock": 0.05})
    lines = report.splitlines()
    assert "personalization" in lines[0] and "before 60%" in lines[0] and "after 52%" in lines[0]
    assert lines[0].endswith(": CROSSED") and "5 percentage points" in lines[0]
    assert "out_of_stock" in lines[1] and lines[1].endswith("OK")
    assert lines[-1] == "1 of 2 thresholds crossed."
    assert check_report(BEFORE, AFTER, max_drop={}, max_rise={}) == "No threshold to check."


def test_unknown_threshold_key_is_refused():
    with pytest.raises(ValueError, match="the measures are"):
        check_thresholds(BEFORE, AFTER, max_drop={"nope": 0.1}, max_rise={})


def stored_run(plan: AuditPlan, *, catalog=("a" * 64, "shop.csv"), backend="simulator") -> AuditRun:
    when = pd.Timestamp("2026-12-01", tz="UTC").to_pydatetime()
    return AuditRun("b" * 32, plan.name, plan_to_json(plan), backend, catalog[0], catalog[1], when, when, "done", 9, 9)


WEEKLY = AuditPlan("Weekly", categories=("Dresses", "Tops"), synthetic_personas=3)


@pytest.mark.parametrize("other, words", [
    (stored_run(AuditPlan("Weekly", categories=("Dresses", "Tops"), synthetic_personas=3, rate=99.0,
                          concurrency=9, description="faster")), []),
    (stored_run(WEEKLY, catalog=("c" * 64, "other.csv")),
     ["the runs used different catalogs: shop.csv and other.csv"]),
    (stored_run(WEEKLY, catalog=("c" * 64, "shop.csv")),
     ["the runs used different catalogs: shop.csv (aaaaaaaa) and shop.csv (cccccccc)"]),
    (stored_run(WEEKLY, backend="live"), ["the runs used different backends: Built-in simulator and Live Fashion.AI API"]),
    (stored_run(AuditPlan("Daily", categories=("Dresses",), synthetic_personas=3, k=5)),
     ["different plans: name “Weekly” and “Daily”; categories Dresses, Tops and Dresses; K 10 and 5"]),
    (stored_run(AuditPlan("Weekly", categories=("Dresses", "Tops"), synthetic_personas=0,
                          sessions=(PastedShopper("s1"),))),
     ["different plans: synthetic personas 3 and 0; pasted sessions none and 1"]),
])
def test_runs_are_comparable_only_with_the_same_plan_catalog_and_backend(other, words):
    # issue 21, item 5: runs on other catalogs and plans were compared without a word
    assert run_differences(stored_run(WEEKLY), other) == words


def test_an_unreadable_stored_plan_is_a_difference():
    broken = dataclasses.replace(stored_run(WEEKLY), plan_json="{")
    assert run_differences(stored_run(WEEKLY), broken) == ["different plans: a stored plan cannot be read"]


def test_with_an_interval_a_limit_is_crossed_only_when_the_whole_interval_is_past_it():
    # personalization 0.60 -> 0.52: a drop of 0.08, past a 0.05 limit
    assert [c.measure for c in check_thresholds(BEFORE, AFTER, max_drop={"personalization": 0.05},
                                                max_rise={})] == ["personalization"]
    wide = {"personalization": (-0.12, -0.03)}  # a drop of 0.03 to 0.12: not wholly past 0.05
    (check,) = threshold_checks(BEFORE, AFTER, max_drop={"personalization": 0.05}, max_rise={}, intervals=wide)
    assert not check.crossed and check.within_noise
    report = check_report(BEFORE, AFTER, max_drop={"personalization": 0.05}, max_rise={}, intervals=wide)
    assert "(change -8.0 pts, 95% interval -12.0 pts to -3.0 pts): WITHIN NOISE" in report
    assert "No threshold crossed (1 checked; 1 past the limit within noise)." in report
    narrow = {"personalization": (-0.10, -0.06), "out_of_stock": (0.01, 0.05)}  # wholly past the limits
    checks = threshold_checks(BEFORE, AFTER, max_drop={"personalization": 0.05}, max_rise={"out_of_stock": 0.02},
                              intervals=narrow)
    assert [(c.measure, c.crossed, c.within_noise) for c in checks] == [
        ("personalization", True, False), ("out_of_stock", False, True)]  # a rise of 0.01 to 0.05 vs 0.02
    unknown = {"personalization": (math.nan, math.nan)}  # no interval could be drawn: the change alone, as before
    (check,) = threshold_checks(BEFORE, AFTER, max_drop={"personalization": 0.05}, max_rise={}, intervals=unknown)
    assert check.crossed and not check.within_noise


def test_runs_of_other_queries_or_other_judgments_are_not_compared():
    # issue 24: nDCG over another query set or other grades is another measure; the check compared them silently
    searching = with_searches(WEEKLY, ("vestido", "tênis"), read_judgments(b"query,product_id,grade\nvestido,1,3\n"))
    assert run_differences(stored_run(searching), stored_run(searching)) == []
    same_grades = with_searches(WEEKLY, ("vestido", "tênis"), read_judgments(b"query,product_id,grade\nvestido,1,3\n",
                                                                            name="again.csv"))
    assert run_differences(stored_run(searching), stored_run(same_grades)) == []  # the file's name is no difference
    assert run_differences(stored_run(searching), stored_run(with_searches(WEEKLY, ("vestido",), searching.judgments))) \
        == ["different plans: queries 2 and 1"]
    regraded = with_searches(WEEKLY, ("vestido", "tênis"), read_judgments(b"query,product_id,grade\nvestido,1,2\n"))
    assert run_differences(stored_run(searching), stored_run(regraded)) == ["different plans: other judgments"]
    assert run_differences(stored_run(searching), stored_run(WEEKLY)) == \
        ["different plans: queries 2 and none; judgments 1 query and none"]


def _searched(catalog, judgments, found: dict[str, tuple[str, ...]]) -> Scorecard:
    """Two shoppers' searches of each query (found: query -> the ids both see), scored with `judgments`."""
    answers = [Answer(shopper=n, shopper_key=f"s{n}", shopper_label=f"Shopper {n}", session_id=f"x{n}", user_id=None,
                      twin_of=None, step=step, event_type=EventType.SEARCH, item_id=query, category="",
                      purpose=Purpose.MEASURE.value, products=ids, elapsed=0.1, ok=True, total_items=len(ids))
               for n in (0, 1) for step, (query, ids) in enumerate(found.items())]
    return score_run(answers, catalog, k=5, judgments=judgments)


def test_the_queries_that_changed_most_since_the_earlier_run_are_listed(catalog):
    # issue 24, 5: "the scorecard lists the worst queries (... biggest change between runs)": never shown before
    judgments = read_judgments(b"query,product_id,grade\nvestido azul,257095,3\n")
    before = _searched(catalog, judgments, {"vestido azul": ("257095", "427225"), "tenis": ("000892",),
                                            "camisa": ("000814",)})
    after = _searched(catalog, judgments, {"vestido azul": ("427225",), "tenis": (), "camisa": ("000814",)})
    assert query_change_lines(before, after) == [
        "Queries that changed most since the earlier run:",
        "  without results 0% → 100% (+100 pts)  “tenis”",  # as large a change: by query
        "  nDCG 1.00 → 0.00 (-1.00)  “vestido azul”",
    ]
    assert query_change_lines(before, before) == []  # nothing moved
    assert query_change_lines(_searched(catalog, None, {}), after) == []  # a run without searches


def test_the_queries_that_changed_most_are_in_check_json_biggest_first(catalog):
    # issue 24, 5: printed by `audit check` but missing from `audit check --json`
    judgments = read_judgments(b"query,product_id,grade\nvestido azul,257095,3\n")
    before = _searched(catalog, judgments, {"vestido azul": ("257095", "427225"), "tenis": ("000892",)})
    after = _searched(catalog, judgments, {"vestido azul": ("427225",), "tenis": ()})
    assert json.loads(check_json(before, after, [], None))["queries_changed_most"] == [
        {"query": "tenis", "measure": "without results", "before": 0.0, "after": 1.0, "change": 1.0},
        {"query": "vestido azul", "measure": "nDCG", "before": 1.0, "after": 0.0, "change": -1.0}]
    assert json.loads(check_json(before, before, [], None))["queries_changed_most"] == []
    assert list(query_changes(_searched(catalog, None, {}), after).columns) == [
        "query", "measure", "before", "after", "change"]
