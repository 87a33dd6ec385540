"""The vendor's calls, declared once: one row a call, read by everything that speaks of one.

    ENDPOINTS["similar"]              # Endpoint("similar", "POST", "/products/protected/similar", ...)
    endpoint_of_event("salesRanking") # the sales ranking's row
    sends_body("collection")          # False: a GET
    snapshot_view("categoryView")     # "storefront"

The client (`client.py`) sends each call by its row (method, path, whether it may be sent
again once it may have arrived); `models.py`, `collections.py` and `profiles.py` name their
paths from here; the previews rebuild a saved request by it (`storefront/preview.py`); the history opens a
snapshot by its `snapshot_view` (`history/view.py`, `ui/history_widgets.py`); the simulator
routes a request by it (`simulator/wire.py`, `simulator/engine.py`: one handler a row).

A new call is a row here, its reader (in `api/_answers.py` or beside its answer's type), its
client method and its simulator handler; a test checks every row is routed and known to the client.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from fashionai.domain import TRACKING_EVENTS, EventType

__all__ = ["ENDPOINTS", "Endpoint", "endpoint_of_event", "sends_body", "snapshot_view"]


@dataclass(frozen=True)
class Endpoint:
    """One call of Fashion.AI's API."""

    name: str  # the route's name: the simulator's handler and the client's row
    method: str  # "GET" or "POST"
    path: str  # its template below the base URL; "{name}" marks one percent-encoded path segment
    events: tuple[str, ...]  # the event types its calls and snapshots carry (none: never saved)
    tracking: bool  # recorded by Fashion.AI as a visit of the session (an ``eventType`` of the body)
    idempotent: bool  # may be sent again after it may have arrived (retried like a GET)
    answer: str  # how its answer is read: "products" (ranked ids), "slice" (a collection's), "profile", "search"
    #              (a page of ids with totals), "detailed" (products with their details)
    opens: Mapping[str, str] = field(default_factory=dict)  # how a saved answer opens, by event (else "products")
    below_host: bool = False  # its path is below the host's /v1, not the base's /api/v1 (the detailed search)

    @property
    def params(self) -> tuple[str, ...]:
        """The names of its path parameters, in order."""
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{") and part.endswith("}"))

    @property
    def prefix(self) -> str:
        """The fixed part of its path, before its first parameter (the whole path when it has none)."""
        return self.path.split("{", 1)[0]


ENDPOINTS: Mapping[str, Endpoint] = MappingProxyType({row.name: row for row in (
    Endpoint("recommendation", "POST", "/products/protected/recommendation", TRACKING_EVENTS,
             tracking=True, idempotent=False, answer="products",
             opens={EventType.CATEGORY_VIEW: "storefront", EventType.SHOP_THE_LOOK: "look"}),
    # Fashion.AI may record it as a visit, so it is never sent again once it may have arrived.
    Endpoint("similar", "POST", "/products/protected/similar", (EventType.SIMILAR,),
             tracking=False, idempotent=False, answer="products"),
    Endpoint("sales-ranking", "GET", "/products/protected/sales-ranking", (EventType.SALES_RANKING,),
             tracking=False, idempotent=True, answer="products"),
    # Its 404 (no active slice) is an answer, saved and opened as "none active then".
    Endpoint("collection", "GET", "/merchandising-collections/protected/{collection_id}", (EventType.COLLECTION,),
             tracking=False, idempotent=True, answer="slice", opens={EventType.COLLECTION: "slice"}),
    # Never observed, so never saved: no event.
    Endpoint("profile", "GET", "/crm/protected/profile/{kind}/{value}", (),
             tracking=False, idempotent=True, answer="profile"),
    # Part of the session's behaviour (the vendor: "session tracking"): never sent again once it may have arrived.
    Endpoint("search", "POST", "/products/protected/search", (EventType.SEARCH,),
             tracking=False, idempotent=False, answer="search", opens={EventType.SEARCH: "search"}),
    # The docs write its path without /api (`below_host`); on an error it answers {"products": []}.
    Endpoint("detailed-search", "POST", "/products/protected/search/detailed", (EventType.DETAILED_SEARCH,),
             tracking=False, idempotent=False, answer="detailed", below_host=True),
)})
"""Every call, in the simulator's routing order."""

_BY_EVENT = MappingProxyType({event: row for row in ENDPOINTS.values() for event in row.events})


def endpoint_of_event(event_type: str) -> Endpoint | None:
    """The call whose answers carry `event_type` (a snapshot's, a record's); None for one this studio does not know."""
    return _BY_EVENT.get(event_type)


def sends_body(event_type: str) -> bool:
    """Whether a call of `event_type` sends a JSON body (a POST); an unknown event is taken as an event (a POST)."""
    row = endpoint_of_event(event_type)
    return row is None or row.method != "GET"


def snapshot_view(event_type: str) -> str:
    """How a saved answer of `event_type` opens: "storefront", "look", "slice" (a collection's, or none active
    then) or "products" (its ranked products; also any event this studio does not know)."""
    row = endpoint_of_event(event_type)
    return "products" if row is None else row.opens.get(event_type, "products")
