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
    fields = [field for field in SEARCHED_FIELDS if field in products.columns]
    if not words or not fields or products.empty:
        return ()
    folded = [_folded(products[field]) for field in fields]
    every = np.ones(len(products), dtype=bool)
    in_name = np.zeros(len(products), dtype=np.int64)
    for word in words:
        hits = [_holds(column, word) for column in folded]
        every &= np.logical_or.reduce(hits)
        if fields[0] == "name":
            in_name += hits[0]
    positions = np.flatnonzero(every)
    order = positions[np.argsort(-in_name[positions], kind="stable")]
    return tuple(str(product_id) for product_id in products.index[order])


def _folded(column) -> pa.ChunkedArray:
    return fold(pa.chunked_array([pa.array(column.astype("str").array)]))


def _holds(folded: pa.ChunkedArray, word: str) -> np.ndarray:
    hits = pc.fill_null(pc.match_substring(folded, word), False)
    return np.asarray(hits.to_numpy(zero_copy_only=False), dtype=bool)
