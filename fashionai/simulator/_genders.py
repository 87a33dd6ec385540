"""A catalog's gender column read for the simulator's shelves: each product women's, men's or for anyone, and
the gender a category holds. The ranker (affinity.py) keeps a look, similar products and the home shelf to one."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

GENDER_WORDS = {
    1: frozenset({"f", "w", "fem", "female", "women", "woman", "womens", "feminino", "feminina", "mulher", "ladies"}),
    2: frozenset({"m", "male", "men", "man", "mens", "masculino", "masculina", "homem"}),
}
"""A gender column's words (folded: lower case, letters only) for women's (1) and men's (2) products; any
other value (unisex, blank, unknown) is 0, a product for anyone."""


def gender_codes(values: pd.Series) -> np.ndarray:
    """Each product's gender code (see GENDER_WORDS), 0 for every product when the catalog has no gender."""
    codes, uniques = pd.factorize(values.astype("object"))  # a few distinct values: each read once
    of_unique = np.zeros(len(uniques) + 1, dtype=np.int64)  # the last: a missing value
    for number, value in enumerate(uniques):
        folded = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", str(value)).lower())
        of_unique[number] = next((code for code, words in GENDER_WORDS.items() if folded in words), 0)
    return of_unique[codes]


def one_gender(genders: np.ndarray) -> int:
    """The gender all gendered products of a category share, or 0 (none, or both)."""
    present = set(np.unique(genders[genders > 0]).tolist())
    return present.pop() if len(present) == 1 else 0
