"""AppTest of the audit page's query set (issue 24, 5d): typed queries join the plan (the estimate counts their
searches), a run searches them for each shopper, and its scorecard lists the worst queries; bad input said in words."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from fashionai.audit.model import RunStatus
from fashionai.audit.plan import AuditPlan
from fashionai.audit.scorecard import Scorecard
from fashionai.audit.search_plan import with_searches
from fashionai.audit.store import AuditStore
from fashionai.relevance.judgments import read_judgments
from tests.apptest_helpers import open_page, texts
from tests.pages.audit_pages import PAGE, small_plan, start

pytestmark = pytest.mark.slow


def test_typed_queries_are_searched_by_each_shopper_and_the_worst_are_on_the_scorecard(app, store):
    open_page(app, PAGE)
    small_plan(app, personas=2, categories=("Dresses",))
    app.radio(key="audit_plan_query_source").set_value("catalog").run()
    assert "queries, no judgments" in texts(app) and "Before it starts:" in texts(app) and not app.exception
    app.radio(key="audit_plan_query_source").set_value("typed").run()
    assert "Type at least one query" in texts(app)  # nothing typed yet: said, nothing started
    app.text_area(key="audit_plan_queries").set_value("vestido\nzzqx nothing like it\n").run()
    assert not app.exception and "2 queries, no judgments" in texts(app)
    run_id = start(app)
    run = AuditStore(store).run(run_id)
    answers = [a for a in AuditStore(store).answers(run_id) if a.event_type == "search"]
    assert run.done_calls == run.total_calls and len(answers) == 2 * 3  # two personas and their twin, two queries
    shown = texts(app)
    assert "Worst queries" in shown and "Found nothing for any shopper" in shown
    assert any("zzqx nothing like it" in str(frame.value.to_dict()) for frame in app.dataframe)
    assert not app.exception and not app.error


def test_a_saved_plan_opens_with_its_queries_and_its_judgments(app, store):
    plan = with_searches(AuditPlan(name="Searching", synthetic_personas=2), ("vestido", "tênis"),
                         read_judgments(b"query,product_id,grade\nvestido,0042,3\n"))
    AuditStore(store).save_plan(plan)
    open_page(app, PAGE)
    app.selectbox(key="audit_saved_plan").set_value("Searching").run()
    assert app.radio(key="audit_plan_query_source").value == "typed"
    assert app.text_area(key="audit_plan_queries").value == "vestido\ntênis"
    assert "2 queries, 1 judgment" in texts(app) and not app.exception


def test_two_runs_list_the_queries_that_changed_most(app, store):
    # issue 24, 5: "biggest change between runs" was printed by `audit check` only, not on the Two runs tab
    open_page(app, PAGE)
    small_plan(app, personas=2, categories=("Dresses",))
    first = start(app)
    app.session_state["_audit_goto"] = "Plan and start"
    app.run()
    second = start(app)
    audits = AuditStore(store)
    tables = {first: [("vestido", 2, 0, 1.0), ("tênis", 2, 0, float("nan")), ("camisa", 2, 0, 0.5)],
              second: [("vestido", 2, 0, 0.25), ("tênis", 2, 2, float("nan")), ("camisa", 2, 0, 0.5)]}
    for run_id, rows in tables.items():  # each run's searches, as a run of a query set scores them
        card = Scorecard.from_json(audits.run(run_id).scorecard_json)
        queries = pd.DataFrame(rows, columns=["query", "searches", "without_results", "mean_ndcg"])
        audits.set_status(run_id, RunStatus.DONE, scorecard_json=dataclasses.replace(card, queries=queries).to_json())
    app.session_state["_audit_goto"] = "Two runs"
    app.run()
    assert not app.exception and not app.error
    assert "Queries that changed most since the first run" in texts(app)
    (table,) = [frame.value for frame in app.dataframe if "measure" in frame.value.columns
                and "query" in frame.value.columns]
    assert table.to_dict(orient="records") == [
        {"query": "tênis", "measure": "Searches without results", "before": "0%", "after": "100%",
         "change": "+100 pts"},
        {"query": "vestido", "measure": "Relevance (nDCG)", "before": "1.00", "after": "0.25", "change": "-0.75"}]
