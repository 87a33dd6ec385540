"""How the simulator ranks: products as attribute slots, a shopper's affinity, the answer to each event.

Every product is a row of five attribute codes (category, colour, style, brand, price
band = price quintile within its category), each pointing at one slot of an "affinity"
vector. A session's profile is that vector built from its recent events and its user's,
newer events weighing more (RECENCY per event): a categoryView adds the category and,
more weakly, the category's mix of colours/styles/brands; a productView or shopTheLook
adds the product's own attributes. A product's score is the sum of its five slots, plus
a small popularity prior (a hash of its id); ties keep catalog order. productView and
shopTheLook add an anchor for the viewed product (same style, harmonising colour, near
price band) to half the profile.

Products are sorted by category once at construction, so ranking a category touches
only that category's rows. categoryView answers every product of the category, in stock
or not; the shelves (productView, shopTheLook, customShelf) leave out products out of
stock and, beyond the viewed product's own category, draw from per-category pools of the
POOL_SIZE most popular products in stock. When the catalog has a gender column, the
shelves keep to one gender (and products for anyone): the viewed product's, or for the home
shelf the newest gendered thing the shopper saw.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from fashionai.domain import EventType
from fashionai.simulator._genders import gender_codes, one_gender

__all__ = ["HISTORY_LIMIT", "LOOK_SIZE", "SHELF_SIZE", "SIMILAR_SIZE", "AffinityRanker", "Event"]

Event = tuple[int, str, int]  # (sequence number, event type, target code or -1)

ATTRIBUTES = ("category", "color", "style", "brand", "band")
SEEN_ATTRIBUTES = ATTRIBUTES[:4]  # the ones with names a shopper sees
PRICE_BANDS = 5

# Ranking constants (weights per attribute, in ATTRIBUTES order).
PROFILE_WEIGHTS = (1.0, 0.6, 1.0, 0.4, 0.4)  # how much each kind of affinity counts
PRODUCT_EVENT = (0.5, 1.0, 1.0, 1.0, 1.0)  # what a productView teaches
LOOK_EVENT = (0.25, 1.0, 1.0, 1.0, 1.0)  # what a shopTheLook teaches
CATEGORY_MIX = 0.5  # a categoryView's weight on its category's attribute mix
RECENCY = 0.8  # weight of an event relative to the next newer one
HISTORY_LIMIT = 30  # events per session/user kept for ranking
POPULARITY_WEIGHT = 0.15
SIMILAR_ANCHOR = (0.0, 0.7, 1.0, 0.5, 0.5)  # productView: likeness to the viewed product
LOOK_ANCHOR = (0.0, 0.6, 1.0, 0.2, 0.4)  # shopTheLook: style, colour harmony, brand, band
ANCHORED_PROFILE_SHARE = 0.5
POOL_SIZE = 120
SIMILAR_SIZE = SHELF_SIZE = 24
SHELF_PER_CATEGORY = 6
LOOK_SIZE = 8
LOOK_MIN_SHARE = 0.5  # a look leaves out pieces scoring under this share of its best piece

NEUTRAL_COLORS = ("black", "white", "grey", "gray", "beige", "camel", "navy", "denim", "cream",
                  "ivory", "brown", "nude", "off-white")
# A look holds at most one piece per slot, and a full outfit (a dress, or activewear as a
# set) takes the place of top and bottom. Slots come from words in category names.
SLOT_WORDS = {
    "full": ("dress", "jumpsuit", "overall", "romper", "active", "swim"),
    "top": ("top", "shirt", "blouse", "tee", "knit", "sweater", "cardigan", "camisole"),
    "bottom": ("jean", "trouser", "pant", "skirt", "short", "legging"),
    "outer": ("jacket", "coat", "blazer", "parka"),
    "shoes": ("sneaker", "shoe", "heel", "sandal", "boot", "loafer", "pump", "mule"),
    "bag": ("bag", "backpack", "clutch", "tote"),
}

def simulated_available(stock: pd.Series) -> np.ndarray:
    """The simulator's own stock rule, a deliberate exception to the studio's (`fashionai.catalog.stock`):
    a product is available unless its stock is known to be 0 or less; unknown stock is available, and there
    is no low stock (a plain bool array).

    Why apart: the simulator stands in for Fashion.AI's server, which ranks from the store's feed and knows
    nothing of the studio's setting "Treat unknown stock as in stock" (a storefront's choice, applied to an
    answer after it arrives). Its answers must not have the studio's verdicts already applied, or the badges,
    the hide filter and the audit's out-of-stock share would never find anything to judge; and a change to
    the studio's rule must not quietly change what the stand-in answers."""
    numbers = pd.to_numeric(stock, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return ~(numbers <= 0)


def _as_str(values: pd.Series) -> pd.Series:
    return values if values.dtype == "str" else values.astype("str")


def _product_table(products: pd.DataFrame) -> tuple[np.ndarray, dict, dict, np.ndarray]:
    """Ids (object array), attribute codes (-1 = missing) and labels, and availability."""
    frame = products.reset_index(drop="product_id" in products.columns)
    if "product_id" not in frame.columns:  # the index was the id
        frame = frame.rename(columns={frame.columns[0]: "product_id"})
    ids = _as_str(frame["product_id"])
    keep = (ids.notna() & ~ids.duplicated()).to_numpy()
    if not keep.all():
        frame, ids = frame[keep].reset_index(drop=True), ids[keep].reset_index(drop=True)

    def column(name: str) -> pd.Series:
        return frame[name] if name in frame.columns else pd.Series(np.nan, index=frame.index)

    codes, labels = {}, {}
    for attr in ("category", "color", "style", "brand"):
        codes[attr], uniques = pd.factorize(_as_str(column(attr)), sort=True)
        labels[attr] = [str(label) for label in uniques]
    price = pd.to_numeric(column("price"), errors="coerce")
    quantile = price.groupby(codes["category"]).rank(pct=True).to_numpy(dtype=float, na_value=np.nan)
    codes["band"] = np.where(np.isnan(quantile), -1, np.ceil(quantile * PRICE_BANDS) - 1).astype(np.int64)
    labels["band"] = [f"band {band + 1}" for band in range(PRICE_BANDS)]
    codes["gender"] = gender_codes(column("gender"))
    return ids.to_numpy(dtype=object), codes, labels, simulated_available(column("stock"))


def _colour_harmony(colours: Sequence[str]) -> np.ndarray:
    """How well two colours go together (last row and column: a missing colour)."""
    neutral = np.array([any(word in c.lower() for word in NEUTRAL_COLORS) for c in colours] + [False])
    harmony = np.where(neutral[:, None] | neutral[None, :], 0.6, 0.2)
    np.fill_diagonal(harmony, 1.0)
    harmony[-1, :] = harmony[:, -1] = 0.3
    return harmony


def _band_closeness() -> np.ndarray:
    """Same price band 1, a neighbour 0.5, else 0 (last row and column: a missing price)."""
    bands = np.arange(PRICE_BANDS + 1)
    distance = abs(bands[:, None] - bands)
    closeness = np.select([distance == 0, distance == 1], [1.0, 0.5], 0.0)
    closeness[PRICE_BANDS, :] = closeness[:, PRICE_BANDS] = 0.3
    return closeness


BAND_CLOSENESS = _band_closeness()


def _slot_of(category: str) -> str | None:
    tokens = re.findall(r"[a-z]+", category.lower())
    for slot, words in SLOT_WORDS.items():
        if any(token.startswith(word) for token in tokens for word in words):
            return slot
    return None


def _clash(slot_a: str | None, slot_b: str | None) -> bool:
    if slot_a is None or slot_b is None:
        return False
    pair = {slot_a, slot_b}
    return slot_a == slot_b or ("full" in pair and bool(pair & {"top", "bottom"}))


class AffinityRanker:
    """A catalog indexed for ranking: the answers to each event, given a shopper's history.

    `products`: product ids in a `product_id` column or the index; a `category` column;
    optional `name, color, style, brand, price, stock`. Safe to share between threads: once
    built it only fills a cache of each category's mix, the same whichever thread computes
    it. `seed` decides the popularity prior.
    """

    def __init__(self, products: pd.DataFrame, seed: int = 0) -> None:
        ids, codes, labels, available = _product_table(products)

        # Sort by category (missing categories last), keeping catalog order within one.
        n_categories = len(labels["category"])
        category_key = np.where(codes["category"] < 0, n_categories, codes["category"])
        order = np.argsort(category_key, kind="stable")
        category_key = category_key[order]
        self._ids = ids[order]
        self._position = pd.Index(self._ids, dtype=object)
        self._categories = labels["category"]
        self._category_code = {name: code for code, name in enumerate(self._categories)}
        self._bounds = np.searchsorted(category_key, np.arange(n_categories + 2))
        self._available = available[order]
        self._gender = codes["gender"][order]  # 0 anyone, 1 women's, 2 men's: a look or a shelf keeps to one
        self._category_gender = np.array([one_gender(self._gender[self._bounds[c]:self._bounds[c + 1]])
                                          for c in range(n_categories)] + [0], dtype=np.int64)

        # One slot per attribute value plus a zero slot for "missing", laid end to end;
        # the category slots come first, so a product's category slot is its category code.
        self._offsets, columns, start = {}, [], 0
        for attr in ATTRIBUTES:
            size = len(labels[attr])
            self._offsets[attr] = (start, size)
            columns.append(start + np.where(codes[attr][order] < 0, size, codes[attr][order]))
            start += size + 1
        self._slots = np.column_stack(columns).astype(np.int64)
        self._width = start
        self._slot_weight = np.zeros(start)
        for attr, weight in zip(ATTRIBUTES, PROFILE_WEIGHTS, strict=True):
            offset, size = self._offsets[attr]
            self._slot_weight[offset:offset + size] = weight
        self._mixes: dict[int, np.ndarray] = {}

        hash_key = hashlib.blake2b(str(seed).encode(), digest_size=8).hexdigest()
        hashed = pd.util.hash_array(self._ids, hash_key=hash_key, categorize=False)
        self._popularity = (hashed >> np.uint64(11)).astype(np.float64) / 2.0**53
        self._sales_order = np.argsort(-self._popularity, kind="stable")

        # Pools: the POOL_SIZE most popular products in stock of each category.
        candidates = np.flatnonzero(self._available & (category_key < n_categories))
        ranked = candidates[np.lexsort((-self._popularity[candidates], category_key[candidates]))]
        rank = np.arange(len(ranked)) - np.searchsorted(category_key[ranked], category_key[ranked])
        self._pool = ranked[rank < POOL_SIZE]
        self._pool_category = category_key[self._pool]

        self._labels = {attr: labels[attr] for attr in SEEN_ATTRIBUTES}
        self._look_slots = [_slot_of(name) for name in self._categories]
        self._harmony = _colour_harmony(labels["color"])

    @property
    def size(self) -> int:
        """How many products are ranked."""
        return len(self._ids)

    @property
    def categories(self) -> list[str]:
        """The category names, sorted."""
        return self._categories

    def category(self, name: str) -> int:
        """The category's code, or -1 for a category the catalog lacks."""
        return self._category_code.get(name, -1)

    def _mix(self, category: int) -> np.ndarray:
        """The share of each colour, style, brand and band among a category's products.

        Covers the slots after the category ones, so its cost does not grow with the
        number of categories.
        """
        mix = self._mixes.get(category)
        if mix is None:
            start, stop = self._bounds[category], self._bounds[category + 1]
            first = self._offsets["color"][0]
            counts = np.bincount(self._slots[start:stop, 1:].ravel() - first, minlength=self._width - first)
            mix = self._mixes[category] = counts / max(stop - start, 1)
        return mix

    def _profile(self, history: Sequence[Event]) -> np.ndarray:
        """Affinity per slot from the history, newer events weighing more."""
        affinity = np.zeros(self._width)
        weights = RECENCY ** np.arange(len(history) - 1, -1, -1, dtype=float)
        targets = np.array([target for _, _, target in history], dtype=np.int64)
        kinds = [kind for _, kind, _ in history]
        known = targets >= 0  # not customShelf, nor an id the catalog does not know
        views = known & np.array([kind == EventType.CATEGORY_VIEW for kind in kinds], dtype=bool)
        if views.any():
            np.add.at(affinity, targets[views], weights[views])
            mixes = np.stack([self._mix(category) for category in targets[views]])
            affinity[self._offsets["color"][0]:] += CATEGORY_MIX * (weights[views] @ mixes)
        looked = known & ~views
        if looked.any():
            teaches = np.array([LOOK_EVENT if kind == EventType.SHOP_THE_LOOK else PRODUCT_EVENT for kind in kinds])
            np.add.at(affinity, self._slots[targets[looked]], weights[looked, None] * teaches[looked])
        if known.any():
            affinity /= weights[known].sum()
        return affinity * self._slot_weight

    def _anchor(self, product: int, weights: Sequence[float], *, harmonise: bool) -> np.ndarray:
        """Affinity for products like `product`: equal attributes, or for a look harmonising ones."""
        anchor = np.zeros(self._width)
        for attr, weight, slot in zip(ATTRIBUTES, weights, self._slots[product], strict=True):
            offset, size = self._offsets[attr]
            code = slot - offset
            if not weight:
                continue
            if harmonise and attr == "color":
                anchor[offset:offset + size + 1] = weight * self._harmony[code]
            elif harmonise and attr == "band":
                anchor[offset:offset + size + 1] = weight * BAND_CLOSENESS[code]
            elif code < size:  # a missing value matches nothing
                anchor[slot] = weight
        return anchor

    def _scores(self, affinity: np.ndarray, positions: np.ndarray | slice) -> np.ndarray:
        return affinity[self._slots[positions]].sum(axis=1) + POPULARITY_WEIGHT * self._popularity[positions]

    def _best(self, affinity: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """`positions` best first (stable: ties keep catalog order)."""
        return positions[np.argsort(-self._scores(affinity, positions), kind="stable")]

    def _for_gender(self, positions: np.ndarray, gender: int) -> np.ndarray:
        """`positions` that go with `gender` (0: all of them): the same gender's, or for anyone."""
        if not gender:
            return positions
        genders = self._gender[positions]
        return positions[(genders == 0) | (genders == gender)]

    def _shopper_gender(self, history: Sequence[Event]) -> int:
        """The gender of the newest gendered thing the shopper saw (a product, or a one-gender category), or 0."""
        for _, kind, target in reversed(history):
            if target < 0:
                continue
            gender = self._category_gender[target] if kind == EventType.CATEGORY_VIEW else self._gender[target]
            if gender:
                return int(gender)
        return 0

    def rank_category(self, category: int, history: Sequence[Event]) -> list[str]:
        """categoryView: every product of the category (by code), best first, in stock or not."""
        start, stop = self._bounds[category], self._bounds[category + 1]
        scores = self._scores(self._profile(history), slice(start, stop))
        return self._ids[start:stop][np.argsort(-scores, kind="stable")].tolist()

    def seen(self, event_type: str, target: int) -> dict[str, str]:
        """What an event showed the shopper: {"category": name} for a categoryView (target: a
        category code), the product's category, color, style and brand for another event
        (target: a position); missing values left out, nothing for target -1."""
        if target < 0:
            return {}
        if event_type == EventType.CATEGORY_VIEW:
            return {"category": self._categories[target]} if target < len(self._categories) else {}
        shown = {}
        for attr, slot in zip(SEEN_ATTRIBUTES, self._slots[target], strict=False):
            offset, size = self._offsets[attr]
            if slot - offset < size:
                shown[attr] = self._labels[attr][slot - offset]
        return shown

    def similar(self, product: int, history: Sequence[Event], size: int = SIMILAR_SIZE) -> list[str]:
        """productView (and `similar`, with its limit as `size`): `size` products in stock like
        `product` (a position), its category's first."""
        affinity = ANCHORED_PROFILE_SHARE * self._profile(history)
        affinity += self._anchor(product, SIMILAR_ANCHOR, harmonise=False)
        category = self._slots[product, 0]  # the category slots come first
        start, stop = self._bounds[category], self._bounds[category + 1]
        same = np.arange(start, stop)
        same = self._for_gender(same[self._available[start:stop] & (same != product)], self._gender[product])
        picked = self._best(affinity, same)[:size]
        if len(picked) < size:
            others = self._best(affinity, self._for_gender(self._pool[self._pool_category != category],
                                                           self._gender[product]))
            picked = np.concatenate([picked, others[: size - len(picked)]])
        return self._ids[picked].tolist()

    def look(self, product: int, history: Sequence[Event]) -> list[str]:
        """shopTheLook: up to LOOK_SIZE pieces of other categories that go with `product`, one a slot."""
        category = self._slots[product, 0]
        others = self._pool_category != category
        if self._gender[product]:  # a men's T-shirt's look holds no women's sandals
            others &= np.isin(self._gender[self._pool], (0, self._gender[product]))
        candidates, candidate_categories = self._pool[others], self._pool_category[others]
        if category >= len(self._categories) or not len(candidates):
            return []
        affinity = ANCHORED_PROFILE_SHARE * self._profile(history)
        affinity += self._anchor(product, LOOK_ANCHOR, harmonise=True)
        scores = self._scores(affinity, candidates)
        by_category = np.lexsort((-scores, candidate_categories))
        best_each = by_category[np.r_[True, np.diff(candidate_categories[by_category]) != 0]]
        best_each = best_each[np.argsort(-scores[best_each], kind="stable")]
        floor = LOOK_MIN_SHARE * scores[best_each[0]]
        look, slots = [], [self._look_slots[category]]
        for i in best_each[scores[best_each] >= floor]:
            slot = self._look_slots[candidate_categories[i]]
            if not any(_clash(slot, taken) for taken in slots):
                look.append(candidates[i])
                slots.append(slot)
                if len(look) == LOOK_SIZE:
                    break
        return self._ids[np.asarray(look, dtype=np.int64)].tolist()

    def shelf(self, history: Sequence[Event]) -> list[str]:
        """customShelf: SHELF_SIZE products in stock for the history, SHELF_PER_CATEGORY at most a category."""
        taken: list[str] = []
        per_category: Counter[str] = Counter()
        pool = self._for_gender(self._pool, self._shopper_gender(history))  # one gender's shelf, and anyone's
        for position in self._best(self._profile(history), pool):
            category = self._slots[position, 0]
            if per_category[category] < SHELF_PER_CATEGORY:
                per_category[category] += 1
                taken.append(position)
                if len(taken) == SHELF_SIZE:
                    break
        return self._ids[np.asarray(taken, dtype=np.int64)].tolist()

    def positions_of(self, product_ids: Sequence[str] | np.ndarray) -> np.ndarray:
        """Each id's position (-1 for one the catalog lacks), for `shopper_scores` and `available_at`."""
        return self._position.get_indexer(product_ids)

    def shopper_scores(self, positions: np.ndarray, history: Sequence[Event]) -> np.ndarray:
        """How well each product at `positions` suits the shopper of `history`, as a category page scores it."""
        return self._scores(self._profile(history), positions)

    def available_at(self, positions: np.ndarray) -> np.ndarray:
        """Whether each product at `positions` is available by the simulator's own stock rule."""
        return self._available[positions]

    def product(self, product_id: str) -> int:
        """The product's position, or -1 for an id the catalog lacks."""
        try:
            return int(self._position.get_loc(product_id))  # ids are unique
        except KeyError:
            return -1

    def sales_ranking(self, category_id: str | None = None) -> list[str]:
        """Best sellers, most sold first: the whole catalog, or one category (not an event)."""
        if category_id is None:
            return self._ids[self._sales_order].tolist()
        category = self._category_code.get(category_id)
        if category is None:
            return []
        start, stop = self._bounds[category], self._bounds[category + 1]
        return self._ids[start:stop][np.argsort(-self._popularity[start:stop], kind="stable")].tolist()

