"""Fixtures of the unit tests: the stores' database, once per database (SQLite always; PostgreSQL when
FASHIONAI_TEST_POSTGRES_URL names a server, see tests/history_helpers.py), for the history, the catalog library and
the audits alike."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from fashionai.config import normalize_url
from fashionai.history import HistoryStore
from tests.history_helpers import POSTGRES_ENV


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
