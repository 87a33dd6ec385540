"""The store's own text match: what a plain site search finds for a query, with no personalization.

    text_match(catalog, "vestido azul")   # ids, best first: the non-personalized baseline of a search

A product matches when its text (name, category, brand, colour, style: those the catalog has) holds
every word of the query, ignoring case and accents ("calca" finds "Calça"); a word is a run of letters
or digits, and one-letter words ("a", "e") are left out. Products holding more of the words in their
name come first, then the catalog's own order. No synonyms, no typo tolerance, no ranking by the
shopper: what a store's search box does before Fashion.AI, and deterministic for a catalog and a query.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fashionai.catalog import Catalog, fold, fold_str

__all__ = ["MIN_WORD", "SEARCHED_FIELDS", "query_words", "text_match"]

SEARCHED_FIELDS = ("name", "category", "brand", "color", "style")
"""The catalog fields the store's text match reads, the name first (it ranks by the name)."""
MIN_WORD = 2
"""The fewest characters a query word has to count."""


def query_words(query: str) -> tuple[str, ...]:
    """The query's words as the match reads them: folded (lower case, no accents), distinct, in order, of
    at least MIN_WORD characters."""
    words = (word for word in re.split(r"[\W_]+", fold_str(str(query or ""))) if len(word) >= MIN_WORD)
    return tuple(dict.fromkeys(words))


def text_match(catalog: Catalog, query: str) -> tuple[str, ...]:
    """The ids of the products whose text holds every word of `query`, those with more of its words in the
    name first, then in the catalog's order; () for a query without a word to look for."""
    words = query_words(query)
    products = catalog.products
    if not words or products.empty:
        return ()
    folded = _folded_fields(catalog)
    if not folded:
        return ()
    every = np.ones(len(products), dtype=bool)
    in_name = np.zeros(len(products), dtype=np.int64)
    for word in words:
        hits = {field: _holds(values, rows, word) for field, (values, rows) in folded.items()}
        every &= np.logical_or.reduce(list(hits.values()))
        if "name" in hits:
            in_name += hits["name"]
    positions = np.flatnonzero(every)
    order = positions[np.argsort(-in_name[positions], kind="stable")]
    return tuple(str(product_id) for product_id in products.index[order])


KEPT_CATALOGS = 4
"""Catalogs whose folded text is kept (the most recently searched): a search then costs what its words' matching
costs, not folding the whole catalog again."""
_kept: OrderedDict[str, dict[str, tuple[pa.Array, np.ndarray]]] = OrderedDict()
_lock = threading.Lock()


def _folded_fields(catalog: Catalog) -> dict[str, tuple[pa.Array, np.ndarray]]:
    """Each searched field of the catalog as (its distinct values folded, each row's position among them, -1 for
    none), made once per catalog (by fingerprint) and kept for the KEPT_CATALOGS last searched."""
    key = catalog.fingerprint
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    products = catalog.products
    folded = {}
    for field in SEARCHED_FIELDS:
        if field in products.columns:
            encoded = pc.dictionary_encode(pa.array(products[field].astype("str").array))
            rows = np.asarray(encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
            folded[field] = (fold(pa.chunked_array([encoded.dictionary])).combine_chunks(), rows)
    with _lock:
        _kept[key] = folded
        while len(_kept) > KEPT_CATALOGS:
            _kept.popitem(last=False)
    return folded


def _holds(values: pa.Array, rows: np.ndarray, word: str) -> np.ndarray:
    """Which rows hold `word`: matched once per distinct value, then spread to the rows."""
    hits = np.asarray(pc.fill_null(pc.match_substring(values, word), False).to_numpy(zero_copy_only=False),
                      dtype=bool)
    return np.append(hits, False)[rows]  # -1 (no value) reads the False appended
