"""An audit's plan: what to ask of Fashion.AI, for whom, and at what pace; kept as JSON.

    plan = AuditPlan(name="Weekly", synthetic_personas=20)       # every category, 20 personas
    text = plan_to_json(plan); plan_from_json(text) == plan
    resolved = resolve_plan(plan, catalog, run_id)                 # the shoppers and their calls

(The estimate of a plan, resolved or not, is `audit.estimate`'s.)

A run asks, in order: the best sellers of every category (a GET, the long-tail
reference), then for every shopper, one after another on the shopper's own session: its
warm-up steps (a persona's journey), the home shelf (when planned), each category's page,
and the sampled product pages of each category. Shoppers run side by side
(`concurrency`), all under one rate limit (`rate`, requests per second).

One session per shopper: its category answers are measured after one another, so each
visit is also a tracking event that the next answer may reflect. Twins (the first
`stability_twins` personas, again on a fresh session) show how stable that is.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from fashionai.audit.model import (
    AUDIT_SESSION_PREFIX,
    MAX_CONCURRENCY,
    MAX_PASTED,
    MAX_PRODUCT_SAMPLE,
    MAX_SYNTHETIC,
    MAX_TWINS,
    PLACEMENTS,
    RATE_RANGE,
    Call,
    Purpose,
    Shopper,
)
from fashionai.audit.search_plan import checked_queries, search_steps, searches_from_json, searches_to_json
from fashionai.audit.shoppers import synthetic_personas
from fashionai.catalog import Catalog
from fashionai.domain import DEFAULT_K, K_RANGE, EventType
from fashionai.journeys.journey import Journey, journey_from_json, journey_to_json
from fashionai.journeys.personas import builtin_personas
from fashionai.relevance.judgments import Judgments
from fashionai.text.formatting import control_characters, visible

PLAN_FORMAT = "fashionai-audit-plan/1"
"""The `format` of a plan's JSON."""
MAX_PLAN_CHARS = 2_000_000
MAX_NAME = 120


class PlanError(ValueError):
    """A plan that cannot be used; the message says what is wrong in plain words."""


@dataclass(frozen=True)
class PastedShopper:
    """A shopper given by its ids: audited on its own session (no warm-up)."""

    session_id: str
    user_id: str | None = None

    def __post_init__(self) -> None:
        session = str(self.session_id or "").strip()
        if not session:
            raise PlanError("a pasted shopper needs a session id")
        user = str(self.user_id or "").strip() or None
        for what, value in (("session id", session), ("user id", user or "")):
            if bad := control_characters(value):
                raise PlanError(f"a pasted {what} cannot hold control characters; “{visible(value)[:80]}” "
                                f"holds {bad}")
        object.__setattr__(self, "session_id", session)
        object.__setattr__(self, "user_id", user)


@dataclass(frozen=True)
class AuditPlan:
    """What an audit asks. `categories` empty means every category of the catalog."""

    name: str
    categories: tuple[str, ...] = ()
    synthetic_personas: int = 20
    builtin_personas: bool = False
    journeys: tuple[Journey, ...] = ()
    sessions: tuple[PastedShopper, ...] = ()
    placements: tuple[str, ...] = (EventType.CATEGORY_VIEW,)
    product_sample: int = 3  # products per category, for productView
    k: int = DEFAULT_K
    stability_twins: int = 3
    rate: float = 10.0  # requests per second
    concurrency: int = 4
    seed: int = 0
    description: str = field(default="", compare=False)
    queries: tuple[str, ...] = ()  # each shopper searches each (audit.search_plan)
    judgments: Judgments | None = None  # grades the searches (relevance)

    def __post_init__(self) -> None:
        raw = str(self.name or "")
        if bad := control_characters(raw.replace("\t", " ").replace("\n", " ").replace("\r", " ")):
            shown = visible(" ".join(raw.split()))[:80]
            raise PlanError(f"a plan's name cannot hold control characters; “{shown}” holds {bad}")
        name = " ".join(raw.split())  # tabs and line breaks are spaces
        if not name:
            raise PlanError("a plan needs a name")
        if len(name) > MAX_NAME:
            raise PlanError(f"a plan's name holds at most {MAX_NAME} characters")
        object.__setattr__(self, "name", name)
        categories = tuple(dict.fromkeys(str(c).strip() for c in self.categories if str(c).strip()))
        object.__setattr__(self, "categories", categories)
        placements = tuple(dict.fromkeys(str(p) for p in self.placements))
        unknown = [p for p in placements if p not in PLACEMENTS]
        if unknown:
            raise PlanError(f"unknown placement {unknown[0]!r}; use {', '.join(PLACEMENTS)}")
        if EventType.CATEGORY_VIEW not in placements:
            placements = (EventType.CATEGORY_VIEW, *placements)
        object.__setattr__(self, "placements", tuple(p for p in PLACEMENTS if p in placements))
        _check_int("synthetic personas", self.synthetic_personas, 0, MAX_SYNTHETIC)
        _check_int("products sampled per category", self.product_sample, 0, MAX_PRODUCT_SAMPLE)
        _check_int("K", self.k, *K_RANGE)
        _check_int("stability twins", self.stability_twins, 0, MAX_TWINS)
        _check_int("calls at once", self.concurrency, 1, MAX_CONCURRENCY)
        _check_int("seed", self.seed, 0, 2**31 - 1)
        if isinstance(self.rate, bool) or not isinstance(self.rate, int | float) or not (
                RATE_RANGE[0] <= float(self.rate) <= RATE_RANGE[1]):
            raise PlanError(f"the rate is requests per second from {RATE_RANGE[0]:g} to {RATE_RANGE[1]:g}, "
                            f"not {self.rate!r}")
        object.__setattr__(self, "rate", float(self.rate))
        if not all(isinstance(j, Journey) for j in self.journeys):
            raise PlanError("every journey of a plan must be a Journey")
        object.__setattr__(self, "journeys", tuple(self.journeys))
        sessions = tuple(self.sessions)
        if len(sessions) > MAX_PASTED:
            raise PlanError(f"a plan holds at most {MAX_PASTED:,} pasted sessions, not {len(sessions):,}")
        if not all(isinstance(s, PastedShopper) for s in sessions):
            raise PlanError("every pasted shopper of a plan must be a PastedShopper")
        object.__setattr__(self, "sessions", sessions)
        try:
            object.__setattr__(self, "queries", checked_queries(self.queries))
        except ValueError as err:
            raise PlanError(str(err)) from err
        if not (self.synthetic_personas or self.builtin_personas or self.journeys or self.sessions):
            raise PlanError("a plan needs shoppers: synthetic personas, the built-in ones, journeys or sessions")


def _check_int(what: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PlanError(f"{what} must be a whole number from {low:,} to {high:,}, not {value!r}")


# --------------------------------------------------------------------------- JSON


def plan_to_json(plan: AuditPlan) -> str:
    """The plan as indented JSON (its journeys in the journey file's own form)."""
    return json.dumps({
        "format": PLAN_FORMAT,
        "name": plan.name,
        "description": plan.description,
        "categories": list(plan.categories),
        "shoppers": {
            "synthetic_personas": plan.synthetic_personas,
            "builtin_personas": plan.builtin_personas,
            "journeys": [json.loads(journey_to_json(j)) for j in plan.journeys],
            "sessions": [{"session_id": s.session_id, "user_id": s.user_id} for s in plan.sessions],
        },
        "placements": list(plan.placements),
        "product_sample": plan.product_sample,
        "k": plan.k,
        "stability_twins": plan.stability_twins,
        "rate_per_second": plan.rate,
        "concurrency": plan.concurrency,
        "seed": plan.seed,
        **searches_to_json(plan),
    }, indent=2, ensure_ascii=False)


def plan_from_json(text: str | bytes) -> AuditPlan:
    """A plan read from JSON; PlanError saying what is wrong (never a traceback's words)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise PlanError("the plan file is not UTF-8 text") from err
    if len(text) > MAX_PLAN_CHARS:
        raise PlanError(f"the plan file is larger than {MAX_PLAN_CHARS:,} characters")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise PlanError(f"the plan file is not JSON ({getattr(err, 'msg', 'too deeply nested')})") from err
    if not isinstance(data, dict):
        raise PlanError("the plan file must hold a JSON object")
    if data.get("format") not in (None, PLAN_FORMAT):
        raise PlanError(f"the plan file's format {str(data.get('format'))[:40]!r} is not {PLAN_FORMAT!r}")
    shoppers = data.get("shoppers", {})
    if not isinstance(shoppers, dict):
        raise PlanError("the plan's \"shoppers\" must be an object")
    try:
        journeys = tuple(journey_from_json(json.dumps(j)) for j in _list(shoppers, "journeys"))
    except ValueError as err:
        raise PlanError(f"a journey of the plan cannot be used: {err}") from err
    sessions = []
    for item in _list(shoppers, "sessions"):
        if not isinstance(item, dict):
            raise PlanError("each pasted session must be an object with a \"session_id\"")
        sessions.append(PastedShopper(_text(item.get("session_id")), _text(item.get("user_id")) or None))
    try:
        queries, judgments = searches_from_json(data)
    except ValueError as err:
        raise PlanError(str(err)) from err
    try:
        return AuditPlan(
            name=_text(data.get("name")),
            description=_text(data.get("description")),
            categories=tuple(_text(c) for c in _list(data, "categories")),
            synthetic_personas=shoppers.get("synthetic_personas", 0),
            builtin_personas=bool(shoppers.get("builtin_personas", False)),
            journeys=journeys,
            sessions=tuple(sessions),
            placements=tuple(_text(p) for p in _list(data, "placements")) or (EventType.CATEGORY_VIEW,),
            product_sample=data.get("product_sample", 3),
            k=data.get("k", DEFAULT_K),
            stability_twins=data.get("stability_twins", 3),
            rate=data.get("rate_per_second", 10.0),
            concurrency=data.get("concurrency", 4),
            seed=data.get("seed", 0), queries=queries, judgments=judgments,
        )
    except TypeError as err:
        raise PlanError(f"the plan file holds a value of the wrong kind ({err})") from err


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise PlanError(f"the plan's {key!r} must be a list")
    return value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PlanError(f"expected text in the plan file, not {type(value).__name__}")
    return str(value).strip()


def example_plan(catalog: Catalog) -> AuditPlan:
    """The plan `python -m fashionai audit plan --example` writes: every category, five personas."""
    return AuditPlan(
        name="Every category, five personas",
        description=f"Every category of {catalog.source_name or 'the catalog'}, five synthetic personas, "
                    f"K={DEFAULT_K}.",
        synthetic_personas=5, stability_twins=2, rate=20.0, concurrency=4,
    )


# --------------------------------------------------------------------------- resolving


@dataclass(frozen=True)
class ResolvedPlan:
    """A plan against a catalog, for one run: its categories, its shoppers, their calls (made on demand)."""

    plan: AuditPlan
    run_id: str
    categories: tuple[str, ...]
    shoppers: tuple[Shopper, ...]
    products: dict[str, tuple[str, ...]]  # the product pages sampled, by category
    missing_categories: tuple[str, ...] = ()  # planned but not in the catalog: left out

    def reference_calls(self) -> list[Call]:
        """The best sellers of every category, asked first (shopper -1)."""
        return [Call(-1, n, EventType.SALES_RANKING, c, Purpose.REFERENCE, c) for n, c in enumerate(self.categories)]

    def shopper_calls(self, shopper: Shopper) -> list[Call]:
        """The calls of one shopper, in the order they are sent on its session."""
        calls = [(step.event_type, step.id, Purpose.WARMUP, "") for step in shopper.warmup]
        placements = self.plan.placements
        if EventType.CUSTOM_SHELF in placements:
            calls.append((EventType.CUSTOM_SHELF, "", Purpose.MEASURE, ""))
        for category in self.categories:
            calls.append((EventType.CATEGORY_VIEW, category, Purpose.MEASURE, category))
        if EventType.PRODUCT_VIEW in placements:
            for category in self.categories:
                calls += [(EventType.PRODUCT_VIEW, pid, Purpose.MEASURE, category) for pid in self.products[category]]
        calls += search_steps(self.plan)
        return [Call(shopper.index, n, event, item, purpose, category)
                for n, (event, item, purpose, category) in enumerate(calls)]

    def calls_per_shopper(self, shopper: Shopper) -> int:
        extra = int(EventType.CUSTOM_SHELF in self.plan.placements)
        pages = sum(len(self.products[c]) for c in self.categories) if EventType.PRODUCT_VIEW in self.plan.placements else 0
        return len(shopper.warmup) + extra + len(self.categories) + pages + len(self.plan.queries)

    def all_calls(self) -> Iterator[Call]:
        yield from self.reference_calls()
        for shopper in self.shoppers:
            yield from self.shopper_calls(shopper)

    @property
    def total_calls(self) -> int:
        return len(self.categories) + sum(self.calls_per_shopper(s) for s in self.shoppers)


def synthetic_session(run_id: str, index: int) -> str:
    """The synthetic session of a run's `index`-th shopper: AUDIT_SESSION_PREFIX, the run, the shopper."""
    return f"{AUDIT_SESSION_PREFIX}{run_id[:12]}-{index:04d}"


def resolve_plan(plan: AuditPlan, catalog: Catalog, run_id: str) -> ResolvedPlan:
    """The plan against `catalog` for run `run_id`. PlanError when nothing of it can be asked."""
    categories, missing = plan_categories(plan, catalog)
    journeys = plan_journeys(plan, catalog)

    shoppers: list[Shopper] = []
    keys: set[str] = set()

    def add(key: str, label: str, **fields: Any) -> Shopper:  # Any: Shopper's other fields, each its own
        base, number = key, 2
        while key in keys:
            key, number = f"{base} ({number})", number + 1
        keys.add(key)
        shopper = Shopper(index=len(shoppers), key=key, label=label if key == base else f"{label} ({number - 1})",
                          **fields)
        shoppers.append(shopper)
        return shopper

    personas = []
    for kind, journey in journeys:
        personas.append(add(f"{kind}:{journey.name}", journey.name, session_id="", warmup=journey.steps))
    for pasted in plan.sessions:
        who = pasted.session_id + (f" · user {pasted.user_id}" if pasted.user_id else "")
        add(f"session:{pasted.session_id}|{pasted.user_id or ''}", who, session_id=pasted.session_id,
            user_id=pasted.user_id, synthetic_session=False)
    for persona in personas[:plan.stability_twins]:
        add(f"{persona.key}#twin", f"{persona.label} (twin)", session_id="", warmup=persona.warmup,
            twin_of=persona.key)
    shoppers = [replace(s, session_id=synthetic_session(run_id, s.index)) if s.synthetic_session else s
                for s in shoppers]

    rng = random.Random(plan.seed)
    products: dict[str, tuple[str, ...]] = {}
    for category in categories:
        ids = catalog.category_ids(category) if EventType.PRODUCT_VIEW in plan.placements else []
        products[category] = tuple(sorted(rng.sample(ids, min(plan.product_sample, len(ids))), key=ids.index)
                                   if ids else ())
    return ResolvedPlan(plan, run_id, categories, tuple(shoppers), products, missing)


def pasted_shoppers(text: str) -> tuple[PastedShopper, ...]:
    """Shoppers pasted one a line: "session" or "session, user" (tabs and semicolons work too)."""
    shoppers = []
    for line in str(text or "").splitlines():
        parts = [p.strip() for p in line.replace("\t", ",").replace(";", ",").split(",")]
        if parts and parts[0]:
            shoppers.append(PastedShopper(parts[0], parts[1] if len(parts) > 1 else None))
    return tuple(shoppers)


def plan_categories(plan: AuditPlan, catalog: Catalog) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The plan's categories in the catalog and those it lacks; PlanError when none is left."""
    known = [c for c in catalog.categories if isinstance(c, str) and c.strip()]
    if plan.categories:
        present = set(known)
        categories = tuple(c for c in plan.categories if c in present)
        missing = tuple(c for c in plan.categories if c not in present)
    else:
        categories, missing = tuple(known), ()
    if not categories:
        raise PlanError("none of the plan's categories is in the catalog in use"
                        if plan.categories else "the catalog in use has no categories to audit")
    return categories, missing


def plan_journeys(plan: AuditPlan, catalog: Catalog) -> list[tuple[str, Journey]]:
    """The plan's personas as (kind, journey): synthetic ones, the built-in ones, its own journeys."""
    journeys = [("persona", j) for j in synthetic_personas(catalog, plan.synthetic_personas, seed=plan.seed)]
    if plan.builtin_personas:
        journeys += [("builtin", j) for j in builtin_personas(catalog)]
    return journeys + [("journey", j) for j in plan.journeys]
