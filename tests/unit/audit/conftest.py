"""Fixtures of the audit's tests: the sample catalog and the audit CLI's working folder (the audit store on a
throwaway SQLite history, `audits`, is tests/unit/conftest.py's). A module that needs another catalog or store
(the scorecard's tiny catalog, the store's tests on both databases) defines its own fixture of the same name,
which pytest prefers."""

from __future__ import annotations

import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH


@pytest.fixture(scope="module")
def catalog():
    """The bundled sample catalog, read once a module."""
    return load_catalog(SAMPLE_CATALOG_PATH)


@pytest.fixture
def cli_environment(tmp_path, monkeypatch):
    """The audit CLI as a user runs it, on the suite's clean environment (tests/conftest.py: no token, so the
    simulator; a throwaway history): besides, no call cap from the shell and no secrets file in the working
    folder."""
    monkeypatch.delenv("FASHIONAI_AUDIT_MAX_CALLS", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def shell_environment(tmp_path, monkeypatch):
    """What `python -m fashionai audit ...` reads, for a test: a throwaway history, no token (the simulator), no
    catalog setting, no call cap, and no secrets file in the working folder."""
    for name in ("FASHIONAI_APP_TOKEN", "FASHIONAI_BACKEND", "FASHIONAI_CATALOG", "FASHIONAI_AUDIT_MAX_CALLS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", str(tmp_path / "history.db"))
    monkeypatch.chdir(tmp_path)
