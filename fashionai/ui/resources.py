"""What the pages share, built once per server (st.cache_resource) or once per browser session:
settings, catalogs, clients, fault drills and the history store.

Shared by every browser session, built once:
    - the server's catalog (``FASHIONAI_CATALOG`` or the bundled sample), and uploads by content
    - the live client, one per (endpoint, timeout, token)
    - one simulator, and a client over it, per catalog
    - the history store
The catalog library (fashionai.catalog.library), in the history's database, shared the same way (the
team's activity log and role table too: `fashionai.ui.team_resources`);
which catalog a browser session uses is `fashionai.ui.catalog_choice`'s. Per browser session: its
timeout, and a fault drill (`session_faults`) with, while it is on, a client of its own over
the shared simulator that meets those faults and no one else does.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

from fashionai.api import redaction
from fashionai.api.client import Exchange, FashionAIClient
from fashionai.audit.store import AuditStore
from fashionai.catalog import Catalog, CatalogError, CatalogHealth, load_catalog
from fashionai.catalog.library import CatalogLibrary
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.catalog.uploads import UPLOAD_MEMORY_BYTES, Upload, UploadStore
from fashionai.config import (
    AuditConfig,
    ConfigError,
    HistoryError,
    LibraryConfig,
    Settings,
    resolve_audit_config,
    resolve_image_hosts,
    resolve_library_config,
    resolve_settings,
)
from fashionai.domain import Backend
from fashionai.history import HistoryStore, snapshot_from_exchange
from fashionai.journeys.journey import Journey
from fashionai.journeys.personas import builtin_personas
from fashionai.simulator import IN_PROCESS_BASE_URL, IN_PROCESS_TOKEN, Faults, Simulator, SimulatorTransport
from fashionai.simulator.server import API_PREFIX as SIMULATOR_API_PREFIX
from fashionai.simulator.server import DEFAULT_PORT as DEFAULT_SIMULATOR_PORT
from fashionai.team import Action, can
from fashionai.team.activity import CallCounter
from fashionai.ui.deployment import history_config, read_secrets
from fashionai.ui.frame import ensure_frame
from fashionai.ui.person import current_person
from fashionai.ui.session import (
    DRILL_CLIENT_KEY,
    FAULTS_KEY,
    LIVE_CALLS_KEY,
    TIMEOUT_KEY,
)

log = logging.getLogger(__package__)  # "fashionai.ui": the whole adapter logs under one name

SIMULATOR_BASE_URL = IN_PROCESS_BASE_URL
"""The in-process simulator's address: requests never leave the server process."""


def simulator_base_url(port: int | None = None) -> str:
    """The address of ``python -m fashionai simulate`` on this machine (its own default port unless given)."""
    return f"http://127.0.0.1:{port or DEFAULT_SIMULATOR_PORT}{SIMULATOR_API_PREFIX}"


# --------------------------------------------------------------------------- settings


def get_settings() -> Settings:
    """The settings in force for this run (environment, then secrets). Raises ConfigError.

    From the first call on, the token is scrubbed from every log record (fashionai.api.redaction).
    Every page calls this first, so it also makes sure the page runs inside the frame.
    """
    ensure_frame()
    settings = resolve_settings(os.environ, read_secrets())
    redaction.protect(settings.token)
    chosen = st.session_state.get(TIMEOUT_KEY)
    if chosen is not None:
        try:
            settings = settings.with_session_timeout(chosen)
        except ConfigError:  # the deployment's default changed under it: the default again
            st.session_state.pop(TIMEOUT_KEY, None)
    return settings


# --------------------------------------------------------------------------- catalogs


def _columns_key(columns: Mapping[str, str | None] | None) -> str:
    return json.dumps(dict(columns or {}), sort_keys=True)


@st.cache_resource(show_spinner=False, max_entries=4)
def _server_catalog(path: str, modified: float, columns: str = "{}") -> Catalog:
    return load_catalog(Path(path), columns=json.loads(columns) or None)


def server_catalog(settings: Settings, *, columns: Mapping[str, str | None] | None = None) -> Catalog:
    """The deployment's catalog: FASHIONAI_CATALOG, else the bundled sample. Raises CatalogError.

    `columns` overrides the detected column mapping (see load_catalog)."""
    path = settings.catalog_path or SAMPLE_CATALOG_PATH
    try:
        modified = path.stat().st_mtime
    except OSError as err:
        raise CatalogError(
            f"The catalog file set in FASHIONAI_CATALOG ({path}) cannot be opened: {err.strerror}. "
            "Fix the path or unset FASHIONAI_CATALOG to use the bundled sample."
        ) from err
    return _server_catalog(str(path), modified, _columns_key(columns))


def server_catalog_name(settings: Settings) -> str:
    return settings.catalog_path.name if settings.catalog_path else "bundled sample catalog"


@st.cache_resource(show_spinner=False)
def _upload_store() -> UploadStore:
    """The server's uploaded catalogs: at most UPLOAD_MEMORY_BYTES of them, each only while a
    browser session holds its Upload (see fashionai.catalog.uploads)."""
    return UploadStore(UPLOAD_MEMORY_BYTES)


def load_upload(data: bytes, *, columns: Mapping[str, str | None] | None = None,
                name: str | None = None) -> Upload:
    """Parse an uploaded catalog, once per distinct content and column mapping while a session
    holds it: the same bytes twice parse once, whatever the file is called. Raises CatalogError."""
    return _upload_store().open(data, columns=columns, name=name)


# --------------------------------------------------------------------------- the catalog library
# Uploaded catalogs kept on the server, in the history's database (fashionai.catalog.library).
# A library that cannot be used never stops a page: the session's catalog works in memory.


@st.cache_resource(show_spinner=False, max_entries=2)
def _catalog_library(url_digest: str, max_bytes: int | None, max_count: int | None, _url: str) -> CatalogLibrary:
    return CatalogLibrary(_url, max_bytes=max_bytes, max_count=max_count)


def library_config() -> LibraryConfig:
    """What the catalog library keeps. Raises LibraryError (or ConfigError for bad secrets)."""
    return resolve_library_config(os.environ, read_secrets())


def catalog_library() -> CatalogLibrary:
    """The deployment's catalog library, in the history's database, shared by every browser session.
    Raises LibraryError, HistoryError, ConfigError."""
    url, limits = history_config().url, library_config()
    digest = hashlib.sha256(url.encode()).hexdigest()  # the URL may hold a password: not a cache key
    return _catalog_library(digest, limits.max_bytes, limits.max_count, url)


def upload_limit() -> str:
    """The largest file this server accepts, in words: Streamlit's server.maxUploadSize (megabytes).

    A bigger file never reaches the app: the browser refuses it with Streamlit's own message.
    """
    return f"{st.get_option('server.maxUploadSize'):,} MB"


@st.cache_resource(show_spinner=False, max_entries=8)
def _health(fingerprint: str, _catalog: Catalog) -> CatalogHealth:
    return _catalog.health()


def catalog_health(catalog: Catalog) -> CatalogHealth:
    """The catalog's health figures, computed once per catalog and shared read-only."""
    return _health(catalog.fingerprint, catalog)


@st.cache_resource(show_spinner=False, max_entries=8)
def _personas(fingerprint: str, _catalog: Catalog) -> tuple[Journey, ...]:
    return tuple(builtin_personas(_catalog))


def personas(catalog: Catalog) -> tuple[Journey, ...]:
    """The demo personas made from this catalog, built once per catalog and shared read-only."""
    return _personas(catalog.fingerprint, catalog)


# --------------------------------------------------------------------------- clients


@st.cache_resource(show_spinner=False, max_entries=4)
def _live_client(base_url: str, token_digest: str, _token: str) -> FashionAIClient:
    return FashionAIClient(_token, base_url=base_url, on_exchange=_recorder(Backend.LIVE))


_SIMULATORS: weakref.WeakKeyDictionary[Catalog, tuple[Simulator, FashionAIClient]] = weakref.WeakKeyDictionary()
"""A simulator, and the shared client over it, for each catalog in use, held only while the
Catalog itself lives: the server's catalog for as long as the server runs, an upload's until
the upload store lets it go (its last session ended; see fashionai.catalog.uploads). A simulator
indexes the whole catalog, so one kept after its upload would hold as much memory again."""
_SIMULATORS_LOCK = threading.Lock()


def _simulator_and_client(catalog: Catalog) -> tuple[Simulator, FashionAIClient]:
    with _SIMULATORS_LOCK:
        held = _SIMULATORS.get(catalog)
        if held is None:
            simulator = Simulator(catalog.products)
            client = FashionAIClient(
                IN_PROCESS_TOKEN,
                base_url=SIMULATOR_BASE_URL,
                transport=SimulatorTransport(simulator),
                on_exchange=_recorder(Backend.SIMULATOR),
            )
            held = _SIMULATORS[catalog] = (simulator, client)
        return held


def get_simulator(catalog: Catalog) -> Simulator:
    return _simulator_and_client(catalog)[0]


def get_client(settings: Settings, catalog: Catalog) -> FashionAIClient:
    """The shared client for this backend, with this browser session's timeout (its connections
    are shared all the same); the simulator ranks the session's own catalog.

    On the simulator with a fault drill on, this browser session's own drill client. Each answer is saved in
    the history as the person's (`_owner`), when the person may save snapshots: a viewer's previews are not
    kept; a live client also counts this browser session's calls (`live_call_counter`) for the activity log.
    """
    owner = _owner()
    if settings.is_live:
        digest = hashlib.sha256((settings.token or "").encode()).hexdigest()
        client = _live_client(settings.base_url, digest, settings.token or "").with_timeout(settings.timeout)
        return client.with_observer(live_call_counter().observing(_session_recorder(Backend.LIVE, owner)))
    faults = session_faults()
    if faults is not None:
        return _drill_client(settings, catalog, faults, owner)
    client = _simulator_and_client(catalog)[1].with_timeout(settings.timeout)
    return client.with_observer(_session_recorder(Backend.SIMULATOR, owner))


def _owner() -> str | None:
    """Who this browser session's snapshots belong to: the person's e-mail ("local" without sign-in); None when
    the person may not save snapshots (a viewer: their previews are not kept in the history)."""
    person = current_person()
    return (person.email or None) if can(person, Action.SAVE_SNAPSHOT) else None


def _session_recorder(backend: str, owner: str | None) -> Callable[[Exchange], None] | None:
    """This browser session's on_exchange: its answers saved as `owner`'s; none saved without an owner."""
    return _recorder(backend, owner) if owner is not None else None


def live_call_counter() -> CallCounter:
    """This browser session's count of live calls since the activity log last took it."""
    counter = st.session_state.get(LIVE_CALLS_KEY)
    if not isinstance(counter, CallCounter):
        counter = st.session_state[LIVE_CALLS_KEY] = CallCounter()
    return counter


# --- fault drills -------------------------------------------------------------------------
# A merchandiser can make the simulator misbehave (fashionai.simulator.faults) for a demo or
# a drill. The faults live in the browser session that set them: a colleague's session
# keeps the shared, faultless client. Rankings still come from the shared simulator, so a
# session's history is the same with and without a drill.


def session_faults() -> Faults | None:
    """This browser session's fault drill, or None when none is on."""
    faults = st.session_state.get(FAULTS_KEY)
    return faults if isinstance(faults, Faults) and faults.active else None


def set_session_faults(faults: Faults | None) -> None:
    """Turn this browser session's fault drill on (`faults`) or off (None, or faults that are all off)."""
    _close_drill_client()
    if faults is not None and faults.active:
        st.session_state[FAULTS_KEY] = faults
    else:
        st.session_state.pop(FAULTS_KEY, None)


def _close_drill_client() -> None:
    held = st.session_state.pop(DRILL_CLIENT_KEY, None)
    if held is not None:
        held[-1].close()


def _drill_client(settings: Settings, catalog: Catalog, faults: Faults, owner: str | None) -> FashionAIClient:
    """A client over the shared simulator meeting `faults`: one per browser session, kept while in use."""
    held = st.session_state.get(DRILL_CLIENT_KEY)
    if held is not None and held[:2] == (catalog.fingerprint, settings.timeout) and held[2] is faults \
            and held[3] == owner:
        return held[-1]
    _close_drill_client()  # another catalog, timeout or drill: its client is done with
    client = FashionAIClient(
        IN_PROCESS_TOKEN,
        base_url=SIMULATOR_BASE_URL,
        timeout=settings.timeout,
        transport=SimulatorTransport(get_simulator(catalog), faults=faults),
        on_exchange=_session_recorder(Backend.SIMULATOR, owner),
    )
    st.session_state[DRILL_CLIENT_KEY] = (catalog.fingerprint, settings.timeout, faults, owner, client)
    return client


# --------------------------------------------------------------------------- the history
# Every answer is saved as a snapshot (fashionai.history). A broken history never breaks a
# preview: it is logged and the page goes on.


@st.cache_resource(show_spinner=False, max_entries=2)
def _history_store(url_digest: str, max_age_days: float | None, max_count: int | None, _url: str) -> HistoryStore:
    return HistoryStore(_url, max_age_days=max_age_days, max_count=max_count)


def history_store() -> HistoryStore:
    """The deployment's history, shared by every browser session. Raises HistoryError, ConfigError."""
    config = history_config()
    digest = hashlib.sha256(config.url.encode()).hexdigest()  # the URL may hold a password: not a cache key
    return _history_store(digest, config.max_age_days, config.max_count, config.url)


def _recorder(backend: str, owner: str | None = None) -> Callable[[Exchange], None] | None:
    """A client's on_exchange: save every answer (and failure) as a snapshot of `backend`, made by `owner`."""
    try:
        store = history_store()
    except (HistoryError, ConfigError) as err:
        log.warning("The history is off, nothing will be saved: %s", err)
        return None

    def record(exchange: Exchange) -> None:
        try:
            store.record(snapshot_from_exchange(exchange, backend), owner=owner)
        except Exception as err:  # noqa: BLE001 - the preview matters more than its snapshot
            log.warning("The history (%s) could not save a snapshot: %s: %s", store.display_url,
                        type(err).__name__, str(err).splitlines()[0][:200] if str(err) else "")

    return record


# --------------------------------------------------------------------------- audits
# Audits are kept in the history's database, beside the snapshots they are made of.


@st.cache_resource(show_spinner=False, max_entries=2)
def _audit_store(url_digest: str, _history: HistoryStore) -> AuditStore:
    return AuditStore(_history)


def audit_store() -> AuditStore:
    """The deployment's audits (plans, runs), over its history. Raises HistoryError, ConfigError."""
    history = history_store()
    return _audit_store(hashlib.sha256(history_config().url.encode()).hexdigest(), history)


def audit_config() -> AuditConfig:
    """What an audit may do here (its call cap). Raises ConfigError."""
    return resolve_audit_config(os.environ, read_secrets())


def image_hosts() -> tuple[str, ...]:
    """The hosts a deck or a report may fetch product pictures from (none by default). Raises ConfigError."""
    return resolve_image_hosts(os.environ, read_secrets())
