"""How the simulator searches: the catalog's text, Portuguese and English fashion words, typos forgiven.

    index = SearchIndex(products)          # cheap: the text is built on the first search, once per catalog
    index.matches("vestido azull")         # (row numbers of the products matched, their relevance)
    search_page(index.ids, ranked, 2, 20)            # a site search's answer: a page of ids and the totals
    detailed_products(index.frame, ranked, "M", 5)   # a detailed search's products, with the catalog's details

A product's text is its name, category, brand, colour, style, gender and any other text column the catalog
maps (not its id nor its image), lowercased, accents dropped ("Tênis" is "tenis") and punctuation made
spaces. A catalog of 1,000,000 products holds far fewer distinct texts: each column's distinct values are
normalised once (pyarrow's vectorised string kernels), and an index of words (which distinct texts hold each
word, which rows hold each text) makes a search cost what it matches, not the catalog's size.

A query is cut into words (a few words like "de", "com", "the" left out); a word matches a product whose text
has a word starting with it (so "dress" finds "dresses"), or with one of its synonyms (`SYNONYMS`: "vestido"
finds "dress", "azul" finds "blue" and "navy"); a plural query word also tries its singular. A word the
catalog's words and the synonyms do not know is read as its nearest known words (rapidfuzz's ratio at least
`TYPO_SCORE`: "vestdo" is "vestido"). Relevance is the sum over the query's words of 1 (a word or synonym)
or `TYPO_WEIGHT` (a typo's nearest word); the products matching every word are the answer, or, when no
product matches every word, those matching any. The engine orders equal relevance by the shopper's affinity.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections.abc import Iterable
from typing import Any, NamedTuple
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

__all__ = ["STORE_LINK", "SYNONYMS", "TYPO_SCORE", "TYPO_WEIGHT", "SearchIndex", "detailed_products", "normalise",
           "search_page"]

SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("vestido", "dress"), ("camisa", "shirt"), ("camiseta", "t shirt", "tee"), ("blusa", "blouse"),
    ("tenis", "sneaker", "trainer"), ("calca", "trouser", "pants"), ("saia", "skirt"), ("jaqueta", "jacket"),
    ("casaco", "coat"), ("bolsa", "bag"), ("sapato", "shoe"), ("sandalia", "sandal"), ("salto", "heel"),
    ("bota", "boot"), ("jeans", "jean", "denim"), ("bermuda", "short"), ("malha", "tricot", "knit", "sweater"),
    ("colar", "necklace"), ("anel", "ring"), ("brinco", "earring"), ("joia", "jewellery", "jewelry"),
    ("couro", "leather"), ("seda", "silk"), ("algodao", "cotton"), ("esportivo", "esportiva", "sport", "active"),
    ("azul", "blue", "navy"), ("preto", "preta", "black"), ("branco", "branca", "white"),
    ("vermelho", "vermelha", "red"), ("verde", "green", "olive", "sage", "emerald"), ("rosa", "pink", "blush"),
    ("cinza", "grey", "gray"), ("bege", "beige"), ("marrom", "brown", "camel"),
    ("amarelo", "amarela", "yellow", "mustard"), ("roxo", "roxa", "lilas", "purple", "lilac"), ("vinho", "burgundy"),
)
"""Fashion words in Portuguese and English that mean the same to a shopper, normalised (`normalise`)."""
STOPWORDS = frozenset({"a", "o", "as", "os", "de", "da", "do", "das", "dos", "e", "com", "para", "em", "no", "na",
                       "the", "and", "with", "for", "of", "in", "an"})
"""Query words that say nothing about a product (kept when a query holds nothing else)."""
TYPO_SCORE = 80
"""The least rapidfuzz ratio (0-100) for a word to be read as a known word with a typo ("vestdo" ~ "vestido": 92)."""
TYPO_WEIGHT = 0.8
"""What a word found through its typo counts, against 1 for a word found as typed or as a synonym."""
MIN_TYPO_CHARS = 4
"""Shorter words are not corrected: "red" and "bag" are too close to too many words."""
STORE_LINK = "https://loja.example/produto/{product_id}"
"""A detailed product's link: the simulator knows no store's address (.example is reserved: it leads nowhere)."""
SKIPPED_COLUMNS = frozenset({"product_id", "image_url", "stock", "price", "size"})
"""Columns never searched: ids, pictures, figures and sizes."""

_SYNONYMS_OF = {word: frozenset(group) for group in SYNONYMS for word in group}
_NOT_A_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """`text` as the index reads it: lowercase, accents dropped, anything but letters and digits a single space."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _NOT_A_WORD.sub(" ", plain.casefold()).strip()


def _normalised(values: pd.Index | pd.Series) -> np.ndarray:
    """`normalise` on many texts at once (pyarrow's vectorised string kernels), as an array of str."""
    texts = pa.array(pd.Series(values, dtype="object").astype("str"), type=pa.large_string())
    plain = pc.replace_substring_regex(pc.utf8_normalize(texts, "NFKD"), r"\p{Mn}", "")
    words = pc.replace_substring_regex(pc.utf8_lower(plain), r"[^0-9a-z]+", " ")
    return np.asarray(pc.utf8_trim_whitespace(words).to_numpy(zero_copy_only=False), dtype=object)


def _forms(word: str) -> set[str]:
    """A query word, its singular ("calcas": "calca"; "dresses": "dress") and their synonyms."""
    forms = {word}
    if len(word) > 3 and word.endswith("s"):
        forms.add(word[:-1])
        if word.endswith("es") and len(word) > 4:
            forms.add(word[:-2])
    return forms | {synonym for form in list(forms) for synonym in _SYNONYMS_OF.get(form, ())}


class SearchIndex:
    """A catalog's text, searchable. Thread-safe; the text is built on the first search (`matches`), once."""

    def __init__(self, products: pd.DataFrame) -> None:
        frame = products.reset_index(drop="product_id" in products.columns)
        if "product_id" not in frame.columns:  # the index was the id
            frame = frame.rename(columns={frame.columns[0]: "product_id"})
        ids = frame["product_id"].astype("str")
        keep = (ids.notna() & ~ids.duplicated()).to_numpy()  # as the ranker keeps them: the first of a repeated id
        self._frame = frame.assign(product_id=ids)[keep].reset_index(drop=True)
        self._ids: np.ndarray | None = None
        self._lock = threading.Lock()
        self._built: _Built | None = None

    @property
    def frame(self) -> pd.DataFrame:
        """The catalog with its ids in a `product_id` column, in the catalog's order (the row numbers)."""
        return self._frame

    @property
    def ids(self) -> np.ndarray:
        """The product ids by row number (made once: a column of 1,000,000 texts is slow to turn into one)."""
        if self._ids is None:
            self._ids = self._frame["product_id"].to_numpy(dtype=object)
        return self._ids

    def _columns(self) -> list[str]:
        return [name for name in self._frame.columns if name not in SKIPPED_COLUMNS
                and (pd.api.types.is_string_dtype(self._frame[name]) or self._frame[name].dtype == object)]

    def _build(self) -> _Built:
        """The catalog's text, searchable: built on the first search, once (see `_Built`).

        Each column's distinct values are normalised once; a code is a distinct combination of them, and
        its text is made once, from its first row."""
        with self._lock:
            if self._built is None:
                codes = np.zeros(len(self._frame), dtype=np.int64)
                columns = []
                for name in self._columns():
                    column, uniques = pd.factorize(self._frame[name])
                    columns.append((column, np.append(_normalised(uniques), "")))  # -1 (missing) reads ""
                    codes = pd.factorize(codes * (len(uniques) + 1) + column + 1)[0]
                firsts = pd.Series(codes).drop_duplicates().index.to_numpy()  # factorize's codes: in this order
                texts = pd.Series([""] * len(firsts), dtype="str")
                for column, normalised in columns:
                    texts = texts + " " + pd.Series(normalised[column[firsts]], dtype="str")
                texts = texts.str.replace(r" +", " ", regex=True).str.strip()
                self._built = _Built.of(codes, texts)
            return self._built

    @staticmethod
    def _known(words: np.ndarray, term: str) -> bool:
        """Whether a catalog word starts with `term` (a phrase: its first word)."""
        first = term.split()[0]
        at = int(np.searchsorted(words, first))
        return at < len(words) and str(words[at]).startswith(first)

    def _terms(self, query: str, words: np.ndarray) -> list[tuple[set[str], set[str]]]:
        """Each query word's terms: (as typed or a synonym, through a typo)."""
        tokens = normalise(query).split()
        tokens = [token for token in tokens if token not in STOPWORDS] or tokens
        terms: list[tuple[set[str], set[str]]] = [(_forms(token), set()) for token in tokens]
        unknown = [n for n, (exact, _) in enumerate(terms) if len(tokens[n]) >= MIN_TYPO_CHARS
                   and not any(self._known(words, term) for term in exact)]
        if unknown:
            choices = sorted(set(words.tolist()) | set(_SYNONYMS_OF))
            scores = process.cdist([tokens[n] for n in unknown], choices, scorer=fuzz.ratio,
                                   score_cutoff=TYPO_SCORE, dtype=np.uint8, workers=1)
            for row, n in zip(scores, unknown, strict=True):
                if row.max() > 0:
                    for at in np.flatnonzero(row == row.max()):
                        terms[n][1].update(_forms(choices[at]))
        return terms

    def matches(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """(row numbers of the products matching `query`, in no given order; their relevance). Its cost grows with
        the distinct texts and the products matched, not with the catalog's size."""
        built = self._build()
        terms = self._terms(query, built.words)
        if not terms:
            return np.array([], dtype=np.int64), np.array([], dtype=float)
        relevance = np.zeros(len(built.texts))
        every = np.ones(len(built.texts), dtype=bool)
        for exact, typo in terms:
            score = np.where(built.having(exact), 1.0, np.where(built.having(typo - exact), TYPO_WEIGHT, 0.0))
            relevance += score
            every &= score > 0
        if every.any():
            relevance = np.where(every, relevance, 0.0)
        return built.rows_of(np.flatnonzero(relevance > 0), relevance)


class _Built(NamedTuple):
    """A catalog's text made searchable: each row's text code (`codes`), the distinct texts (`texts`), the
    sorted distinct words (`words`), which texts hold each word (`word_texts[word_starts[w]:word_starts[w + 1]]`)
    and which rows hold each text (`text_rows[text_starts[t]:text_starts[t + 1]]`)."""

    codes: np.ndarray
    texts: pd.Series
    words: np.ndarray
    word_starts: np.ndarray
    word_texts: np.ndarray
    text_starts: np.ndarray
    text_rows: np.ndarray

    @classmethod
    def of(cls, codes: np.ndarray, texts: pd.Series) -> _Built:
        exploded = texts.str.split().explode().dropna()
        ids, uniques = pd.factorize(exploded)
        words = np.asarray(uniques, dtype=str)
        order = np.argsort(words, kind="stable")
        rank = np.empty(len(words), dtype=np.int64)
        rank[order] = np.arange(len(words))
        word_ids = rank[ids]
        by_word = np.argsort(word_ids, kind="stable")
        word_starts = np.searchsorted(word_ids[by_word], np.arange(len(words) + 1))
        text_rows = np.argsort(codes, kind="stable")
        text_starts = np.searchsorted(codes[text_rows], np.arange(len(texts) + 1))
        return cls(codes, texts, words[order], word_starts, exploded.index.to_numpy()[by_word], text_starts,
                   text_rows)

    def _starting(self, prefix: str) -> np.ndarray:
        """Whether each text holds a word starting with `prefix`."""
        found = np.zeros(len(self.texts), dtype=bool)
        low, high = np.searchsorted(self.words, [prefix, prefix + "\x7f"])  # the words are [0-9a-z]
        found[self.word_texts[self.word_starts[low]:self.word_starts[high]]] = True
        return found

    def having(self, terms: Iterable[str]) -> np.ndarray:
        """Whether each text holds one of `terms` at a word's start ("t shirt": those words in a row)."""
        found = np.zeros(len(self.texts), dtype=bool)
        for term in terms:
            words = term.split()
            if len(words) == 1:
                found |= self._starting(words[0])
                continue
            maybe = np.logical_and.reduce([self._starting(word) for word in words])
            candidates = np.flatnonzero(maybe & ~found)
            phrase = r"\b" + re.escape(term)
            found[candidates[self.texts.iloc[candidates].str.contains(phrase, regex=True).to_numpy(dtype=bool)]] = True
        return found

    def rows_of(self, matched: np.ndarray, relevance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows holding the `matched` texts, and each one's relevance (its text's)."""
        lengths = self.text_starts[matched + 1] - self.text_starts[matched]
        before = np.cumsum(lengths) - lengths
        at = np.repeat(self.text_starts[matched] - before, lengths) + np.arange(int(lengths.sum()))
        return self.text_rows[at], np.repeat(relevance[matched], lengths)


def search_page(ids: np.ndarray, ranked: np.ndarray, page: int, limit: int) -> dict[str, Any]:
    """A site search's answer in the vendor's JSON: page `page` (1 first) of `limit` of the `ranked` rows' `ids`,
    with the totals (a page past the last holds no items)."""
    ids = ids[ranked[(page - 1) * limit: page * limit]]
    return {"totalItems": len(ranked), "totalPages": math.ceil(len(ranked) / limit), "currentPage": page,
            "items": [str(pid) for pid in ids]}


def detailed_products(frame: pd.DataFrame, ranked: np.ndarray, size: str | None, most: int) -> list[dict[str, Any]]:
    """The first `most` of the `ranked` rows, of `size` when given and the catalog has sizes (any of a product's
    sizes, written "P, M, G", compared case-insensitively), as a detailed search's products in the vendor's JSON."""
    wanted = size.strip() if size and size.strip() else None
    if wanted is not None and "size" in frame.columns:
        sizes = frame["size"].iloc[ranked].fillna("").astype("str").str.casefold()
        pattern = r"(?:^|[,;|])\s*" + re.escape(wanted.casefold()) + r"\s*(?:$|[,;|])"
        ranked = ranked[sizes.str.contains(pattern, regex=True).to_numpy(dtype=bool, na_value=False)]
    return [_details(frame.iloc[row], wanted) for row in ranked[:most]]


def _details(row: pd.Series, size: str | None) -> dict[str, Any]:
    """One product of a detailed answer, from its catalog row (no sale price in a catalog: the price)."""
    def value(name: str) -> Any:  # Any: a catalog cell, whatever its column holds
        cell = row.get(name)
        return None if cell is None or pd.isna(cell) else cell

    price = value("price")
    price = None if price is None else round(float(price), 2)
    image, sku, product_id = value("image_url"), value("sku"), str(row["product_id"])
    product = {"productId": product_id, "sku": str(sku if sku is not None else product_id),
               "name": str(value("name") or ""), "images": [str(image)] if image else [], "price": price,
               "salePrice": price, "link": STORE_LINK.format(product_id=quote(product_id, safe=""))}
    shown_size = size if size is not None else value("size")
    if shown_size is not None:
        product["size"] = str(shown_size)
    return product
