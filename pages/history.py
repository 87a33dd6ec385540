"""History: every answer saved as a snapshot; browse them, open one, compare two, export and import."""

from dataclasses import replace

import streamlit as st

from fashionai import ui
from fashionai.compare_view import k_limit
from fashionai.domain import BACKEND_LABELS, DEFAULT_K, DEFAULT_P, K_RANGE, P_RANGE, Backend, EventType
from fashionai.history import Filters, HistoryError, HistoryUnavailable, snapshots_frame, snapshots_to_json
from fashionai.history.view import (
    TwoSnapshots,
    compare_two,
    different_things_note,
    failure_message,
    import_failure,
    import_message,
    look_caption,
    matches_caption,
    open_snapshot,
    pair_metrics,
    snapshot_caption,
    snapshot_title,
    storage_note,
)
from fashionai.output import charts, exports, share
from fashionai.output.present import escape_markdown

SHOWN = 500  # newest snapshots listed at once
OUTCOMES = {"ok": "Answers", "failed": "Failures"}
IMPORT_MESSAGE_KEY = "history_import_message"
OPENED_KEY = "history_opened"  # the chosen snapshots, read whole once while they stay chosen
VIEW_KEY = "history_view"  # what was built from them (storefront, look, comparison), for one catalog
HISTORY_KEYS = {"session": "history_session", "user": "history_user", "item": "history_item",
                "event": "history_event", "backend": "history_backend", "since": "history_from",
                "until": "history_to", "outcome": "history_outcome", "selected": "history_selected",
                "k": "history_k", "p": "history_p", "reference": "history_reference"}
"""The share link's fields and the widgets they set."""


def apply_link(link: ui.LinkOpening) -> None:
    """A shared link: its filters, the snapshots it chose (those the history holds) and its view settings."""
    for attr, key in HISTORY_KEYS.items():
        value = getattr(link.view, attr)
        if attr == "selected":
            value = [i for i in value if i != share.NO_SNAPSHOT]
            if value:
                value = [s.id for s in link.saved(value)]
            st.session_state[key] = value
        elif value is not None:
            st.session_state[key] = value
        else:
            st.session_state.pop(key, None)


ctx = ui.context()
st.title("History")
st.caption("Every answer the studio received from Fashion.AI or the simulator, saved as a snapshot: when, for "
           "which session and user, what was asked, the ranked products, how long it took and how it ended. "
           "Open one as the storefront it showed, or pick two (one session yesterday and today, say) and "
           "compare them. Nothing on this page calls Fashion.AI.")


def read(what):
    """`what()`, a read of the history; when the history cannot be read, say why and stop the page here."""
    try:
        return what()
    except HistoryUnavailable as err:
        st.error(f"**The history cannot be read.** {escape_markdown(err)}", icon=":material/history:")
        st.stop()


try:
    store, config = ui.history_store(), ui.history_config()
except (HistoryError, ui.ConfigError) as err:
    st.error(f"**The history cannot be opened.** {escape_markdown(err)}", icon=":material/history:")
    st.stop()
sessions, users, items = read(lambda: [store.distinct(column) for column in ("session_id", "user_id", "item_id")])
if store.read_only:
    st.warning(escape_markdown(store.read_only_message()), icon=":material/edit_off:")
tools = st.container()
link = ui.open_link("history", ctx, apply_link)

# --------------------------------------------------------------------------- filters (read only)

c1, c2, c3, c4 = st.columns(4)
session = c1.selectbox("Session", sessions, index=None, key="history_session",
                       placeholder="Any session", accept_new_options=True)
user = c2.selectbox("User", users, index=None, key="history_user",
                    placeholder="Any user", accept_new_options=True)
item = c3.selectbox("Category or product", items, index=None, key="history_item",
                    placeholder="Any", accept_new_options=True,
                    help="The category (categoryView) or product (shopTheLook, productView) asked about.")
event = c4.selectbox("Event", tuple(EventType), index=None, key="history_event", placeholder="Any event",
                     help="salesRanking is the best-sellers call: not a tracking event.")
d1, d2, d3, d4 = st.columns(4)
backend = d1.selectbox("Backend", tuple(Backend), index=None, key="history_backend", placeholder="Either",
                       format_func=BACKEND_LABELS.get)
first_day, last_day = share.DATE_RANGE  # the days a link may name, so any link's day can be shown
since = d2.date_input("From (UTC)", value=None, min_value=first_day, max_value=last_day, key="history_from")
until = d3.date_input("To (UTC)", value=None, min_value=first_day, max_value=last_day, key="history_to")
outcome = d4.selectbox("Outcome", list(OUTCOMES), index=None, key="history_outcome", placeholder="Any",
                       format_func=OUTCOMES.get)

filters = Filters.for_days(since, until, session_id=session, user_id=user, item_id=item, event_type=event,
                           backend=backend, ok=None if outcome is None else outcome == "ok")
rows = read(lambda: store.summaries(filters, limit=SHOWN))  # without their ranked ids: only the first few
total = read(lambda: store.count(filters))

if total == 0:
    if read(store.count) == 0:
        st.info("The history is empty. Every preview, look, comparison and journey is saved here as it "
                "happens; import a colleague's export below to see theirs.", icon=":material/history:")
    else:
        st.info("No snapshot matches these filters.", icon=":material/filter_alt_off:")
else:
    st.caption(matches_caption(total, SHOWN))
    st.dataframe(snapshots_frame(rows), hide_index=True, width="stretch", column_config={
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
        "id": st.column_config.TextColumn("Snapshot id"),
    })

# --------------------------------------------------------------------------- choose one or two

listed = {s.id: s for s in rows}
chosen_before = [i for i in st.session_state.get("history_selected", []) if isinstance(i, str)]
# chosen earlier, maybe outside today's filters
kept = {s.id: s for s in read(lambda: store.get_summaries(chosen_before))}
st.session_state["history_selected"] = [i for i in chosen_before if i in kept]
known = listed | kept
selected_ids = st.multiselect(
    "Open one snapshot, or choose two to compare", list(known), key="history_selected", max_selections=2,
    format_func=lambda i: known[i].label, placeholder="Choose snapshots from the list",
    help="One: the storefront (or look) it showed. Two: the compare page's charts and measures, the older "
         "one as the reference.")
chosen = [s.id for s in sorted((known[i] for i in selected_ids), key=lambda s: s.recorded_at)]  # older first
opened = ui.remembered(OPENED_KEY, tuple(chosen), lambda: {s.id: s for s in read(lambda: store.get(chosen))})
selected = [opened[i] for i in chosen if i in opened]
view = share.HistoryView(session=session, user=user, item=item, event=event, backend=backend, since=since,
                         until=until, outcome=outcome, selected=tuple(selected_ids))
export = None


if len(selected) == 1:
    snapshot = selected[0]
    st.subheader(snapshot_title(snapshot))
    st.caption(snapshot_caption(snapshot))
    rebuilt = snapshot.ok and ui.remembered(VIEW_KEY, (ctx.catalog.fingerprint, snapshot.id),
                                            lambda: open_snapshot(snapshot, ctx.catalog))
    if not rebuilt:
        st.error(failure_message(snapshot), icon=":material/error:")
        st.caption(f"It was sent to {escape_markdown(snapshot.endpoint)}.")
    elif rebuilt.event_type == EventType.CATEGORY_VIEW:
        preview = rebuilt.built
        ui.storefront_metrics(preview, saved=True)
        if preview.fallback:
            st.warning("**Fashion.AI answered with an empty list**, so the storefront showed the store's own "
                       "order, shown below.", icon=":material/hourglass_empty:")
        st.page_link("pages/storefront.py", label="Open on the storefront page", icon=":material/storefront:",
                     query_params=share.encode(share.StorefrontView(
                         category=snapshot.item_id, session=snapshot.session_id, user=snapshot.user_id,
                         snapshot=snapshot.id)))
        ui.product_grid(ui.paginate(preview.products, key="history_storefront"), currency=ctx.settings.currency)
    elif rebuilt.event_type == EventType.SHOP_THE_LOOK:
        look = rebuilt.built
        with ui.look_columns(look, currency=ctx.settings.currency):
            st.caption(look_caption(look))
            ui.product_grid(ui.paginate(look.look, key="history_look"), currency=ctx.settings.currency)
    elif rebuilt.built.empty:
        st.info("The answer was an empty list.", icon=":material/hourglass_empty:")
    else:
        ui.product_grid(ui.paginate(rebuilt.built, key="history_products"), currency=ctx.settings.currency)
    if rebuilt:
        export = rebuilt.export
        ui.exchange_expander(rebuilt.recommendation, label="The request and its answer")

elif len(selected) == 2:
    first, second = selected
    st.subheader("Two snapshots compared")
    if note := different_things_note(first, second):
        st.caption(f":material/info: {note}")
    view_token = (ctx.catalog.fingerprint, first.id, second.id)
    two = ui.remembered(VIEW_KEY, view_token, lambda: compare_two(selected, ctx.catalog))  # measured again below
    if two.problem:
        st.warning(two.problem, icon=":material/rule:")
    if two.measurable:
        comparison = two.comparison
        k_max = k_limit(comparison)
        st.session_state["history_k"] = min(st.session_state.get("history_k", DEFAULT_K), k_max)
        st.session_state.setdefault("history_p", DEFAULT_P)
        by_id = {s.id: label for s, label in zip(selected, comparison.labels)}
        if st.session_state.get("history_reference") not in by_id:
            st.session_state["history_reference"] = selected[0].id
        c1, c2, c3 = st.columns(3)
        k = c1.slider("Top K", K_RANGE[0], k_max, key="history_k")
        p = c2.slider("RBO persistence p", *P_RANGE, step=0.01, key="history_p")
        reference_id = c3.selectbox("Reference", list(by_id), key="history_reference", format_func=by_id.get,
                                    help="The snapshot the other is compared with.")
        reference = by_id[reference_id]
        other = next(label for label in comparison.labels if label != reference)
        comparison = comparison.remeasure(k=k, p=p)
        st.session_state[VIEW_KEY] = (view_token, TwoSnapshots(comparison))  # what it measured at this K and p too
        view = replace(view, k=k, p=p, reference=reference_id)

        for cell, metric in zip(st.columns(4), pair_metrics(comparison)):
            cell.metric(metric.label, metric.value, help=metric.help)
        for lane in comparison.lanes:
            if lane.fallback:
                st.caption(f":material/hourglass_empty: {escape_markdown(lane.label)}: {escape_markdown(lane.note)}")

        bump_tab, changes_tab, table_tab = st.tabs([":material/show_chart: Bump chart",
                                                    ":material/swap_vert: Rank changes", ":material/table: Top K"])
        with bump_tab:
            st.altair_chart(charts.bump_chart(comparison.rank_long, k=k, lane_order=[reference, other],
                                              info=comparison.info), width="stretch", theme=None)
        with changes_tab:
            ui.rank_changes(comparison, reference, other, k=k, currency=ctx.settings.currency)
        with table_tab:
            st.dataframe(comparison.top_k(), width="stretch")
        export = exports.comparison_export(comparison, reference)

# --------------------------------------------------------------------------- share, export, import

with tools:
    ui.view_tools(view, export, key="history")


def _import() -> None:
    uploaded = st.session_state.get("history_import")
    if uploaded is None:
        return
    try:
        result = store.import_json(uploaded.getvalue())
    except HistoryError as err:  # HistoryImportError: the file; HistoryError: the database
        st.session_state[IMPORT_MESSAGE_KEY] = ("error", import_failure(uploaded.name, err))
    else:
        st.session_state[IMPORT_MESSAGE_KEY] = ("success", import_message(uploaded.name, result, store.max_count))


with st.expander("Export and import snapshots", icon=":material/sync_alt:"):
    st.caption("Share snapshots with another deployment of the studio: export them here as JSON, and import the "
               "file there. Snapshots hold ids, rankings and timings, never the app token.")
    e1, e2 = st.columns(2)
    e1.download_button(f"Export the {min(total, 100_000):,} matching snapshots (JSON)",
                       lambda: store.export_json(filters), file_name="fashionai-snapshots.json",
                       mime="application/json", on_click="ignore", icon=":material/download:", disabled=not total)
    e2.download_button("Export the chosen snapshots (JSON)", lambda: snapshots_to_json(selected),
                       file_name="fashionai-snapshots-chosen.json", mime="application/json", on_click="ignore",
                       icon=":material/download:", disabled=not selected)
    st.file_uploader("Import a snapshot export (JSON)", type=["json"], key="history_import", on_change=_import,
                     disabled=store.read_only, help="Off while the history is read-only." if store.read_only else None)
    if message := st.session_state.get(IMPORT_MESSAGE_KEY):
        kind, text = message
        (st.success if kind == "success" else st.error)(escape_markdown(text), icon=":material/upload_file:")
    st.caption(storage_note(store.display_url, config))
