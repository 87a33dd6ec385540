"""Shopper journeys: a scripted sequence of events, and how a category's ranking drifts along it.

A `Journey` is a named, ordered list of `Step`s (the four events Fashion.AI knows,
each with its id) plus the target category whose storefront we watch.
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

`builtin_personas` derives demo journeys from whatever catalog is loaded: shoppers
by style (sporty, office, boho in the bundled sample), else by colour or brand,
else by category. Journeys are saved and loaded as JSON (`journey_to_json`,
`journey_from_json`), checked with messages a person can act on.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import pandas as pd

from fashionai.api.client import FashionAIClient, Recommendation
from fashionai.api.errors import FashionAIError
from fashionai.catalog import Catalog
from fashionai.domain import TRACKING_EVENTS, EventType
from fashionai.output.present import plural
from fashionai.ranking import Rankings, rank_matrix, top_unique

EVENT_LABELS = {
    EventType.CATEGORY_VIEW: "opens category",
    EventType.PRODUCT_VIEW: "views product",
    EventType.SHOP_THE_LOOK: "asks for the look of",
    EventType.CUSTOM_SHELF: "opens the custom shelf",
}
"""What each event means for a shopper, for step labels."""

MAX_STEPS = 20
"""A journey's longest length: each step is two tracking events."""
MAX_JSON_CHARS = 100_000

PREFERRED_STYLES = ("sporty", "office", "boho")
"""Styles that make the clearest demo personas, when the catalog has them."""
MAX_PERSONAS = 3
MIN_PERSONA_PRODUCTS = 3
"""An attribute value needs this many products for a persona to browse it."""


# --------------------------------------------------------------------------- journeys


@dataclass(frozen=True)
class Step:
    """One event of a journey: ``event_type`` and its ``id`` (category or product id;
    ``""`` for customShelf, which takes no id)."""

    event_type: str
    id: str = ""

    def __post_init__(self) -> None:
        if self.event_type not in TRACKING_EVENTS:
            raise ValueError(
                f"unknown event type {self.event_type!r}; use one of {', '.join(TRACKING_EVENTS)}"
            )
        if not isinstance(self.id, str):
            raise ValueError(
                f"the id of a {self.event_type} step must be text such as \"000814\" "
                f"(in quotes in JSON), not {type(self.id).__name__} {self.id!r}"
            )
        item = self.id.strip()
        if self.event_type == EventType.CUSTOM_SHELF:
            if item:
                raise ValueError(f"a customShelf step takes no id (it must be \"\"), got {self.id!r}")
        elif not item:
            what = "a category id" if self.event_type == EventType.CATEGORY_VIEW else "a product id"
            raise ValueError(f"a {self.event_type} step needs {what}")
        object.__setattr__(self, "id", item)


@dataclass(frozen=True)
class Journey:
    """A named shopper journey: its steps, in order, and the category watched along it."""

    name: str
    description: str
    target_category: str
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        name, target = str(self.name or "").strip(), str(self.target_category or "").strip()
        if not name:
            raise ValueError("a journey needs a name")
        if not target:
            raise ValueError("a journey needs a target category, whose ranking is watched after every step")
        steps = tuple(self.steps)
        if not steps:
            raise ValueError("a journey needs at least one step")
        if len(steps) > MAX_STEPS:
            raise ValueError(
                f"a journey has at most {MAX_STEPS} steps (each one is two tracking events); "
                f"this one has {len(steps):,}"
            )
        if not all(isinstance(step, Step) for step in steps):
            raise ValueError("every step of a journey must be a Step")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", str(self.description or "").strip())
        object.__setattr__(self, "target_category", target)
        object.__setattr__(self, "steps", steps)

    @property
    def events(self) -> int:
        """Tracking events a run sends: each step, then a ranking fetch after it."""
        return 2 * len(self.steps)


def journey_to_json(journey: Journey) -> str:
    """The journey as indented JSON (steps in the API's words: eventType, id)."""
    payload = {
        "name": journey.name,
        "description": journey.description,
        "target_category": journey.target_category,
        "steps": [{"eventType": step.event_type, "id": step.id} for step in journey.steps],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def journey_from_json(text: str | bytes) -> Journey:
    """A Journey from `journey_to_json`'s format; ValueError saying what is wrong and where."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ValueError("the journey file is not UTF-8 text; save it as UTF-8 JSON") from err
    if len(text) > MAX_JSON_CHARS:
        raise ValueError(
            f"the journey file is too large ({len(text):,} characters); a journey is a few lines of JSON"
        )
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise ValueError(f"the journey is not valid JSON: {err}") from err
    if not isinstance(payload, dict):
        raise ValueError('a journey must be a JSON object with "name", "target_category" and "steps"')
    for key in ("name", "target_category"):
        if not isinstance(payload.get(key), str) or not payload[key].strip():
            raise ValueError(f'the journey needs "{key}" as non-empty text')
    description = payload.get("description", "")
    if not isinstance(description, str):
        raise ValueError('"description" must be text')
    raw_steps = payload.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ValueError('"steps" must be a non-empty list of {"eventType": ..., "id": ...} objects')
    steps = []
    for number, raw in enumerate(raw_steps, start=1):
        if not isinstance(raw, dict):
            raise ValueError(f'step {number}: must be an object like {{"eventType": "productView", "id": "000814"}}')
        if "eventType" not in raw:
            raise ValueError(f'step {number}: "eventType" is missing (one of {", ".join(TRACKING_EVENTS)})')
        event_type = raw["eventType"]
        if event_type != EventType.CUSTOM_SHELF and "id" not in raw:
            raise ValueError(f'step {number}: "id" is missing (a {event_type} step needs one)')
        try:
            steps.append(Step(event_type, raw.get("id", "")))
        except ValueError as err:
            raise ValueError(f"step {number}: {err}") from err
    try:
        return Journey(payload["name"], description, payload["target_category"], tuple(steps))
    except ValueError as err:
        raise ValueError(f"the journey cannot be used: {err}") from err


def describe_step(step: Step, names: Mapping[str, str] | None = None) -> str:
    """A short plain-words label: 'views product Linen Midi Dress', 'opens category Tops'."""
    if step.event_type == EventType.CUSTOM_SHELF:
        return EVENT_LABELS[EventType.CUSTOM_SHELF]
    shown = step.id
    if names is not None and step.event_type != EventType.CATEGORY_VIEW:
        name = names.get(step.id)
        if isinstance(name, str) and name.strip():
            shown = name.strip()
    return f"{EVENT_LABELS[step.event_type]} {shown}"


# --------------------------------------------------------------------------- personas


def builtin_personas(catalog: Catalog, target_category: str | None = None) -> list[Journey]:
    """Demo shoppers made from the catalog: each browses one taste, then the target category.

    Personas follow the first of style, colour and brand that has at least two
    values with MIN_PERSONA_PRODUCTS products (the bundled sample has styles:
    sporty, office, boho); with none of them, a persona per category. Each opens
    the category where its taste is most common, views two products of that taste,
    asks for the look of a third, and views one in the target category when there
    is one. Products out of stock are not chosen when others exist. The target is
    `target_category` or the catalog's first category. Deterministic for a catalog;
    an empty list when nothing fits (e.g. a catalog without categories).
    """
    products = catalog.products
    categories = [c for c in catalog.categories if isinstance(c, str) and c.strip()]
    if not categories or products.empty:
        return []
    target = target_category if target_category in categories else categories[0]
    # Shoppers browse what can be bought: in stock (or unknown stock) first.
    stock = products["stock"] if "stock" in products.columns else pd.Series(pd.NA, index=products.index)
    available = products[~(stock <= 0).fillna(False).astype(bool)]
    pool = available if len(available) >= MIN_PERSONA_PRODUCTS else products
    pool = pool[pool["category"].isin(categories)]

    for attribute, title in (("style", _style_name), ("color", _color_name), ("brand", _brand_name)):
        values = _persona_values(pool, attribute)
        if len(values) >= 2:
            return [
                _taste_persona(pool, attribute, value, title(value), target)
                for value in values[:MAX_PERSONAS]
            ]
    return _category_personas(pool, categories, target)


def _style_name(value: str) -> str:
    return f"{value.strip().title()} shopper"


def _color_name(value: str) -> str:
    return f"{value.strip().title()} lover"


def _brand_name(value: str) -> str:
    return f"{value.strip()} fan"


def _persona_values(pool: pd.DataFrame, attribute: str) -> list[str]:
    """Values of `attribute` with enough products: preferred styles first, then most common."""
    if attribute not in pool.columns:
        return []
    column = pool[attribute].dropna().astype("str").str.strip()
    counts = column[column != ""].value_counts(sort=False)
    counts = counts[counts >= MIN_PERSONA_PRODUCTS]
    if counts.empty:
        return []
    order = counts.sort_values(ascending=False, kind="stable").index.tolist()
    if attribute == "style":
        folded = {value.casefold(): value for value in order}
        preferred = [folded[s] for s in PREFERRED_STYLES if s in folded]
        order = preferred + [value for value in order if value not in preferred]
    return order


def _taste_persona(pool: pd.DataFrame, attribute: str, value: str, name: str, target: str) -> Journey:
    values = pool[attribute].astype("str").str.strip()
    liked = pool[values == value]
    share = (values == value).groupby(pool["category"], sort=False).mean()
    home = share.drop(target, errors="ignore").sort_values(ascending=False, kind="stable")
    home_category = home.index[0] if not home.empty and home.iloc[0] > 0 else target

    picks: list[str] = []
    for category in [home_category, *home.index[1:]]:  # two in its favourite category, then others
        ids = liked.index[liked["category"] == category].tolist()
        picks += [pid for pid in ids[: 2 if category == home_category else 1] if pid not in picks]
        if len(picks) >= 3:
            break
    picks += [pid for pid in liked.index if pid not in picks][: max(0, 3 - len(picks))]
    in_target = [pid for pid in liked.index[liked["category"] == target] if pid not in picks]

    steps = [Step(EventType.CATEGORY_VIEW, str(home_category))]
    steps += [Step(EventType.PRODUCT_VIEW, str(pid)) for pid in picks[:2]]
    steps += [Step(EventType.SHOP_THE_LOOK, str(pid)) for pid in picks[2:3]]
    if in_target:
        steps.append(Step(EventType.PRODUCT_VIEW, str(in_target[0])))
    viewed = len(picks[:2])
    description = (
        f"Likes {value} pieces: opens {home_category}"
        + (f", views {('one', 'two')[viewed - 1]} {value} {plural(viewed, 'product', with_count=False)}"
           if viewed else "")
        + (", asks for the look of a third" if picks[2:3] else "")
        + (f", then views one in {target}." if in_target else ".")
    )
    return Journey(name, description, target, tuple(steps))


def _category_personas(pool: pd.DataFrame, categories: list[str], target: str) -> list[Journey]:
    """Without taste attributes: a shopper per other category, browsing its products."""
    personas = []
    for category in [c for c in categories if c != target][:MAX_PERSONAS]:
        ids = pool.index[pool["category"] == category].tolist()
        if not ids:
            continue
        steps = [Step(EventType.CATEGORY_VIEW, category), *(Step(EventType.PRODUCT_VIEW, str(pid)) for pid in ids[:2])]
        if len(ids) > 2:
            steps.append(Step(EventType.SHOP_THE_LOOK, str(ids[2])))
        personas.append(Journey(
            f"{category} browser",
            f"Opens {category} and views {'its product' if len(ids) == 1 else 'two of its products'}"
            + (" and asks for the look of a third" if len(ids) > 2 else "")
            + " (the catalog has no style, colour or brand column to build tastes from).",
            target,
            tuple(steps),
        ))
    return personas


# --------------------------------------------------------------------------- running


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

    def shown_by_step(self) -> dict[int, tuple[str, ...]]:
        """Step number -> the storefront's order after it; step 0 is the native order."""
        return {0: self.native} | {result.number: result.shown for result in self.steps}

    @cached_property
    def _encoded(self) -> Rankings:
        """Every step's storefront encoded once (`compare.Rankings`, lanes named "0", "1", ...): a
        category's ranking can hold tens of thousands of ids, and the drift is drawn for any k."""
        return Rankings({str(number): ranking for number, ranking in self.shown_by_step().items()})

    def steps_long(self, k: int, names: Mapping[str, str] | None = None) -> pd.DataFrame:
        """`charts.drift_chart`'s input: step, step_label, product_id, rank.

        Rows for every product in any step's top k, with its rank at every step (NA
        where the list lacks it); step 0 is the store's native order.
        """
        long = rank_matrix(self._encoded, k)
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
            event = _send(client, step, session, user)
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


def _send(client: FashionAIClient, step: Step, session: str, user: str | None) -> Recommendation:
    if step.event_type == EventType.CATEGORY_VIEW:
        return client.category_view(session, step.id, user_id=user)
    if step.event_type == EventType.PRODUCT_VIEW:
        return client.product_view(session, step.id, user_id=user)
    if step.event_type == EventType.SHOP_THE_LOOK:
        return client.shop_the_look(session, step.id, user_id=user)
    return client.custom_shelf(session, user_id=user)


def retarget(journey: Journey, category: str) -> Journey:
    """The same steps, watching another category."""
    return replace(journey, target_category=category)


def steps_frame(journey: Journey) -> pd.DataFrame:
    """The steps as an editable table: event_type, id (text columns)."""
    return pd.DataFrame(
        {
            "event_type": pd.Series([step.event_type for step in journey.steps], dtype="str"),
            "id": pd.Series([step.id for step in journey.steps], dtype="str"),
        }
    )


def steps_from_frame(frame: pd.DataFrame) -> tuple[Step, ...]:
    """Steps from an edited table (event_type, id); blank rows are skipped.

    ValueError names the row at fault ("row 3: ...").
    """
    steps = []
    for row_number, (event_type, item) in enumerate(zip(frame["event_type"], frame["id"]), start=1):
        event_type = "" if _blank(event_type) else str(event_type).strip()
        item = "" if _blank(item) else str(item).strip()
        if not event_type and not item:
            continue
        if not event_type:
            raise ValueError(f"row {row_number}: choose an event type for id {item!r}")
        try:
            steps.append(Step(event_type, item))
        except ValueError as err:
            raise ValueError(f"row {row_number}: {err}") from err
    return tuple(steps)


def _blank(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value)) or not str(value).strip()
    except (TypeError, ValueError):
        return False
