"""The store's catalog: read a file, map its columns to our fields, join rankings against it.

    catalog = load_catalog("produtos.csv")          # path, bytes or binary file object
    catalog.products                                # DataFrame indexed by product id
    join_ranking(catalog, ["0042", "0007", "9999"]) # one row per ranked id, in order

The rooms: `load` reads the file (``_csvsniff`` finds its encoding and separator),
`columns` maps its columns to our fields, ``_frame`` builds the frame (``_values`` reads
prices and stock, ``_ids`` indexes the ids), `model` is the `Catalog` and what is asked of
it; `stock` is the stock rule every surface calls. `report` words a catalog's health and reconciles
answers with it; `sample` is the
built-in catalog; `uploads` keeps uploaded catalogs in memory. The public names are
importable from here.
"""

from fashionai.catalog._values import fold, fold_str  # text as searches compare it: no case, no accents
from fashionai.catalog.columns import detect_columns
from fashionai.catalog.load import MAX_BAD_LINES_SHARE, MAX_COLUMNS, READ_BLOCK_BYTES, Source, load_catalog
from fashionai.catalog.model import (
    CORE_FIELDS,
    FIELDS,
    MAX_ID_CHARS,
    Catalog,
    CatalogError,
    CatalogHealth,
    join_ranking,
)

__all__ = [
    "CORE_FIELDS",
    "FIELDS",
    "MAX_BAD_LINES_SHARE",
    "MAX_COLUMNS",
    "MAX_ID_CHARS",
    "READ_BLOCK_BYTES",
    "Catalog",
    "CatalogError",
    "CatalogHealth",
    "Source",
    "detect_columns",
    "fold",
    "fold_str",
    "join_ranking",
    "load_catalog",
]
