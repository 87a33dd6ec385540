"""A collection over time, from the history's saved answers (no call): which slice was seen live when, the gaps
(the API's 404: no slice live), and the days a slice was live with a share of out-of-stock products over a limit.

    timeline = collection_timeline("4", snapshots, catalog, limit=0.2)   # snapshots: the history's, any order
    timeline.days        # day, slice, state (live / over the limit / not live), answers, out_of_stock_share
    timeline.slices      # slice, products, first_seen, last_seen, days_live, days_over, out_of_stock_share
    timeline.gaps        # each run of 404s: from, to, answers
    timeline.sentence    # what it comes to, in words (an empty history said too)

What the history holds decides what can be said (said on screen, never guessed):

- A saved collection answer keeps its products in position order and its status, not the slice's id, name or
  which products were inactive. A slice is told apart by its products: answers listing the same products in
  the same order are one slice ("Slice 1", "Slice 2", numbered as first seen). A slice edited in the builder
  reads as a new one.
- Out of stock is decided by the ONE stock rule (`fashionai.catalog.stock.known_out`, as the Collections tab
  marks a product) on the catalog in use, today's stock: the history keeps no stock. Products not in the
  catalog, and unknown stock, are not out of stock. The share is of the slice's listings (repeats counted).
- Inactive products are not in a saved answer, so they cannot be counted here (`INACTIVE_NOTE`).
- A failed call (timeout, 5xx) says nothing about the slice: it is left out and counted (`failed`).

Days are UTC days. A slice is "over the limit" on a day it was seen live when its out-of-stock share is above
`limit` (a share from 0 to 1); a day with a 404 has a "not live" row, beside any slice seen live that same day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from fashionai.api.collections import NO_ACTIVE_SLICE
from fashionai.catalog import Catalog, join_ranking
from fashionai.domain import EventType
from fashionai.history import Snapshot
from fashionai.storefront.collection import out_of_stock_listings
from fashionai.text.formatting import plural

__all__ = ["DEFAULT_LIMIT", "INACTIVE_NOTE", "LIVE", "NOT_LIVE", "NOT_LIVE_ROW", "OVER", "STATES",
           "CollectionTimeline", "Gap", "collection_timeline"]

LIVE, OVER, NOT_LIVE = "live", "over the limit", "not live"
STATES = (LIVE, OVER, NOT_LIVE)
"""A day's state for a slice, in the order the chart's legend says them."""
NOT_LIVE_ROW = "No slice live (404)"
"""The timeline's row for the days Fashion.AI answered that no slice was live."""
DEFAULT_LIMIT = 0.2
"""The out-of-stock share above which a live day is flagged, unless the user sets another."""
INACTIVE_NOTE = ("Inactive products cannot be counted over time: a saved answer keeps a slice's products, not "
                 "which of them were inactive. Stock is the catalog's in use today: the history keeps no stock.")

_DAY_COLUMNS = {"day": "datetime64[us]", "slice": "str", "state": "str", "answers": "int64",
                "out_of_stock_share": "float64"}
_SLICE_COLUMNS = {"slice": "str", "products": "int64", "first_seen": "datetime64[us, UTC]",
                  "last_seen": "datetime64[us, UTC]", "days_live": "int64", "days_over": "int64",
                  "out_of_stock_share": "float64"}


@dataclass(frozen=True)
class Gap:
    """A run of answers in a row (in time) saying no slice was live: the first and last of them, how many."""

    first: datetime
    last: datetime
    answers: int


@dataclass(frozen=True)
class CollectionTimeline:
    """A collection's saved answers laid out by day (see the module's docstring for the frames' columns)."""

    collection_id: str
    limit: float
    days: pd.DataFrame
    slices: pd.DataFrame
    gaps: tuple[Gap, ...]
    failed: int

    @property
    def empty(self) -> bool:
        """No answer saved for this collection (failures aside)."""
        return self.days.empty

    @property
    def sentence(self) -> str:
        """The timeline in one or two plain sentences, an empty history included."""
        if self.empty:
            failed = (f" ({plural(self.failed, 'call')} to it failed and say nothing about its slices)"
                      if self.failed else "")
            return (f"The history holds no answer for collection {self.collection_id}{failed}. Fetch its active "
                    "slice on the Catalog page's Collections tab (every answer is saved), and again on later "
                    "days, to see it over time.")
        days = self.days["day"].nunique()
        words = (f"Collection {self.collection_id}: {plural(len(self.slices), 'slice')} seen live over "
                 f"{plural(days, 'day')} with answers saved")
        words += f", {plural(len(self.gaps), 'gap')} with no slice live" if self.gaps else ", never without a live slice"
        over = self.slices[self.slices["days_over"] > 0]
        if len(over):
            words += (f"; {plural(len(over), 'slice')} over the limit of {self.limit:.0%} out of stock on "
                      f"{plural(int(over['days_over'].sum()), 'day')}")
        else:
            words += f"; no slice over the limit of {self.limit:.0%} out of stock"
        if self.failed:
            words += f" ({plural(self.failed, 'failed call')} left out)"
        return words + "."


def _share(catalog: Catalog, products: tuple[str, ...]) -> float:
    """The share of `products` (listings, repeats counted) out of stock by the stock rule; 0 for none listed."""
    if not products:
        return 0.0
    return float(out_of_stock_listings(join_ranking(catalog, products)).mean())


def collection_timeline(collection_id: str, snapshots: Iterable[Snapshot], catalog: Catalog, *,
                        limit: float = DEFAULT_LIMIT) -> CollectionTimeline:
    """The timeline of `collection_id` from `snapshots` (the history's, in any order; other calls and other
    collections are left out), its shares from `catalog`. `limit` is a share from 0 to 1 (ValueError outside)."""
    if not 0 <= limit <= 1 or limit != limit:
        raise ValueError("the limit is a share of the slice's products, from 0% to 100%")
    wanted = str(collection_id)
    mine = sorted((s for s in snapshots if s.event_type == EventType.COLLECTION and s.item_id == wanted),
                  key=lambda s: (s.recorded_at, s.id))
    answered = [s for s in mine if s.ok]
    labels: dict[tuple[str, ...], str] = {}
    shares: dict[tuple[str, ...], float] = {}
    seen: list[tuple[datetime, str | None]] = []  # (when, slice label or None for a 404)
    for snapshot in answered:
        if snapshot.status_code == NO_ACTIVE_SLICE:
            seen.append((snapshot.recorded_at, None))
            continue
        key = snapshot.products
        if key not in labels:
            labels[key] = f"Slice {len(labels) + 1} ({plural(len(key), 'product')})"
            shares[key] = _share(catalog, key)
        seen.append((snapshot.recorded_at, labels[key]))
    share_of = {labels[key]: shares[key] for key in labels}
    days = _days(seen, share_of, limit)
    return CollectionTimeline(wanted, limit, days, _slices(seen, labels, share_of, days), _gaps(seen),
                              failed=len(mine) - len(answered))


def _days(seen: list[tuple[datetime, str | None]], share_of: dict[str, float], limit: float) -> pd.DataFrame:
    counts: dict[tuple[date, str], int] = {}
    for when, label in seen:
        row = (when.date(), NOT_LIVE_ROW if label is None else label)
        counts[row] = counts.get(row, 0) + 1
    rows = []
    for (day, label), answers in counts.items():
        share = share_of.get(label, np.nan)
        state = NOT_LIVE if label == NOT_LIVE_ROW else OVER if share > limit else LIVE
        rows.append({"day": pd.Timestamp(day), "slice": label, "state": state, "answers": answers,
                     "out_of_stock_share": share})
    frame = pd.DataFrame(rows, columns=list(_DAY_COLUMNS)).astype(_DAY_COLUMNS)
    return frame.sort_values(["day", "slice"], kind="stable").reset_index(drop=True)


def _slices(seen: list[tuple[datetime, str | None]], labels: dict[tuple[str, ...], str],
            share_of: dict[str, float], days: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for products, label in labels.items():
        times = [when for when, seen_label in seen if seen_label == label]
        live = days[days["slice"] == label]
        rows.append({"slice": label, "products": len(products), "first_seen": min(times), "last_seen": max(times),
                     "days_live": len(live), "days_over": int((live["state"] == OVER).sum()),
                     "out_of_stock_share": share_of[label]})
    return pd.DataFrame(rows, columns=list(_SLICE_COLUMNS)).astype(_SLICE_COLUMNS)


def _gaps(seen: list[tuple[datetime, str | None]]) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    run: list[datetime] = []
    for when, label in seen:
        if label is None:
            run.append(when)
            continue
        if run:
            gaps.append(Gap(run[0], run[-1], len(run)))
        run = []
    if run:
        gaps.append(Gap(run[0], run[-1], len(run)))
    return tuple(gaps)
