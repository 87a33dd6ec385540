"""The history: every answer the app received from Fashion.AI or the simulator, kept as snapshots.

    store = HistoryStore(default_history_url())
    store.record(snapshot_from_exchange(exchange, backend="simulator"))
    store.query(Filters(session_id="sess-1", since=yesterday))   # newest first
    store.get(["3f2a…", "9c1b…"])                                 # in the order asked
    store.summaries(Filters(session_id="sess-1"))                 # the same, without the ranked ids

The rooms of the history:

    model.py      Snapshot, SnapshotSummary, Filters, ImportResult, the errors, snapshots_frame
    store.py      HistoryStore: SQLite or PostgreSQL, the schema, retention, snapshots' names (a table of
                  their own: set_name, names) (its SQL in _sql.py, its database in _database.py
                  on `fashionai.database`, its failures in the history's words in _failures.py)
    transfer.py   the JSON export, and the import's checks

Its settings (where it lives, what it keeps) are with the others in `fashionai.config`.
A saved answer opens as what it showed through the rules of its own room:
`fashionai.storefront.preview` (storefront_from_snapshot, look_from_snapshot,
recommendation_from_snapshot, search_from_snapshot) and `fashionai.compare.replay` (compare_snapshots,
replay_comparison, snapshot_lane), imported from there: the history is a store, below the rooms that
read it, and imports none of them.
"""

from fashionai.config import (
    DEFAULT_MAX_AGE_DAYS,
    DEFAULT_MAX_COUNT,
    HistoryConfig,
    HistoryError,
    default_history_url,
    normalize_url,
    resolve_history_config,
)
from fashionai.database import BUSY_TIMEOUT
from fashionai.history._sql import FILTER_COLUMNS, MAX_GET, names_table, slices_table, snapshots_table, totals_table
from fashionai.history.model import (
    CORRUPT,
    FAILED,
    FIRST_PRODUCTS,
    FUTURE_TOLERANCE,
    MAX_NAME,
    MISSING_FOLDER,
    READ_ONLY,
    UNREACHABLE,
    Filters,
    HistoryImportError,
    HistoryUnavailable,
    ImportResult,
    Snapshot,
    SnapshotSummary,
    snapshot_from_exchange,
    snapshots_frame,
)
from fashionai.history.store import DEFAULT_LIMIT, RETENTION_EVERY, HistoryStore
from fashionai.history.transfer import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_SNAPSHOTS,
    MAX_PRODUCTS,
    snapshot_to_dict,
    snapshots_from_json,
    snapshots_to_json,
)

__all__ = [
    "BUSY_TIMEOUT",
    "CORRUPT",
    "DEFAULT_LIMIT",
    "DEFAULT_MAX_AGE_DAYS",
    "DEFAULT_MAX_COUNT",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "FAILED",
    "FILTER_COLUMNS",
    "FIRST_PRODUCTS",
    "FUTURE_TOLERANCE",
    "MAX_GET",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_SNAPSHOTS",
    "MAX_NAME",
    "MAX_PRODUCTS",
    "MISSING_FOLDER",
    "READ_ONLY",
    "RETENTION_EVERY",
    "UNREACHABLE",
    "Filters",
    "HistoryConfig",
    "HistoryError",
    "HistoryImportError",
    "HistoryStore",
    "HistoryUnavailable",
    "ImportResult",
    "Snapshot",
    "SnapshotSummary",
    "default_history_url",
    "normalize_url",
    "resolve_history_config",
    "snapshot_from_exchange",
    "snapshot_to_dict",
    "snapshots_frame",
    "snapshots_from_json",
    "names_table",
    "slices_table",
    "snapshots_table",
    "totals_table",
    "snapshots_to_json",
]
