"""Shopper walk: one shopper clicks through the store (home, category, product page, look) and the trail
lists every call sent, in order, with what each one changed."""

from dataclasses import replace

import streamlit as st

from fashionai import ui
from fashionai.journeys.journey import made_by
from fashionai.output import share, share_params
from fashionai.team import Action
from fashionai.text.formatting import code_span, escape_markdown, new_session_id
from fashionai.explain.sources import from_walk
from fashionai.ui.explain_widgets import explain_panel, explained, run_key, take_link
from fashionai.ui.handover_widgets import walk_buttons
from fashionai.ui.walk_widgets import (
    SIMILAR_AGAIN,
    ask_similar,
    category_section,
    home_section,
    look_drawer,
    open_category,
    open_home,
    open_product,
    open_search,
    product_section,
    search_section,
    trail_panel,
)
from fashionai.walk.steps import CATEGORY, HOME, LOOK, PRODUCT, SEARCH, Walk, replay_walk
from fashionai.walk.trail import walk_journey, walk_view

WALK_KEY, ACTION_KEY = ui.WALK_RESULT_KEY, "walk_action"  # the walk: rejoined when the catalog changes
PICK_KEY, COLLECTION_KEY, LIMIT_KEY = "walk_pick_category", "walk_collection_id", "walk_similar_limit"
SEARCH_KEY, EXPLAIN_RUN_KEY = "walk_search_query", run_key("walk")
JOURNEY_NAME_KEY, SAVED_NOTE_KEY = "walk_journey_name", "walk_saved_note"
DEFAULT_LIMIT = 8


def apply_link(link: ui.LinkOpening) -> None:
    """A shared walk: its trail and places rebuilt from the history's saved answers (no call)."""
    view: share.WalkView = link.view
    session, user = ui.session_values()
    ids = [i for i in view.snapshots if i != share_params.NO_SNAPSHOT]
    st.session_state.pop(ACTION_KEY, None)
    take_link("walk", view.explain)  # its experiment: read from the stored run by the panel (no call)
    try:
        st.session_state[WALK_KEY] = replay_walk(view.session or session, view.user or user, link.saved(ids),
                                                 link.ctx.catalog)
    except ValueError as err:
        link.problems.append(f"The walk's saved answers cannot be shown here: {err}.")
        return
    if ids:
        link.notes.append("Replaying a shared walk from the history, with today's catalog: no call was made. "
                          "The next click sends its calls live (each one recorded as a visit).")


def go(place: str, item: str | None = None) -> None:
    """A click (a callback): kept for the page to act on once; a rerun sends nothing."""
    st.session_state[ACTION_KEY] = (place, item)


def restart() -> None:
    """A fresh synthetic session and an empty trail (a callback, before the sidebar is drawn)."""
    st.session_state[ui.SESSION_KEY] = new_session_id()
    for key in (WALK_KEY, ACTION_KEY, SAVED_NOTE_KEY, JOURNEY_NAME_KEY, EXPLAIN_RUN_KEY):
        st.session_state.pop(key, None)


ctx = ui.context()
st.title("Shopper walk")
st.caption("Click through the store as one shopper (the sidebar's session and user): each click sends exactly "
           "what the live storefront would. Home asks for the home shelf, a collection's active slice and the "
           "best sellers; a category page for its order; a product page for its similar products ranked for this "
           "shopper, the similar products and the look (its \"shop the look\" button shows only when a piece of "
           "the look has stock, so the look is asked for when the page opens); opening the look asks for nothing "
           "more. The trail lists every call.")
ui.tracking_note(ctx.settings)
if (refused := ui.why_not(Action.LIVE_CALL)) and not ui.live_calls_closed():  # the frame says the safe default's
    st.info(f"{escape_markdown(refused)} Shared walks still replay from the history.", icon=":material/lock:")
ui.open_link("walk", ctx, apply_link)
session_id, user_id = ui.session_values()
st.session_state.setdefault(LIMIT_KEY, DEFAULT_LIMIT)

walk: Walk | None = st.session_state.get(WALK_KEY)
if walk is None or (walk.session_id, walk.user_id) != (session_id, user_id):
    if walk is not None and walk.trail:
        st.caption(":material/person: The sidebar's shopper changed, so the walk starts afresh at home.")
    walk = Walk.start(session_id, user_id)
    st.session_state.pop(ACTION_KEY, None)
if not session_id:
    st.warning("The sidebar has no shopper session id: press **New synthetic session** there.",
               icon=":material/badge:")
    st.stop()

action = st.session_state.pop(ACTION_KEY, None)
sends_calls = action is not None and action[0] != LOOK and action != (PRODUCT, None)  # the drawer asks for nothing
if action is not None and (not sends_calls or ui.require(Action.LIVE_CALL, page="Shopper walk")):
    place, item = action
    if place == HOME:
        walk = open_home(ctx, walk, st.session_state.get(COLLECTION_KEY))
    elif place == CATEGORY:
        walk = open_category(ctx, walk, item)
    elif place == PRODUCT and item is not None:
        walk = open_product(ctx, walk, item, int(st.session_state[LIMIT_KEY]))
    elif place == PRODUCT or (place == LOOK and walk.product is not None):  # the drawer: no call
        walk = walk.went(place)
    elif place == SEARCH:  # the search box's query, or the one the back button names
        walk = open_search(ctx, walk, item or str(st.session_state.get(SEARCH_KEY) or ""))
    elif place == SIMILAR_AGAIN:
        walk = ask_similar(ctx, walk, int(st.session_state[LIMIT_KEY]))
st.session_state[WALK_KEY] = walk

# One column, the trail below the shelves: at 1,024 x 768 a side column left cards and the trail too narrow.
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.button("Home", icon=":material/home:", on_click=go, args=(HOME, None),
              help="Opens the home page again (its calls are sent again).")
    if walk.place in (PRODUCT, LOOK) and walk.came_from == SEARCH and walk.search is not None:
        st.button(f"← back to “{escape_markdown(walk.search.preview.query)}”", on_click=go,
                  args=(SEARCH, walk.search.preview.query),
                  help="Sends the search again, with arrows against the search before.")
    elif walk.last_category and walk.place in (PRODUCT, LOOK):
        st.button(f"← back to {escape_markdown(walk.last_category)}", on_click=go, args=(CATEGORY, walk.last_category),
                  help="Opens the category page again, with arrows against the visit before.")
    categories = ctx.catalog.categories
    st.selectbox("Category", categories, key=PICK_KEY, index=None, placeholder="Choose a category",
                 accept_new_options=True, width=260)
    picked = st.session_state.get(PICK_KEY)
    st.button("Open category", icon=":material/category:", disabled=not picked, on_click=go,
              args=(CATEGORY, picked))
    st.text_input("Search the store", key=SEARCH_KEY, placeholder="e.g. vestido azul", width=220)
    st.button("Search", icon=":material/search:", disabled=not str(st.session_state.get(SEARCH_KEY) or "").strip(),
              on_click=go, args=(SEARCH, None), help="Sends one search for this shopper (recorded as its behaviour).")
    st.button("Restart", icon=":material/restart_alt:", on_click=restart,
              help="Restart on a fresh session: a new synthetic session id (in the sidebar too) and an empty trail.")
st.caption(f"Session {code_span(session_id)}" + (f", user {code_span(user_id)}" if user_id else ""))
if walk.place == HOME:
    st.session_state[COLLECTION_KEY] = home_section(ctx, walk, go, picker_key="walk_collection_pick")
elif walk.place == CATEGORY and walk.category is not None:
    category_section(ctx, walk.category, go)
elif walk.place == SEARCH and walk.search is not None:
    search_section(ctx, walk.search, go)
elif walk.place in (PRODUCT, LOOK) and walk.product is not None:
    if walk.place == LOOK and walk.product.look is not None:
        look_drawer(ctx, walk.product.look, go)
    product_section(ctx, walk.product, go, limit_key=LIMIT_KEY)

st.divider()
trail_panel(ctx, walk)
explain_panel(ctx, lambda: from_walk(walk.trail, session_id), key="walk", page="Shopper walk")
if walk.trail:
    with st.expander("Save the walk as a journey", icon=":material/directions_walk:"):
        st.caption("Its visits in order (category pages, product pages, looks, the home shelf), "
                   "watching the last category opened. Similar products, collections and best sellers are "
                   "no tracking events, so a journey leaves them out.")
        st.session_state.setdefault(JOURNEY_NAME_KEY, f"Walk {session_id}")
        name = st.text_input("Journey name", key=JOURNEY_NAME_KEY)
        if st.button("Save as a journey", icon=":material/save:", width="stretch"):
            try:
                journey, note = walk_journey(walk.trail, name, f"Saved from a shopper walk of {session_id}.")
            except ValueError as err:
                st.warning(escape_markdown(f"The walk cannot be saved as a journey: {err}."),
                           icon=":material/directions_walk:")
            else:
                journey = made_by(journey, ui.current_person().email)  # the walker's
                st.session_state.setdefault(ui.SAVED_JOURNEYS_KEY, {})[journey.name] = journey
                st.session_state[SAVED_NOTE_KEY] = (
                    f"Saved **{escape_markdown(journey.name)}**: {escape_markdown(note)} It replays on "
                    f"Personas and journeys (as *Saved: {escape_markdown(journey.name)}*) and is a lane on "
                    "Compare lanes.")
        if note := st.session_state.get(SAVED_NOTE_KEY):
            st.success(note, icon=":material/check_circle:")
    ui.view_tools(replace(walk_view(session_id, user_id, walk.trail), explain=st.session_state.get(EXPLAIN_RUN_KEY)),
                  None, key="walk")
    walk_buttons(ctx, walk, extra=explained("walk"))
    st.caption("The link replays this walk from the history, without calling Fashion.AI (its last "
               f"{share.MAX_WALK_SNAPSHOTS} answers; failed calls are not in it).")
