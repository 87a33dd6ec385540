"""Stock per size, said once: how a stock-per-size extra file's rows (product id, size, stock) are kept in the
catalog, and read back.

    ids, texts, dropped, examples = size_stock_by_id(ids, sizes, stock)   # one text a product, its sizes in file order
    catalog.products[SIZE_STOCK]                                  # that text, NA for a product the file lacks
    sizes_of(catalog.products.at["0042", SIZE_STOCK])             # {"P": 3, "M": 0, "L": 0}

A product's sizes are kept in one text column (`SIZE_STOCK`, JSON: the sizes in the file's order), so that a
catalog with them stays one frame: stored in the library, joined and copied as every other column. Each size's
stock follows the stock rule (`catalog.stock`): a size at 0 or less is out of stock.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pyarrow as pa

__all__ = ["SIZE_STOCK", "size_stock_by_id", "sizes_of"]

SIZE_STOCK = "size_stock"
"""The catalog's column of stock per size (a stock-per-size extra file brings it)."""


def size_stock_by_id(ids: pa.Array, sizes: pa.Array,
                     stock: pa.Array) -> tuple[pa.Array, pa.Array, int, list[str]]:
    """The rows (id, size, stock; no nulls) as one text a product (distinct ids, in the file's order), the rows
    dropped because their id and size came earlier (the first row kept), and those rows' ids."""
    frame = pd.DataFrame({"id": ids.to_pylist(), "size": sizes.to_pylist(), "stock": stock.to_pylist()})
    repeated = frame.duplicated(["id", "size"], keep="first")
    twice = list(dict.fromkeys(frame.loc[repeated, "id"]))
    frame = frame[~repeated]
    texts = {pid: json.dumps(dict(zip(group["size"], (int(v) for v in group["stock"]), strict=True)),
                             ensure_ascii=False)
             for pid, group in frame.groupby("id", sort=False)}
    return (pa.array(list(texts), type=pa.large_string()), pa.array(list(texts.values()), type=pa.large_string()),
            int(repeated.sum()), twice)


def sizes_of(value: Any) -> dict[str, int] | None:
    """A product's stock per size ({size: stock}, in the file's order); None when the catalog has none for it."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    try:
        read = json.loads(str(value))
    except ValueError:
        return None
    if not isinstance(read, dict) or not read:
        return None
    return {str(size): int(stock) for size, stock in read.items() if isinstance(stock, int | float)}
