"""Fixtures of more than one room's unit tests: an audit store on a throwaway SQLite history (the audit's runs, and
the explain room's experiments, which are audit runs). A module that needs another store (both databases, a page's
store) defines its own fixture of the same name, which pytest prefers."""

from __future__ import annotations

import pytest

from fashionai.audit.store import AuditStore
from fashionai.history import HistoryStore


@pytest.fixture
def audits(tmp_path):
    """An empty audit store on a SQLite history of its own, keeping everything."""
    history = HistoryStore(f"sqlite:///{(tmp_path / 'history.db').as_posix()}", max_age_days=None, max_count=None)
    yield AuditStore(history)
    history.close()
