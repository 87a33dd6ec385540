"""A Catalog as the catalog library stores it, and back exactly: its frame as Parquet bytes, its other fields as
plain values (JSON), its fingerprint as given and its id lookup built again from the ids.

    blob, facts = catalog_parquet(catalog), catalog_facts(catalog)
    rebuild_catalog(catalog.fingerprint, blob, facts)  # the same frame, ids as text, the same facts
"""

from __future__ import annotations

import dataclasses
import io
from concurrent.futures import Future
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from fashionai.catalog._ids import IdLookup
from fashionai.catalog.model import Catalog

__all__ = ["catalog_facts", "catalog_parquet", "rebuild_catalog"]

REBUILT = ("products", "_fingerprint", "_lookup")
"""Catalog fields rebuilt from the products; every other field is kept as a plain value."""


def catalog_parquet(catalog: Catalog) -> bytes:
    """The catalog's frame (its id index kept) as Parquet bytes, compressed."""
    table = pa.Table.from_pandas(catalog.products, preserve_index=True)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def catalog_facts(catalog: Catalog) -> dict[str, Any]:
    """The Catalog's fields other than its frame, fingerprint and id lookup (all plain values)."""
    return {f.name: getattr(catalog, f.name) for f in dataclasses.fields(catalog) if f.name not in REBUILT}


def rebuild_catalog(fingerprint: str, blob: bytes, facts: dict[str, Any]) -> Catalog:
    """The Catalog again: its frame from the Parquet bytes, its id lookup from the ids, its facts as kept."""
    products = pq.read_table(pa.BufferReader(blob)).to_pandas()
    ids = pa.array(products.index.to_numpy(dtype=object), type=pa.string())
    done: Future[str] = Future()
    done.set_result(fingerprint)
    known = {f.name for f in dataclasses.fields(Catalog)} - set(REBUILT)
    return Catalog(products=products, _fingerprint=done, _lookup=IdLookup.of(ids),
                   **{name: value for name, value in facts.items() if name in known})
