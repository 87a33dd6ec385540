"""The stock rule, said once: what a product's stock figure means, for every surface that decides by stock
(the storefront's badges and its "hide out of stock" filter, the look button and its pieces, a collection's
marks, exports, the catalog's health and its report, the audit's out-of-stock measure, personas' choices).

    in        a known stock above LOW_STOCK_MAX (any stock above zero when stock is yes/no: no quantities)
    low       a known stock of 1 to LOW_STOCK_MAX (quantities only)
    out       a known stock of 0 or less (the loader keeps negative stock: it counts as none)
    unknown   no stock figure: blank, unreadable, beyond MAX_STOCK either way, or no stock column

    stock_state(value, kind)    one figure's state (a badge)
    stock_states(stock, kind)   a column's states; stock_counts(stock, kind): how many of each (the health)
    in_stock(stock)             True above zero, False at zero or below, NA when unknown (join_ranking's column)
    known_out(stock)            out, never unknown: what is flagged (collection marks, the audit's measure)
                                and what shoppers avoid (personas)
    at_or_below(stock, limit)   True at or below a limit, NA when unknown (the dashboard's low-stock filter)
    sellable(in_stock, unknown_in_stock=...)   what counts as in stock where a verdict hides or shows a
                                product; unknown stock only with the setting "Treat unknown stock as in stock"
                                (UNKNOWN_IN_STOCK_DEFAULT: off)

Yes/no stock is read by the loader as 1 (yes) and 0 (no), so it follows the same rule, without a low state.
The simulator's own rule is deliberately different (`fashionai.simulator.affinity.simulated_available`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import numpy as np
import pandas as pd

from fashionai.catalog._values import MAX_STOCK
from fashionai.domain import LOW_STOCK_MAX

__all__ = [
    "LOW_STOCK_MAX",
    "MAX_STOCK",
    "UNKNOWN_IN_STOCK_DEFAULT",
    "StockState",
    "at_or_below",
    "in_stock",
    "known_out",
    "sellable",
    "stock_counts",
    "stock_state",
    "stock_states",
]

UNKNOWN_IN_STOCK_DEFAULT = False
"""The setting "Treat unknown stock as in stock" until a person turns it on: unknown stock is not sold."""


class StockState(StrEnum):
    """A product's stock, in one of four states; the values are `CatalogHealth.stock`'s keys."""

    IN = "in_stock"
    LOW = "low"
    OUT = "out"
    UNKNOWN = "unknown"


Figures = Iterable[object]
"""Stock figures as a catalog holds them: a column (a Series), an array or a list; each a number, text, None or NA."""


def _numbers(stock: Figures) -> np.ndarray:
    """Stock figures as float64, NaN where unknown (missing, not a number, or beyond MAX_STOCK either way)."""
    values = pd.to_numeric(pd.Series(stock, dtype=None if hasattr(stock, "dtype") else "object"), errors="coerce")
    numbers = np.array(values.to_numpy(dtype=np.float64, na_value=np.nan))
    numbers[np.abs(numbers) > MAX_STOCK] = np.nan
    return numbers


_STATES = tuple(StockState)
_CODES = {state: code for code, state in enumerate(_STATES)}


def _codes(stock: Figures, kind: str) -> np.ndarray:
    """Each figure's state as its position in `StockState` (int8): the rule itself, done once per call."""
    numbers = _numbers(stock)
    codes = np.full(len(numbers), _CODES[StockState.IN], dtype=np.int8)
    with np.errstate(invalid="ignore"):
        if kind == "quantity":
            codes[numbers <= LOW_STOCK_MAX] = _CODES[StockState.LOW]
        codes[numbers <= 0] = _CODES[StockState.OUT]
    codes[np.isnan(numbers)] = _CODES[StockState.UNKNOWN]
    return codes


def stock_states(stock: Figures, kind: str = "quantity") -> np.ndarray:
    """Each figure's `StockState` value (an object array, in order). `kind` is `Catalog.stock_kind`: only
    quantities have a low state."""
    return np.array([state.value for state in _STATES], dtype=object)[_codes(stock, kind)]


def stock_state(value: object, kind: str = "quantity") -> StockState:
    """One stock figure's state (anything: a number, None, NA, text that is not a number is unknown)."""
    return _STATES[_codes([value], kind)[0]]


def stock_counts(stock: Figures, kind: str = "quantity") -> dict[str, int]:
    """How many figures are in each state, keyed by `StockState` value in its order (they add up to all)."""
    counts = np.bincount(_codes(stock, kind), minlength=len(_STATES))
    return {state.value: int(count) for state, count in zip(_STATES, counts, strict=True)}


def in_stock(stock: Figures) -> pd.arrays.BooleanArray:
    """True where the stock is above zero, False at zero or below, NA where unknown (low stock is in stock)."""
    numbers = _numbers(stock)
    with np.errstate(invalid="ignore"):
        return pd.arrays.BooleanArray(numbers > 0, np.isnan(numbers))


def known_out(stock: Figures) -> np.ndarray:
    """Where the stock is known to be 0 or less: out of stock, never unknown (a plain bool array)."""
    return _codes(stock, "quantity") == _CODES[StockState.OUT]


def at_or_below(stock: Figures, limit: int) -> pd.arrays.BooleanArray:
    """True where the stock is known and at or below `limit` (0 or less included), False above it, NA where
    unknown: the dashboard's low-stock filter ("products with stock at or below a limit are not recommended")."""
    numbers = _numbers(stock)
    with np.errstate(invalid="ignore"):
        return pd.arrays.BooleanArray(numbers <= limit, np.isnan(numbers))


def sellable(in_stock: pd.Series, *, unknown_in_stock: bool) -> pd.Series:
    """Which products count as in stock, wherever stock decides a verdict (hiding out-of-stock products, the
    "shop the look" button and the pieces it shows): `in_stock` is join_ranking's (True, False, or NA for
    unknown stock); unknown stock counts as in stock only with `unknown_in_stock` (the setting "Treat unknown
    stock as in stock", off by default: UNKNOWN_IN_STOCK_DEFAULT). A plain bool Series on `in_stock`'s index."""
    return in_stock.astype("boolean").fillna(unknown_in_stock).astype(bool)
