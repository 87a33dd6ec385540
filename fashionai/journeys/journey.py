"""Shopper journeys: a scripted sequence of events, watched on one category, and their JSON.

A `Journey` is a named, ordered list of `Step`s (the four events Fashion.AI knows and a
search, each with its id) plus the target category whose storefront is watched along it.
Journeys are saved and loaded as JSON (`journey_to_json`, `journey_from_json`) and
edited as a table (`steps_frame`, `steps_from_frame`), checked with messages a
person can act on. Running one is `journey_run.run_journey`; the demo shoppers made
from a catalog are `personas.builtin_personas`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from fashionai.api.search import check_query
from fashionai.domain import MAX_STEPS, TRACKING_EVENTS, EventType

JOURNEY_EVENTS = (*TRACKING_EVENTS, EventType.SEARCH)
"""What a step may be: the recommendation endpoint's events, and a site search (its id the query); each one is
recorded by Fashion.AI as the session's behaviour."""

EVENT_LABELS: dict[str, str] = {  # by event type (a str enum): looked up by plain strings too
    EventType.CATEGORY_VIEW: "opens category",
    EventType.PRODUCT_VIEW: "views product",
    EventType.SHOP_THE_LOOK: "asks for the look of",
    EventType.CUSTOM_SHELF: "opens the home shelf",
    EventType.SEARCH: "searches for",
}
"""What each event means for a shopper, for step labels."""

PRODUCT_STEPS = (EventType.PRODUCT_VIEW, EventType.SHOP_THE_LOOK)
"""The steps about one product (their id is a product's)."""

MAX_JSON_CHARS = 100_000


@dataclass(frozen=True)
class Step:
    """One event of a journey: ``event_type`` and its ``id`` (category or product id, a search's query;
    ``""`` for customShelf, which takes no id)."""

    event_type: str
    id: str = ""

    def __post_init__(self) -> None:
        if self.event_type not in JOURNEY_EVENTS:
            raise ValueError(
                f"unknown event type {self.event_type!r}; use one of {', '.join(JOURNEY_EVENTS)}"
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
            id_words: dict[str, str] = {EventType.CATEGORY_VIEW: "a category id", EventType.SEARCH: "a query"}
            what = id_words.get(self.event_type, "a product id")
            raise ValueError(f"a {self.event_type} step needs {what}")
        elif self.event_type == EventType.SEARCH:
            item = check_query(item)  # what the client sends: at most MAX_QUERY_CHARS, no NUL
        object.__setattr__(self, "id", item)


@dataclass(frozen=True)
class Journey:
    """A named shopper journey: its steps, in order, and the category watched along it."""

    name: str
    description: str
    target_category: str
    steps: tuple[Step, ...]
    owner: str = ""  # who made it (a person's e-mail, "local" without sign-in); "" for a built-in persona

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
        object.__setattr__(self, "owner", " ".join(str(self.owner or "").split())[:320].lower())

    @property
    def events(self) -> int:
        """Tracking events a run sends: each step, then a ranking fetch after it."""
        return 2 * len(self.steps)


def made_by(journey: Journey, owner: str) -> Journey:
    """The journey as `owner`'s (a person's e-mail), unless it already says who made it."""
    return journey if journey.owner else replace(journey, owner=owner)


def journey_to_json(journey: Journey) -> str:
    """The journey as indented JSON (steps in the API's words: eventType, id)."""
    payload = {
        "name": journey.name,
        "description": journey.description,
        "target_category": journey.target_category,
        "steps": [{"eventType": step.event_type, "id": step.id} for step in journey.steps],
    }
    if journey.owner:
        payload["owner"] = journey.owner
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
    owner = payload.get("owner", "")
    if not isinstance(owner, str):
        raise ValueError('"owner" must be text (who made the journey)')
    raw_steps = payload.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ValueError('"steps" must be a non-empty list of {"eventType": ..., "id": ...} objects')
    steps = []
    for number, raw in enumerate(raw_steps, start=1):
        if not isinstance(raw, dict):
            raise ValueError(f'step {number}: must be an object like {{"eventType": "productView", "id": "000814"}}')
        if "eventType" not in raw:
            raise ValueError(f'step {number}: "eventType" is missing (one of {", ".join(JOURNEY_EVENTS)})')
        event_type = raw["eventType"]
        if event_type != EventType.CUSTOM_SHELF and "id" not in raw:
            raise ValueError(f'step {number}: "id" is missing (a {event_type} step needs one)')
        try:
            steps.append(Step(event_type, raw.get("id", "")))
        except ValueError as err:
            raise ValueError(f"step {number}: {err}") from err
    try:
        return Journey(payload["name"], description, payload["target_category"], tuple(steps), owner=owner)
    except ValueError as err:
        raise ValueError(f"the journey cannot be used: {err}") from err


def describe_step(step: Step, names: Mapping[str, str] | None = None) -> str:
    """A short plain-words label: 'views product Linen Midi Dress', 'opens category Tops'."""
    if step.event_type == EventType.CUSTOM_SHELF:
        return EVENT_LABELS[EventType.CUSTOM_SHELF]
    if step.event_type == EventType.SEARCH:
        return f"{EVENT_LABELS[EventType.SEARCH]} “{step.id}”"
    shown = step.id
    if names is not None and step.event_type != EventType.CATEGORY_VIEW:
        name = names.get(step.id)
        if isinstance(name, str) and name.strip():
            shown = name.strip()
    return f"{EVENT_LABELS[step.event_type]} {shown}"


def retarget(journey: Journey, category: str) -> Journey:
    """The same steps, watching another category."""
    return replace(journey, target_category=category)


def steps_frame(journey: Journey, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The steps as an editable table: event_type, id (text columns); with `names` (product names by id), a
    third column, name: a product step's product name ("" when unknown or not a product), to read beside its id."""
    frame = pd.DataFrame(
        {
            "event_type": pd.Series([step.event_type for step in journey.steps], dtype="str"),
            "id": pd.Series([step.id for step in journey.steps], dtype="str"),
        }
    )
    if names is not None:
        shown = [names.get(step.id) if step.event_type in PRODUCT_STEPS else None for step in journey.steps]
        frame["name"] = pd.Series([name.strip() if isinstance(name, str) else "" for name in shown], dtype="str")
    return frame


def steps_from_frame(frame: pd.DataFrame) -> tuple[Step, ...]:
    """Steps from an edited table (event_type, id); blank rows are skipped.

    ValueError names the row at fault ("row 3: ...").
    """
    steps = []
    for row_number, (event_type, item) in enumerate(zip(frame["event_type"], frame["id"], strict=True), start=1):
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


def _blank(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value)) or not str(value).strip()
    except (TypeError, ValueError):
        return False
