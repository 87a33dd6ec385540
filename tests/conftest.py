"""Shared fixtures: AppTest runs of the real app, caches cleared, a misbehaving live API."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit import config as st_config
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from fashionai.config import normalize_url
from fashionai.history import HistoryStore
from fashionai.ui import frame
from tests.fakeapi import FakeAPI, start_fake_api, stop_fake_api
from tests.history_helpers import POSTGRES_ENV

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ENV_VARS = ("FASHIONAI_APP_TOKEN", "FASHIONAI_BASE_URL", "FASHIONAI_BACKEND", "FASHIONAI_CATALOG",
            "FASHIONAI_TIMEOUT", "FASHIONAI_CURRENCY", "FASHIONAI_HISTORY_URL",
            "FASHIONAI_HISTORY_MAX_AGE_DAYS", "FASHIONAI_HISTORY_MAX_COUNT", "FASHIONAI_LIBRARY_MAX_BYTES",
            "FASHIONAI_LIBRARY_MAX_COUNT", "FASHIONAI_ROLE_CLAIM", "FASHIONAI_ALLOW_ANONYMOUS", "FASHIONAI_ADMINS",
            "FASHIONAI_ROLE_MAP")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch, tmp_path):
    """Every test starts on the simulator with no secrets, whatever the developer's shell holds,
    and with its own empty history (never the developer's real one)."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FASHIONAI_HISTORY_URL", (tmp_path / "history.db").as_posix())
    monkeypatch.chdir(ROOT)


@pytest.fixture(autouse=True)
def _served_on_loopback():
    """The app served on 127.0.0.1, as the browser suite serves it (a live token beyond loopback without
    sign-in sends no live call: tests/pages/test_sign_in.py changes the address to test that)."""
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "127.0.0.1")
    yield
    st_config.set_option("server.address", before)


@pytest.fixture
def app(monkeypatch) -> AppTest:
    """The whole app (frame and pages) under AppTest, with empty caches.

    AppTest resets what Streamlit knows about the app's navigation whenever it builds its
    PagesManager; this fixture then tells it, as the app does (fashionai.ui.frame, which
    says why), that the pages are listed with st.navigation.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        frame.assume_navigation()

    monkeypatch.setattr(PagesManager, "__init__", init)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    yield at
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def fake_api(monkeypatch) -> FakeAPI:
    """A loopback stand-in for the live API; the app is pointed at it with a token."""
    api = start_fake_api()
    monkeypatch.setenv("FASHIONAI_APP_TOKEN", "live-token-SECRET-7d3f")
    monkeypatch.setenv("FASHIONAI_BASE_URL", api.base_url)
    monkeypatch.setenv("FASHIONAI_TIMEOUT", "2")
    yield api
    stop_fake_api(api)


# the stores' database, once per database (SQLite always; PostgreSQL when FASHIONAI_TEST_POSTGRES_URL names a
# server, see tests/history_helpers.py): the history, the catalog library, the audits, the team's tables


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
