"""Compare lanes: one category as several shoppers, personas and baselines would see it."""

from dataclasses import replace

import streamlit as st

from fashionai import ui
from fashionai.compare_view import (
    MEASURE_HELP,
    choose_lanes,
    default_lanes,
    failed_lanes,
    k_limit,
    lane_cards,
    lane_options,
    lane_order,
    nothing_new_to_compare,
    progress_text,
)
from fashionai.domain import DEFAULT_K, DEFAULT_P, K_RANGE, MAX_LANES, MIN_LANES, P_RANGE
from fashionai.journey import Journey
from fashionai.lanes import NATIVE, compare_lanes
from fashionai.output import charts, exports, share
from fashionai.output.present import escape_markdown, plural
from fashionai.ranking import MEASURES

RESULT_KEY, VIEW_KEY = ui.COMPARE_RESULT_KEY, ui.COMPARE_VIEW_KEY  # dropped when the catalog changes


def apply_link(link: ui.LinkOpening) -> None:
    """A shared link: its category, lanes, sessions and view settings (its saved answers: see replay_compare_link)."""
    view: share.CompareView = link.view
    if view.category is not None:
        st.session_state["compare_category"] = view.category
    if view.lanes:
        known = [lane for lane in view.lanes if link.options is None or lane in link.options]
        if len(known) < len(view.lanes):
            gone = ", ".join(repr(lane) for lane in view.lanes if lane not in known)
            link.problems.append(f"The link's lanes {gone} are not available here (personas are made from the "
                                 "catalog, journeys are kept per browser session), so they were left out.")
        st.session_state["compare_lanes"] = known
    st.session_state["compare_sessions"] = "\n".join(view.sessions)
    st.session_state["compare_sidebar"] = view.add_sidebar
    for key, value in (("compare_k", view.k), ("compare_p", view.p), ("compare_reference", view.reference),
                       ("compare_other", view.other)):
        if value is not None:
            st.session_state[key] = value
    st.session_state.pop(RESULT_KEY, None)


ctx = ui.context()
st.title("Compare lanes")
st.caption("One category as several shoppers would see it, side by side: shopper sessions, demo personas "
           "and the two baselines, the store's own order and Fashion.AI's best sellers.")
ui.tracking_note(ctx.settings)

# --------------------------------------------------------------------------- choose the lanes

personas = ui.personas(ctx.catalog)
saved: dict[str, Journey] = st.session_state.get(ui.SAVED_JOURNEYS_KEY, {})
options = lane_options(personas, saved)
link = ui.open_link("compare", ctx, apply_link, options=list(options))  # a shared link's view, applied once
st.session_state.setdefault("compare_p", DEFAULT_P)
default = default_lanes(personas)
# Options follow the catalog (and the saved journeys): drop chosen ones that are gone.
chosen_before = st.session_state.get("compare_lanes", default)
st.session_state["compare_lanes"] = [option for option in chosen_before if option in options]

categories = ctx.catalog.categories
left, right = st.columns([1, 2])
category = left.selectbox(
    "Category", categories, index=0 if categories else None, key="compare_category",
    accept_new_options=True, placeholder="Choose or type a category id",
    help="The category id sent to Fashion.AI. Every lane ranks this category.",
)
chosen = right.multiselect(
    "Lanes", list(options), key="compare_lanes", max_selections=MAX_LANES,
    help="Personas run their journey on a fresh synthetic session, then rank this category. "
         "Journeys you edit or load on the Personas and journeys page are listed too.",
)
with st.expander("Add shopper sessions", icon=":material/person_add:",
                 expanded=bool(st.session_state.get("compare_sessions"))):
    sessions_text = st.text_area(
        "Shopper sessions, one per line", key="compare_sessions",
        placeholder="session id\nsession id, user id",
        help="Each session's storefront for the category. Fashion.AI records each one as a visit of that session.",
    )
    add_sidebar = st.checkbox("Add the sidebar's shopper session", key="compare_sidebar")

session_id, user_id = ui.session_values()
choice = choose_lanes(options, chosen, sessions_text, add_sidebar=add_sidebar, session_id=session_id,
                      user_id=user_id)
specs, problems = list(choice.specs), choice.problems

replayed = ui.replay_compare_link(link, ctx, str(category or ""), specs)
if replayed is not None:  # a link naming saved answers: shown from the history, no call
    st.session_state[RESULT_KEY] = replayed
    st.session_state[VIEW_KEY] = share.compare_view(category, chosen, sessions_text, add_sidebar,
                                                    session_id, user_id)

if ctx.settings.is_live and choice.events:
    st.warning(f"**Fashion.AI records every call.** {choice.cost}", icon=":material/visibility:")
else:
    st.caption(f":material/visibility: {choice.cost}")

for problem in problems:
    st.warning(escape_markdown(problem), icon=":material/rule:")
clicked = st.button("Compare lanes", type="primary", icon=":material/compare_arrows:",
                    disabled=bool(problems) or not category)
if clicked:
    bar = st.progress(0.0, text=f"Fetching {plural(len(specs), 'lane')} at once…")

    def progress(result, done, total):
        bar.progress(done / total, text=progress_text(result.name, result.ok, done, total))

    comparison = ui.call("Comparing lanes", lambda: compare_lanes(
        ctx.client, ctx.catalog, str(category), specs,
        k=st.session_state.get("compare_k", DEFAULT_K), p=st.session_state.get("compare_p", DEFAULT_P),
        on_done=progress))
    bar.empty()
    if comparison is not None and nothing_new_to_compare(comparison) and st.session_state.get(RESULT_KEY) is not None:
        # Nothing to compare in the new lanes: say why, and keep the comparison on screen.
        for failed in failed_lanes(comparison):
            ui.show_error(failed.error, what=failed.what)
        ui.drill_note()
        st.caption("Fewer than two lanes have a ranking this time, so the comparison below is the one fetched "
                   "before. Compare again in a moment.")
    elif comparison is not None:
        st.session_state[RESULT_KEY] = comparison
        st.session_state[VIEW_KEY] = share.compare_view(category, chosen, sessions_text, add_sidebar,
                                                        session_id, user_id)

comparison = st.session_state.get(RESULT_KEY)
if comparison is None:
    st.info(f"Press **Compare lanes** to fetch the chosen lanes ({MIN_LANES} to {MAX_LANES}) for the category.",
            icon=":material/touch_app:")
    st.stop()

# --------------------------------------------------------------------------- the lanes

st.subheader(f"{escape_markdown(comparison.category)}: {plural(len(comparison.lanes), 'lane')}")
per_row = 4
cards = lane_cards(comparison)
for start in range(0, len(cards), per_row):
    for cell, card in zip(st.columns(per_row), cards[start:start + per_row]):
        with cell, st.container(border=True):
            st.markdown(f"**{card.label}**")
            st.caption(card.kind)
            if card.state == "failed":
                ui.show_error(card.error, what=f"Lane {card.label}")
                st.caption(card.note)
            elif card.state == "waiting":
                st.warning(card.note, icon=":material/hourglass_empty:")
            else:
                st.caption(card.note)
            if card.top:
                st.text(card.top)

if any(not lane.ok for lane in comparison.lanes):
    ui.drill_note()
usable = comparison.usable_labels
if len(usable) < 2:
    st.warning("Fewer than two lanes have a ranking, so there is nothing to compare. Fix the failed lanes "
               "or choose others, then compare again.", icon=":material/rule:")
    st.stop()

# --------------------------------------------------------------------------- view settings (no calls)

k_max = k_limit(comparison)
st.session_state["compare_k"] = min(st.session_state.get("compare_k", DEFAULT_K), k_max)
if st.session_state.get("compare_reference") not in usable:
    st.session_state["compare_reference"] = comparison.default_reference()
c1, c2, c3, c4 = st.columns(4)
k = c1.slider("Top K", K_RANGE[0], k_max, key="compare_k",
              help="How many products of each lane are charted, and compared by overlap and Jaccard.")
p = c2.slider("RBO persistence p", *P_RANGE, step=0.01, key="compare_p",
              help="How deep rank-biased overlap looks: at 0.9 the top 10 carry about 86% of the weight.")
reference = c3.selectbox("Reference lane", usable, key="compare_reference",
                         help="The lane the others are compared with: the bump chart starts with it.")
others = [label for label in usable if label != reference]
if st.session_state.get("compare_other") not in others:
    st.session_state["compare_other"] = others[0]
other = c4.selectbox("Compared with", others, key="compare_other",
                     help="The lane whose changes are listed; the bump chart ends with it, and colours "
                          "products by how they moved from the reference to it.")
comparison = comparison.remeasure(k=k, p=p)  # from the stored rankings: no call to Fashion.AI
st.session_state[RESULT_KEY] = comparison
st.caption(":material/info: Changing K, p or the reference recomputes from the fetched rankings: "
           "Fashion.AI is not called again.")
fetched = st.session_state.get(VIEW_KEY) or share.CompareView(category=comparison.category)
ui.view_tools(replace(fetched, k=k, p=p, reference=reference, other=other, snapshots=ui.lane_snapshots(comparison)),
              exports.comparison_export(comparison, reference), key="compare")

bump_tab, changes_tab, why_tab, measures_tab, table_tab, requests_tab = st.tabs([
    ":material/show_chart: Bump chart", ":material/swap_vert: Rank changes", ":material/lightbulb: Why",
    ":material/grid_on: Measures", ":material/table: Top K", ":material/code: Requests",
])

with bump_tab:
    st.altair_chart(charts.bump_chart(comparison.rank_long, k=k, lane_order=lane_order(reference, others, other),
                                      info=comparison.info),
                    width="stretch", theme=None)
    st.caption(f"Lanes run from the reference ({escape_markdown(reference)}) to {escape_markdown(other)}; "
               "colour says how each product moved between those two. Hover a product to follow it: the "
               "tooltip gives its name, stock and rank in every lane.")

with changes_tab:
    summary = comparison.change_summary(reference)
    st.markdown(f"**Top {k} of every lane against {escape_markdown(reference)}**")
    st.dataframe(summary, hide_index=True, width="stretch", column_config={
        "lane": st.column_config.TextColumn("Lane"),
        "up": st.column_config.NumberColumn("Moved up"), "down": st.column_config.NumberColumn("Moved down"),
        "same": st.column_config.NumberColumn("Same place"), "new": st.column_config.NumberColumn(f"New in top {k}"),
        "dropped": st.column_config.NumberColumn(f"Dropped from top {k}"),
    })
    st.markdown(f"**{escape_markdown(other)} against {escape_markdown(reference)}**")
    ui.rank_changes(comparison, reference, other, k=k, currency=ctx.settings.currency,
                    labels={"rank": f"Rank in {other}", "ref_rank": f"Rank in {reference}"})

with why_tab:
    if comparison.lift.empty:
        st.info("Your catalog has no colour, style, brand or price to explain the differences with.",
                icon=":material/info:")
    else:
        st.caption(f"How each lane's top {k} differs from the category as a whole, by colour, style, brand "
                   "and price band: bars right of the dashed line are what the lane shows more of.")
        st.altair_chart(charts.lift_chart(comparison.lift), width="stretch", theme=None)
        with st.expander("The figures", icon=":material/table:"):
            st.dataframe(comparison.lift, hide_index=True, width="stretch", column_config={
                "share_top_k": st.column_config.NumberColumn(f"Share of top {k}", format="percent"),
                "share_category": st.column_config.NumberColumn("Share of category", format="percent"),
                "lift": st.column_config.NumberColumn("Lift", format="%.2f"),
                "count": st.column_config.NumberColumn(f"Products in top {k}"),
            })

with measures_tab:
    for row in (MEASURES[:2], MEASURES[2:]):
        for cell, measure in zip(st.columns(2), row):
            with cell:
                st.altair_chart(charts.similarity_heatmap(comparison.matrices[measure], measure),
                                width="stretch", theme=None)
                st.caption(MEASURE_HELP[measure])
    st.markdown("**Every pair of lanes**")
    st.dataframe(comparison.pairwise, hide_index=True, width="stretch", column_config={
        "lane_a": st.column_config.TextColumn("Lane"), "lane_b": st.column_config.TextColumn("Compared with"),
        "rbo": st.column_config.NumberColumn(f"RBO (p={p:.2f})", format="%.3f"),
        "overlap_at_k": st.column_config.NumberColumn(f"Overlap@{k}", format="%.2f"),
        "jaccard_at_k": st.column_config.NumberColumn(f"Jaccard@{k}", format="%.2f"),
        "kendall_tau": st.column_config.NumberColumn("Kendall's tau", format="%.2f"),
    })

with table_tab:
    st.dataframe(comparison.top_k(), width="stretch")

with requests_tab:
    st.caption("The last exchange of each lane that called Fashion.AI (a persona's last ranking fetch).")
    for lane in comparison.lanes:
        record = lane.recommendation if lane.ok else lane.error
        if lane.spec.kind != NATIVE:
            ui.exchange_expander(record, label=f"{escape_markdown(lane.label)}: request and response")
