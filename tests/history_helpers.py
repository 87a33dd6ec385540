"""What the history's tests share: a snapshot maker, a fixed moment, and the stores to run on.

Every test that takes ``store_url`` (or ``store``) runs once per store: SQLite always;
PostgreSQL in a schema of its own (dropped afterwards) when FASHIONAI_TEST_POSTGRES_URL
names a server, else skipped. The variable is set by ``.ci/run`` (see ``.ci/postgres.sh``)
or by hand::

    FASHIONAI_TEST_POSTGRES_URL=postgresql://user:pw@127.0.0.1:5432/db .venv/bin/python -m pytest tests/test_history*.py

The fixtures ``store_url`` and ``store`` are in tests/unit/conftest.py.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone


from fashionai.history import Snapshot

POSTGRES_ENV = "FASHIONAI_TEST_POSTGRES_URL"
NOW = datetime(2026, 4, 17, 12, 0, tzinfo=timezone.utc)


def snap(**changes) -> Snapshot:
    """A successful categoryView snapshot of session sess-1 at NOW, with `changes`."""
    values = dict(
        id=uuid.uuid4().hex, recorded_at=NOW, backend="simulator",
        endpoint="http://simulator.local/api/v1/products/protected/recommendation",
        event_type="categoryView", session_id="sess-1", user_id=None, item_id="dresses",
        products=("p3", "p1", "p2"), elapsed=0.0123, attempts=1, status_code=200, error=None,
    )
    return Snapshot(**(values | changes))


def old_history(path) -> str:
    """A SQLite history file as an earlier version made it (the snapshots' table alone, one snapshot of id "a"*32):
    its address."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE fashionai_snapshots (id VARCHAR(32) PRIMARY KEY, recorded_at DATETIME NOT NULL, "
                     "backend VARCHAR(16) NOT NULL, endpoint TEXT NOT NULL, event_type VARCHAR(32) NOT NULL, "
                     "session_id TEXT, user_id TEXT, item_id TEXT, products TEXT NOT NULL, product_count INTEGER "
                     "NOT NULL, elapsed FLOAT NOT NULL, attempts INTEGER NOT NULL, status_code INTEGER, "
                     "error VARCHAR(100))")
        conn.execute("INSERT INTO fashionai_snapshots VALUES ('" + "a" * 32 + "', '2026-04-17 12:00:00', "
                     "'simulator', 'http://x', 'categoryView', 's', NULL, 'Dresses', '[\"1\"]', 1, 0.1, 1, 200, NULL)")
    return f"sqlite:///{path.as_posix()}"
