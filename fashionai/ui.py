"""The one module of fashionai that imports Streamlit: cached resources and shared widgets.

Everything else in the package is plain Python, testable without a browser. Pages
read widgets, call the package, and render with the helpers below.

Resources (shared by every browser session, built once):
    - the live client, one per (endpoint, timeout, token)
    - one simulator, and a client over it, per catalog
    - the server's catalog (``FASHIONAI_CATALOG`` or the bundled sample), and uploads by content
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from fashionai.catalog import Catalog, CatalogError, load_catalog
from fashionai.client import FashionAIClient, Recommendation
from fashionai.config import ConfigError, Settings, resolve_settings
from fashionai.errors import FashionAIError
from fashionai.present import (
    STOCK_BADGE_COLOR,
    escape_markdown,
    format_price,
    is_missing,
    new_session_id,
    safe_image_url,
    stock_status,
)
from fashionai.sample import SAMPLE_CATALOG_PATH
from fashionai.simulator import Simulator, SimulatorTransport

log = logging.getLogger("fashionai.ui")
T = TypeVar("T")

SIMULATOR_BASE_URL = "http://simulator.local/api/v1"
"""The in-process simulator's address: requests never leave the server process."""

SESSION_KEY = "shopper_session_id"
USER_KEY = "shopper_user_id"
UPLOAD_KEY = "uploaded_catalog"


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
    """The settings in force for this run (environment, then secrets). Raises ConfigError."""
    return resolve_settings(os.environ, _read_secrets())


# --------------------------------------------------------------------------- catalogs


@st.cache_resource(show_spinner=False, max_entries=4)
def _server_catalog(path: str, modified: float) -> Catalog:
    return load_catalog(Path(path))


def server_catalog(settings: Settings) -> Catalog:
    """The deployment's catalog: FASHIONAI_CATALOG, else the bundled sample. Raises CatalogError."""
    path = settings.catalog_path or SAMPLE_CATALOG_PATH
    try:
        modified = path.stat().st_mtime
    except OSError as err:
        raise CatalogError(
            f"The catalog file set in FASHIONAI_CATALOG ({path}) cannot be opened: {err.strerror}. "
            "Fix the path or unset FASHIONAI_CATALOG to use the bundled sample."
        ) from err
    return _server_catalog(str(path), modified)


@st.cache_resource(show_spinner=False, max_entries=16)
def _uploaded_catalog(digest: str, _data: bytes) -> Catalog:
    return load_catalog(_data)


def load_upload(data: bytes) -> Catalog:
    """Parse an uploaded catalog once per distinct content (the same bytes twice parse once)."""
    return _uploaded_catalog(hashlib.sha256(data).hexdigest(), data)


def active_catalog(settings: Settings) -> Catalog:
    """This browser session's catalog: its upload, else the server's catalog."""
    uploaded = st.session_state.get(UPLOAD_KEY)
    return uploaded if uploaded is not None else server_catalog(settings)


# --------------------------------------------------------------------------- clients


@st.cache_resource(show_spinner=False, max_entries=4)
def _live_client(base_url: str, timeout: float, token_digest: str, _token: str) -> FashionAIClient:
    return FashionAIClient(_token, base_url=base_url, timeout=timeout)


@st.cache_resource(show_spinner=False, max_entries=8)
def _simulator(catalog_key: str, _catalog: Catalog) -> Simulator:
    return Simulator(_catalog.products)


@st.cache_resource(show_spinner=False, max_entries=8)
def _simulator_client(catalog_key: str, timeout: float, _simulator: Simulator) -> FashionAIClient:
    return FashionAIClient(
        "simulator-demo-token",
        base_url=SIMULATOR_BASE_URL,
        timeout=timeout,
        transport=SimulatorTransport(_simulator),
    )


def get_simulator(catalog: Catalog) -> Simulator:
    return _simulator(catalog.fingerprint, catalog)


def get_client(settings: Settings, catalog: Catalog) -> FashionAIClient:
    """The shared client for this backend; the simulator ranks the session's own catalog."""
    if settings.is_live:
        digest = hashlib.sha256((settings.token or "").encode()).hexdigest()
        return _live_client(settings.base_url, settings.timeout, digest, settings.token or "")
    return _simulator_client(catalog.fingerprint, settings.timeout, get_simulator(catalog))


@dataclass(frozen=True)
class Context:
    settings: Settings
    catalog: Catalog
    client: FashionAIClient


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
        st.error(f"The catalog could not be loaded. {err}", icon=":material/inventory_2:")
        st.stop()
    return Context(settings, catalog, get_client(settings, catalog))


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
    st.error(f"**{what} did not work.** {escape_markdown(message)}\n\n{escape_markdown(step)}",
             icon=":material/error:")


def call(what: str, fn: Callable[[], T]) -> T | None:
    """Run ``fn`` (one API call and its join) under a spinner; show any error and return None."""
    try:
        with st.spinner(f"{what}…", show_time=True):
            return fn()
    except Exception as err:  # expected errors and the last guard alike: a message, never a traceback
        show_error(err, what=what)
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
        st.caption(f"{request.method} {request.url}")
        if request.json is not None:
            st.code(json.dumps(request.json, indent=2, ensure_ascii=False), language="json")
        if isinstance(record, Recommendation):
            st.caption(f"Answer: HTTP {record.status_code} in {record.elapsed * 1000:.0f} ms"
                       + (f" after {record.attempts} attempts" if record.attempts > 1 else ""))
            body = json.dumps(record.response_body, indent=2, ensure_ascii=False)
            if len(body) > 20_000:
                body = body[:20_000] + "\n… (cut: the whole answer is in the table)"
            st.code(body, language="json")
        else:
            st.caption(f"Answer: {type(record).__name__}")
        st.caption("The same request with curl (set FASHIONAI_APP_TOKEN in your shell first):")
        st.code(request.to_curl(), language="bash")


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


def products_table(frame: pd.DataFrame, *, key: str | None = None) -> None:
    shown = frame[[c for c in TABLE_COLUMNS if c in frame.columns]
                  + [c for c in frame.columns if c not in TABLE_COLUMNS]].copy()
    if "image_url" in shown:
        shown["image_url"] = shown["image_url"].map(safe_image_url)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            "rank": st.column_config.NumberColumn("Rank", format="%d"),
            "image_url": st.column_config.ImageColumn("Image", width="small"),
            "name": st.column_config.TextColumn("Name"),
            "product_id": st.column_config.TextColumn("Product id"),
            "category": st.column_config.TextColumn("Category"),
            "price": st.column_config.NumberColumn("Price", format="%.2f"),
            "stock": st.column_config.NumberColumn("Stock", format="%d"),
            "in_stock": st.column_config.CheckboxColumn("In stock"),
            "in_catalog": st.column_config.CheckboxColumn("In catalog"),
        },
    )


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

UPLOAD_NAME_KEY = "uploaded_catalog_name"
UPLOAD_ID_KEY = "uploaded_catalog_file_id"


def _use_server_catalog() -> None:
    for key in (UPLOAD_KEY, UPLOAD_NAME_KEY):
        st.session_state.pop(key, None)


def catalog_sidebar(settings: Settings | None) -> None:
    """Upload a catalog for this browser session, and say which catalog is in use."""
    st.markdown("**Catalog**")
    uploaded = st.file_uploader(
        "Upload a catalog (CSV)", key="catalog_upload",  # any file: a workbook gets advice, not a refusal
        help="Replaces the server's catalog for your browser session only. "
             "Columns are detected; Portuguese and English names, ; or , separators all work.",
    )
    if uploaded is None:
        st.session_state.pop(UPLOAD_ID_KEY, None)
        st.session_state.pop("catalog_upload_error", None)
    elif st.session_state.get(UPLOAD_ID_KEY) != uploaded.file_id:
        st.session_state[UPLOAD_ID_KEY] = uploaded.file_id
        try:
            with st.spinner(f"Reading {uploaded.name}…", show_time=True):
                catalog = load_upload(uploaded.getvalue())
        except CatalogError as err:
            st.session_state["catalog_upload_error"] = f"{uploaded.name} could not be used. {err}"
        else:
            st.session_state.pop("catalog_upload_error", None)
            st.session_state[UPLOAD_KEY] = catalog
            st.session_state[UPLOAD_NAME_KEY] = uploaded.name
    if error := st.session_state.get("catalog_upload_error"):
        st.error(error + " The catalog in use before is still in use.", icon=":material/error:")

    if st.session_state.get(UPLOAD_KEY) is not None:
        catalog = st.session_state[UPLOAD_KEY]
        st.caption(f":material/upload_file: {escape_markdown(st.session_state.get(UPLOAD_NAME_KEY, 'upload'))}: "
                   f"{len(catalog.products):,} products")
        st.button("Use the server's catalog instead", on_click=_use_server_catalog, width="stretch")
    elif settings is not None:
        source = settings.catalog_path.name if settings.catalog_path else "bundled sample catalog"
        try:
            count = len(server_catalog(settings).products)
        except CatalogError as err:
            st.error(str(err), icon=":material/error:")
        else:
            st.caption(f":material/inventory_2: {escape_markdown(source)}: {count:,} products")
