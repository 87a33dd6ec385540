"""Fixtures of the explain room's tests: the sample catalog and an audit store on a throwaway SQLite history."""

from __future__ import annotations

import pytest

from fashionai.audit.store import AuditStore
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.history import HistoryStore


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SAMPLE_CATALOG_PATH)


@pytest.fixture
def audits(tmp_path):
    history = HistoryStore(f"sqlite:///{(tmp_path / 'history.db').as_posix()}", max_age_days=None, max_count=None)
    yield AuditStore(history)
    history.close()
