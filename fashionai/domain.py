"""The studio's vocabulary: each fact of the domain said once, imported everywhere else.

    EventType     what a recommendation call tells Fashion.AI (and the sales ranking's label)
    CALL_LABELS   each call by what the shopper sees (the API's names only in the request inspector)
    Backend       who answers: the live API or the built-in simulator; BACKEND_LABELS and
                  backend_label, the one way people read it (a stored "live" or "simulator" too)
    currency      DEFAULT_CURRENCY, the symbol prices are shown with unless FASHIONAI_CURRENCY says another
    LOW_STOCK_MAX stock at or below this (and above zero) is low
    lanes, K, p   the limits of a comparison and of a journey's chart; DEFAULT_K and DEFAULT_P
    SNAPSHOT_ID   how a saved answer is named
"""

from __future__ import annotations

import re
from enum import StrEnum


class EventType(StrEnum):
    """The events of Fashion.AI's recommendation endpoint, as sent in ``eventType``.

    Every one of them is also a tracking event: Fashion.AI records it as a visit of the
    session. The last three are not events of that endpoint but labels the history, the
    trail and the reports give the answers of its sibling calls: ``SALES_RANKING`` (best
    sellers, a GET), ``SIMILAR`` (similar products, a POST the server may record) and
    ``COLLECTION`` (a merchandising collection's active slice, a GET), ``SEARCH`` (the site search, a POST
    that is part of the session's behaviour) and ``DETAILED_SEARCH`` (the detailed search for WhatsApp, a POST).
    """

    CATEGORY_VIEW = "categoryView"
    PRODUCT_VIEW = "productView"
    SHOP_THE_LOOK = "shopTheLook"
    CUSTOM_SHELF = "customShelf"
    SALES_RANKING = "salesRanking"
    SIMILAR = "similar"
    COLLECTION = "collection"
    SEARCH = "search"
    DETAILED_SEARCH = "detailedSearch"


CALL_LABELS = {
    EventType.CATEGORY_VIEW: "Category page",
    EventType.PRODUCT_VIEW: "Product page",
    EventType.SHOP_THE_LOOK: "Shop the look",
    EventType.CUSTOM_SHELF: "Home shelf",
    EventType.SALES_RANKING: "Best sellers",
    EventType.SIMILAR: "Similar products",
    EventType.COLLECTION: "Collection",
    EventType.SEARCH: "Search",
    EventType.DETAILED_SEARCH: "WhatsApp search",
}
"""Each call by what the shopper sees: the words of pages, tables and handouts (the API's own names, such as
``customShelf``, belong to the request inspector only)."""


def call_label(event: str) -> str:
    """What the shopper sees of a call (`CALL_LABELS`); an event this studio does not know, as it is."""
    return CALL_LABELS.get(event, str(event))  # type: ignore[call-overload]


TRACKING_EVENTS = (EventType.CATEGORY_VIEW, EventType.PRODUCT_VIEW, EventType.SHOP_THE_LOOK, EventType.CUSTOM_SHELF)
"""The events the recommendation endpoint takes (every one recorded as a visit), in a shopper's order."""


class Backend(StrEnum):
    """Who answers the studio's calls."""

    LIVE = "live"
    SIMULATOR = "simulator"


BACKEND_LABELS = {Backend.LIVE: "Live Fashion.AI API", Backend.SIMULATOR: "Built-in simulator"}
"""Who answered, as people read it: the sidebar's badge, the history, audits, decks, reports and the CLI."""


def backend_label(backend: object) -> str:
    """`backend` (a Backend, or the text a database stored: "live", "simulator") as people read it.

    A stored value that is no Backend is shown as it was stored.
    """
    try:
        return BACKEND_LABELS[Backend(str(backend))]
    except ValueError:
        return str(backend)


DEFAULT_CURRENCY = "R$"
"""The symbol prices are shown with unless the deployment sets another (FASHIONAI_CURRENCY)."""

LOW_STOCK_MAX = 3
"""Stock at or below this (and above zero) is low: shown as such and counted apart from "in stock"."""

MIN_LANES, MAX_LANES = 2, 8
"""How many lanes a comparison holds."""
DEFAULT_K, K_RANGE = 10, (1, 50)
"""The top K a comparison measures, and the range a page or a link may choose."""
DEFAULT_P, P_RANGE = 0.9, (0.5, 0.99)
"""Rank-biased overlap's persistence p (how much the top weighs), and its range."""
JOURNEY_K_RANGE = (3, 30)
"""The top K a journey's drift chart follows."""
MAX_STEPS = 20
"""A journey's longest length: each step is two tracking events (a journey's link names two saved answers a step)."""

SNAPSHOT_ID = re.compile(r"^[0-9a-f]{32}$")
"""A saved answer's id (the client's exchange id): 32 lowercase hex digits."""
