"""Every lane of a category fetched at once and measured: `compare_lanes` (the compare page's one call site).

    comparison = compare_lanes(client, catalog, "Dresses", [native_lane(), session_lane("s1")], k=10, p=0.9)

Each lane's calls run in a thread of `_fanout.fan_out` (a persona's steps one after another inside its lane); a
lane's failure is kept in its `Lane.error`, the others are unaffected. Built on lanes.py (the specs, `Lane`, the
rule of an answered lane) and compared.py (`Comparison`), which import neither this module nor each other's
callers. No Streamlit here; `on_done` progress callbacks run in the caller's thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from fashionai.api.client import FashionAIClient, Recommendation
from fashionai.catalog import Catalog
from fashionai.compare._fanout import OnDone, TaskResult, fan_out
from fashionai.compare.compared import Comparison
from fashionai.compare.lanes import (
    BEST_SELLERS,
    NATIVE,
    PERSONA_SESSION_PREFIX,
    SESSION,
    SOURCE_FASHIONAI,
    Lane,
    LaneSpec,
    answered_lane,
    check_specs,
)
from fashionai.domain import DEFAULT_K, DEFAULT_P, MAX_LANES
from fashionai.journeys.journey import retarget
from fashionai.journeys.run import JourneyRun, run_journey
from fashionai.measures.ranked_ids import check_k, check_p
from fashionai.text.formatting import new_session_id

__all__ = ["compare_lanes"]


@dataclass(frozen=True)
class _Fetched:
    """What a lane's callable hands back (in a worker thread)."""

    answer: tuple[str, ...] | None
    session_id: str | None = None
    recommendation: Recommendation | None = None
    journey: JourneyRun | None = None


def _lane_task(
    client: FashionAIClient,
    spec: LaneSpec,
    category: str,
    native: tuple[str, ...],
    new_session: Callable[[], str],
) -> Callable[[], _Fetched]:
    if spec.kind == NATIVE:
        return lambda: _Fetched(None)
    if spec.kind == BEST_SELLERS:
        def best_sellers() -> _Fetched:
            answer = client.sales_ranking(category)
            return _Fetched(tuple(answer.products), recommendation=answer)
        return best_sellers
    if spec.kind == SESSION:
        shopper = spec.session_id
        assert shopper is not None  # LaneSpec refuses a session lane without its session

        def session() -> _Fetched:
            answer = client.category_view(shopper, category, user_id=spec.user_id)
            return _Fetched(tuple(answer.products), shopper, answer)
        return session
    journey = spec.persona
    assert journey is not None

    def persona() -> _Fetched:
        session_id = new_session()
        run = run_journey(client, retarget(journey, category), session_id=session_id,
                          user_id=spec.user_id, native=native)
        last = run.steps[-1].fetch if run.steps else None
        return _Fetched(run.final_answer, session_id, last, run)
    return persona


def _lane(spec: LaneSpec, result: TaskResult, native: tuple[str, ...], catalog: Catalog) -> Lane:
    if not result.ok:
        return Lane(spec, (), None, SOURCE_FASHIONAI, error=result.error, elapsed=result.elapsed)
    fetched = cast(_Fetched, result.value)  # what _lane_task's callables return
    common: dict[str, Any] = {"session_id": fetched.session_id, "recommendation": fetched.recommendation,
              "journey": fetched.journey, "elapsed": result.elapsed}
    if fetched.journey is not None and fetched.journey.error is not None:
        return Lane(spec, (), None, SOURCE_FASHIONAI, error=fetched.journey.error, **common)
    return answered_lane(spec, fetched.answer, native, catalog, **common)


def compare_lanes(
    client: FashionAIClient,
    catalog: Catalog,
    category: str,
    specs: Sequence[LaneSpec],
    *,
    k: int = DEFAULT_K,
    p: float = DEFAULT_P,
    on_done: OnDone | None = None,
    new_session: Callable[[], str] | None = None,
    max_workers: int = MAX_LANES,
) -> Comparison:
    """Fetch every lane of `category` at once and measure them against each other.

    A lane's failure is kept in its `Lane.error`; the others are unaffected.
    `on_done(result, done, total)` reports each finished lane (in this thread).
    `new_session` makes a persona's fresh session id (a synthetic one by default).
    ValueError for a blank category or lanes `check_specs` refuses.
    """
    category = str(category or "").strip()
    if not category:
        raise ValueError("choose a category to compare")
    check_specs(specs)
    check_k(k)  # before any call is spent
    check_p(p)
    fresh = new_session or (lambda: new_session_id(PERSONA_SESSION_PREFIX))
    native = tuple(catalog.category_ids(category))
    return fan_out_lanes(category, specs, lambda spec: _lane_task(client, spec, category, native, fresh), _lane,
                         native, catalog, k=k, p=p, on_done=on_done, max_workers=max_workers)


LaneOf = Callable[[LaneSpec, TaskResult, tuple[str, ...], Catalog], Lane]
"""A lane made of its spec, its task's result, the native order and the catalog."""


def fan_out_lanes(subject: str, specs: Sequence[LaneSpec], task: Callable[[LaneSpec], Callable[[], object]],
                  lane: LaneOf, native: tuple[str, ...], catalog: Catalog, *, k: int, p: float,
                  on_done: OnDone | None, max_workers: int, search: bool = False) -> Comparison:
    """Every lane's `task(spec)` run at once (`fan_out`: a failure is kept in its result, the others unaffected), each
    made a Lane by `lane`, and the lanes of `subject` (a category, or a query when `search`) measured against each
    other. The tail of `compare_lanes` and of `search_lanes.compare_query`, which differ by their lanes' task."""
    tasks = [(spec.label, task(spec)) for spec in specs]
    results = fan_out(tasks, max_workers=max_workers, on_done=on_done)
    lanes = [lane(spec, result, native, catalog) for spec, result in zip(specs, results, strict=True)]
    return Comparison.of(subject, lanes, native, catalog, k=k, p=p, search=search)


