"""What the audit page shows, as data: the scorecard in words, a measure across categories, runs over time,
a category's shoppers and the compare page's view of their saved answers; the audit's charts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from fashionai.audit import charts as audit_charts
from fashionai.audit.charts import measure_across_chart, trend_chart
from fashionai.audit.model import AuditRun, RunStatus
from fashionai.audit.noise import NOISE_COLUMNS
from fashionai.audit.plan import AuditPlan, plan_to_json
from fashionai.audit.scorecard import MEASURES, score_run
from fashionai.audit.view import (
    MAX_DRILL_SHOPPERS,
    answers_frame,
    category_frame,
    category_shoppers,
    drill_compare_view,
    last_comparable_run,
    measure_across,
    measure_table,
    noise_in_words,
    overlap_in_words,
    placements_of,
    scorecard_meta,
    trend_frame,
    trend_table,
    with_last_run,
)
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.compare.lanes import parse_session_lines
from fashionai.compare.view import BEST_OPTION, NATIVE_OPTION
from fashionai.domain import EventType
from fashionai.output import share, share_params
from tests.unit.audit.answers import RUN, simulated_answers

PLAN = AuditPlan("Weekly", categories=("Dresses", "Tops"), synthetic_personas=8, stability_twins=1,
                 placements=(EventType.CUSTOM_SHELF,))


@pytest.fixture(scope="module")
def audited():
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    resolved, answers = simulated_answers(PLAN, catalog)
    return catalog, resolved, answers, score_run(answers, catalog, k=PLAN.k)


def run_of(card, started: datetime, run_id: str = RUN) -> AuditRun:
    return AuditRun(run_id, PLAN.name, plan_to_json(PLAN), "simulator", "f" * 64, "sample", started, started,
                    RunStatus.DONE, 10, 10, scorecard_json=card.to_json())


def test_the_measure_table_says_every_measure_in_words(audited):
    card = audited[3]
    table = measure_table(card)
    assert list(table["key"]) == [info.key for info in MEASURES]
    row = table.set_index("key").loc["personalization"]
    assert row["value"].endswith("%") and "higher is better" in row["better"] and row["meaning"]
    assert table.set_index("key").loc["latency_p95", "value"].endswith(" ms")


def test_a_runs_figures_are_set_against_the_last_run_of_the_same_plan_and_catalog(audited):
    """Issue 21, item 22: nothing said whether 29% is high or low for this store."""
    card = audited[3]
    this = run_of(card, datetime(2026, 3, 5, tzinfo=timezone.utc))
    last = run_of(card, datetime(2026, 3, 4, tzinfo=timezone.utc), "b" * 32)
    older = run_of(card, datetime(2026, 3, 3, tzinfo=timezone.utc), "c" * 32)
    other_catalog = replace(run_of(card, datetime(2026, 3, 4, 12, tzinfo=timezone.utc), "d" * 32),
                            catalog_fingerprint="e" * 64)
    other_plan = replace(run_of(card, datetime(2026, 3, 4, 13, tzinfo=timezone.utc), "a" * 32), plan_json="{}")
    unfinished = replace(run_of(card, datetime(2026, 3, 4, 14, tzinfo=timezone.utc), "9" * 32), scorecard_json=None)
    cancelled = replace(run_of(card, datetime(2026, 3, 4, 15, tzinfo=timezone.utc), "7" * 32),
                        status=RunStatus.CANCELLED)
    later = run_of(card, datetime(2026, 3, 6, tzinfo=timezone.utc), "8" * 32)
    runs = [later, this, cancelled, unfinished, other_plan, other_catalog, last, older]
    assert last_comparable_run(runs, this) is last
    assert last_comparable_run([this, other_catalog, other_plan, later], this) is None

    table = with_last_run(measure_table(card), card)
    value = table.set_index("key").loc["personalization", "value"]
    shown = measure_table(card).set_index("key").loc["personalization", "value"]
    assert value == f"{shown} (last run: {shown})"


def test_two_runs_overlap_names_a_product_page_only_on_its_rows():
    """Issue 21, item 23: the "Product page" column repeated the category on a category page's row."""
    overlap = pd.DataFrame({"shopper_key": ["a", "a", "a"], "shopper_label": ["A"] * 3,
                            "placement": [EventType.CATEGORY_VIEW, EventType.PRODUCT_VIEW, EventType.CUSTOM_SHELF],
                            "category": ["Dresses", "Dresses", ""], "item_id": ["Dresses", "0042", ""],
                            "rbo": [0.5, 0.7, 0.9]})
    shown = overlap_in_words(overlap)
    assert list(shown["item_id"]) == ["", "0042", ""]
    assert list(shown["placement"]) == ["Category page", "Product page", "Home shelf"]


def test_placements_and_categories_follow_the_plan(audited):
    card = audited[3]
    assert placements_of(card) == [EventType.CATEGORY_VIEW, EventType.CUSTOM_SHELF]
    rows = category_frame(card)
    assert list(rows["category"]) == ["Dresses", "Tops"]
    assert (rows["shoppers"] == 8).all()  # the twin is not a shopper of its own
    across = measure_across(card, "coverage")
    assert list(across.columns) == ["category", "value"] and len(across) == 2
    assert measure_across(card, "no such measure").empty


def test_runs_over_time_are_one_row_a_run_and_measure(audited):
    card = audited[3]
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    later = run_of(card, now + timedelta(days=7), "b" * 32)
    unscored = AuditRun("c" * 32, PLAN.name, "", "simulator", "", "", now, now, RunStatus.CANCELLED, 9, 3)
    frame = trend_frame([later, run_of(card, now), unscored])
    assert list(frame["started_at"].drop_duplicates()) == [now, now + timedelta(days=7)]
    assert set(frame["run"]) == {RUN[:8], "b" * 8}
    assert "personalization" in set(frame["measure"])


def test_the_runs_over_time_table_says_each_run_in_plain_words(audited):
    card = audited[3]
    now = datetime(2026, 11, 1, 9, 5, tzinfo=timezone.utc)
    table = trend_table(trend_frame([run_of(card, now + timedelta(days=7), "b" * 32), run_of(card, now)]))
    labels = {info.key: info.label for info in MEASURES}
    assert list(table.columns[:4]) == ["Run started", "Run", labels["personalization"], labels["coverage"]]
    assert list(table["Run started"]) == ["01 Nov 2026, 09:05", "08 Nov 2026, 09:05"]  # UTC, said in the caption
    assert list(table["Run"]) == [RUN[:8], "b" * 8]
    assert table[labels["personalization"]].str.fullmatch(r"\d+%").all()  # a share as a percentage, not 0.3532
    assert table[labels["latency_p95"]].str.endswith(" ms").all()
    assert table[labels["gini"]].str.fullmatch(r"\d\.\d\d").all()
    written = " ".join(" ".join(map(str, row)) for row in table.itertuples())
    assert "+00:00" not in written and "started_at" not in table.columns and "nan" not in written


def test_a_runs_over_time_chart_shows_its_values_in_their_unit_and_its_title_whole(audited):
    card = audited[3]
    frame = trend_frame([run_of(card, datetime(2026, 11, 1, tzinfo=timezone.utc))])
    info = {i.key: i for i in MEASURES}
    share_chart = trend_chart(frame[frame["measure"] == "personalization"], info["personalization"]).to_dict()
    axis = share_chart["encoding"]["y"]["axis"]
    assert axis["format"] == ".0%" and axis["title"] is None and "labels" not in axis  # values shown, as percent
    assert share_chart["title"]["text"] == "Personalization"
    subtitle = share_chart["title"]["subtitle"]
    assert all(len(line) <= audit_charts.TREND_WRAP for line in subtitle) and "higher is better" in " ".join(subtitle)
    # the height holds the plot, the title, its wrapped meaning and the date axis: the plot never shrinks away
    assert share_chart["height"] == (audit_charts.TREND_PLOT + audit_charts.TREND_CHROME
                                     + audit_charts.SUBTITLE_LINE * len(subtitle))
    slow = trend_chart(frame[frame["measure"] == "latency_p95"], info["latency_p95"]).to_dict()
    assert "' ms'" in slow["encoding"]["y"]["axis"]["labelExpr"]


def test_a_categorys_shoppers_and_their_compare_view_name_saved_answers_only(audited):
    _, _, answers, card = audited
    shoppers = category_shoppers(answers, "Dresses", k=card.k)
    assert len(shoppers.table) == 8  # the twin left out
    assert shoppers.reference_snapshot is not None
    chosen = list(shoppers.table["shopper"])
    view = drill_compare_view(shoppers, chosen, k=card.k)
    assert view.lanes == (NATIVE_OPTION, BEST_OPTION)
    assert len(view.sessions) == MAX_DRILL_SHOPPERS
    assert view.snapshots[:2] == (share_params.NO_SNAPSHOT, shoppers.reference_snapshot)
    assert view.snapshots[2:] == tuple(shoppers.table["snapshot_id"][:MAX_DRILL_SHOPPERS])
    assert all(s.startswith("fai-audit-") for s in view.sessions)
    lanes = parse_session_lines("\n".join(view.sessions))  # each lane named after its shopper, not its session id
    assert [lane.label for lane in lanes] == list(shoppers.table["label"][:MAX_DRILL_SHOPPERS])
    assert [lane.session_id for lane in lanes] == list(shoppers.table["session_id"][:MAX_DRILL_SHOPPERS])
    decoded = share.decode("compare", share.encode(view))  # a link the compare page opens
    assert decoded is not None and not decoded.problems and decoded.view == view


def test_the_answers_export_holds_ids_as_text_and_no_token(audited):
    answers = audited[2]
    frame = answers_frame(answers, k=3)
    assert len(frame) == len(answers)
    assert frame["top_k"].map(type).eq(str).all()
    assert "t" not in set(frame.columns)
    meta = scorecard_meta(run_of(audited[3], datetime(2026, 11, 1, tzinfo=timezone.utc)))
    assert meta["k"] == PLAN.k and meta["plan"] == "Weekly"


def test_the_charts_put_the_best_first_and_say_which_way_is_better(audited):
    card = audited[3]
    info = {i.key: i for i in MEASURES}
    spec = measure_across_chart(measure_across(card, "gini"), info["gini"]).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert "lower is better" in " ".join(spec["title"]["subtitle"])
    values = [row["value"] for row in spec["datasets"][next(iter(spec["datasets"]))]]
    assert values == sorted(values)  # lower is better: the lowest first
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    frame = trend_frame([run_of(card, now)])
    trend = trend_chart(frame[frame["measure"] == "personalization"], info["personalization"]).to_dict()
    assert trend["mark"]["type"] == "line" and trend["encoding"]["x"]["field"] == "started_at"


def test_a_measure_across_many_categories_draws_the_best_and_the_worst_only():
    import pandas as pd

    from fashionai.audit.charts import MAX_BARS

    info = {i.key: i for i in MEASURES}["coverage"]
    frame = pd.DataFrame({"category": [f"C{n}" for n in range(100)], "value": [n / 100 for n in range(100)]})
    spec = measure_across_chart(frame, info).to_dict()
    values = [row["value"] for row in spec["datasets"][next(iter(spec["datasets"]))]]
    assert len(values) == MAX_BARS and values[0] == 0.99 and values[-1] == 0.0
    assert spec["height"] == {"step": 22}
    assert "worst of 100 categories" in " ".join(spec["title"]["subtitle"])


def test_two_runs_changes_are_said_in_each_measures_unit(audited):
    from fashionai.audit.comparison import compare_scorecards
    from fashionai.audit.view import HEADLINE_MEASURES, changes_in_words, format_change

    card = audited[3]
    words = changes_in_words(compare_scorecards(card, card), HEADLINE_MEASURES)
    assert set(words["measure"]) == {i.label for i in MEASURES if i.key in HEADLINE_MEASURES}
    assert words.loc[words["category"] == "Dresses", "change"].str.endswith("pts").any()
    assert set(words["verdict"]) <= {"= same", ""}
    assert format_change("latency_p95", 12.4) == "+12 ms" and format_change("gini", -0.034) == "-0.03"
    assert format_change("coverage", float("nan")) == "—" and format_change("coverage", 0.025) == "+2.5 pts"


def test_the_measure_table_says_why_a_measure_was_not_measured(audited, tmp_path):
    # issue 21, item 4: the Audits page's scorecard said "Out of stock shown 0%" for a catalog without stock
    catalog, _, answers, _ = audited
    frame = catalog.products.reset_index()[["product_id", "name", "category"]]
    path = tmp_path / "nostock.csv"
    frame.to_csv(path, index=False)
    card = score_run(answers, load_catalog(path), k=PLAN.k)
    table = measure_table(card).set_index("key")
    assert table.loc["out_of_stock", "value"] == "not measured, because the catalog has no stock column"
    assert table.loc["diversity_color", "value"] == "not measured, because the catalog has no colour column"
    assert table.loc["personalization", "value"].endswith("%")
    assert measure_across(card, "out_of_stock").empty


def test_changes_told_from_noise_in_words():
    table = pd.DataFrame([("personalization", 0.6, 0.5, -0.1, -0.14, -0.06, "changed"),
                          ("latency_p50", 100.0, 101.0, 1.0, -3.0, 4.0, "within noise"),
                          ("stability", float("nan"), float("nan"), float("nan"), float("nan"), float("nan"),
                           "not measured")], columns=list(NOISE_COLUMNS))
    shown = noise_in_words(table, ["personalization", "latency_p50", "stability"])
    assert shown.to_dict("records") == [
        {"measure": "Personalization", "first": "60%", "second": "50%", "change": "-10.0 pts",
         "interval": "-14.0 pts to -6.0 pts", "verdict": "● changed"},
        {"measure": "Typical answer time", "first": "100 ms", "second": "101 ms", "change": "+1 ms",
         "interval": "-3 ms to +4 ms", "verdict": "○ within noise"},
        {"measure": "Stability", "first": "—", "second": "—", "change": "—", "interval": "—",
         "verdict": "not measured"}]
