"""The widgets more than one page draws: badges and notes, the sidebar's shopper, the
request-and-response expander, the storefront's figures and movement badges, the look's layout,
the rank-change section and "press, call, keep the result or stop" (with a progress bar, and
keeping the result before when a call brings nothing new). Products as cards, grids, tables and
pages are in `fashionai.ui.cards` (re-exported here for the modules that import them from here)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from fashionai.api.client import DetailedAnswer, Recommendation, RequestRecord, SearchAnswer
from fashionai.api.errors import FashionAIError
from fashionai.catalog.model import stock_kind_of
from fashionai.compare.view import change_counts, change_reading
from fashionai.config import Settings
from fashionai.output import charts
from fashionai.simulator.server import DEFAULT_PORT as DEFAULT_SIMULATOR_PORT
from fashionai.storefront.preview import Badges, StorefrontPreview, storefront_badges
from fashionai.text.formatting import code_span, escape_markdown, ms_words, new_session_id
from fashionai.ui.cards import (  # noqa: F401  (the unused ones re-exported: modules import them from here)
    MISSING,
    PAGE_SIZES,
    TABLE_COLUMNS,
    paginate,
    product_card,
    product_grid,
    products_table,
)
from fashionai.ui.errors import call, drill_note, show_error
from fashionai.ui.resources import SIMULATOR_BASE_URL, session_faults, simulator_base_url
from fashionai.ui.session import (
    SESSION_KEY,
    USER_KEY,
    category_visit_time,
    previous_category_visit,
    remember_category_visit,
    session_values,
)

T = TypeVar("T")

# --------------------------------------------------------------------------- badges and notes


def backend_badge(settings: Settings) -> None:
    if settings.is_live:
        st.badge(settings.backend_label, icon=":material/cloud:", color="red",
                 help=f"Calls go to {settings.base_url}.")
    else:
        extra = " (forced by FASHIONAI_BACKEND)" if settings.forced_simulator else ""
        st.badge(settings.backend_label + extra, icon=":material/science:", color="violet",
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
    """The shopper session and user id (sidebar), kept across pages: `persist_state="session"`, as
    `st.switch_page` (the audit's "Open them on Compare lanes", a link naming another page) drops the
    value of every widget without it, and a new session would silently restart the walk."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = new_session_id()

    def fresh() -> None:
        st.session_state[SESSION_KEY] = new_session_id()

    st.text_input("Shopper session id", key=SESSION_KEY, persist_state="session",
                  help="Every preview is recorded by Fashion.AI as a visit of this session.")
    st.button("New synthetic session", on_click=fresh, icon=":material/refresh:", width="stretch")
    st.text_input("User id (optional)", key=USER_KEY, persist_state="session", placeholder="signed-in shopper, e.g. 90",
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


Answered = Recommendation | SearchAnswer | DetailedAnswer
"""The answers whose request, status, time and body the request expander shows."""


def exchange_expander(record: Answered | FashionAIError | None, *, label: str = "Request and response") -> None:
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
        if isinstance(record, Answered):
            st.caption(f"Answer: HTTP {record.status_code} in {ms_words(record.elapsed)}"
                       + (f" after {record.attempts} attempts" if record.attempts > 1 else ""))
            st.code(answer_excerpt(record.response_body), language="json")
        else:
            st.caption(f"Answer: {type(record).__name__}")
        if (local_request := on_loopback(request)) is not None:
            st.caption(f"This answer came from the built-in simulator, inside the studio's server: "
                       f"{code_span(SIMULATOR_BASE_URL)} is no address curl can reach. To send the same request "
                       "with curl, serve the simulator on your machine in another terminal (any token is accepted), "
                       "then run the command below. It is a simulator of its own, so its rankings start afresh:")
            st.code(f"python -m fashionai simulate --port {DEFAULT_SIMULATOR_PORT}", language="bash")
            st.code(local_request.to_curl(), language="bash")
        else:
            st.caption("The same request with curl (set FASHIONAI_APP_TOKEN in your shell first):")
            st.code(request.to_curl(), language="bash")


def on_loopback(request: RequestRecord) -> RequestRecord | None:
    """`request` as sent to ``python -m fashionai simulate`` on this machine, when the in-process simulator answered
    it (any address on its host: the detailed search's is outside /api); None for any other."""
    inside, local = urlsplit(SIMULATOR_BASE_URL), urlsplit(simulator_base_url())
    origin = f"{inside.scheme}://{inside.netloc}/"
    if not request.url.startswith(origin):
        return None
    return replace(request, url=f"{local.scheme}://{local.netloc}/{request.url[len(origin):]}")


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


# --------------------------------------------------------------------------- what several pages show alike


def storefront_metrics(preview: Any, *, saved: bool = False) -> None:
    """A storefront preview's four figures; for a `saved` answer, the catalog's are said to be today's."""
    today = " today" if saved else ""
    # each as wide as its label, in a row that wraps: four equal columns cut the labels at 1,024 x 768
    # ("Returned by Fashio...", "Products in this cat...")
    with st.container(horizontal=True, gap="large"):
        st.metric("Returned by Fashion.AI", f"{preview.returned:,}", width="content")
        st.metric(f"Products in this category{today}", f"{preview.category_size:,}", width="content")
        st.metric("Not in your catalog", f"{preview.unknown_ids:,}", width="content")
        st.metric(f"Out of stock{today}", f"{preview.out_of_stock:,}", width="content")


STOREFRONT_BADGES_KEY = "_storefront_badges"
"""(the answer, its Badges): the storefront page's movement badges, worked out once per answer."""


def storefront_moves(preview: StorefrontPreview, native: list[str], *, visited: bool) -> Badges:
    """The storefront on screen's movement badges, worked out once per answer (paging or a new catalog keeps
    them). A preview just made (`visited`) is compared with this session's previous visit of the category (on
    any page), or, on its first, with the store's own order (`native`), and becomes the visit remembered; a
    saved answer (a share link, the history) is compared with the store's own order and is no visit."""
    held = st.session_state.get(STOREFRONT_BADGES_KEY)
    if held is not None and held[0] is preview.recommendation:
        return held[1]
    session_id, category_id = preview.session_id, preview.category_id
    if visited:
        badges = storefront_badges(preview, previous_category_visit(session_id, category_id), native=native,
                                   previous_at=category_visit_time(session_id, category_id))
        remember_category_visit(session_id, category_id, tuple(str(i) for i in preview.products["product_id"]))
    else:
        badges = storefront_badges(preview, None, native=native, replay=True)
    st.session_state[STOREFRONT_BADGES_KEY] = (preview.recommendation, badges)
    return badges


def look_columns(look: Any, *, currency: str) -> DeltaGenerator:
    """A look's layout: its main piece's card on the left; returns the column on the right, for its pieces."""
    main_col, look_col = st.columns([1, 3], gap="large")
    with main_col:
        st.markdown("**Main piece**")
        product_card(look.main.iloc[0], currency=currency, show_rank=False, stock_kind=stock_kind_of(look.main))
    return look_col


def changes_top(changes: Any, *, key: str) -> int | None:
    """How many products the rank-changes chart draws: `charts.CHANGES_TOP` (the biggest moves), unless there
    are more and the toggle under `key` asks for all (None)."""
    count = len(changes)
    show_all = count > charts.CHANGES_TOP and st.toggle(
        f"Chart all {count:,} products", key=key,
        help=f"The chart shows the {charts.CHANGES_TOP} products that moved most places; the table lists all.")
    return None if show_all else charts.CHANGES_TOP


def rank_changes(comparison: Any, reference: str, other: str, *, k: int, currency: str, key: str,
                 labels: Mapping[str, str] | None = None) -> None:
    """How `other`'s top K moved against `reference`'s: four counts, the chart (its biggest moves, all of them
    when the toggle under `key` asks) and the table (`labels` adds column headers to the table's)."""
    changes = comparison.changes(reference, other)
    for cell, (label, count) in zip(st.columns(4), change_counts(changes, k)):
        cell.metric(label, count)
    st.markdown(escape_markdown(change_reading(changes, k)))
    st.altair_chart(charts.rank_change_chart(changes[["product_id", "ref_rank", "rank", "change", "delta"]],
                                             comparison.info, top=changes_top(changes, key=key)),
                    width="stretch", theme=None)
    products_table(changes.drop(columns=["change", "delta"]), currency=currency, keep_order=True,
                   labels={"movement": "Change", "name": "Product", **(labels or {})})

def chart_key(key: Any) -> None:
    """The key of a bump or drift chart (`charts.bump_key`, `charts.drift_key`): each letter drawn in the chart's
    points and the product it stands for, in full."""
    st.dataframe(key, hide_index=True, width="stretch", column_config={
        "key": st.column_config.TextColumn("Key", width="small"), "name": st.column_config.TextColumn("Product"),
        "product_id": st.column_config.TextColumn("Product id")})
