"""The dashboard's filters checked against what Fashion.AI answered: each shown product's breaches, in words.

    check = check_filters(catalog, "categoryView", ["0042", "0007"], settings)
    check.reasons("0042")     # ("at or below the low-stock limit (3 ≤ 5)", "price R$ 320,00 outside ...")
    check.cannot_check        # ("no sale price column: the discount filter cannot be checked", ...)
    check.share               # the share of the checked products that break a filter

Stock is read by the one stock rule (`catalog.stock`: unknown stock is never a breach, it is counted as not
checked), prices are written by `text.formatting`. What the catalog cannot support is said, not guessed:
no stock column (or stock as yes/no), no sale price column, no stock per size (a stock-per-size extra file).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fashionai.catalog import Catalog
from fashionai.catalog.sizes import SIZE_STOCK, sizes_of
from fashionai.catalog.stock import at_or_below, known_out
from fashionai.domain import DEFAULT_CURRENCY, call_label
from fashionai.filters.model import DashboardFilters, Discount, FilterSettings
from fashionai.text.formatting import format_price, plural

__all__ = ["BADGE", "FilterCheck", "check_filters", "price_range_words"]

BADGE = "breaks a dashboard filter"
"""The words a product's mark says on a card (its reasons beside it)."""


@dataclass(frozen=True)
class FilterCheck:
    """What a list of shown products makes of one recommendation type's filters."""

    event: str
    filters: DashboardFilters | None  # None: no filter is set for this type
    breaches: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> its breaches, in words
    cannot_check: tuple[str, ...] = ()  # filters the catalog cannot support, in words
    notes: tuple[str, ...] = ()  # products a filter could not be checked for (unknown stock, no price), in words
    checked: int = 0  # distinct shown products the catalog has

    def reasons(self, product_id: str) -> tuple[str, ...]:
        """The product's breaches in words (empty when it breaks none, or nothing could be checked)."""
        return self.breaches.get(str(product_id), ())

    @property
    def breaking(self) -> int:
        return len(self.breaches)

    @property
    def measurable(self) -> bool:
        """Whether any filter set for this type could be checked on this catalog."""
        return self.filters is not None and self.checked > 0 and len(self.cannot_check) < _filters_set(self.filters)

    @property
    def share(self) -> float | None:
        """The share of the checked products that break a filter; None when nothing could be checked."""
        return self.breaking / self.checked if self.measurable else None

    def sentences(self) -> list[str]:
        """The check in plain words, for a page's caption."""
        call = call_label(self.event)
        if self.filters is None:
            return [f"No dashboard filter is recorded for {call}."]
        said = [f"{plural(self.breaking, 'product breaks', 'products break')} a dashboard filter set for {call} "
                f"(of {plural(self.checked, 'product')} checked)." if self.measurable else
                f"The dashboard filters set for {call} could not be checked on this catalog."]
        return said + [f"{sentence[0].upper()}{sentence[1:]}." for sentence in (*self.cannot_check, *self.notes)]


def _filters_set(filters: DashboardFilters) -> int:
    return sum((filters.min_price is not None or filters.max_price is not None,
                filters.discount != Discount.ALL, filters.low_stock_limit is not None, filters.full_size_run))


def price_range_words(filters: DashboardFilters, currency: str = DEFAULT_CURRENCY) -> str:
    """The price range in words: "R$ 50,00–R$ 300,00", "R$ 50,00 or more", "up to R$ 300,00"."""
    low, high = filters.min_price, filters.max_price
    if low is not None and high is not None:
        return f"{format_price(low, currency)}–{format_price(high, currency)}"
    if low is not None:
        return f"{format_price(low, currency)} or more"
    return f"up to {format_price(high, currency)}" if high is not None else "any price"


def check_filters(catalog: Catalog, event: object, product_ids: Sequence[str],
                  settings: FilterSettings | DashboardFilters | None, *,
                  currency: str = DEFAULT_CURRENCY) -> FilterCheck:
    """Each of `product_ids` (ranked ids of one call of `event`) checked against the filters set for `event`."""
    filters = settings.for_event(event) if isinstance(settings, FilterSettings) else settings
    event = str(event)
    if filters is None or not filters.is_set:
        return FilterCheck(event, None)
    ids = list(dict.fromkeys(str(pid) for pid in product_ids))
    positions = catalog.positions(ids) if ids else np.empty(0, dtype=np.int64)
    known = [pid for pid, pos in zip(ids, positions, strict=True) if pos >= 0]
    rows = catalog.products.iloc[positions[positions >= 0]]
    found: dict[str, list[str]] = {pid: [] for pid in known}
    cannot: list[str] = []
    notes: list[str] = []
    if filters.low_stock_limit is not None:
        _low_stock(catalog, rows, filters.low_stock_limit, found, cannot, notes)
    if filters.min_price is not None or filters.max_price is not None:
        _price_range(rows, filters, currency, found, notes)
    if filters.discount != Discount.ALL:
        _discount(rows, filters.discount, currency, found, cannot, notes)
    if filters.full_size_run:
        _size_run(rows, found, cannot, notes)
    return FilterCheck(event, filters, {pid: tuple(said) for pid, said in found.items() if said},
                       tuple(cannot), tuple(notes), len(known))


def _not_checked(count: int, why: str, what: str) -> str:
    return (f"{plural(count, 'product has', 'products have')} {why}: the {what} was not checked for "
            f"{'it' if count == 1 else 'them'}")


def _low_stock(catalog: Catalog, rows: pd.DataFrame, limit: int, found: dict[str, list[str]],
               cannot: list[str], notes: list[str]) -> None:
    if catalog.stock_kind == "missing":
        cannot.append("no stock column: the low-stock filter cannot be checked")
        return
    if catalog.stock_kind == "yes/no":
        cannot.append("the stock says only yes or no, not how many: the low-stock filter cannot be checked")
        return
    low = at_or_below(rows["stock"], limit)
    for pid, stock, is_low in zip(rows.index, rows["stock"], low.fillna(False).to_numpy(dtype=bool), strict=True):
        if is_low:
            found[pid].append(f"at or below the low-stock limit ({int(stock)} ≤ {limit})")
    if (unknown := int(low.isna().sum())):
        notes.append(_not_checked(unknown, "unknown stock", "low-stock filter"))


def _price_range(rows: pd.DataFrame, filters: DashboardFilters, currency: str, found: dict[str, list[str]],
                 notes: list[str]) -> None:
    low = -np.inf if filters.min_price is None else filters.min_price
    high = np.inf if filters.max_price is None else filters.max_price
    missing = 0
    for pid, price in zip(rows.index, rows["price"], strict=True):
        if pd.isna(price):
            missing += 1
        elif not low <= float(price) <= high:
            found[pid].append(f"price {format_price(price, currency)} outside {price_range_words(filters, currency)}")
    if missing:
        notes.append(_not_checked(missing, "no price", "price range"))


def _discount(rows: pd.DataFrame, rule: Discount, currency: str, found: dict[str, list[str]], cannot: list[str],
              notes: list[str]) -> None:
    if "sale_price" not in rows.columns:
        cannot.append("no sale price column: the discount filter cannot be checked")
        return
    missing = 0
    for pid, price, sale in zip(rows.index, rows["price"], rows["sale_price"], strict=True):
        if pd.isna(price):
            missing += 1
            continue
        discounted = not pd.isna(sale) and float(sale) < float(price)
        if discounted and rule == Discount.FULL_PRICE_ONLY:
            found[pid].append(f"discounted ({format_price(sale, currency)}, was {format_price(price, currency)}), "
                              "but only full price is allowed")
        elif not discounted and rule == Discount.DISCOUNTED_ONLY:
            found[pid].append(f"full price ({format_price(price, currency)}), but only discounted products are "
                              "allowed")
    if missing:
        notes.append(_not_checked(missing, "no price", "discount filter"))


def _size_run(rows: pd.DataFrame, found: dict[str, list[str]], cannot: list[str], notes: list[str]) -> None:
    if SIZE_STOCK not in rows.columns:
        cannot.append("no stock per size (add a stock-per-size extra file): the size-run filter cannot be checked")
        return
    missing = 0
    for pid, value in zip(rows.index, rows[SIZE_STOCK], strict=True):
        sizes = sizes_of(value)
        if sizes is None:
            missing += 1
            continue
        out = [size for size, is_out in zip(sizes, known_out(list(sizes.values())), strict=True) if is_out]
        if out:
            found[pid].append(f"size run not full: {', '.join(out)} out of stock")
    if missing:
        notes.append(_not_checked(missing, "no stock per size", "size-run filter"))
