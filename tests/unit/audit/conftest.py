"""Fixtures shared by the audit tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def shell_environment(tmp_path, monkeypatch):
    """What `python -m fashionai audit ...` reads, for a test: a throwaway history, no token (the simulator), no
    catalog setting, no call cap, and no secrets file in the working folder."""
    for name in ("FASHIONAI_APP_TOKEN", "FASHIONAI_BACKEND", "FASHIONAI_CATALOG", "FASHIONAI_AUDIT_MAX_CALLS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", str(tmp_path / "history.db"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def catalog():
    """The bundled sample catalog (a test module's own `catalog` fixture takes precedence)."""
    from fashionai.catalog import load_catalog
    from fashionai.catalog.sample import SAMPLE_CATALOG_PATH

    return load_catalog(SAMPLE_CATALOG_PATH)


@pytest.fixture
def audits(tmp_path):
    """An audit store on a throwaway SQLite history (a test module's own `audits` fixture takes precedence)."""
    from fashionai.audit.store import AuditStore
    from fashionai.history import HistoryStore

    history = HistoryStore(f"sqlite:///{(tmp_path / 'history.db').as_posix()}", max_age_days=None, max_count=None)
    yield AuditStore(history)
    history.close()
