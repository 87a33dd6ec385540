"""The recommendation filters a team set in Fashion.AI's dashboard, as data (they cannot be read through the API).

    filters = DashboardFilters(min_price=50, max_price=300, discount=Discount.FULL_PRICE_ONLY, low_stock_limit=5)
    settings = FilterSettings({EventType.CATEGORY_VIEW: filters})
    settings.for_event("categoryView")        # that type's filters; None when none is set for it
    FilterSettings.from_json(settings.to_json())

The dashboard sets them per recommendation type (`FILTERED_EVENTS`): full size run, discount (all / only
discounted / only full price), price range, low stock (products with stock at or below a limit are not
recommended).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fashionai.domain import EventType

__all__ = ["FILTERED_EVENTS", "MAX_LOW_STOCK_LIMIT", "DashboardFilters", "Discount", "FilterSettings",
           "FiltersError"]

FILTERED_EVENTS = (EventType.CATEGORY_VIEW, EventType.PRODUCT_VIEW, EventType.CUSTOM_SHELF, EventType.SHOP_THE_LOOK,
                   EventType.SIMILAR, EventType.SEARCH)
"""The recommendation types the vendor's dashboard filters (best sellers, collections and the WhatsApp search are
not recommendations it filters)."""
MAX_LOW_STOCK_LIMIT = 1_000_000
"""The largest low-stock limit a team may record."""


class FiltersError(ValueError):
    """Filters that cannot be kept (a price range upside down, a negative limit): the message says what to fix."""


class Discount(StrEnum):
    """The dashboard's discount filter."""

    ALL = "all"
    DISCOUNTED_ONLY = "discounted"
    FULL_PRICE_ONLY = "full_price"


DISCOUNT_WORDS = {Discount.ALL: "all products", Discount.DISCOUNTED_ONLY: "only discounted products",
                  Discount.FULL_PRICE_ONLY: "only full-price products"}


def _amount(value: Any, what: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        amount = float(value)
    except (TypeError, ValueError) as err:
        raise FiltersError(f"The {what} must be a number, not {value!r}.") from err
    if not math.isfinite(amount) or amount < 0:
        raise FiltersError(f"The {what} must be a number of 0 or more, not {value!r}.")
    return amount


@dataclass(frozen=True)
class DashboardFilters:
    """One recommendation type's filters; None (or ALL, or False) for a filter not set."""

    min_price: float | None = None
    max_price: float | None = None
    discount: Discount = Discount.ALL
    low_stock_limit: int | None = None  # stock at or below it is not recommended
    full_size_run: bool = False  # only products with every size in stock

    def __post_init__(self) -> None:
        object.__setattr__(self, "min_price", _amount(self.min_price, "least price"))
        object.__setattr__(self, "max_price", _amount(self.max_price, "highest price"))
        if self.min_price is not None and self.max_price is not None and self.min_price > self.max_price:
            raise FiltersError(f"The price range is upside down: the least price ({self.min_price:g}) is above the "
                               f"highest ({self.max_price:g}). Swap them.")
        try:
            object.__setattr__(self, "discount", Discount(self.discount))
        except ValueError as err:
            raise FiltersError(f"The discount filter is one of {', '.join(d.value for d in Discount)}, "
                               f"not {self.discount!r}.") from err
        limit = self.low_stock_limit
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int | float) or limit != int(limit):
                raise FiltersError(f"The low-stock limit must be a whole number, not {limit!r}.")
            if not 0 <= limit <= MAX_LOW_STOCK_LIMIT:
                raise FiltersError(f"The low-stock limit must be from 0 to {MAX_LOW_STOCK_LIMIT:,}, not {limit!r}.")
            object.__setattr__(self, "low_stock_limit", int(limit))
        object.__setattr__(self, "full_size_run", bool(self.full_size_run))

    @property
    def is_set(self) -> bool:
        """Whether any filter is set."""
        return (self.min_price is not None or self.max_price is not None or self.discount != Discount.ALL
                or self.low_stock_limit is not None or self.full_size_run)

    def to_json(self) -> dict[str, Any]:
        return {"min_price": self.min_price, "max_price": self.max_price, "discount": self.discount.value,
                "low_stock_limit": self.low_stock_limit, "full_size_run": self.full_size_run}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DashboardFilters:
        if not isinstance(data, Mapping):
            raise FiltersError(f"A type's filters are an object, not {type(data).__name__}.")
        return cls(min_price=data.get("min_price"), max_price=data.get("max_price"),
                   discount=data.get("discount") or Discount.ALL, low_stock_limit=data.get("low_stock_limit"),
                   full_size_run=bool(data.get("full_size_run", False)))


@dataclass(frozen=True)
class FilterSettings:
    """The team's filters, per recommendation type (only types with a filter set are kept)."""

    by_event: Mapping[str, DashboardFilters] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = [event for event in self.by_event if event not in FILTERED_EVENTS]
        if unknown:
            raise FiltersError(f"The dashboard filters no recommendation type called {', '.join(unknown)}.")
        object.__setattr__(self, "by_event", {EventType(event): filters for event, filters in self.by_event.items()
                                              if filters.is_set})

    def for_event(self, event: object) -> DashboardFilters | None:
        """The filters set for `event` (a call's event type); None when none is set for it."""
        return self.by_event.get(str(event))

    def __bool__(self) -> bool:
        return bool(self.by_event)

    def to_json(self) -> dict[str, Any]:
        return {str(event): filters.to_json() for event, filters in self.by_event.items()}

    @classmethod
    def from_json(cls, data: Any) -> FilterSettings:
        if not isinstance(data, Mapping):
            raise FiltersError("The dashboard filters are an object of recommendation types.")
        return cls({str(event): DashboardFilters.from_json(filters) for event, filters in data.items()})
