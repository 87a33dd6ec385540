"""The widgets more than one page draws: badges and notes, the sidebar's shopper, products as
cards, grids and tables, paging, the request-and-response expander, the storefront's figures,
the look's layout, the rank-change section and "press, call, keep the result or stop" (with a
progress bar, and keeping the result before when a call brings nothing new)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from fashionai.api.client import Recommendation
from fashionai.api.errors import FashionAIError
from fashionai.compare_view import change_counts
from fashionai.config import Settings
from fashionai.movement import DOWN, NEW, SAME, UP, Move
from fashionai.output import charts
from fashionai.output.present import (
    STOCK_BADGE_COLOR,
    code_span,
    column_title,
    escape_markdown,
    format_price,
    is_missing,
    new_session_id,
    safe_image_url,
    stock_status,
)
from fashionai.simulator.server import DEFAULT_PORT as DEFAULT_SIMULATOR_PORT
from fashionai.ui.errors import call, drill_note, show_error
from fashionai.ui.resources import SIMULATOR_BASE_URL, get_settings, session_faults, simulator_base_url
from fashionai.ui.session import SESSION_KEY, USER_KEY, session_values

T = TypeVar("T")

# --------------------------------------------------------------------------- badges and notes


def backend_badge(settings: Settings) -> None:
    if settings.is_live:
        st.badge("Live API", icon=":material/cloud:", color="red",
                 help=f"Calls go to {settings.base_url}.")
    else:
        extra = " (forced by FASHIONAI_BACKEND)" if settings.forced_simulator else ""
        st.badge("Simulator" + extra, icon=":material/science:", color="violet",
                 help="No app token is configured, so the built-in offline simulator answers.")
        drill_badge(settings)


def drill_badge(settings: Settings) -> None:
    """A badge saying this browser session's fault drill is on (nothing when it is off or live)."""
    faults = session_faults()
    if faults is not None and not settings.is_live:
        st.badge("Fault drill on", icon=":material/bolt:", color="orange",
                 help=f"The simulator misbehaves on purpose for your browser session only: {faults.describe()}. "
                      "Turn it off on the Settings page (Fault drills, Reset).")


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


# --------------------------------------------------------------------------- press, call, keep


def call_and_keep(key: str, what: str, fn: Callable[[], T]) -> T | None:
    """Run ``fn`` as `call` does and keep its result under `key` (and return it); when it fails,
    the error is shown and the result kept before stays."""
    result = call(what, fn)
    if result is not None:
        st.session_state[key] = result
    return result


def call_with_progress(what: str, start: str, fn: Callable[[Callable[[Any, int, int], None]], T],
                       words: Callable[[Any, int, int], str]) -> T | None:
    """`call` with a progress bar: ``fn(progress)`` reports each part done as ``progress(part, done, total)``,
    which the bar says with ``words(part, done, total)`` (Markdown; `start` before the first). The bar goes
    when the call ends."""
    bar = st.progress(0.0, text=start)

    def progress(part: Any, done: int, total: int) -> None:
        bar.progress(done / total, text=words(part, done, total))

    result = call(what, lambda: fn(progress))
    bar.empty()
    return result


def keep_result(key: str, result: Any, *, empty: bool, failures: Iterable[tuple[str, BaseException]],
                note: str) -> bool:
    """Keep a call's new `result` under `key` (True). But when nothing came of it (`empty`) while a result
    is kept, show its `failures` ((what, error) pairs), the drill note and `note` (why the result on screen
    is the one before), and keep that one (False)."""
    if empty and st.session_state.get(key) is not None:
        for what, error in failures:
            show_error(error, what=what)
        drill_note()
        st.caption(note)
        return False
    st.session_state[key] = result
    return True


def kept_or_stop(key: str, hint: str) -> Any:
    """The result kept under `key`; without one, say which button to press (`hint`) and stop the page."""
    kept = st.session_state.get(key)
    if kept is None:
        st.info(hint, icon=":material/touch_app:")
        st.stop()
    return kept


# --------------------------------------------------------------------------- the exchange


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


# --------------------------------------------------------------------------- products


def _stock_badge(row: pd.Series) -> tuple[str, str]:
    if not bool(row.get("in_catalog", True)):
        return "not in catalog", STOCK_BADGE_COLOR["not in catalog"]
    status = stock_status(row.get("stock"))
    return status, STOCK_BADGE_COLOR[status]


MOVE_COLORS = {UP: "green", DOWN: "red", NEW: "blue", SAME: "gray"}


def product_card(row: pd.Series, *, currency: str = "R$", show_rank: bool = True, move: Move | None = None,
                 against: str = "the list before") -> None:
    """One product as the storefront shows it: image, name, price, stock badge, rank, and its `move`
    since the list before (`against` names that list in the badge's tooltip)."""
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
        if move is None:
            st.badge(status, color=color)
        else:
            with st.container(horizontal=True, gap="small"):
                st.badge(status, color=color)
                st.badge(move.label, color=MOVE_COLORS[move.change], help=move.words(against))


def product_grid(frame: pd.DataFrame, *, columns: int = 4, currency: str = "R$", show_rank: bool = True,
                 moves: Mapping[str, Move] | None = None, against: str = "the list before") -> None:
    """Cards in rows of `columns`; with `moves` (by product id, `fashionai.movement.movements`) each wears its
    move's badge."""
    for start in range(0, len(frame), columns):
        cells = st.columns(columns)
        for cell, (_, row) in zip(cells, frame.iloc[start:start + columns].iterrows()):
            with cell:
                move = None if moves is None else moves.get(str(row["product_id"]))
                product_card(row, currency=currency, show_rank=show_rank, move=move, against=against)


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


# --------------------------------------------------------------------------- what several pages show alike


def storefront_metrics(preview: Any, *, saved: bool = False) -> None:
    """A storefront preview's four figures; for a `saved` answer, the catalog's are said to be today's."""
    today = " today" if saved else ""
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Returned by Fashion.AI", f"{preview.returned:,}")
    m2.metric(f"Products in this category{today}", f"{preview.category_size:,}")
    m3.metric("Not in your catalog", f"{preview.unknown_ids:,}")
    m4.metric(f"Out of stock{today}", f"{preview.out_of_stock:,}")


def look_columns(look: Any, *, currency: str) -> DeltaGenerator:
    """A look's layout: its main piece's card on the left; returns the column on the right, for its pieces."""
    main_col, look_col = st.columns([1, 3], gap="large")
    with main_col:
        st.markdown("**Main piece**")
        product_card(look.main.iloc[0], currency=currency, show_rank=False)
    return look_col


def rank_changes(comparison: Any, reference: str, other: str, *, k: int, currency: str,
                 labels: Mapping[str, str] | None = None) -> None:
    """How `other`'s top K moved against `reference`'s: four counts, the chart, and the table
    (`labels` adds column headers to the table's)."""
    changes = comparison.changes(reference, other)
    for cell, (label, count) in zip(st.columns(4), change_counts(changes, k)):
        cell.metric(label, count)
    st.altair_chart(charts.rank_change_chart(changes[["product_id", "ref_rank", "rank", "change", "delta"]],
                                             comparison.info), width="stretch", theme=None)
    products_table(changes.drop(columns=["change", "delta"]), currency=currency, keep_order=True,
                   labels={"movement": "Change", "name": "Product", **(labels or {})})
