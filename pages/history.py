"""History: every answer saved as a snapshot; browse them, open one, compare two, export and import."""

from dataclasses import replace

import streamlit as st

from fashionai import ui
from fashionai.catalog import join_ranking
from fashionai.domain import BACKEND_LABELS, DEFAULT_K, DEFAULT_P, K_RANGE, P_RANGE, Backend, EventType
from fashionai.history import (
    Filters,
    HistoryError,
    HistoryUnavailable,
    compare_snapshots,
    look_from_snapshot,
    recommendation_from_snapshot,
    snapshots_frame,
    snapshots_to_json,
    storefront_from_snapshot,
)
from fashionai.output import charts, exports, share
from fashionai.output.present import code_span, escape_markdown, plural

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
    st.caption(plural(total, "snapshot matches", "snapshots match")
               + (f"; the newest {SHOWN} are listed" if total > SHOWN else "")
               + ". Times are UTC.")
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


def opened_view(snapshot, build) -> tuple:
    """`build(snapshot, catalog)` and its export, made once for this snapshot and catalog."""
    def compute():
        built = build(snapshot, ctx.catalog)
        return built, export_of(snapshot, built), recommendation_from_snapshot(snapshot)
    return ui.remembered(VIEW_KEY, (ctx.catalog.fingerprint, snapshot.id), compute)


def export_of(snapshot, built) -> exports.Export:
    if snapshot.event_type == EventType.CATEGORY_VIEW:
        return exports.storefront_export(built)
    if snapshot.event_type == EventType.SHOP_THE_LOOK:
        return exports.look_export(built)
    return exports.Export(exports.slug(snapshot.event_type, snapshot.item_id, snapshot.session_id),
                          {"products": exports.product_table(built)},
                          {"kind": snapshot.event_type, "snapshot_id": snapshot.id, "item_id": snapshot.item_id,
                           "session_id": snapshot.session_id, "user_id": snapshot.user_id})


def products_frame(snapshot, catalog):
    """A snapshot that is neither a storefront nor a look: its ranked products joined with the catalog."""
    return join_ranking(catalog, list(snapshot.products))


def products_view(frame) -> None:
    """Its ranked products, as a grid."""
    if frame.empty:
        st.info("The answer was an empty list.", icon=":material/hourglass_empty:")
    else:
        ui.product_grid(ui.paginate(frame, key="history_products"), currency=ctx.settings.currency)


def compared(snapshots):
    """The two snapshots compared, or the ValueError saying why they cannot be."""
    try:
        return compare_snapshots(snapshots, ctx.catalog, k=DEFAULT_K, p=DEFAULT_P)
    except ValueError as err:
        return err


if len(selected) == 1:
    snapshot = selected[0]
    st.subheader(f"{escape_markdown(snapshot.event_type)} {escape_markdown(snapshot.item_id or '')}")
    who = f"session {code_span(snapshot.session_id)}" if snapshot.session_id else "no session"
    if snapshot.user_id:
        who += f", user {code_span(snapshot.user_id)}"
    st.caption(f"{snapshot.recorded_at:%Y-%m-%d %H:%M:%S} UTC · {who} · {BACKEND_LABELS.get(snapshot.backend)} · "
               f"{escape_markdown(snapshot.outcome)} in {snapshot.elapsed * 1000:.0f} ms · joined with today's "
               "catalog")
    if not snapshot.ok:
        st.error(f"**This call failed:** {escape_markdown(snapshot.outcome)}"
                 + (f" after {snapshot.attempts} attempts" if snapshot.attempts > 1 else "") + ". No products were "
                 "shown.", icon=":material/error:")
        st.caption(f"It was sent to {escape_markdown(snapshot.endpoint)}.")
    elif snapshot.event_type == EventType.CATEGORY_VIEW:
        preview, export, recommendation = opened_view(snapshot, storefront_from_snapshot)
        ui.storefront_metrics(preview, saved=True)
        if preview.fallback:
            st.warning("**Fashion.AI answered with an empty list**, so the storefront showed the store's own "
                       "order, shown below.", icon=":material/hourglass_empty:")
        st.page_link("pages/storefront.py", label="Open on the storefront page", icon=":material/storefront:",
                     query_params=share.encode(share.StorefrontView(
                         category=snapshot.item_id, session=snapshot.session_id, user=snapshot.user_id,
                         snapshot=snapshot.id)))
        ui.product_grid(ui.paginate(preview.products, key="history_storefront"), currency=ctx.settings.currency)
    elif snapshot.event_type == EventType.SHOP_THE_LOOK:
        look, export, recommendation = opened_view(snapshot, look_from_snapshot)
        with ui.look_columns(look, currency=ctx.settings.currency):
            valid, returned = len(look.shown_pieces), len(look.look)
            has = "has" if 1 in (valid, returned) else "have"  # "1 of 3 ... has", "0 of 1 ... has", "2 of 3 ... have"
            st.caption(f"{valid:,} of {plural(returned, 'suggested piece')} {has} stock in today's "
                       "catalog: the \"shop the look\" button would " + ("show." if look.button_visible else
                                                                          "be hidden."))
            ui.product_grid(ui.paginate(look.look, key="history_look"), currency=ctx.settings.currency)
    else:
        frame, export, recommendation = opened_view(snapshot, products_frame)
        products_view(frame)
    if snapshot.ok:
        ui.exchange_expander(recommendation, label="The request and its answer")

elif len(selected) == 2:
    first, second = selected
    st.subheader("Two snapshots compared")
    if first.item_id != second.item_id or first.event_type != second.event_type:
        st.caption(":material/info: The two snapshots asked about different things "
                   f"({escape_markdown(first.event_type)} {escape_markdown(first.item_id or '')} and "
                   f"{escape_markdown(second.event_type)} {escape_markdown(second.item_id or '')}): the measures "
                   "still compare the two lists.")
    view_token = (ctx.catalog.fingerprint, first.id, second.id)
    comparison = ui.remembered(VIEW_KEY, view_token, lambda: compared(selected))  # measured again below: no new join
    if isinstance(comparison, ValueError):
        err = comparison
        st.warning(f"{escape_markdown(str(err)[:1].upper() + str(err)[1:])}.", icon=":material/rule:")
        comparison = None
    if comparison is not None and len(comparison.usable_labels) == 2:
        longest = max(len(ranking) for ranking in comparison.rankings.values())
        k_max = max(2, min(K_RANGE[1], longest))
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
        st.session_state[VIEW_KEY] = (view_token, comparison)  # what it measured at this K and p is kept too
        view = replace(view, k=k, p=p, reference=reference_id)

        [pair] = comparison.pairwise.to_dict("records")
        m1, m2, m3, m4 = st.columns(4)
        m1.metric(f"RBO (p={p:.2f})", f"{pair['rbo']:.3f}", help="Agreement of the whole lists, the top counting "
                                                                 "most: 1 is the same order.")
        m2.metric(f"Overlap@{k}", f"{pair['overlap_at_k']:.2f}")
        m3.metric(f"Jaccard@{k}", f"{pair['jaccard_at_k']:.2f}")
        tau = pair["kendall_tau"]
        m4.metric("Kendall's tau", "—" if tau != tau else f"{tau:.2f}")
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
        st.session_state[IMPORT_MESSAGE_KEY] = ("error", f"{uploaded.name} was not imported: {err}. Nothing "
                                                          "was added.")
    else:
        parts = [f"{plural(result.added, 'snapshot')} added"]
        if result.already_there:
            parts.append(f"{plural(result.already_there, 'was', 'were')} already in the history")
        if result.too_old:
            parts.append(f"{plural(result.too_old, 'is', 'are')} older than the history keeps and "
                         f"{plural(result.too_old, 'was', 'were', with_count=False)} left out")
        if result.in_future:
            parts.append(f"{plural(result.in_future, 'is', 'are')} dated more than a day ahead of this server's "
                         "clock (the clock of the studio that recorded them was wrong?) and "
                         f"{plural(result.in_future, 'was', 'were', with_count=False)} left out")
        if result.over_limit:
            parts.append(f"{plural(result.over_limit, 'was', 'were')} left out because the history is full: it keeps "
                         f"at most {store.max_count:,} snapshots, and the ones already here stay (raise "
                         "FASHIONAI_HISTORY_MAX_COUNT to take more)")
        st.session_state[IMPORT_MESSAGE_KEY] = ("success", f"{uploaded.name}: " + "; ".join(parts) + ".")


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
    st.caption(f"Stored in {escape_markdown(store.display_url)} (set by {escape_markdown(config.source)}); kept "
               + (f"{config.max_age_days:g} days" if config.max_age_days else "forever")
               + (f", at most {config.max_count:,} snapshots" if config.max_count else "") + ".")
