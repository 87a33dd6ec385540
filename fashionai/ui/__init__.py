"""The one module of fashionai that imports Streamlit: cached resources and shared widgets.

Everything else in the package is plain Python, testable without a browser. Pages
read widgets, call the package, and render with the helpers below.

Resources (shared by every browser session, built once):
    - the live client, one per (endpoint, timeout, token)
    - one simulator, and a client over it, per catalog

Per browser session: a fault drill (`session_faults`) and, while it is on, a client of
its own over the shared simulator that meets those faults and no one else does.
    - the server's catalog (``FASHIONAI_CATALOG`` or the bundled sample), and uploads by content
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import threading
import uuid
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.pages_manager import PagesManager

from fashionai.api import redaction
from fashionai.api.client import Exchange, FashionAIClient, Recommendation
from fashionai.api.errors import FashionAIError
from fashionai.catalog import Catalog, CatalogError, CatalogHealth, load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.catalog.uploads import UPLOAD_MEMORY_BYTES, Upload, UploadStore
from fashionai.config import ConfigError, Settings, resolve_settings
from fashionai.domain import DEFAULT_K, DEFAULT_P, Backend
from fashionai.history import (
    HistoryConfig,
    HistoryError,
    HistoryStore,
    Snapshot,
    look_from_snapshot,
    replay_comparison,
    resolve_history_config,
    snapshot_from_exchange,
    storefront_from_snapshot,
)
from fashionai.journey import Journey
from fashionai.output import exports as exports_
from fashionai.output import share
from fashionai.output.present import (
    STOCK_BADGE_COLOR,
    code_span,
    column_title,
    escape_markdown,
    format_price,
    is_missing,
    new_session_id,
    plural,
    safe_image_url,
    stock_status,
)
from fashionai.personas import builtin_personas
from fashionai.preview import rejoin_look, rejoin_storefront
from fashionai.simulator import Faults, Simulator, SimulatorTransport
from fashionai.simulator.server import API_PREFIX as SIMULATOR_API_PREFIX
from fashionai.simulator.server import DEFAULT_PORT as DEFAULT_SIMULATOR_PORT

log = logging.getLogger("fashionai.ui")
T = TypeVar("T")

SIMULATOR_BASE_URL = "http://simulator.local/api/v1"
"""The in-process simulator's address: requests never leave the server process."""


def simulator_base_url(port: int | None = None) -> str:
    """The address of ``python -m fashionai simulate`` on this machine (its own default port unless given)."""
    return f"http://127.0.0.1:{port or DEFAULT_SIMULATOR_PORT}{SIMULATOR_API_PREFIX}"

SESSION_KEY = "shopper_session_id"
USER_KEY = "shopper_user_id"
UPLOAD_KEY = "uploaded_catalog"  # an uploads.Upload, or the server's catalog read with other columns
UPLOAD_NAME_KEY = "uploaded_catalog_name"


# --------------------------------------------------------------------------- settings


def _read_secrets() -> dict[str, Any]:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as err:  # StreamlitSecretNotFoundError: missing *or* unreadable
        if Path(".streamlit/secrets.toml").is_file() and "pars" in str(err).lower():
            raise ConfigError(
                ".streamlit/secrets.toml could not be read: it is not valid TOML. "
                "Compare it with .streamlit/secrets.toml.example."
            ) from err
        return {}


def get_settings() -> Settings:
    """The settings in force for this run (environment, then secrets). Raises ConfigError.

    From the first call on, the token is scrubbed from every log record (fashionai.api.redaction).
    Every page calls this first, so it also makes sure the page runs inside the frame.
    """
    _ensure_frame()
    settings = resolve_settings(os.environ, _read_secrets())
    redaction.protect(settings.token)
    chosen = st.session_state.get(TIMEOUT_KEY)
    if chosen is not None:
        try:
            settings = settings.with_session_timeout(chosen)
        except ConfigError:  # the deployment's default changed under it: the default again
            st.session_state.pop(TIMEOUT_KEY, None)
    return settings


TIMEOUT_KEY = "session_timeout"
"""This browser session's timeout in seconds, chosen on the Settings page (absent: the deployment's)."""


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


def _uploaded_catalog() -> Catalog | None:
    """This browser session's own catalog (an upload, or the server's read with other columns), if any."""
    held = st.session_state.get(UPLOAD_KEY)
    if isinstance(held, Upload) and not held.loaded:
        with st.spinner(f"Reading {held.name or 'your catalog'} again: the server let it go to make room for "
                        "other uploads…", show_time=True):
            return held.catalog()
    return held.catalog() if isinstance(held, Upload) else held


def active_catalog(settings: Settings) -> Catalog:
    """This browser session's catalog: its upload, else the server's catalog."""
    uploaded = _uploaded_catalog()
    return uploaded if uploaded is not None else server_catalog(settings)


def use_catalog(held: Upload | Catalog, name: str) -> Catalog:
    """Make `held` this browser session's catalog, on every page, and return it.

    An Upload keeps its bytes, so that its columns can be mapped again; a Catalog is the
    server's file read with other columns. The session's previous upload is released.
    """
    st.session_state[UPLOAD_KEY] = held
    st.session_state[UPLOAD_NAME_KEY] = name
    return held.catalog() if isinstance(held, Upload) else held


def remap_catalog(settings: Settings, columns: Mapping[str, str | None]) -> tuple[Upload | Catalog, str]:
    """The catalog in use read again with this column mapping: (upload or catalog, name) for
    `use_catalog`. Raises CatalogError; the catalog in use stays in use."""
    held = st.session_state.get(UPLOAD_KEY)
    if isinstance(held, Upload):
        name = st.session_state.get(UPLOAD_NAME_KEY) or held.name or "upload"
        return load_upload(held.data, columns=columns, name=name), name
    return server_catalog(settings, columns=columns), server_catalog_name(settings)


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


SAVED_JOURNEYS_KEY = "studio_journeys"
"""Journeys edited or loaded on the journey page (name -> Journey), offered as lanes on the compare page."""


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
                "simulator-demo-token",
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

    On the simulator with a fault drill on, this browser session's own drill client.
    """
    if settings.is_live:
        digest = hashlib.sha256((settings.token or "").encode()).hexdigest()
        return _live_client(settings.base_url, digest, settings.token or "").with_timeout(settings.timeout)
    faults = session_faults()
    if faults is not None:
        return _drill_client(settings, catalog, faults)
    return _simulator_and_client(catalog)[1].with_timeout(settings.timeout)


# --- fault drills -------------------------------------------------------------------------
# A merchandiser can make the simulator misbehave (fashionai.simulator.faults) for a demo or
# a drill. The faults live in the browser session that set them: a colleague's session
# keeps the shared, faultless client. Rankings still come from the shared simulator, so a
# session's history is the same with and without a drill.

FAULTS_KEY = "fault_drill"
"""This browser session's `Faults`, while a drill is on."""
_DRILL_CLIENT_KEY = "_fault_drill_client"  # (catalog fingerprint, timeout, faults, client)


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
    held = st.session_state.pop(_DRILL_CLIENT_KEY, None)
    if held is not None:
        held[-1].close()


def _drill_client(settings: Settings, catalog: Catalog, faults: Faults) -> FashionAIClient:
    """A client over the shared simulator meeting `faults`: one per browser session, kept while in use."""
    held = st.session_state.get(_DRILL_CLIENT_KEY)
    if held is not None and held[:2] == (catalog.fingerprint, settings.timeout) and held[2] is faults:
        return held[3]
    _close_drill_client()  # another catalog, timeout or drill: its client is done with
    client = FashionAIClient(
        "simulator-demo-token",
        base_url=SIMULATOR_BASE_URL,
        timeout=settings.timeout,
        transport=SimulatorTransport(get_simulator(catalog), faults=faults),
        on_exchange=_recorder(Backend.SIMULATOR),
    )
    st.session_state[_DRILL_CLIENT_KEY] = (catalog.fingerprint, settings.timeout, faults, client)
    return client


def drill_badge(settings: Settings) -> None:
    """A badge saying this browser session's fault drill is on (nothing when it is off or live)."""
    faults = session_faults()
    if faults is not None and not settings.is_live:
        st.badge("Fault drill on", icon=":material/bolt:", color="orange",
                 help=f"The simulator misbehaves on purpose for your browser session only: {faults.describe()}. "
                      "Turn it off on the Settings page (Fault drills, Reset).")


def drill_note() -> None:
    """Under an error: say when this session's fault drill may have caused it."""
    faults = session_faults()
    try:
        live = get_settings().is_live
    except ConfigError:
        return
    if faults is not None and not live:
        st.caption(f":material/bolt: A fault drill is on for your browser session "
                   f"({escape_markdown(faults.describe())}), so this failure may be one of its faults. "
                   "Turn it off on the Settings page.")


@dataclass(frozen=True)
class Context:
    settings: Settings
    catalog: Catalog
    client: FashionAIClient


def _ensure_frame() -> None:
    """Run again inside the frame if Streamlit ran this page's file on its own.

    A server's very first visitor who opens a page's address (``/compare``) gets the
    page file run alone, without app.py's sidebar: Streamlit still assumes
    file-based pages because a ``pages/`` folder exists, until app.py has called
    st.navigation once. Telling it now and rerunning runs app.py, whose navigation
    finds the same page (its hash comes from the same address).
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def context() -> Context:
    """Settings, catalog and client for a page; stops the page with a clear message if unusable."""
    try:
        settings = get_settings()
    except ConfigError as err:
        st.error(str(err), icon=":material/settings_alert:")
        st.stop()
    try:
        catalog = active_catalog(settings)
    except CatalogError as err:
        st.error(f"The catalog could not be loaded. {escape_markdown(err)}", icon=":material/inventory_2:")
        st.stop()
    _follow_catalog(catalog)
    try:
        client = get_client(settings, catalog)
    except (ValueError, TypeError) as err:  # the client's own words on the token or address: what to do
        st.error(escape_markdown(redaction.redact(str(err))), icon=":material/settings_alert:")
        st.stop()
    return Context(settings, catalog, client)


RESULTS_CATALOG_KEY = "_results_catalog"
"""The fingerprint of the catalog the pages' results were joined with."""
REJOINED_RESULTS = {"storefront_preview": rejoin_storefront, "look_preview": rejoin_look}
"""Results that are one answer joined with the catalog: joined again with a new one, no call."""
DROPPED_RESULTS = ("compare_result", "compare_view", "journey_run")
"""Results built from the catalog itself (its personas, its native order): cleared with it."""


def _follow_catalog(catalog: Catalog) -> None:
    """When this browser session's catalog is not the one its results were made with (a new
    upload, even one whose ids are the old one's): nothing of the old catalog stays on screen."""
    before = st.session_state.get(RESULTS_CATALOG_KEY)
    st.session_state[RESULTS_CATALOG_KEY] = catalog.fingerprint
    if before is None or before == catalog.fingerprint:
        return
    for key, rejoin in REJOINED_RESULTS.items():
        if (result := st.session_state.get(key)) is not None:
            st.session_state[key] = rejoin(result, catalog)
    dropped = [key for key in DROPPED_RESULTS if st.session_state.pop(key, None) is not None]
    if "compare_result" in dropped or "journey_run" in dropped:
        st.info("The catalog changed, so the compared lanes and the journey run made with the previous one were "
                "cleared (its personas and its own order are gone). Previews and looks now show the new catalog's "
                "names, prices and stock.", icon=":material/inventory_2:")


# --------------------------------------------------------------------------- messages


def error_message(err: BaseException) -> tuple[str, str]:
    """A plain-words message and a next step for any error a user can meet.

    The client's errors already say what happened and what to do; unexpected errors
    get a generic message (their details go to the server log only).
    """
    if isinstance(err, (FashionAIError, CatalogError)):
        return str(err), "Anything already on screen has been kept."
    if isinstance(err, (ValueError, TypeError)):
        return str(err), "Correct the value and try again."
    return "Something unexpected went wrong.", "Try again; if it keeps happening, tell the studio's maintainers."


def show_error(err: BaseException, *, what: str = "The request") -> None:
    """Show an error as a message (never a traceback), with the step to take next."""
    message, step = error_message(err)
    if not isinstance(err, (FashionAIError, CatalogError, ValueError, TypeError)):
        reference = uuid.uuid4().hex[:8]
        log.error("Unexpected error (reference %s) in %s", reference, what, exc_info=err)
        step += f" Error reference: {reference}."
    st.error(f"**{what} did not work.** {escape_markdown(redaction.redact(message))}\n\n{escape_markdown(step)}",
             icon=":material/error:")


PAGE_ERRORS_SHOWN = (FashionAIError, CatalogError, ConfigError, HistoryError)
"""Errors whose own message a user may read when they reach the frame: they say what to do."""


def show_page_error(err: Exception, *, page: str = "This page") -> str:
    """The frame's last guard, for an exception a page did not handle: a short message with an
    error reference for the user, the traceback with the same reference (token scrubbed) for the
    server log. Returns the reference.

    Streamlit's st.stop, st.rerun and st.switch_page raise BaseException subclasses
    (ScriptControlException), so a frame that catches Exception never swallows them.
    """
    reference = uuid.uuid4().hex[:8]
    log.error("Unexpected error (reference %s) on the page %r", reference, page, exc_info=err)
    known = isinstance(err, PAGE_ERRORS_SHOWN)
    message = redaction.redact(str(err)) if known else "Something unexpected went wrong."
    st.error(f"**{escape_markdown(page)} did not work.** {escape_markdown(message)}\n\n"
             f"Try again; if it keeps happening, tell the studio's maintainers the error reference "
             f"**{reference}**.", icon=":material/error:")
    return reference


def call(what: str, fn: Callable[[], T]) -> T | None:
    """Run ``fn`` (one API call and its join) under a spinner; show any error and return None."""
    try:
        with st.spinner(f"{what}…", show_time=True):
            return fn()
    except Exception as err:  # expected errors and the last guard alike: a message, never a traceback
        show_error(err, what=what)
        drill_note()
    return None


# --------------------------------------------------------------------------- shared widgets


def backend_badge(settings: Settings) -> None:
    if settings.is_live:
        st.badge("Live API", icon=":material/cloud:", color="red",
                 help=f"Calls go to {settings.base_url}.")
    else:
        extra = " (forced by FASHIONAI_BACKEND)" if settings.forced_simulator else ""
        st.badge("Simulator" + extra, icon=":material/science:", color="violet",
                 help="No app token is configured, so the built-in offline simulator answers.")
        drill_badge(settings)


def tracking_note(settings: Settings) -> None:
    if settings.is_live:
        st.info(
            "Fashion.AI records every preview as a visit of that shopper session, which changes its "
            "later rankings. Use a synthetic session id rather than a real shopper's.",
            icon=":material/visibility:",
        )
    else:
        st.caption(
            ":material/visibility: Like Fashion.AI, the simulator records every preview as a visit "
            "of that session, so the next preview of the same session can rank differently."
        )


def session_inputs() -> tuple[str, str | None]:
    """The shopper session and user id (sidebar), kept across pages."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = new_session_id()

    def fresh() -> None:
        st.session_state[SESSION_KEY] = new_session_id()

    st.text_input("Shopper session id", key=SESSION_KEY,
                  help="Every preview is recorded by Fashion.AI as a visit of this session.")
    st.button("New synthetic session", on_click=fresh, icon=":material/refresh:", width="stretch")
    st.text_input("User id (optional)", key=USER_KEY, placeholder="signed-in shopper, e.g. 90",
                  help="Leave blank for an anonymous shopper.")
    return session_values()


def session_values() -> tuple[str, str | None]:
    session = str(st.session_state.get(SESSION_KEY, "")).strip()
    user = str(st.session_state.get(USER_KEY, "") or "").strip() or None
    return session, user


def exchange_expander(record: Recommendation | FashionAIError | None, *, label: str = "Request and response") -> None:
    """The exact request body, the answer, and an equivalent curl command (token redacted)."""
    if record is None:
        return
    request = getattr(record, "request", None)
    if request is None:
        return
    with st.expander(label, icon=":material/code:"):
        st.caption(f"{request.method} {code_span(request.url)}")  # the URL holds ids: text, not a link
        if request.json is not None:
            st.code(json.dumps(request.json, indent=2, ensure_ascii=False), language="json")
        if isinstance(record, Recommendation):
            st.caption(f"Answer: HTTP {record.status_code} in {record.elapsed * 1000:.0f} ms"
                       + (f" after {record.attempts} attempts" if record.attempts > 1 else ""))
            st.code(answer_excerpt(record.response_body), language="json")
        else:
            st.caption(f"Answer: {type(record).__name__}")
        if request.url.startswith(SIMULATOR_BASE_URL + "/"):
            local = simulator_base_url()
            st.caption(f"This answer came from the built-in simulator, inside the studio's server: "
                       f"{code_span(SIMULATOR_BASE_URL)} is no address curl can reach. To send the same request "
                       "with curl, serve the simulator on your machine in another terminal (any token is accepted), "
                       "then run the command below. It is a simulator of its own, so its rankings start afresh:")
            st.code(f"python -m fashionai simulate --port {DEFAULT_SIMULATOR_PORT}", language="bash")
            local_request = replace(request, url=local + request.url[len(SIMULATOR_BASE_URL):])
            st.code(local_request.to_curl(), language="bash")
        else:
            st.caption("The same request with curl (set FASHIONAI_APP_TOKEN in your shell first):")
            st.code(request.to_curl(), language="bash")


def remembered(key: str, token: object, compute: Callable[[], T]) -> T:
    """`compute()`, kept in this browser session until `token` changes: a rerun that only pages,
    moves a slider or filters reads, searches and joins nothing again."""
    held = st.session_state.get(key)
    if held is None or held[0] != token:
        held = (token, compute())
        st.session_state[key] = held
    return held[1]


ANSWER_EXCERPT_IDS = 200
"""How many product ids of an answer the request-and-response expander prints."""


def answer_excerpt(body: Any) -> str:
    """The answer as indented JSON; a long product list cut to its top, saying how many more there are.

    Cut before encoding, so a rerun costs what it shows, not the size of the answer.
    """
    products = body.get("products") if isinstance(body, dict) else None
    more = len(products) - ANSWER_EXCERPT_IDS if isinstance(products, list) else 0
    if more > 0:
        body = {**body, "products": products[:ANSWER_EXCERPT_IDS]}
    text = json.dumps(body, indent=2, ensure_ascii=False)
    if more > 0:
        text += f"\n… and {more:,} more product ids after these {ANSWER_EXCERPT_IDS} (all of them are in the table)"
    return text


def _stock_badge(row: pd.Series) -> tuple[str, str]:
    if not bool(row.get("in_catalog", True)):
        return "not in catalog", STOCK_BADGE_COLOR["not in catalog"]
    status = stock_status(row.get("stock"))
    return status, STOCK_BADGE_COLOR[status]


def product_card(row: pd.Series, *, currency: str = "R$", show_rank: bool = True) -> None:
    """One product as the storefront shows it: image, name, price, stock badge, rank."""
    with st.container(border=True):
        st.image(safe_image_url(row.get("image_url")), width="stretch")
        name = row.get("name")
        if not bool(row.get("in_catalog", True)) or is_missing(name):
            name = f"Unknown product {row['product_id']}"
        st.text(str(name))
        status, color = _stock_badge(row)
        label = f"#{int(row['rank'])} · " if show_rank and "rank" in row else ""
        st.caption(f"{label}{escape_markdown(format_price(row.get('price'), currency))} · "
                   f"id {escape_markdown(row['product_id'])}")
        st.badge(status, color=color)


def product_grid(frame: pd.DataFrame, *, columns: int = 4, currency: str = "R$", show_rank: bool = True) -> None:
    for start in range(0, len(frame), columns):
        cells = st.columns(columns)
        for cell, (_, row) in zip(cells, frame.iloc[start:start + columns].iterrows()):
            with cell:
                product_card(row, currency=currency, show_rank=show_rank)


TABLE_COLUMNS = ["rank", "image_url", "name", "product_id", "category", "price", "stock", "in_stock", "in_catalog"]
MISSING = "—"
"""What a table shows where a value is missing (not "None")."""


def products_table(frame: pd.DataFrame, *, currency: str | None = None, key: str | None = None,
                   labels: Mapping[str, str] | None = None, keep_order: bool = False) -> None:
    """Products as a table: prices written as the cards write them (``R$ 249,90``, in the
    settings' currency unless given), headers in words (`labels` names some), "—" where a
    value is missing. Columns in TABLE_COLUMNS' order first, unless `keep_order`."""
    order = list(frame.columns) if keep_order else ([c for c in TABLE_COLUMNS if c in frame.columns]
                                                    + [c for c in frame.columns if c not in TABLE_COLUMNS])
    shown = frame[order].copy()
    if "image_url" in shown:
        shown["image_url"] = shown["image_url"].map(safe_image_url)
    if "price" in shown:
        money = get_settings().currency if currency is None else currency
        shown["price"] = pd.array([format_price(value, money) for value in shown["price"]], dtype="str")
    shown.columns = [str(column) for column in shown.columns]
    column_config: dict[str, Any] = {column: column_title(column) for column in shown.columns}
    column_config |= {
        "rank": st.column_config.NumberColumn("Rank", format="%d"),
        "image_url": st.column_config.ImageColumn("Image", width="small"),
        "name": st.column_config.TextColumn("Name"),
        "product_id": st.column_config.TextColumn("Product id"),
        "category": st.column_config.TextColumn("Category"),
        "price": st.column_config.TextColumn("Price"),
        "ref_rank": st.column_config.NumberColumn("Reference rank", format="%d"),
        "stock": st.column_config.NumberColumn("Stock", format="%d"),
        "in_stock": st.column_config.CheckboxColumn("In stock"),
        "in_catalog": st.column_config.CheckboxColumn("In catalog"),
    }
    for column, label in (labels or {}).items():
        config = column_config.get(column)
        column_config[column] = {**config, "label": label} if isinstance(config, dict) else label
    st.dataframe(shown, hide_index=True, width="stretch", key=key, placeholder=MISSING,
                 column_config={column: config for column, config in column_config.items() if column in shown})


PAGE_SIZES = (12, 24, 48, 96)


def paginate(frame: pd.DataFrame, *, key: str, default_size: int = 24) -> pd.DataFrame:
    """Show one page of a long ranking at a time, with controls to move through it."""
    if len(frame) <= PAGE_SIZES[0]:
        return frame
    left, right, info = st.columns([1, 1, 2], vertical_alignment="bottom")
    size = left.selectbox("Products per page", PAGE_SIZES, index=PAGE_SIZES.index(default_size),
                          key=f"{key}_size")
    pages = max(1, math.ceil(len(frame) / size))
    page_key = f"{key}_page"
    if st.session_state.get(page_key, 1) > pages:
        st.session_state[page_key] = 1
    page = right.number_input("Page", min_value=1, max_value=pages, step=1, key=page_key)
    start = (int(page) - 1) * size
    info.caption(f"Showing {start + 1}–{min(start + size, len(frame))} of {len(frame):,}")
    return frame.iloc[start:start + size]


# --------------------------------------------------------------------------- catalog in the sidebar

UPLOAD_ID_KEY = "uploaded_catalog_file_id"


def use_server_catalog() -> None:
    """Go back to the server's catalog for this browser session (a button's on_click)."""
    for key in (UPLOAD_KEY, UPLOAD_NAME_KEY):  # the upload is released with its Upload
        st.session_state.pop(key, None)


def upload_limit() -> str:
    """The largest file this server accepts, in words: Streamlit's server.maxUploadSize (megabytes).

    A bigger file never reaches the app: the browser refuses it with Streamlit's own message.
    """
    return f"{st.get_option('server.maxUploadSize'):,} MB"


def catalog_sidebar(settings: Settings | None) -> None:
    """Upload a catalog for this browser session, and say which catalog is in use."""
    st.markdown("**Catalog**")
    uploaded = st.file_uploader(
        "Upload a catalog (CSV)", key="catalog_upload",  # any file: a workbook gets advice, not a refusal
        help="Replaces the server's catalog for your browser session only. "
             "Columns are detected; Portuguese and English names, ; or , separators all work. "
             f"Files up to {upload_limit()}.",
    )
    if uploaded is None:
        st.session_state.pop(UPLOAD_ID_KEY, None)
        st.session_state.pop("catalog_upload_error", None)
    elif st.session_state.get(UPLOAD_ID_KEY) != uploaded.file_id:
        st.session_state[UPLOAD_ID_KEY] = uploaded.file_id
        try:
            data = uploaded.getvalue()
            with st.spinner(f"Reading {escape_markdown(uploaded.name)}…", show_time=True):
                upload = load_upload(data, name=uploaded.name)
        except CatalogError as err:
            st.session_state["catalog_upload_error"] = (f"{escape_markdown(uploaded.name)} could not be used. "
                                                        f"{escape_markdown(err)}")
        else:
            st.session_state.pop("catalog_upload_error", None)
            use_catalog(upload, uploaded.name)
    if error := st.session_state.get("catalog_upload_error"):
        st.error(error + " The catalog in use before is still in use.", icon=":material/error:")

    if (catalog := _uploaded_catalog()) is not None:
        st.caption(f":material/upload_file: {escape_markdown(st.session_state.get(UPLOAD_NAME_KEY, 'upload'))}: "
                   f"{plural(len(catalog.products), 'product')}")
        st.button("Use the server's catalog instead", on_click=use_server_catalog, width="stretch")
    elif settings is not None:
        source = server_catalog_name(settings)
        try:
            count = len(server_catalog(settings).products)
        except CatalogError as err:
            st.error(escape_markdown(err), icon=":material/error:")
        else:
            st.caption(f":material/inventory_2: {escape_markdown(source)}: {plural(count, 'product')}")


# --- history ----------------------------------------------------------------------------
# Every answer saved as a snapshot (fashionai.history), shareable links (fashionai.output.share)
# and download buttons (fashionai.output.exports). Nothing in this section calls Fashion.AI, and
# a broken history never breaks a preview: it is logged and the page goes on.


_LINK_SEEN_KEY = "_share_link_seen"  # the query string last applied or written: not a new link
_LINK_PENDING_KEY = "_share_link_pending"  # a new link's parameters, from the frame to the page


@st.cache_resource(show_spinner=False, max_entries=2)
def _history_store(url_digest: str, max_age_days: float | None, max_count: int | None, _url: str) -> HistoryStore:
    return HistoryStore(_url, max_age_days=max_age_days, max_count=max_count)


def history_config() -> HistoryConfig:
    """Where the history lives and what it keeps. Raises HistoryError (or ConfigError for bad secrets)."""
    return resolve_history_config(os.environ, _read_secrets())


def history_store() -> HistoryStore:
    """The deployment's history, shared by every browser session. Raises HistoryError, ConfigError."""
    config = history_config()
    digest = hashlib.sha256(config.url.encode()).hexdigest()  # the URL may hold a password: not a cache key
    return _history_store(digest, config.max_age_days, config.max_count, config.url)


def _recorder(backend: str) -> Callable[[Exchange], None] | None:
    """A client's on_exchange: save every answer (and failure) as a snapshot of `backend`."""
    try:
        store = history_store()
    except (HistoryError, ConfigError) as err:
        log.warning("The history is off, nothing will be saved: %s", err)
        return None

    def record(exchange: Exchange) -> None:
        try:
            store.record(snapshot_from_exchange(exchange, backend))
        except Exception as err:  # the preview matters more than its snapshot
            log.warning("The history (%s) could not save a snapshot: %s: %s", store.display_url,
                        type(err).__name__, str(err).splitlines()[0][:200] if str(err) else "")

    return record


def _saved_snapshots(ids: list[str]) -> tuple[list[Snapshot], str | None]:
    """The snapshots with these ids, and a message when some are not in the history."""
    try:
        found = history_store().get(ids)
    except (HistoryError, ConfigError) as err:
        return [], f"The saved answers this link names cannot be read: {err}"
    if len(found) < len(set(ids)):
        return found, ("This link names saved answers that are not in this studio's history: they may be older "
                       "than the history keeps, or the link comes from another deployment. Import the colleague's "
                       "snapshot export on the History page, or run the view again live.")
    return found, None


def _link_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _new_link() -> dict[str, list[str]] | None:
    """The URL's parameters if they are a link not yet applied in this browser session."""
    params = _link_params()
    if not params:
        return None
    text = share.query_string(params)
    if st.session_state.get(_LINK_SEEN_KEY) == text:
        return None
    st.session_state[_LINK_SEEN_KEY] = text
    return params


def _set_shopper(view: Any) -> bool:
    """Fill the sidebar's shopper session and user from a link's view; False if it was already drawn."""
    if getattr(view, "session", None) is None:
        return True
    try:
        st.session_state[SESSION_KEY] = view.session
        st.session_state[USER_KEY] = view.user or ""
    except StreamlitAPIException:  # the sidebar is drawn: the frame did not call open_shared_link
        return False
    return True


def open_shared_link() -> None:
    """For the frame, before the sidebar: a newly opened link's shopper session and user fill the sidebar.

    The page's own settings are applied by the page (`open_link`), which reads the link kept here.
    """
    st.session_state.pop(_LINK_PENDING_KEY, None)  # a link no page took last run is not applied later
    params = _new_link()
    if params is None:
        return
    st.session_state[_LINK_PENDING_KEY] = params
    page = share.link_page(params)
    if page in share.SIDEBAR_PAGES:
        decoded = share.decode(page, params)
        if decoded is not None:
            _set_shopper(decoded.view)


def open_link(page: str, ctx: Context, *, options: list[str] | None = None) -> share.Decoded | None:
    """For a page, before its widgets: apply a newly opened link's view once, and say what was wrong.

    Sets the page's widget values, opens the saved answer the link names (no call), and
    shows a message for every bad or stale value. `options` are the compare page's lane
    options or the journey page's journeys, to check the link's against. Returns the
    link's view, or None when there is no new link for this page.
    """
    params = st.session_state.pop(_LINK_PENDING_KEY, None)
    from_frame = params is not None
    if params is None:
        params = _new_link()
    if params is None:
        return None
    decoded = share.decode(page, params)
    if decoded is None:
        _open_named_page(params)
        return None
    problems, notes = list(decoded.problems), []
    view = decoded.view
    if page in share.SIDEBAR_PAGES and not from_frame and not _set_shopper(view):
        problems.append(f"This link's shopper session ({view.session}) could not be filled in: type it in the "
                        "sidebar.")
    _APPLY[page](view, ctx, options, problems, notes)
    for problem in problems:
        st.warning(escape_markdown(problem), icon=":material/link_off:")
    for note in notes:
        st.info(note, icon=":material/history:")
    return decoded


def _open_named_page(params: dict[str, list[str]]) -> None:
    """A new link naming another page than the one it opened (a link cut to ``/?page=compare&…``):
    go to the page it names, which applies it; for a page no link can open, say so."""
    named = share.link_page(params) or ""
    if named in share.VIEWS:
        st.session_state.pop(_LINK_SEEN_KEY, None)  # so that the page it names takes it as new
        st.switch_page(f"pages/{named}.py", query_params=params)
    shown = named if len(named) <= 40 else named[:39] + "…"
    st.warning(f"This link is for a page no link can open ({escape_markdown(repr(shown))}), so its settings were "
               "not applied: this page opens as usual.", icon=":material/link_off:")


def _apply_storefront(view: share.StorefrontView, ctx: Context, _options: Any, problems: list, notes: list) -> None:
    if view.category is not None:
        if view.category not in ctx.catalog.categories:
            problems.append(f"The link's category {view.category!r} is not in your catalog; it is chosen anyway "
                            "(Fashion.AI may know it), but its products cannot be shown with names and stock.")
        st.session_state["storefront_category"] = view.category
    st.session_state["storefront_hide_oos"] = view.hide_out_of_stock
    _open_saved(view.snapshot, "storefront_preview", storefront_from_snapshot, ctx, problems, notes,
                "Showing the answer saved on {when} UTC, with today's catalog: no call was made. Press **Preview "
                "storefront** to see it live now (that is recorded as a visit).")


def _apply_look(view: share.LookView, ctx: Context, _options: Any, problems: list, notes: list) -> None:
    if view.product is not None:
        if view.product not in ctx.catalog.products.index:
            problems.append(f"The link's main piece {view.product!r} is not in your catalog; it is chosen anyway.")
        st.session_state["look_query"] = view.product
        st.session_state["look_product"] = view.product
    st.session_state["look_only_valid"] = view.only_valid
    _open_saved(view.snapshot, "look_preview", look_from_snapshot, ctx, problems, notes,
                "Showing the look saved on {when} UTC, its stock checked against today's catalog: no call was "
                "made. Press **Shop the look** to ask again live.")


def _open_saved(snapshot_id: str | None, key: str, build: Callable[[Snapshot, Catalog], Any], ctx: Context,
                problems: list, notes: list, note: str) -> None:
    """Put the saved answer a link names on screen (`key`), joined with today's catalog: no call."""
    st.session_state.pop(key, None)
    if not snapshot_id:
        return
    found, problem = _saved_snapshots([snapshot_id])
    if problem:
        problems.append(problem)
    for snapshot in found:
        try:
            st.session_state[key] = build(snapshot, ctx.catalog)
        except ValueError as err:
            problems.append(f"The saved answer this link names cannot be shown here: {err}.")
        else:
            notes.append(note.format(when=f"{snapshot.recorded_at:%Y-%m-%d at %H:%M}"))


def _apply_compare(view: share.CompareView, ctx: Context, options: list[str] | None, problems: list,
                   _notes: list) -> None:
    if view.category is not None:
        st.session_state["compare_category"] = view.category
    if view.lanes:
        known = [lane for lane in view.lanes if options is None or lane in options]
        if len(known) < len(view.lanes):
            gone = ", ".join(repr(lane) for lane in view.lanes if lane not in known)
            problems.append(f"The link's lanes {gone} are not available here (personas are made from the catalog, "
                            "journeys are kept per browser session), so they were left out.")
        st.session_state["compare_lanes"] = known
    st.session_state["compare_sessions"] = "\n".join(view.sessions)
    st.session_state["compare_sidebar"] = view.add_sidebar
    for key, value in (("compare_k", view.k), ("compare_p", view.p), ("compare_reference", view.reference),
                       ("compare_other", view.other)):
        if value is not None:
            st.session_state[key] = value
    st.session_state.pop("compare_result", None)


def _apply_journey(view: share.JourneyView, ctx: Context, options: list[str] | None, problems: list,
                   _notes: list) -> None:
    if view.journey is not None:
        if options is not None and view.journey not in options:
            problems.append(f"The link's journey {view.journey!r} is not available here (personas are made from "
                            "the catalog; edited journeys are kept per browser session: load its JSON file).")
        else:
            st.session_state["journey_choice"] = view.journey
    if view.k is not None:
        st.session_state["journey_k"] = view.k
    st.session_state["journey_fresh"] = view.fresh
    st.session_state.pop("journey_run", None)


HISTORY_KEYS = {"session": "history_session", "user": "history_user", "item": "history_item",
                "event": "history_event", "backend": "history_backend", "since": "history_from",
                "until": "history_to", "outcome": "history_outcome", "selected": "history_selected",
                "k": "history_k", "p": "history_p", "reference": "history_reference"}


def _apply_history(view: share.HistoryView, ctx: Context, _options: Any, problems: list, _notes: list) -> None:
    for attr, key in HISTORY_KEYS.items():
        value = getattr(view, attr)
        if attr == "selected":
            value = [i for i in value if i != share.NO_SNAPSHOT]
            if value:
                found, problem = _saved_snapshots(value)
                if problem:
                    problems.append(problem)
                value = [s.id for s in found]
            st.session_state[key] = value
        elif value is not None:
            st.session_state[key] = value
        else:
            st.session_state.pop(key, None)


_APPLY: dict[str, Callable[..., None]] = {
    "storefront": _apply_storefront, "shop_the_look": _apply_look, "compare": _apply_compare,
    "journey": _apply_journey, "history": _apply_history,
}


def replay_compare_link(link: share.Decoded | None, ctx: Context, category: str, specs: list) -> Any:
    """The comparison a compare link's saved answers show (no call), or None; says why when it cannot."""
    if link is None or not link.view.snapshots:
        return None
    from fashionai.lanes import NATIVE

    ids = list(link.view.snapshots)
    if len(ids) != len(specs) or any((i == share.NO_SNAPSHOT) != (spec.kind == NATIVE) for i, spec in zip(ids, specs)):
        st.warning("The link's saved answers do not match its lanes, so they are not shown. Press **Compare "
                   "lanes** to fetch the lanes live.", icon=":material/link_off:")
        return None
    found, problem = _saved_snapshots([i for i in ids if i != share.NO_SNAPSHOT])
    if problem:
        st.warning(escape_markdown(problem), icon=":material/link_off:")
        return None
    by_id = {s.id: s for s in found}
    try:
        comparison = replay_comparison(category, [(spec, by_id.get(i)) for spec, i in zip(specs, ids)], ctx.catalog,
                                       k=link.view.k or DEFAULT_K, p=link.view.p or DEFAULT_P)
    except ValueError as err:
        st.warning(f"The link's saved answers cannot be shown: {escape_markdown(err)}.", icon=":material/link_off:")
        return None
    oldest = min(s.recorded_at for s in found) if found else None
    when = f" saved on {oldest:%Y-%m-%d at %H:%M} UTC" if oldest else ""
    st.info(f"Showing the lanes{when}, from the history: no call was made. Press **Compare lanes** to fetch them "
            "live now.", icon=":material/history:")
    return comparison


def lane_snapshots(comparison: Any) -> tuple[str, ...]:
    """The snapshot id of each lane's (last) call, in lane order; NO_SNAPSHOT for the native order."""
    ids = []
    for lane in comparison.lanes:
        exchange = lane.recommendation.exchange_id if lane.recommendation is not None else None
        ids.append(exchange or share.NO_SNAPSHOT)
    return tuple(ids)


def _all_saved(ids: tuple[str, ...]) -> bool:
    """Whether the history holds every one of these snapshots (NO_SNAPSHOT aside): asked once a
    browser session for the same ids, since a snapshot not saved when its answer came never is."""
    wanted = tuple(dict.fromkeys(i for i in ids if i != share.NO_SNAPSHOT))

    def check() -> bool:
        try:
            return len(history_store().get_summaries(wanted)) == len(wanted)
        except (HistoryError, ConfigError) as err:
            log.warning("A link leaves out its saved answers: the history cannot be read: %s", err)
            return False
    return bool(wanted) and remembered("_share_saved", wanted, check)


def share_view(view: Any, *, saved: bool = True) -> None:
    """Put the view in the URL (so the address bar is the link) and offer the link to copy.

    `saved` False leaves out snapshot ids; so does a view whose answers the history did not
    save (it is off, or cannot be written): a link names only what was saved.
    """
    params = share.encode(view)
    try:
        settings = get_settings()
    except ConfigError:
        settings, saved = None, False
    snapshots = params.get("snap")
    unsaved = bool(snapshots) and saved and not _all_saved(
        (snapshots,) if isinstance(snapshots, str) else tuple(snapshots))
    if not saved or unsaved:
        params.pop("snap", None)
    text = share.query_string(params)
    token = settings.token if settings is not None else None
    if token and token in text:  # a session id typed as the token, say: never put it in a link
        log.warning("A view was not made shareable: its parameters held the app token")
        return
    if share.query_string(_link_params()) != text:
        st.query_params.from_dict(params)
    st.session_state[_LINK_SEEN_KEY] = text
    with st.popover("Share this view", icon=":material/share:"):
        address = share.link(st.context.url, params)
        st.caption("Anyone who can open this studio sees this view with this link (the address bar holds it "
                   "too)." + (" It names the saved answers, so it shows what you see now, without calling "
                              "Fashion.AI again." if "snap" in params else ""))
        if unsaved:
            st.caption(":material/history_toggle_off: This answer was not saved in the history (see the History "
                       "page for why), so the link opens these settings but cannot show this exact answer.")
        st.code(address, language=None, wrap_lines=True)


def export_buttons(export: exports_.Export, *, key: str) -> None:
    """Download buttons for an export: each table as CSV (comma, or ; for Excel in Brazil), all as JSON."""
    with st.popover("Export", icon=":material/download:"):
        for table in export.tables:
            st.download_button(f"{table.capitalize()} (CSV)", lambda t=table: export.csv(t),
                               file_name=export.file_name(table), mime="text/csv", on_click="ignore",
                               key=f"{key}_{table}_csv", icon=":material/table:", width="stretch")
            st.download_button(f"{table.capitalize()} (CSV with ; for Excel in Brazil)",
                               lambda t=table: export.csv(t, dialect=exports_.SEMICOLON),
                               file_name=export.file_name(table).replace(".csv", "-semicolon.csv"),
                               mime="text/csv", on_click="ignore", key=f"{key}_{table}_csv_semicolon",
                               icon=":material/table:", width="stretch")
        st.download_button("Everything (JSON)", export.json, file_name=export.file_name(extension="json"),
                           mime="application/json", on_click="ignore", key=f"{key}_json",
                           icon=":material/data_object:", width="stretch")
        st.caption("CSV opens in Excel, LibreOffice and Google Sheets; cells that a spreadsheet would run as a "
                   "formula start with an apostrophe. JSON keeps every value exactly.")


def view_tools(view: Any, export: exports_.Export | None, *, key: str) -> None:
    """Side by side: the view's share link and, if given, its export buttons."""
    with st.container(horizontal=True):
        share_view(view)
        if export is not None:
            export_buttons(export, key=f"{key}_export")
