"""Search: what one shopper's site search shows for a query, what the same query gives to others and to the store's
own text match, and the WhatsApp (detailed) search's chat cards."""

import streamlit as st

from fashionai import ui
from fashionai.api.search import MAX_QUERY_CHARS
from fashionai.compare.lanes import parse_session_lines
from fashionai.journeys.view import product_names
from fashionai.output import share
from fashionai.search.same_query import check_sessions, compare_same_query, same_query_cost
from fashionai.storefront.export import search_export
from fashionai.storefront.search_view import (
    preview_search,
    search_preview_from_snapshot,
    search_suggestions,
    suggest,
)
from fashionai.storefront.whatsapp_view import preview_whatsapp
from fashionai.team import Action
from fashionai.text.formatting import escape_markdown
from fashionai.ui import search_widgets as draw
from fashionai.ui.handover_widgets import search_buttons

PAGE = "Search"  # as the activity log names this page
QUERY_KEY, PAGE_KEY, PERSONA_KEY, SIZE_KEY = "search_query", "search_turn_page", "search_persona", "search_size"
PILL_KEY, PICKED_KEY, HIDE_KEY = "search_suggestion", "search_suggestion_picked", "search_hide_oos"
SESSIONS_KEY, GRADE_KEY = "search_sessions", "search_grade_mode"
RESULT_KEY, SAME_KEY, WHATSAPP_KEY = ui.SEARCH_RESULT_KEY, ui.SAME_QUERY_KEY, ui.WHATSAPP_RESULT_KEY


def apply_link(link: ui.LinkOpening) -> None:
    """A shared link: its query, and its saved answer (no call)."""
    view: share.SearchView = link.view
    if view.query:
        st.session_state[QUERY_KEY] = view.query
    link.open_saved(view.snapshot, RESULT_KEY, search_preview_from_snapshot,
                    "Showing the search saved on {when} UTC, with today's catalog: no call was made. Press **Search** "
                    "to see it live now (that is recorded as the shopper's behaviour).")


def take_suggestion() -> None:
    """A suggestion chosen (a callback): it becomes the query, searched once by the page below."""
    if picked := st.session_state.get(PILL_KEY):
        st.session_state[QUERY_KEY], st.session_state[PICKED_KEY] = picked, True
    st.session_state[PILL_KEY] = None


def turn_page(page: int) -> None:
    """A page button (a callback): the search of that page is sent once, by the page below."""
    st.session_state[PAGE_KEY] = page


ctx = ui.context()
st.title("Search")
st.caption("What a shopper's site search shows for a query, ranked by Fashion.AI for their session (the sidebar's "
           "shopper), joined with your catalog; beside it, what the same query gives an anonymous shopper, personas, "
           "other shopper sessions and the store's own text match; below, the WhatsApp search's chat cards.")
ui.tracking_note(ctx.settings)
ui.open_link("search", ctx, apply_link)
session_id, user_id = ui.session_values()
suggestions = ui.remembered("_search_suggestions", ctx.catalog.fingerprint, lambda: search_suggestions(ctx.catalog))
with st.form("search_form", border=False, enter_to_submit=True), \
        st.container(horizontal=True, vertical_alignment="bottom"):
    st.text_input("Query", key=QUERY_KEY, placeholder="Type what a shopper types, e.g. vestido azul",
                  max_chars=MAX_QUERY_CHARS, help="Sent as typed (Enter searches too).")
    clicked = st.form_submit_button("Search", type="primary", icon=":material/search:",
                                    disabled=not ui.allowed(Action.LIVE_CALL), help=ui.why_not(Action.LIVE_CALL) or None)
query = str(st.session_state.get(QUERY_KEY) or "").strip()
if offered := suggest(suggestions, query):  # none when no text of the catalog holds every word of the query
    st.pills("Suggestions from your catalog", offered, key=PILL_KEY, on_change=take_suggestion,
             format_func=escape_markdown,  # catalog text: st.pills draws its options as Markdown
             help="Your catalog's categories, brands, colours and names holding every word of the query (with none "
                  "yet, its categories and brands). Choosing one searches it at once (one search).")
clicked = clicked or st.session_state.pop(PICKED_KEY, False)
st.caption("**Search** sends one search for the sidebar's shopper: Fashion.AI records it as part of the session's "
           "behaviour, like a visit. Each page button sends one more.")

turned = st.session_state.pop(PAGE_KEY, None)
kept = st.session_state.get(RESULT_KEY)
again = ui.rerun_asked("search") and kept is not None  # the stale note's button: the same search, this shopper
searched = False
if clicked and not query:
    st.warning("Type a query first, as a shopper would type it in the store's search box.", icon=":material/search:")
elif not session_id and (clicked or turned or again):
    st.warning("The sidebar has no shopper session id: press **New synthetic session** there.",
               icon=":material/badge:")
elif (clicked or again or (turned and kept is not None)) and ui.require(Action.LIVE_CALL, page=PAGE):
    text, page = (query, 1) if clicked else (kept.query, int(turned or kept.page))
    searched = ui.call_and_keep(RESULT_KEY, "Searching", lambda: preview_search(
        ctx.client, ctx.catalog, session_id, text, user_id=user_id, page=page)) is not None
preview = ui.kept_or_stop(RESULT_KEY, "Type a query and press **Search** to see what this shopper's search shows.")
ui.stale_note("search", {"session": preview.session_id, "user": preview.user_id},
              {"session": session_id, "user": user_id}, rerun_label="Search again", key="search")

results_col, same_col = st.columns([3, 2], gap="large")
with results_col:
    badges = draw.search_moves(preview, searched=searched)
    with st.container(horizontal=True):
        hide = st.toggle("Hide out-of-stock products, as the live store would", key=HIDE_KEY)
        grading = st.toggle("Grade results", key=GRADE_KEY, help="A grade 0-3 under each result: judgments for "
                                                                "the Audits page's query set (no call).")
    draw.results(preview, badges, currency=ctx.settings.currency, turn_page=turn_page, hide_out_of_stock=hide,
                 unknown_in_stock=ui.unknown_in_stock(), catalog=ctx.catalog,
                 below=draw.grader(preview.query, page=PAGE) if grading else None)
    if grading:
        draw.graded_summary(preview.query, name="judgments-search")
with same_col:
    st.markdown("#### What the same query gives")
    personas = ui.personas(ctx.catalog)
    chosen = st.multiselect("Personas", draw.persona_names(personas), default=draw.persona_names(personas)[:1],
                            key=PERSONA_KEY, help="Demo shoppers made from your catalog: each one's visits give it "
                                                  "a taste first, on a fresh synthetic session.")
    with st.expander("Add shopper sessions", icon=":material/person_add:"):
        typed = st.text_area("Shopper sessions, one per line", key=SESSIONS_KEY,
                             placeholder="session id\nsession id, user id\nsession id, user id, name",
                             help="Each session searches the same query: Fashion.AI records it as that session's "
                                  "behaviour.")
    picked = [persona for persona in personas if persona.name in chosen]
    try:
        added = parse_session_lines(typed)
        check_sessions(added, picked, preview.session_id)
    except ValueError as err:
        added, problem = [], f"Shopper sessions: {err}."
        st.warning(escape_markdown(problem), icon=":material/rule:")
    else:
        problem = None
    st.caption(escape_markdown(same_query_cost(picked, added)))
    if st.button("Compare", icon=":material/compare_arrows:", width="stretch",
                 disabled=problem is not None or not ui.allowed(Action.LIVE_CALL),
                 help=ui.why_not(Action.LIVE_CALL) or None) and ui.require(Action.LIVE_CALL, page=PAGE):
        ui.call_and_keep(SAME_KEY, "Searching as the other shoppers", lambda: compare_same_query(
            ctx.client, ctx.catalog, preview, picked, sessions=added))
    same = st.session_state.get(SAME_KEY)
    if same is not None and (same.query, same.page) == (preview.query, preview.page):
        draw.same_query(same, currency=ctx.settings.currency, names=product_names(ctx.catalog))
    else:
        st.caption("Press **Compare** to see this page of the query for the other shoppers.")

st.divider()
st.markdown("#### WhatsApp preview")
st.caption("Fashion.AI's detailed search, as a WhatsApp chat card shows it: at most 5 products in stock with their "
           "pictures, price and sale price, size and link, from Fashion.AI's own details, checked against your "
           "catalog. **Ask the WhatsApp search** sends one detailed search for the sidebar's shopper (a tracking "
           "event).")
with st.container(horizontal=True, vertical_alignment="bottom"):
    size = st.text_input("Size (optional)", key=SIZE_KEY, placeholder="e.g. 42, M, GG", width=200,
                         help="Only products of this size are answered; blank for any size.")
    if st.button("Ask the WhatsApp search", icon=":material/chat:", disabled=not ui.allowed(Action.LIVE_CALL),
                 help=ui.why_not(Action.LIVE_CALL) or None) and ui.require(Action.LIVE_CALL, page=PAGE):
        ui.call_and_keep(WHATSAPP_KEY, "Asking the WhatsApp search", lambda: preview_whatsapp(
            ctx.client, ctx.catalog, session_id, preview.query, user_id=user_id, size=size or None,
            currency=ctx.settings.currency))
chat = st.session_state.get(WHATSAPP_KEY)
if chat is not None:
    st.caption(f"“{escape_markdown(chat.query)}”" + (f", size {escape_markdown(chat.size)}" if chat.size else ""))
    draw.chat_cards(chat)
    ui.exchange_expander(chat.answer, label="WhatsApp search: request and response")
search_buttons(ctx, preview, moves=badges.moves, same=st.session_state.get(SAME_KEY), chat=chat)
ui.view_tools(share.SearchView(query=preview.query, session=preview.session_id, user=preview.user_id,
                                snapshot=preview.answer.exchange_id), search_export(preview), key="search")
ui.exchange_expander(preview.answer, label="Search: request and response")
