"""Fixtures of the page tests (AppTest runs of the real app; `app` itself is in tests/conftest.py).

Every test here runs the app's scripts, seconds rather than milliseconds: they are all
marked ``slow`` (``python3 dev.py test -m "not browser and not slow"`` is the quick loop).
"""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.history import HistoryStore
from fashionai.team import LOCAL_PERSON


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def studio(app) -> AppTest:
    """The whole app (frame and pages), caches cleared: the history page's tests' name for `app`."""
    return app


@pytest.fixture(scope="module")
def catalog():
    """The bundled sample catalog, loaded once a module."""
    return load_catalog(SAMPLE_CATALOG_PATH)


class LocalUsersHistory(HistoryStore):
    """The history as the local user's pages fill it: a snapshot recorded without an owner is the local user's
    (the History page opens on "Mine"); `owner=None` given says "made before owners were recorded"."""

    def record(self, snapshot, *, also=None, owner: str | None = LOCAL_PERSON.email):
        return super().record(snapshot, also=also, owner=owner)


@pytest.fixture
def store():
    """The history the app will open (tests/conftest.py points FASHIONAI_HISTORY_URL at a tmp file)."""
    opened = LocalUsersHistory(os.environ["FASHIONAI_HISTORY_URL"])
    yield opened
    opened.close()
