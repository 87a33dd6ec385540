"""Running a journey for one session, and how the target category's ranking drifts along it.

`run_journey` sends the steps one by one for one session and, after every step,
asks for the target category's ranking, so each step's effect can be seen.

Every call `run_journey` makes is a tracking event, the ranking fetches included:
a fetch is a ``categoryView`` of the target category, so the session's history
alternates "the step, a look at the target category". That is what a shopper who
checks the category page after every move would leave behind; the drift shown is
the drift of that shopper. A journey of n steps sends 2n events.

Step 0 is not fetched. A new session is unknown to Fashion.AI, whose answer is an
empty list, and the storefront then shows the store's native order (catalog
order). So step 0 is the native order, read from the catalog, costing no event.
A later empty answer is handled the same way: the storefront shows the native
order, and the step is marked ``fallback``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from fashionai.api.client import FashionAIClient, Recommendation
from fashionai.api.errors import FashionAIError
from fashionai.domain import EventType
from fashionai.journeys.journey import Journey, Step, describe_step
from fashionai.measures.ranked_ids import top_unique
from fashionai.measures.ranking import Rankings


@dataclass(frozen=True)
class StepResult:
    """One step done: what its own event answered, and the target category's ranking after it."""

    number: int  # 1 = the first step
    step: Step
    answer: tuple[str, ...]  # what the step's event returned (a shelf, similar products, a look)
    ranking: tuple[str, ...]  # Fashion.AI's ranking of the target category after the step
    shown: tuple[str, ...]  # what the storefront shows: the ranking, or the native order if it was empty
    event: Recommendation = field(repr=False)
    fetch: Recommendation = field(repr=False)
    elapsed: float = 0.0  # seconds for both calls

    @property
    def fallback(self) -> bool:
        """Fashion.AI answered the fetch with an empty list, so the native order is shown."""
        return not self.ranking


@dataclass(frozen=True)
class JourneyRun:
    """A journey as run for one session: the steps done, and the error that stopped it, if any."""

    journey: Journey
    session_id: str
    user_id: str | None
    native: tuple[str, ...]  # the target category in catalog order: step 0
    steps: tuple[StepResult, ...]
    error: BaseException | None = None
    failed_step: int | None = None  # number of the step that failed
    failed_call: str | None = None  # "event" (the step itself) or "ranking" (the fetch after it)
    events_sent: int = 0  # calls made, failed ones included (the server may have recorded them)

    @property
    def complete(self) -> bool:
        return self.error is None and len(self.steps) == len(self.journey.steps)

    @property
    def final(self) -> tuple[str, ...]:
        """What the storefront shows after the last step done (the native order before any)."""
        return self.steps[-1].shown if self.steps else self.native

    def final_top(self, k: int) -> tuple[str, ...]:
        """The first `k` distinct ids of `final` (a repeated id keeps its first place): the top k shown."""
        return tuple(top_unique(self.final, k).tolist())

    @property
    def final_answer(self) -> tuple[str, ...] | None:
        """Fashion.AI's last answer for the target category; None if no step got that far."""
        return self.steps[-1].ranking if self.steps else None

    def saved_ids(self) -> tuple[str, ...]:
        """The history's snapshot ids of the steps done, in order: each step's event, then the ranking fetched
        after it (what a link names to replay the run); () when any answer has none (not saved)."""
        ids = tuple(exchange for result in self.steps
                    for exchange in (result.event.exchange_id, result.fetch.exchange_id))
        return ids if all(ids) else ()

    def shown_by_step(self) -> dict[int, tuple[str, ...]]:
        """Step number -> the storefront's order after it; step 0 is the native order."""
        return {0: self.native} | {result.number: result.shown for result in self.steps}

    @cached_property
    def _encoded(self) -> Rankings:
        """Every step's storefront encoded once (`ranking.Rankings`, lanes named "0", "1", ...): a
        category's ranking can hold tens of thousands of ids, and the drift is drawn for any k."""
        return Rankings({str(number): ranking for number, ranking in self.shown_by_step().items()})

    def steps_long(self, k: int, names: Mapping[str, str] | None = None) -> pd.DataFrame:
        """`charts.drift_chart`'s input: step, step_label, product_id, rank.

        Rows for every product in any step's top k, with its rank at every step (NA
        where the list lacks it); step 0 is the store's native order.
        """
        long = self._encoded.rank_matrix(k)
        labels = {0: "native order"} | {
            result.number: describe_step(result.step, names)
            + (" (empty answer: native order)" if result.fallback else "")
            for result in self.steps
        }
        frame = pd.DataFrame({
            "step": long["lane"].astype("int64"),
            "step_label": long["lane"].astype("int64").map(labels).astype("str"),
            "product_id": long["product_id"],
            "rank": long["rank"],
        })
        return frame.sort_values(["step"], kind="stable").reset_index(drop=True)


OnStep = Callable[[StepResult, int, int], None]


def run_journey(
    client: FashionAIClient,
    journey: Journey,
    *,
    session_id: str,
    user_id: str | None = None,
    native: Sequence[str] = (),
    on_step: OnStep | None = None,
) -> JourneyRun:
    """Send the journey's steps for one session, fetching the target category after each.

    For every step: the step's event, then ``categoryView(target_category)`` (an
    event too: see the module docstring). `native` is the target category in the
    store's own order (``catalog.category_ids``): step 0, and what is shown when
    Fashion.AI answers with an empty list. `on_step(result, done, total)` is called
    after each step, in this thread, e.g. for progress.

    Stops at the first error from Fashion.AI (or a ValueError from the client, such as
    a blank id), keeping the steps done and recording the error and where it struck.
    """
    session = str(session_id or "").strip()
    if not session:
        raise ValueError("a journey needs a session id to run for")
    user = str(user_id or "").strip() or None
    native = tuple(str(pid) for pid in native)
    done: list[StepResult] = []
    sent = 0
    total = len(journey.steps)

    def stopped(error: BaseException, number: int, call: str) -> JourneyRun:
        return JourneyRun(journey, session, user, native, tuple(done), error, number, call, sent)

    for number, step in enumerate(journey.steps, start=1):
        started = time.perf_counter()
        try:
            sent += 1
            event = send_step(client, step, session, user)
        except (FashionAIError, ValueError) as err:
            return stopped(err, number, "event")
        try:
            sent += 1
            fetch = client.category_view(session, journey.target_category, user_id=user)
        except (FashionAIError, ValueError) as err:
            return stopped(err, number, "ranking")
        result = StepResult(
            number=number,
            step=step,
            answer=tuple(event.products),
            ranking=tuple(fetch.products),
            shown=tuple(fetch.products) or native,
            event=event,
            fetch=fetch,
            elapsed=time.perf_counter() - started,
        )
        done.append(result)
        if on_step is not None:
            on_step(result, number, total)
    return JourneyRun(journey, session, user, native, tuple(done), events_sent=sent)


def send_step(client: FashionAIClient, step: Step, session: str, user: str | None) -> Recommendation:
    """Send one step's event for the session (a tracking event), as a journey sends it."""
    if step.event_type == EventType.CATEGORY_VIEW:
        return client.category_view(session, step.id, user_id=user)
    if step.event_type == EventType.PRODUCT_VIEW:
        return client.product_view(session, step.id, user_id=user)
    if step.event_type == EventType.SHOP_THE_LOOK:
        return client.shop_the_look(session, step.id, user_id=user)
    if step.event_type == EventType.SEARCH:  # its answer's products are the first page's ids
        return client.search(session, step.id, user_id=user)  # type: ignore[return-value]
    return client.custom_shelf(session, user_id=user)
