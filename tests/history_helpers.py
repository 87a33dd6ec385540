"""What the history's tests share: a snapshot maker, a fixed moment, and the stores to run on.

Every test that takes ``store_url`` (or ``store``) runs once per store: SQLite always;
PostgreSQL in a schema of its own (dropped afterwards) when FASHIONAI_TEST_POSTGRES_URL
names a server, else skipped. The variable is set by ``.ci/run`` (see ``.ci/postgres.sh``)
or by hand::

    FASHIONAI_TEST_POSTGRES_URL=postgresql://user:pw@127.0.0.1:5432/db .venv/bin/python -m pytest tests/test_history*.py

A test module takes the fixtures by naming them: ``store_url, store = history_helpers.store_url, history_helpers.store``.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from fashionai.config import normalize_url
from fashionai.history import HistoryStore, Snapshot

POSTGRES_ENV = "FASHIONAI_TEST_POSTGRES_URL"
NOW = datetime(2026, 4, 17, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store address: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'data' / 'history.db').as_posix()}"
        return
    base = os.environ.get(POSTGRES_ENV, "").strip()
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    url = normalize_url(base)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(store_url):
    """An empty store on each database, keeping everything (no retention)."""
    opened = HistoryStore(store_url, max_age_days=None, max_count=None)
    yield opened
    opened.close()


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
