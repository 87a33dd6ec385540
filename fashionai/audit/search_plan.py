"""A plan's query set: the searches each shopper sends, and the judgments that grade them (issue 24, 5c).

    plan = with_searches(plan, typed_queries("vestido\\ntênis"), judgments)   # an AuditPlan that searches
    search_steps(plan)          # each shopper's searches, after its measured pages: (SEARCH, query, MEASURE, "")
    searches_to_json(plan)      # the plan JSON's "queries" and "judgments"; searches_from_json reads them back

Each shopper sends each query once, on its own session, after its measured pages: one site search, page 1,
`plan.k` results (`runner._send`). A search is a tracking event, so it is counted as one (`_estimate`). The
judgments travel in the plan's JSON (each query's graded products), so a resumed run and its scorecard grade the
searches as the first runner would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from fashionai.api.search import check_query
from fashionai.audit.model import Call, Purpose
from fashionai.domain import EventType
from fashionai.relevance.judgments import MAX_GRADE, Judgments, query_key
from fashionai.relevance.queries import QuerySet

if TYPE_CHECKING:
    from fashionai.api.client import FashionAIClient


class SearchingPlan(Protocol):
    """What this module reads of a plan (an `audit.plan.AuditPlan`, a dataclass, has it): plan.py imports this
    module, so it is named by what it holds, not imported."""

    @property
    def queries(self) -> tuple[str, ...]: ...
    @property
    def judgments(self) -> Judgments | None: ...


PlanT = TypeVar("PlanT", bound=SearchingPlan)

__all__ = ["MAX_PLAN_QUERIES", "checked_queries", "search_steps", "searches_from_json", "searches_to_json",
           "send_search", "with_searches"]

MAX_PLAN_QUERIES = 1_000
"""The most queries a plan sends each shopper."""


def checked_queries(queries: Iterable[Any]) -> tuple[str, ...]:
    """The plan's queries as sent (each once, compared without case); ValueError in plain words for one the site
    search would refuse, or too many."""
    kept: dict[str, str] = {}
    for query in queries:
        try:
            text = check_query(query)
        except ValueError as err:
            raise ValueError(f"the plan's query {str(query)[:60]!r} cannot be searched: {err}") from err
        kept.setdefault(query_key(text), text)
    if len(kept) > MAX_PLAN_QUERIES:
        raise ValueError(f"a plan sends at most {MAX_PLAN_QUERIES:,} queries, not {len(kept):,}")
    return tuple(kept.values())


def with_searches(plan: PlanT, queries: QuerySet | Iterable[str], judgments: Judgments | None = None) -> PlanT:
    """`plan` sending these queries (a QuerySet or texts) graded by `judgments` (None: not graded)."""
    texts = queries.queries if isinstance(queries, QuerySet) else tuple(queries)
    return replace(plan, queries=texts, judgments=judgments)  # type: ignore[type-var]  # a dataclass plan


def search_steps(plan: SearchingPlan) -> list[tuple[str, str, Purpose, str]]:
    """(event, query, purpose, category) of each search a shopper sends, in the plan's order."""
    return [(EventType.SEARCH, query, Purpose.MEASURE, "") for query in plan.queries]


def send_search(client: FashionAIClient, call: Call, session: str, user: str | None, *, k: int) -> None:
    """Send a search call: a query of the plan's query set asks page 1 of `k` results; a journey's search step
    (warming a shopper up) asks as the journey did."""
    if call.purpose == Purpose.MEASURE:
        client.search(session, call.item_id, user_id=user, page=1, limit=k)
    else:
        client.search(session, call.item_id, user_id=user)


def searches_to_json(plan: SearchingPlan) -> dict[str, Any]:
    """The plan JSON's "queries" and "judgments" (each judged query's products and grades); {} without queries."""
    if not plan.queries and plan.judgments is None:
        return {}
    judged = None
    if plan.judgments is not None:
        judged = {"source": plan.judgments.source,
                  "grades": {q: dict(products) for q, products in plan.judgments.grades.items()}}
    return {"queries": list(plan.queries), "judgments": judged}


def searches_from_json(data: dict[str, Any]) -> tuple[tuple[str, ...], Judgments | None]:
    """The queries and judgments of a plan's JSON; ValueError in plain words when they are not of the right kind."""
    queries = data.get("queries") or []
    if not isinstance(queries, list) or not all(isinstance(q, str) for q in queries):
        raise ValueError("the plan's \"queries\" must be a list of texts")
    judged = data.get("judgments")
    if judged is None:
        return tuple(queries), None
    grades = judged.get("grades") if isinstance(judged, dict) else None
    if not isinstance(grades, dict) or not all(
            isinstance(products, dict) and all(
                isinstance(pid, str) and not isinstance(g, bool) and isinstance(g, int) and 0 <= g <= MAX_GRADE
                for pid, g in products.items()) for products in grades.values()):
        raise ValueError("the plan's \"judgments\" must hold \"grades\": query -> product id -> grade 0 to "
                         f"{MAX_GRADE}")
    frozen = MappingProxyType({query_key(str(q)): MappingProxyType(dict(p)) for q, p in grades.items()})
    return tuple(queries), Judgments(frozen, str(judged.get("source") or "the plan"))
