"""A collection over time, from the history's saved answers (no call): which slice was seen live when, the gaps
(the API's 404: no slice live), and the days a slice was live with a share of inactive or out-of-stock products
over a limit.

    timeline = collection_timeline("4", snapshots, catalog, limit=0.2)   # snapshots: the history's, any order
    timeline.days        # day, slice, state (live / over the limit / not live), answers, and the day's shares:
                         # out_of_stock_share, inactive_share, flagged_share (inactive or out of stock)
    timeline.slices      # slice, slice_id, products, first_seen, last_seen, days_live, days_over, the shares
    timeline.gaps        # each run of 404s: from, to, answers
    timeline.sentence    # what it comes to, in words (an empty history said too)

What the history holds decides what can be said (said on screen, never guessed):

- A collection answer is saved with its slice's id, name and inactive products (`Snapshot.slice_id`, `slice_name`,
  `inactive`): answers with the same slice id are one slice, named "Wool Coats (slice 10)", its products edited
  in the builder or not. An answer saved before the studio kept them (`slice_id` None) is told apart by its
  products: answers listing the same products in the same order are one slice, the named one whose answers list
  them when there is one, else "Slice 1 (3 products)", numbered as first seen. Its inactive products are unknown,
  so not counted (`unknown_inactive` counts such answers, `OLD_ANSWERS_NOTE` says it).
- Inactive is the answer's own (`active: false`: the product fails the slice's filters). Out of stock is decided
  by the ONE stock rule (`fashionai.catalog.stock.known_out`, as the Collections tab marks a product) on the
  catalog in use, today's stock: the history keeps no stock. Products not in the catalog, and unknown stock, are
  not out of stock. Shares are of an answer's listings (repeats counted); a listing both inactive and out of stock
  counts once in `flagged_share`.
- A failed call (timeout, 5xx) says nothing about the slice: it is left out and counted (`failed`).

Days are UTC days. A slice is "over the limit" on a day it was seen live when one of its answers that day has a
flagged share above `limit` (a share from 0 to 1); the day shows that answer's shares (the day's worst). A day
with a 404 has a "not live" row, beside any slice seen live that same day. A slice's own shares are its last
answer's.
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

__all__ = ["DEFAULT_LIMIT", "INACTIVE_NOTE", "LIVE", "NOT_LIVE", "NOT_LIVE_ROW", "OLD_ANSWERS_NOTE", "OVER", "STATES",
           "CollectionTimeline", "Gap", "collection_timeline"]

LIVE, OVER, NOT_LIVE = "live", "over the limit", "not live"
STATES = (LIVE, OVER, NOT_LIVE)
"""A day's state for a slice, in the order the chart's legend says them."""
NOT_LIVE_ROW = "No slice live (404)"
"""The timeline's row for the days Fashion.AI answered that no slice was live."""
DEFAULT_LIMIT = 0.2
"""The share of inactive or out-of-stock products above which a live day is flagged, unless the user sets another."""
INACTIVE_NOTE = ("Inactive products (failing the slice's filters) are as Fashion.AI answered them that day; stock "
                 "is the catalog's in use today: the history keeps no stock.")
OLD_ANSWERS_NOTE = ("{answers} saved before the studio kept each slice's name and inactive products: told apart by "
                    "their products, their inactive products not counted.")
"""Said when `CollectionTimeline.unknown_inactive` is not 0 (`{answers}`: "3 answers")."""

_SHARES = {"out_of_stock_share": "float64", "inactive_share": "float64", "flagged_share": "float64"}
_DAY_COLUMNS = {"day": "datetime64[us]", "slice": "str", "state": "str", "answers": "int64"} | _SHARES
_SLICE_COLUMNS = {"slice": "str", "slice_id": "str", "products": "int64", "first_seen": "datetime64[us, UTC]",
                  "last_seen": "datetime64[us, UTC]", "days_live": "int64", "days_over": "int64"} | _SHARES


@dataclass(frozen=True)
class Gap:
    """A run of answers in a row (in time) saying no slice was live: the first and last of them, how many."""

    first: datetime
    last: datetime
    answers: int


@dataclass(frozen=True)
class _Seen:
    """One answer laid out: when, its slice's label (None for a 404), its listings and its shares."""

    when: datetime
    label: str | None
    products: int = 0
    shares: tuple[float, float, float] = (np.nan, np.nan, np.nan)  # out of stock, inactive (nan: unknown), flagged


@dataclass(frozen=True)
class CollectionTimeline:
    """A collection's saved answers laid out by day (see the module's docstring for the frames' columns)."""

    collection_id: str
    limit: float
    days: pd.DataFrame
    slices: pd.DataFrame
    gaps: tuple[Gap, ...]
    failed: int
    unknown_inactive: int = 0  # answers with a slice saved before its name and inactive products were kept

    @property
    def empty(self) -> bool:
        """No answer saved for this collection (failures aside)."""
        return self.days.empty

    @property
    def old_answers_note(self) -> str:
        """What answers saved before slices were kept mean for the timeline; "" when there are none."""
        return OLD_ANSWERS_NOTE.format(answers=plural(self.unknown_inactive, "answer")) if self.unknown_inactive else ""

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
            words += (f"; {plural(len(over), 'slice')} over the limit of {self.limit:.0%} inactive or out of stock "
                      f"on {plural(int(over['days_over'].sum()), 'day')}")
        else:
            words += f"; no slice over the limit of {self.limit:.0%} inactive or out of stock"
        if self.failed:
            words += f" ({plural(self.failed, 'failed call')} left out)"
        return words + "."


def _shares(catalog: Catalog, products: tuple[str, ...], inactive: tuple[str, ...] | None) -> tuple[float, float, float]:
    """An answer's shares of listings (repeats counted): out of stock by the stock rule, inactive (nan when
    unknown), inactive or out of stock; 0 for a slice listing nothing."""
    if not products:
        return 0.0, (np.nan if inactive is None else 0.0), 0.0
    out = out_of_stock_listings(join_ranking(catalog, products))
    if inactive is None:
        return float(out.mean()), np.nan, float(out.mean())
    off = np.isin(np.array(products, dtype=object), np.array(list(set(inactive)), dtype=object))
    return float(out.mean()), float(off.mean()), float((out | off).mean())


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
    live = [s for s in answered if s.status_code != NO_ACTIVE_SLICE]
    labels = _labels(live)
    shares: dict[tuple[tuple[str, ...], tuple[str, ...] | None], tuple[float, float, float]] = {}
    seen: list[_Seen] = []
    for snapshot in answered:
        if snapshot.status_code == NO_ACTIVE_SLICE:
            seen.append(_Seen(snapshot.recorded_at, None))
            continue
        key = (snapshot.products, snapshot.inactive)
        if key not in shares:
            shares[key] = _shares(catalog, *key)
        seen.append(_Seen(snapshot.recorded_at, labels[snapshot.id], len(snapshot.products), shares[key]))
    days = _days(seen, limit)
    ids = {labels[s.id]: s.slice_id for s in live if s.slice_id is not None}
    return CollectionTimeline(wanted, limit, days, _slices(seen, ids, days), _gaps(seen),
                              failed=len(mine) - len(answered),
                              unknown_inactive=sum(1 for s in live if s.inactive is None))


def _labels(live: list[Snapshot]) -> dict[str, str]:
    """Snapshot id -> its slice's label: by slice id where the answer kept it, else by its products (those of a
    slice kept by id first, then numbered "Slice 1 (3 products)" as first seen)."""
    named: dict[str, str] = {}
    by_products: dict[tuple[str, ...], str] = {}
    for snapshot in live:
        if snapshot.slice_id is not None:
            name = (snapshot.slice_name or "").strip()
            named.setdefault(snapshot.slice_id, f"{name} (slice {snapshot.slice_id})" if name
                             else f"Slice {snapshot.slice_id}")
            by_products.setdefault(snapshot.products, named[snapshot.slice_id])
    labels: dict[str, str] = {}
    unnamed = 0
    for snapshot in live:
        if snapshot.slice_id is not None:
            labels[snapshot.id] = named[snapshot.slice_id]
            continue
        if snapshot.products not in by_products:
            unnamed += 1
            by_products[snapshot.products] = f"Slice {unnamed} ({plural(len(snapshot.products), 'product')})"
        labels[snapshot.id] = by_products[snapshot.products]
    return labels


def _days(seen: list[_Seen], limit: float) -> pd.DataFrame:
    worst: dict[tuple[date, str], tuple[int, _Seen]] = {}  # (day, label) -> answers, the answer most flagged
    for answer in seen:
        row = (answer.when.date(), NOT_LIVE_ROW if answer.label is None else answer.label)
        count, most = worst.get(row, (0, answer))
        worse = answer.label is not None and not answer.shares[2] <= most.shares[2]
        worst[row] = (count + 1, answer if worse else most)
    rows = []
    for (day, label), (answers, most) in worst.items():
        state = NOT_LIVE if label == NOT_LIVE_ROW else OVER if most.shares[2] > limit else LIVE
        rows.append({"day": pd.Timestamp(day), "slice": label, "state": state, "answers": answers,
                     **dict(zip(_SHARES, most.shares, strict=True))})
    frame = pd.DataFrame(rows, columns=list(_DAY_COLUMNS)).astype(_DAY_COLUMNS)
    return frame.sort_values(["day", "slice"], kind="stable").reset_index(drop=True)


def _slices(seen: list[_Seen], ids: dict[str, str], days: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for label in dict.fromkeys(answer.label for answer in seen if answer.label is not None):
        answers = [answer for answer in seen if answer.label == label]
        live = days[days["slice"] == label]
        rows.append({"slice": label, "slice_id": ids.get(label, ""), "products": answers[-1].products,
                     "first_seen": answers[0].when, "last_seen": answers[-1].when, "days_live": len(live),
                     "days_over": int((live["state"] == OVER).sum()),
                     **dict(zip(_SHARES, answers[-1].shares, strict=True))})
    return pd.DataFrame(rows, columns=list(_SLICE_COLUMNS)).astype(_SLICE_COLUMNS)


def _gaps(seen: list[_Seen]) -> tuple[Gap, ...]:
    gaps: list[Gap] = []
    run: list[datetime] = []
    for answer in seen:
        if answer.label is None:
            run.append(answer.when)
            continue
        if run:
            gaps.append(Gap(run[0], run[-1], len(run)))
        run = []
    if run:
        gaps.append(Gap(run[0], run[-1], len(run)))
    return tuple(gaps)
