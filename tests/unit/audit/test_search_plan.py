"""A query set run for a set of shoppers as an audit plan (issue 24, 5c): each shopper searches each query (page
1, K results) on its own session; the scorecard's search row, its relevance graded by the plan's judgments, its
worst queries; through the CLI (plan, run, report) and a resume that sends only what is left."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from fashionai.__main__ import main
from fashionai.api.client import FashionAIClient
from fashionai.audit.model import Answer, Purpose, RunStatus
from fashionai.audit.plan import AuditPlan, PlanError, plan_from_json, plan_to_json, resolve_plan
from fashionai.audit.runner import resume_run, start_run
from fashionai.audit.scorecard import OVERALL, Scorecard, score_run, scorecard_text
from fashionai.audit.search_plan import with_searches
from fashionai.domain import EventType
from fashionai.relevance.judgments import read_judgments
from fashionai.simulator import Simulator, SimulatorTransport
from tests.fake_time import FakeTime

QUERIES = ("vestido", "tênis branco", "zzqx nothing like it")


def search_plan(catalog, **changes):
    plan = AuditPlan(**({"name": "Searches", "categories": (catalog.categories[0],), "synthetic_personas": 2,
                         "stability_twins": 0, "rate": 500.0, "concurrency": 1, "k": 5} | changes))
    return with_searches(plan, QUERIES)


def test_each_shopper_searches_each_query_after_its_pages_and_the_plan_keeps_them_in_its_json(catalog):
    plan = with_searches(search_plan(catalog), QUERIES, read_judgments(b"query,product_id,grade\nvestido,0042,3\n"))
    resolved = resolve_plan(plan, catalog, "ab" * 16)
    searches = [c for c in resolved.all_calls() if c.event_type == EventType.SEARCH]
    assert [(c.shopper, c.item_id, c.purpose) for c in searches] == [
        (s, q, Purpose.MEASURE) for s in (0, 1) for q in QUERIES]
    assert resolved.total_calls == len(list(resolved.all_calls()))
    again = plan_from_json(plan_to_json(plan))
    assert again.queries == QUERIES and dict(again.judgments.of("Vestido")) == {"0042": 3}  # the id stays text


def test_a_query_the_search_refuses_or_a_bad_judgment_in_a_plan_file_is_said_in_words(catalog):
    with pytest.raises(PlanError, match="cannot be searched"):
        AuditPlan(name="Bad", queries=("   ",))
    text = json.loads(plan_to_json(search_plan(catalog)))
    text["judgments"] = {"grades": {"vestido": {"0042": 9}}}
    with pytest.raises(PlanError, match="grade 0 to 3"):
        plan_from_json(json.dumps(text))


def search_answer(shopper, query, products, *, total=None, ok=True):
    return Answer(shopper=shopper, shopper_key=f"s{shopper}", shopper_label=f"Shopper {shopper}", session_id=f"x{shopper}",
                  user_id=None, twin_of=None, step=0, event_type=EventType.SEARCH, item_id=query, category="",
                  purpose=Purpose.MEASURE.value, products=tuple(products), elapsed=0.1, ok=ok,
                  total_items=len(products) if total is None else total)


def test_judgments_change_ndcg_as_computed_by_hand(catalog):
    answers = [search_answer(0, "vestido", ["a", "b", "c"], total=40), search_answer(1, "vestido", ["b", "a", "c"])]
    first = read_judgments(b"query,product_id,grade\nvestido,b,3\n")
    second = read_judgments(b"query,product_id,grade\nVestido,a,3\nvestido,c,1\n")
    k = 3
    # by hand: shopper 0 has b at place 2: (3/log2 3) / (3/log2 2) = 1/log2 3; shopper 1 has b first: 1
    one = score_run(answers, catalog, k=k, judgments=first).overall()
    assert one["ndcg"] == pytest.approx((1 / math.log2(3) + 1.0) / 2)
    assert one["mrr"] == pytest.approx((0.5 + 1.0) / 2) and one["results_per_search"] == pytest.approx((40 + 3) / 2)
    # second: ideal DCG = 3 + 1/log2 3; shopper 0 (a, b, c) = 3 + 1/2 ... c at place 3: 1/log2 4 = 1/2
    ideal = 3 + 1 / math.log2(3)
    two = score_run(answers, catalog, k=k, judgments=second).overall()
    assert two["ndcg"] == pytest.approx(((3 + 0.5) / ideal + (3 / math.log2(3) + 0.5) / ideal) / 2)
    unjudged = score_run(answers, catalog, k=k)
    assert math.isnan(unjudged.rows.iloc[-1]["ndcg"])
    assert unjudged.not_measured["ndcg"] == "no search of the run has judgments"
    assert "results_per_search" not in unjudged.not_measured


def test_the_worst_queries_are_on_the_scorecard_text_and_json(catalog):
    answers = [search_answer(0, "vestido", ["a", "b"]), search_answer(0, "zzqx", [], total=0),
               search_answer(1, "zzqx", [], total=0)]
    card = score_run(answers, catalog, k=3, judgments=read_judgments(b"query,product_id,grade\nvestido,b,2\n"))
    text = scorecard_text(card)
    assert "Found nothing for any shopper: “zzqx”" in text and "“vestido”" in text and "nan" not in text.lower()
    data = json.loads(card.to_json())
    assert [row["query"] for row in data["worst_queries"]["zero_results"]] == ["zzqx"]
    assert data["worst_queries"]["lowest_ndcg"][0]["query"] == "vestido"
    back = Scorecard.from_json(card.to_json())
    assert back.queries.equals(card.queries)
    search_row = card.rows[card.rows["placement"] == EventType.SEARCH].iloc[0]
    assert search_row["calls"] == 3 and search_row["empty_rate"] == pytest.approx(2 / 3)


def test_a_plan_of_three_queries_for_two_shoppers_runs_end_to_end_through_the_cli(shell_environment, tmp_path, capsys,
                                                                                  catalog):
    (tmp_path / "queries.csv").write_text("query\n" + "\n".join(QUERIES) + "\n", encoding="utf-8")
    (tmp_path / "judgments.csv").write_text("query,product_id,grade\n" + "".join(
        f"vestido,{pid},2\n" for pid in catalog.products.index[:50]), encoding="utf-8")
    assert main(["audit", "plan", "--queries", "queries.csv", "--judgments", "judgments.csv"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["queries"] == list(QUERIES) and plan["judgments"]["grades"]["vestido"]
    plan["categories"], plan["stability_twins"], plan["rate_per_second"] = [catalog.categories[0]], 0, 500.0
    plan["shoppers"]["synthetic_personas"] = 2
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")

    assert main(["audit", "run", "plan.json"]) == 0
    run_id = capsys.readouterr().out.strip().splitlines()[-1]
    assert main(["audit", "report", run_id, "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    rows = {row["placement"]: row for row in card["rows"]}
    assert rows[EventType.SEARCH]["calls"] == 6 and rows[EventType.SEARCH]["shoppers"] == 2
    overall = rows[OVERALL]
    assert 0 <= overall["ndcg"] <= 1 and overall["precision"] is not None and overall["results_per_search"] > 0
    assert "ndcg" not in card["not_measured"]
    assert {row["query"]: row["searches"] for row in card["queries"]} == dict.fromkeys(QUERIES, 2)
    assert main(["audit", "report", run_id]) == 0
    text = capsys.readouterr().out
    assert "Queries searched: 3" in text and "Search relevance (nDCG)" in text


def test_a_plan_file_flag_that_cannot_be_read_is_refused_in_words(shell_environment, tmp_path, capsys):
    (tmp_path / "queries.csv").write_bytes(b"")
    assert main(["audit", "plan", "--queries", "queries.csv"]) == 2
    assert main(["audit", "plan", "--judgments", "j.csv"]) == 2
    assert main(["audit", "plan", "--queries", "missing.csv"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--queries FILE too" in err and "missing.csv cannot be read" in err


def test_the_resume_of_a_half_run_search_plan_sends_only_what_is_left(audits, catalog):
    simulator = Simulator(catalog.products)
    sent = []
    transport = SimulatorTransport(simulator)
    answer = transport.handle_request

    def counted(request):  # every request that reaches Fashion.AI, whoever observes the client
        sent.append(request.url.path)
        return answer(request)

    transport.handle_request = counted
    counting = FashionAIClient("t", base_url="http://simulator.local/api/v1", transport=transport)
    fake, holder = FakeTime(), {}

    def cancel_midway(progress):
        if progress.done >= 6:
            holder["runner"].cancel()

    plan = search_plan(catalog)
    runner = holder["runner"] = start_run(audits, counting, plan, catalog, backend="simulator", catalog_name="s",
                                          max_calls=1000, clock=fake.clock, sleep=fake.sleep,
                                          on_progress=cancel_midway)
    first = runner.run()
    assert first.status == RunStatus.CANCELLED and 6 <= first.done_calls < first.total_calls
    before = len(sent)
    done = resume_run(audits, counting, first.id, catalog, backend="simulator", clock=fake.clock,
                      sleep=fake.sleep).run()
    assert done.status == RunStatus.DONE
    assert len(sent) - before == done.total_calls - first.done_calls  # only what was left
    answers = list(audits.answers(done.id))
    assert Counter((a.shopper, a.step) for a in answers) == Counter((c.shopper, c.step) for c in runner.resolved.all_calls())
    searched = Counter((a.shopper_key, a.item_id) for a in answers if a.event_type == EventType.SEARCH)
    assert sorted(searched.values()) == [1] * 6 and all(
        a.total_items is not None for a in answers if a.event_type == EventType.SEARCH)
