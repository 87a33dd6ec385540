"""A catalog's rows packed for joining: one read of memory a product for most of its columns.

`join_ranking` takes a thousand scattered rows out of a catalog of a million. Taken column by
column, each row costs a read in every column's arrays (a text column's offsets and bytes, a
number's values and mask), each far from the last in memory: in a million-product catalog those
reads, not the work, made a join about 1.6 times slower than in a catalog of a thousand. So the
columns that fit are packed side by side, a row of a few dozen bytes a product (`RowStore`):

    numbers (Int64, Float64, boolean)       their value and whether it is missing
    text with few values (category, brand)  a code into its distinct values (kept once, in order of
                                            first appearance)

and a join reads one packed row a product, then the columns that do not fit (names, image
addresses: text whose every value differs) as before. What it returns is exactly what taking each
column would: the same arrays, dtypes and missing values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["RowStore"]

SAMPLE_ROWS = 4096
"""The rows a text column's first values are counted over before it is coded in full: it is, when they hold
at most one distinct value in four."""
MOST_CODES = 1 << 15
"""Text with more distinct values than this (int16 codes) is taken as it is: a dictionary that large
would hold again much of what the column holds."""

_NUMBERS = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


class RowStore:
    """The packed rows of a frame's columns that fit (`take` gives every column)."""

    def __init__(self, products: pd.DataFrame) -> None:
        self._columns = list(products.columns)
        self._plain: dict[str, pd.api.extensions.ExtensionArray] = {}  # taken column by column
        self._numbers: dict[str, type] = {}  # name -> its array class, rebuilt from value and mask
        self._values: dict[str, pd.api.extensions.ExtensionArray] = {}  # coded text: its distinct values
        packed: dict[str, np.ndarray] = {}
        for name in self._columns:
            array = products[name].array
            if isinstance(array, _NUMBERS):
                self._numbers[name] = type(array)
                packed[name] = array.to_numpy(dtype=array.dtype.numpy_dtype, na_value=0)
                packed[_mask(name)] = np.asarray(array.isna())
            elif (coded := _coded(array)) is not None:
                packed[name], self._values[name] = coded
            else:
                self._plain[name] = array
        self._rows = np.empty(len(products), dtype=[(key, values.dtype) for key, values in packed.items()])
        for key, values in packed.items():
            self._rows[key] = values

    @property
    def nbytes(self) -> int:
        """The memory of the packed rows and of the coded columns' distinct values."""
        return self._rows.nbytes + sum(int(values.nbytes) for values in self._values.values())

    def take(self, positions: np.ndarray) -> dict[str, pd.api.extensions.ExtensionArray]:
        """Each column's values at `positions` (-1: missing), in the frame's order, as
        `products[name].array.take(positions, allow_fill=True)` gives them."""
        missing = positions < 0
        if len(self._rows):
            rows = self._rows[np.where(missing, 0, positions)]
        else:  # nothing to read: every position is -1
            rows = np.zeros(len(positions), dtype=self._rows.dtype)
        taken = {}
        for name in self._columns:
            if name in self._plain:
                taken[name] = self._plain[name].take(positions, allow_fill=True)
            elif name in self._numbers:
                values = rows[name].copy()
                values[missing] = 0
                taken[name] = self._numbers[name](values, rows[_mask(name)] | missing)
            else:
                codes = rows[name].astype(np.intp)
                codes[missing] = -1
                taken[name] = self._values[name].take(codes, allow_fill=True)
        return taken


def _mask(name: str) -> str:
    return f"{name}\0missing"  # a packed field's name no column of a file can have


def _coded(array: pd.api.extensions.ExtensionArray) -> tuple[np.ndarray, pd.api.extensions.ExtensionArray] | None:
    """A text column's codes (int16, -1 where missing) and its distinct values, when it has few."""
    if not isinstance(array, pd.arrays.ArrowStringArray):
        return None
    text = pa.array(array)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    sample = text.slice(0, SAMPLE_ROWS)
    if pc.count_distinct(sample, mode="all").as_py() > len(sample) // 4:
        return None  # mostly different values (names, addresses): not worth a dictionary
    encoded = pc.dictionary_encode(text)
    if len(encoded.dictionary) > MOST_CODES:
        return None
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int16)
    return codes, type(array)(encoded.dictionary, dtype=array.dtype)
