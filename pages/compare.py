"""Compare lanes: one category as several shoppers, personas and baselines would see it."""

import streamlit as st

from fashionai import ui
from fashionai.compare.compared import Comparison
from fashionai.compare.fetch import compare_lanes
from fashionai.compare.search_lanes import compare_query
from fashionai.compare.view import (
    choose_lanes,
    default_lanes,
    failed_lanes,
    k_limit,
    lane_cards,
    lane_options,
    nothing_new_to_compare,
    progress_text,
)
from fashionai.domain import DEFAULT_K, DEFAULT_P, K_RANGE, MAX_LANES, MIN_LANES, P_RANGE
from fashionai.journeys.journey import Journey
from fashionai.output import share
from fashionai.team import Action
from fashionai.text.formatting import escape_markdown, plural
from fashionai.ui.compare_widgets import comparison_shown, lane_card_grid
from fashionai.ui.explain_widgets import lane_history_panel, take_compare_link

RESULT_KEY, VIEW_KEY = ui.COMPARE_RESULT_KEY, ui.COMPARE_VIEW_KEY  # dropped when the catalog changes
CATEGORY, SEARCH = "A category", "A search query"


def apply_link(link: ui.LinkOpening) -> None:
    """A shared link: its category, lanes, sessions and view settings (its saved answers: see replay_compare_link)."""
    view: share.CompareView = link.view
    st.session_state["compare_surface"] = SEARCH if view.query else CATEGORY
    if view.query is not None:
        st.session_state["compare_query"] = view.query
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
    take_compare_link(view.explain, view.explain_lane)  # a session lane's experiment: read from its stored run


ctx = ui.context()
st.title("Compare lanes")
st.caption("One category, or one search query, as several shoppers would see it, side by side: shopper sessions, "
           "demo personas and the baselines, the store's own order (for a query, its own text match) and Fashion.AI's "
           "best sellers.")
ui.tracking_note(ctx.settings)

# --------------------------------------------------------------------------- choose the lanes

personas = ui.personas(ctx.catalog)
saved: dict[str, Journey] = st.session_state.get(ui.SAVED_JOURNEYS_KEY, {})
link = ui.open_link("compare", ctx, apply_link,  # a shared link's view, applied once
                    options=list(lane_options(personas, saved)))
surface = st.segmented_control("Compare", (CATEGORY, SEARCH), key="compare_surface", default=CATEGORY,
                               persist_state="session", help="What every lane shows: a category's storefront, or "
                               "the first page of a site search for the same query.")
searching = surface == SEARCH
options = lane_options(personas, saved, search=searching)
st.session_state.setdefault("compare_p", DEFAULT_P)
default = default_lanes(personas)
# The inputs are kept across page switches (persist_state), as the result is.
# Options follow the catalog (and the saved journeys): drop chosen ones that are gone.
chosen_before = st.session_state.get("compare_lanes", default)
st.session_state["compare_lanes"] = [option for option in chosen_before if option in options]

categories = ctx.catalog.categories
query = st.text_input(
    "Search query", key="compare_query", placeholder="vestido azul", persist_state="session", width=360,
    help="What every lane's shopper searches for: the first page of Fashion.AI's site search.",
) if searching else ""
category = None if searching else st.selectbox(  # the lanes get a row of their own: beside it, the fourth lane's chip was out of sight
    "Category", categories, index=0 if categories else None, key="compare_category", width=360,
    accept_new_options=True, placeholder="Choose or type a category id", persist_state="session",
    help="The category id sent to Fashion.AI. Every lane ranks this category.",
)
chosen = st.multiselect(
    "Lanes", list(options), key="compare_lanes", max_selections=MAX_LANES, persist_state="session",
    help="Personas run their journey on a fresh synthetic session, then rank this category. "
         "Journeys you edit or load on the Personas and journeys page are listed too.",
)
with st.expander("Add shopper sessions", icon=":material/person_add:",
                 expanded=bool(st.session_state.get("compare_sessions"))):
    sessions_text = st.text_area(
        "Shopper sessions, one per line", key="compare_sessions", persist_state="session",
        placeholder="session id\nsession id, user id\nsession id, user id, name",
        help="Each session's storefront for the category. Fashion.AI records each one as a visit of that session. "
             "A name after a second comma labels the lane (the user id may be left empty: \"sess-1, , Anna\").",
    )
    add_sidebar = st.checkbox("Add the sidebar's shopper session", key="compare_sidebar", persist_state="session")

session_id, user_id = ui.session_values()
choice = choose_lanes(options, chosen, sessions_text, add_sidebar=add_sidebar, session_id=session_id,
                      user_id=user_id, query=query if searching else None)
subject = str(query or "").strip() if searching else str(category or "")
specs, problems = list(choice.specs), choice.problems

replayed = ui.replay_compare_link(link, ctx, subject, specs, search=searching)
if replayed is not None:  # a link naming saved answers: shown from the history, no call
    st.session_state[RESULT_KEY] = replayed
    st.session_state[VIEW_KEY] = share.compare_view(category, chosen, sessions_text, add_sidebar,
                                                    session_id, user_id, query=query if searching else None)

st.caption(f":material/view_column: {escape_markdown(choice.labels)}")  # the added sessions too
if ctx.settings.is_live and choice.events:
    st.warning(f"**Fashion.AI records every call.** {choice.cost}", icon=":material/visibility:")
else:
    st.caption(f":material/visibility: {choice.cost}")

for problem in problems:
    st.warning(escape_markdown(problem), icon=":material/rule:")
clicked = st.button("Compare lanes", type="primary", icon=":material/compare_arrows:",
                    disabled=bool(problems) or not subject or not ui.allowed(Action.LIVE_CALL),
                    help=ui.why_not(Action.LIVE_CALL) or None) or (ui.rerun_asked("compare") and not problems)
if clicked and ui.require(Action.LIVE_CALL, page="Compare lanes"):
    compare = compare_query if searching else compare_lanes
    comparison = ui.call_with_progress(
        "Comparing lanes", f"Fetching {plural(len(specs), 'lane')} at once…",
        lambda progress: compare(ctx.client, ctx.catalog, subject, specs,
                                 k=st.session_state.get("compare_k", DEFAULT_K),
                                 p=st.session_state.get("compare_p", DEFAULT_P), on_done=progress),
        lambda result, done, total: progress_text(result.name, result.ok, done, total))
    # Nothing to compare in the new lanes: say why, and keep the comparison on screen.
    if comparison is not None and ui.keep_result(
            RESULT_KEY, comparison, empty=nothing_new_to_compare(comparison),
            failures=[(failed.what, failed.error) for failed in failed_lanes(comparison)],
            note="Fewer than two lanes have a ranking this time, so the comparison below is the one fetched "
                 "before. Compare again in a moment."):
        st.session_state[VIEW_KEY] = share.compare_view(category, chosen, sessions_text, add_sidebar,
                                                        session_id, user_id, query=query if searching else None)

comparison = ui.kept_or_stop(RESULT_KEY, f"Press **Compare lanes** to fetch the chosen lanes ({MIN_LANES} to "
                                         f"{MAX_LANES}) for the {'query' if searching else 'category'}.")

# --------------------------------------------------------------------------- the lanes

what = f"Search “{comparison.category}”" if comparison.search else comparison.category
st.subheader(f"{escape_markdown(what)}: {plural(len(comparison.lanes), 'lane')}")
made = st.session_state.get(VIEW_KEY) or share.CompareView()
shopper = ("session", "user") if made.add_sidebar else ()  # the sidebar's shopper is a lane
made_for = {"query": comparison.category} if comparison.search else {"category": comparison.category}
ui.stale_note("comparison", {"category": None, "query": None} | made_for | {"catalog": ui.made_with_catalog(
                  RESULT_KEY, comparison, ctx.catalog.fingerprint)} | {key: getattr(made, key) for key in shopper},
              {"category": None if searching else category, "query": subject if searching else None,
               "catalog": ctx.catalog.fingerprint}
              | dict(zip(shopper, (session_id, user_id), strict=False)), rerun_label="Compare again", key="compare")
lane_card_grid(lane_cards(comparison))

if any(not lane.ok for lane in comparison.lanes):
    ui.drill_note()
usable = comparison.usable_labels
if len(usable) < 2:
    st.warning("Fewer than two lanes have a ranking, so there is nothing to compare. Fix the failed lanes "
               "or choose others, then compare again.", icon=":material/rule:")
    st.stop()

# --------------------------------------------------------------------------- view settings (no calls)


@st.fragment
def comparison_view(comparison: Comparison, usable: list[str], currency: str) -> None:
    """K, p, the reference and the compared lane, and the tabs: a change here reruns only this part."""
    k_max = k_limit(comparison)
    st.session_state["compare_k"] = min(st.session_state.get("compare_k", DEFAULT_K), k_max)
    if st.session_state.get("compare_reference") not in usable:
        st.session_state["compare_reference"] = comparison.default_reference()
    c1, c2, c3, c4 = st.columns(4)
    k = c1.slider("Top K", K_RANGE[0], k_max, key="compare_k", persist_state="session",
                  help="How many products of each lane are charted, and compared by overlap and Jaccard.")
    p = c2.slider("Weight of the top ranks (RBO p)", *P_RANGE, step=0.01, key="compare_p", persist_state="session",
                  help="How much \"alike overall\" favours the top of the lists: lower puts more weight on the first "
                       "products. Technically rank-biased overlap's persistence p: at 0.9 the top 10 carry about 86% "
                       "of the weight.")
    reference = c3.selectbox("Reference lane", usable, key="compare_reference", persist_state="session",
                             help="The lane the others are compared with: the bump chart starts with it.")
    others = [label for label in usable if label != reference]
    if st.session_state.get("compare_other") not in others:
        st.session_state["compare_other"] = others[0]
    other = c4.selectbox("Compared with", others, key="compare_other", persist_state="session",
                         help="The lane whose changes are listed; the bump chart ends with it, and colours "
                              "products by how they moved from the reference to it.")
    comparison_shown(ctx, comparison, k=k, p=p, reference=reference, others=others, other=other, currency=currency,
                     key="compare", tab_key="compare_tab")


comparison_view(comparison, usable, ctx.settings.currency)
lane_history_panel(ctx, comparison)
