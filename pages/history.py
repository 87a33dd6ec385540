"""History: every answer saved as a snapshot; browse them, open one, compare two, export and import."""

from dataclasses import replace

import streamlit as st

from fashionai import ui
from fashionai.compare.export import comparison_export
from fashionai.compare.view import k_limit
from fashionai.domain import DEFAULT_K, DEFAULT_P, K_RANGE, P_RANGE
from fashionai.history import HistoryError
from fashionai.journeys.view import product_names
from fashionai.output import share_params
from fashionai.saved.view import (
    TwoSnapshots,
    compare_two,
    different_things_note,
    lane_labels,
    matches_caption,
    open_snapshot,
    picker_labels,
    snapshot_caption,
    snapshot_title,
    view_filters,
)
from fashionai.text.formatting import escape_markdown
from fashionai.ui.history_widgets import (
    delete_control,
    history_filters,
    keep_two,
    name_editor,
    opened_snapshot,
    pick_limit_note,
    read,
    snapshot_pair,
    snapshots_table,
    transfer_expander,
)
from fashionai.ui.ownership import mine_or_everyone

SHOWN = 500  # newest snapshots listed at once
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
            value = [i for i in value if i != share_params.NO_SNAPSHOT]
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

try:
    store, config = ui.history_store(), ui.history_config()
except (HistoryError, ui.ConfigError) as err:
    st.error(f"**The history cannot be opened.** {escape_markdown(err)}", icon=":material/history:")
    st.stop()
sessions, users, items = read(lambda: [store.distinct(column) for column in ("session_id", "user_id", "item_id")])
if store.read_only:
    st.warning(escape_markdown(store.read_only_message()), icon=":material/edit_off:")
tools = st.container()
ui.open_link("history", ctx, apply_link)

# --------------------------------------------------------------------------- filters (read only)

view = history_filters(sessions, users, items, keys=HISTORY_KEYS)
filters = replace(view_filters(view), owner=mine_or_everyone("history_owner", ui.current_person(), what="snapshots"))
rows = read(lambda: store.summaries(filters, limit=SHOWN))  # without their ranked ids: only the first few
total = read(lambda: store.count(filters))

if total == 0:
    if read(store.count) == 0:
        st.info("The history is empty. Every preview, look, comparison and journey is saved here as it "
                "happens; import a colleague's export below to see theirs.", icon=":material/history:")
    else:
        st.info("No snapshot matches these filters" + (": choose Everyone to see the team's." if filters.owner
                    else "."), icon=":material/filter_alt_off:")
else:
    st.caption(matches_caption(total, SHOWN))

# --------------------------------------------------------------------------- choose one or two

listed = {s.id: s for s in rows}
chosen_before = [i for i in st.session_state.get("history_selected", []) if isinstance(i, str)]
# chosen earlier, maybe outside today's filters
kept = {s.id: s for s in read(lambda: store.get_summaries(chosen_before))}
st.session_state["history_selected"] = [i for i in chosen_before if i in kept][:2]
known = listed | kept
names = read(lambda: store.names(known))
labels = picker_labels(known, names)
if total:
    snapshots_table(rows, product_names=product_names(ctx.catalog), snapshot_names=names,
                    snapshot_owners=read(lambda: store.owners(listed)))
selected_ids = st.multiselect(
    "Open one snapshot, or choose two to compare", list(known), key="history_selected", select_all=False,
    format_func=labels.__getitem__,  # raises for a label given back (as AppTest does), never answers None
    placeholder="Choose snapshots from the list",
    on_change=keep_two, args=("history_selected", labels.get),
    help="One: the storefront (or look) it showed. Two: the compare page's charts and measures, the older "
         "one as the reference. A third pick is not taken.")
pick_limit_note("history_selected")
chosen = [s.id for s in sorted((known[i] for i in selected_ids), key=lambda s: s.recorded_at)]  # older first
opened = ui.remembered(OPENED_KEY, tuple(chosen), lambda: {s.id: s for s in read(lambda: store.get(chosen))})
selected = [opened[i] for i in chosen if i in opened]
view = replace(view, selected=tuple(selected_ids))
export = None

if len(selected) == 1:
    snapshot = selected[0]
    st.subheader(snapshot_title(snapshot, names.get(snapshot.id)))
    st.caption(snapshot_caption(snapshot))
    name_editor(store, snapshot, names.get(snapshot.id), key="history")
    delete_control(store, snapshot, names.get(snapshot.id), key="history", picker="history_selected")
    stock_rule = ui.unknown_in_stock()  # a look's button, and its export, as the setting says
    rebuilt = snapshot.ok and ui.remembered(VIEW_KEY, (ctx.catalog.fingerprint, snapshot.id, stock_rule),
                                            lambda: open_snapshot(snapshot, ctx.catalog, unknown_in_stock=stock_rule))
    opened_snapshot(snapshot, rebuilt or None, currency=ctx.settings.currency, key="history", catalog=ctx.catalog)
    export = rebuilt.export if rebuilt else None

elif len(selected) == 2:
    first, second = selected
    st.subheader("Two snapshots compared")
    if note := different_things_note(first, second):
        st.warning(note, icon=":material/rule:")
    labels = lane_labels(selected, names)
    view_token = (ctx.catalog.fingerprint, first.id, second.id, tuple(labels))
    two = ui.remembered(VIEW_KEY, view_token, lambda: compare_two(selected, ctx.catalog, labels))  # measured below
    if two.problem:
        st.warning(two.problem, icon=":material/rule:")
    if two.measurable:
        comparison = two.comparison
        k_max = k_limit(comparison)
        st.session_state["history_k"] = min(st.session_state.get("history_k", DEFAULT_K), k_max)
        st.session_state.setdefault("history_p", DEFAULT_P)
        by_id = {s.id: label for s, label in zip(selected, comparison.labels, strict=True)}
        if st.session_state.get("history_reference") not in by_id:
            st.session_state["history_reference"] = selected[0].id
        c1, c2, c3 = st.columns(3)
        k = c1.slider("Top K", K_RANGE[0], k_max, key="history_k")
        p = c2.slider("Weight of the top ranks (RBO p)", *P_RANGE, step=0.01, key="history_p",
                      help="How much \"alike overall\" favours the top of the lists (rank-biased overlap's "
                           "persistence p).")
        reference_id = c3.selectbox("Reference", list(by_id), key="history_reference", format_func=by_id.get,
                                    help="The snapshot the other is compared with.")
        reference = by_id[reference_id]
        other = next(label for label in comparison.labels if label != reference)
        comparison = comparison.remeasure(k=k, p=p)
        st.session_state[VIEW_KEY] = (view_token, TwoSnapshots(comparison))  # what it measured at this K and p too
        view = replace(view, k=k, p=p, reference=reference_id)

        snapshot_pair(comparison, reference, other, k=k, currency=ctx.settings.currency)
        export = comparison_export(comparison, reference)

# --------------------------------------------------------------------------- share, export, import

with tools:
    ui.view_tools(view, export, key="history")

transfer_expander(store, config, filters, total, selected, key="history", names=names)
