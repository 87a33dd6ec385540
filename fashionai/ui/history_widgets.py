"""The history page's drawing (pages/history.py owns it): reading the history or saying why not, the
filters, the list of snapshots, one snapshot opened, two compared, and the export-and-import expander.

The page passes its keys: the filters' keys by share-link field (`keys`), the rest as a prefix
(`key`): every other widget key here is ``f"{key}_..."``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from fashionai.api.collections import NO_ACTIVE_SLICE
from fashionai.api.endpoints import snapshot_view
from fashionai.catalog import Catalog
from fashionai.compare.compared import Comparison
from fashionai.config import HistoryConfig
from fashionai.domain import BACKEND_LABELS, Backend, EventType
from fashionai.history import (
    MAX_NAME,
    Filters,
    HistoryError,
    HistoryStore,
    HistoryUnavailable,
    Snapshot,
    SnapshotSummary,
    snapshots_frame,
    snapshots_to_json,
)
from fashionai.output import charts, share, share_params
from fashionai.saved.view import (
    OpenedSnapshot,
    failure_message,
    import_failure,
    import_message,
    look_caption,
    pair_metrics,
    pair_sentence,
    pick_limit_message,
    search_caption,
    storage_note,
)
from fashionai.team import Action
from fashionai.team.activity import ActivityAction
from fashionai.team.retention import Retention
from fashionai.text.formatting import code_span, escape_markdown
from fashionai.ui.activity import log_activity
from fashionai.ui.filters_widgets import filter_marks
from fashionai.ui.identity import allowed, current_person, require, why_not
from fashionai.ui.store_settings import unknown_in_stock
from fashionai.ui.cards import paginate, product_grid
from fashionai.ui.chart_widgets import chart_key, rank_changes
from fashionai.ui.exchange import exchange_expander
from fashionai.ui.storefront_widgets import look_columns, storefront_metrics

T = TypeVar("T")
PAGE = "History"

OUTCOMES = {"ok": "Answers", "failed": "Failures"}
"""The outcome filter's choices, as the filter says them."""


def read(what: Callable[[], T]) -> T:
    """`what()`, a read of the history; when the history cannot be read, say why and stop the page here."""
    try:
        return what()
    except HistoryUnavailable as err:
        st.error(f"**The history cannot be read.** {escape_markdown(err)}", icon=":material/history:")
        st.stop()


def history_filters(sessions: Sequence[str], users: Sequence[str], items: Sequence[str], *,
                    keys: Mapping[str, str]) -> share.HistoryView:
    """The filters, two rows of four (the history's sessions, users and items offered, any other typed);
    the view they make, nothing chosen yet. `keys` names each filter's widget key by its view field."""
    c1, c2, c3, c4 = st.columns(4)
    session = c1.selectbox("Session", sessions, index=None, key=keys["session"],
                           placeholder="Any session", accept_new_options=True)
    user = c2.selectbox("User", users, index=None, key=keys["user"],
                        placeholder="Any user", accept_new_options=True)
    item = c3.selectbox("Category or product", items, index=None, key=keys["item"],
                        placeholder="Any", accept_new_options=True,
                        help="The category (categoryView) or product (shopTheLook, productView) asked about.")
    event = c4.selectbox("Event", tuple(EventType), index=None, key=keys["event"], placeholder="Any event",
                         help="salesRanking is the best-sellers call: not a tracking event.")
    d1, d2, d3, d4 = st.columns(4)
    backend = d1.selectbox("Backend", tuple(Backend), index=None, key=keys["backend"], placeholder="Either",
                           format_func=BACKEND_LABELS.__getitem__)
    first_day, last_day = share_params.DATE_RANGE  # the days a link may name, so any link's day can be shown
    since = d2.date_input("From (UTC)", value=None, min_value=first_day, max_value=last_day, key=keys["since"])
    until = d3.date_input("To (UTC)", value=None, min_value=first_day, max_value=last_day, key=keys["until"])
    outcome = d4.selectbox("Outcome", list(OUTCOMES), index=None, key=keys["outcome"], placeholder="Any",
                           format_func=OUTCOMES.__getitem__)
    return share.HistoryView(session=session, user=user, item=item, event=event, backend=backend, since=since,
                             until=until, outcome=outcome)


def snapshots_table(rows: Sequence[SnapshotSummary], *, product_names: Mapping[str, Any] | None = None,
                    snapshot_names: Mapping[str, str] | None = None,
                    snapshot_owners: Mapping[str, str] | None = None) -> None:
    """The snapshots listed, one row each, newest first: their names, their first products with the names
    the catalog in use gives them, and who made each."""
    frame = snapshots_frame(rows, product_names=product_names, snapshot_names=snapshot_names,
                            snapshot_owners=snapshot_owners)
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "name": st.column_config.TextColumn("Name"),
        "recorded_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm:ss"),
        "event_type": st.column_config.TextColumn("Event"),
        "item_id": st.column_config.TextColumn("Category or product"),
        "session_id": st.column_config.TextColumn("Session"),
        "user_id": st.column_config.TextColumn("User"),
        "products": st.column_config.NumberColumn("Products"),
        "first_products": st.column_config.TextColumn("First products"),
        "elapsed_ms": st.column_config.NumberColumn("Latency (ms)", format="%.0f"),
        "outcome": st.column_config.TextColumn("Outcome"),
        "backend": st.column_config.TextColumn("Backend"),
        "made_by": st.column_config.TextColumn("Made by"),
        "id": st.column_config.TextColumn("Snapshot id"),
    })


def name_editor(store: HistoryStore, snapshot: Snapshot, name: str | None, *, key: str) -> None:
    """The opened snapshot's name (e.g. "before the winter campaign"): a field and a button that saves it in
    the history for everyone (blank takes it away); said how it went."""
    field_key, message_key = f"{key}_name_{snapshot.id}", f"{key}_name_message"

    def save() -> None:
        if not require(Action.SAVE_SNAPSHOT, page=PAGE):
            return
        try:
            kept = store.set_name(snapshot.id, st.session_state.get(field_key, ""))
        except (ValueError, HistoryError) as err:
            st.session_state[message_key] = ("error", f"The name was not saved: {err}.")
        else:
            st.session_state[message_key] = ("success", f"Named “{kept}”." if kept else "The name was taken away.")
            log_activity(ActivityAction.SNAPSHOT_NAMED, page="History", detail=kept or "name taken away")

    with st.container(horizontal=True, vertical_alignment="bottom"):
        refusal = why_not(Action.SAVE_SNAPSHOT)
        st.text_input("Name this snapshot", value=name or "", key=field_key, max_chars=MAX_NAME,
                      placeholder="e.g. before the winter campaign", disabled=store.read_only or bool(refusal),
                      help="Shown in the list, the pickers and the lanes of a comparison, for everyone who uses "
                           "this history.")
        st.button("Save the name", key=f"{key}_name_save", on_click=save, icon=":material/label:",
                  disabled=store.read_only or bool(refusal), help=refusal or None)
    if message := st.session_state.pop(message_key, None):
        kind, text = message
        (st.success if kind == "success" else st.error)(escape_markdown(text), icon=":material/label:")


def delete_control(store: HistoryStore, snapshot: Snapshot, name: str | None, *, key: str, picker: str) -> None:
    """Delete the opened snapshot from the history, for everyone (an admin's right, checked when pressed), once
    confirmed; the picker `picker` lets go of it, and the deletion is written in the activity log."""
    confirm_key = f"{key}_delete_{snapshot.id}"
    what = (f"“{name}” · " if name else "") + (f"{snapshot.event_type} {snapshot.item_id or ''} of "
                                               f"{snapshot.recorded_at:%Y-%m-%d %H:%M:%S} UTC")

    def delete() -> None:
        st.session_state.pop(confirm_key, None)
        if not require(Action.DELETE, page=PAGE):
            return
        try:
            store.delete([snapshot.id])
        except HistoryError as err:
            st.error(f"The snapshot was not deleted: {escape_markdown(err)}", icon=":material/delete:")
            return
        st.session_state[picker] = [i for i in st.session_state.get(picker, []) if i != snapshot.id]
        st.toast(f"Deleted the snapshot {escape_markdown(what)}.", icon=":material/delete:")
        log_activity(ActivityAction.SNAPSHOT_DELETED, page=PAGE, detail=what)

    refusal = why_not(Action.DELETE)
    if st.session_state.get(confirm_key):
        st.warning(f"Delete the snapshot {escape_markdown(what)} from the history, for everyone using this studio? "
                   "Links naming it will no longer open it.", icon=":material/delete:")
        with st.container(horizontal=True):
            st.button("Yes, delete it", key=f"{confirm_key}_yes", type="primary", on_click=delete)
            st.button("Cancel", key=f"{confirm_key}_no", on_click=lambda: st.session_state.pop(confirm_key, None))
    else:
        st.button("Delete this snapshot…", key=f"{key}_delete", icon=":material/delete:", help=refusal or None,
                  disabled=store.read_only or bool(refusal), on_click=lambda: st.session_state.__setitem__(
                      confirm_key, True))


def keep_two(key: str, label: Callable[[str], str]) -> None:
    """The picker's callback: picks past the second are not taken, and the page says so (`pick_limit_note`)."""
    picked = list(st.session_state.get(key) or [])
    if len(picked) > 2:
        st.session_state[key] = picked[:2]
        st.session_state[f"{key}_refused"] = pick_limit_message([label(i) for i in picked[2:]])


def pick_limit_note(key: str) -> None:
    """Why a third pick was not taken, once, under the picker."""
    if message := st.session_state.pop(f"{key}_refused", None):
        st.warning(escape_markdown(message), icon=":material/filter_2:")


def opened_snapshot(snapshot: Snapshot, rebuilt: OpenedSnapshot | None, *, currency: str, key: str,
                    catalog: Catalog | None = None) -> None:
    """One snapshot opened: why it failed (`rebuilt` None), or what it showed (a storefront with a link to the
    storefront page, a look, or its products; with `catalog`, each breaking a dashboard filter of its type marked),
    and the request with its answer."""
    if not rebuilt:
        st.error(failure_message(snapshot), icon=":material/error:")
        st.caption(f"It was sent to {escape_markdown(snapshot.endpoint)}.")
        return
    view = snapshot_view(rebuilt.event_type)
    if view == "storefront":
        preview = rebuilt.built
        storefront_metrics(preview, saved=True)
        if preview.fallback:
            st.warning("**Fashion.AI answered with an empty list**, so the storefront showed the store's own "
                       "order, shown below.", icon=":material/hourglass_empty:")
        st.page_link("pages/storefront.py", label="Open on the storefront page", icon=":material/storefront:",
                     query_params=share.encode(share.StorefrontView(
                         category=snapshot.item_id, session=snapshot.session_id, user=snapshot.user_id,
                         snapshot=snapshot.id)))
        shown = paginate(preview.products, key=f"{key}_storefront")
        product_grid(shown, currency=currency, breaches=_marks(catalog, rebuilt.event_type, shown, currency))
    elif view == "look":
        look = rebuilt.built
        with look_columns(look, currency=currency):
            st.caption(look_caption(look, unknown_in_stock=unknown_in_stock()))
            shown = paginate(look.look, key=f"{key}_look")
            product_grid(shown, currency=currency, breaches=_marks(catalog, rebuilt.event_type, shown, currency))
    elif view == "search":
        st.caption(search_caption(snapshot))
        if not rebuilt.built.empty:
            shown = paginate(rebuilt.built, key=f"{key}_search")
            product_grid(shown, currency=currency, breaches=_marks(catalog, rebuilt.event_type, shown, currency))
    elif view == "slice" and snapshot.status_code == NO_ACTIVE_SLICE:
        st.info(f"No slice of collection {code_span(snapshot.item_id or '')} was active then: Fashion.AI answered "
                "that none of its slices ran at that moment (HTTP 404, a normal state).", icon=":material/event_busy:")
    elif rebuilt.built.empty:
        st.info("The answer was an empty list.", icon=":material/hourglass_empty:")
    else:
        shown = paginate(rebuilt.built, key=f"{key}_products")
        product_grid(shown, currency=currency, breaches=_marks(catalog, rebuilt.event_type, shown, currency))
    exchange_expander(rebuilt.recommendation, label="The request and its answer")


def _marks(catalog: Catalog | None, event: object, shown: pd.DataFrame, currency: str) -> dict[str, tuple[str, ...]]:
    """A saved list's products checked against today's dashboard filters for its type (none without a catalog)."""
    return {} if catalog is None else filter_marks(catalog, event, shown, currency=currency)


def snapshot_pair(comparison: Comparison, reference: str, other: str, *, k: int, currency: str) -> None:
    """Two snapshots measured at `k`: the four measures, the empty answers, and three tabs (bump chart,
    rank changes of `other` against `reference`, top K)."""
    st.markdown(escape_markdown(pair_sentence(comparison)))
    for cell, metric in zip(st.columns(4), pair_metrics(comparison), strict=True):
        cell.metric(metric.label, metric.value, help=metric.help)
        cell.caption(escape_markdown(metric.reading))
    for lane in comparison.lanes:
        if lane.fallback:
            st.caption(f":material/hourglass_empty: {escape_markdown(lane.label)}: {escape_markdown(lane.note)}")
    bump_tab, changes_tab, table_tab = st.tabs([":material/show_chart: Bump chart",
                                                ":material/swap_vert: Rank changes", ":material/table: Top K"])
    with bump_tab:
        st.altair_chart(charts.bump_chart(comparison.rank_long, k=k, lane_order=[reference, other],
                                          info=comparison.info), width="stretch", theme=None)
        chart_key(charts.bump_key(comparison.rank_long, k=k, lane_order=[reference, other], info=comparison.info))
    with changes_tab:
        rank_changes(comparison, reference, other, k=k, currency=currency, key="history_changes_all")
    with table_tab:
        st.dataframe(comparison.top_k(), width="stretch")


def _retention(store: HistoryStore) -> Retention | None:
    """What the history keeps now (an admin's choice wins over the deployment's), None when it cannot be read."""
    try:
        return store.retention()
    except HistoryError:
        return None


def transfer_expander(store: HistoryStore, config: HistoryConfig, filters: Filters, total: int,
                      selected: Sequence[Snapshot], *, key: str, names: Mapping[str, str] | None = None) -> None:
    """Export the matching or the chosen snapshots as JSON, import a file (said how it went), and where the
    history is kept."""
    message_key = f"{key}_import_message"

    def import_file() -> None:
        uploaded = st.session_state.get(f"{key}_import")
        if uploaded is None or not require(Action.SAVE_SNAPSHOT, page=PAGE):
            return
        try:
            result = store.import_json(uploaded.getvalue(), owner=current_person().email)
        except HistoryError as err:  # HistoryImportError: the file; HistoryError: the database
            st.session_state[message_key] = ("error", import_failure(uploaded.name, err))
        else:
            kept = _retention(store)
            st.session_state[message_key] = ("success", import_message(uploaded.name, result,
                                                                       kept.max_count if kept else store.max_count))
            log_activity(ActivityAction.SNAPSHOT_IMPORTED, page="History", detail=uploaded.name, count=result.added)

    with st.expander("Export and import snapshots", icon=":material/sync_alt:"):
        st.caption("Share snapshots with another deployment of the studio: export them here as JSON, and import "
                   "the file there. Snapshots hold ids, rankings and timings, never the app token; their names go "
                   "with them (an import names only snapshots that have no name there yet).")
        e1, e2 = st.columns(2)
        e1.download_button(f"Export the {min(total, 100_000):,} matching snapshots (JSON)",
                           lambda: store.export_json(filters), file_name="fashionai-snapshots.json",
                           mime="application/json", on_click="ignore", icon=":material/download:",
                           disabled=not total)
        e2.download_button("Export the chosen snapshots (JSON)", lambda: snapshots_to_json(selected, names=names),
                           file_name="fashionai-snapshots-chosen.json", mime="application/json", on_click="ignore",
                           icon=":material/download:", disabled=not selected)
        st.file_uploader("Import a snapshot export (JSON)", type=["json"], key=f"{key}_import",
                         on_change=import_file, disabled=store.read_only or not allowed(Action.SAVE_SNAPSHOT),
                         help="Off while the history is read-only." if store.read_only else (
                             why_not(Action.SAVE_SNAPSHOT) or None))
        if message := st.session_state.get(message_key):
            kind, text = message
            (st.success if kind == "success" else st.error)(escape_markdown(text), icon=":material/upload_file:")
        st.caption(storage_note(store.display_url, config, _retention(store)))

