"""The Search page's drawing (pages/search.py owns it): the results as the storefront shows them, with their
movement badges and paging; "what the same query gives" (other shoppers and the store's text match, measured as
the compare page measures); the WhatsApp preview's chat cards. Imported by the page directly (not re-exported).

The page's widget keys stay in the page; what each button sends is said beside it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from fashionai.catalog import Catalog
from fashionai.domain import DEFAULT_CURRENCY, EventType
from fashionai.journeys.journey import Journey
from fashionai.relevance.judgments import GRADES, Judgments, JudgmentsError, judgments_csv, mark, query_key
from fashionai.output.images import card_picture
from fashionai.search.same_query import SHOPPER, SameQuery, lane_words
from fashionai.storefront.preview import Badges
from fashionai.storefront.search_view import SearchPreview, empty_words, search_badges
from fashionai.storefront.whatsapp_view import WhatsAppPreview
from fashionai.team import Action
from fashionai.text.formatting import (
    code_span,
    escape_markdown,
    format_price,
    is_missing,
    one_line,
    plural,
    unknown_stock_note,
)
from fashionai.ui.cards import paginate, product_grid
from fashionai.ui.compare_widgets import compared_changes, measures
from fashionai.ui.errors import show_error
from fashionai.ui.filters_widgets import filter_marks
from fashionai.ui.identity import require, why_not
from fashionai.ui.session import MARKED_JUDGMENTS_KEY, previous_search, remember_search

SEARCH_BADGES_KEY = "_search_badges"
"""(the answer, its Badges): the search page's movement badges, worked out once per answer."""
TOP_NAMES = 5
"""Names a lane of "what the same query gives" lists."""
GRID_COLUMNS = 3


def search_moves(preview: SearchPreview, *, searched: bool) -> Badges:
    """The results' movement badges, worked out once per answer (paging on screen or a new catalog keeps them). A
    search just made (`searched`) is compared with this session's previous search of the query's page (on any
    page of the studio), or, on its first, with the store's text match, and becomes the search remembered."""
    held = st.session_state.get(SEARCH_BADGES_KEY)
    if held is not None and held[0] is preview.answer:
        return held[1]
    before = previous_search(preview.session_id, preview.query, preview.page) if searched else None
    badges = search_badges(preview, None if before is None else before[0],
                           previous_at=None if before is None else before[1])
    if searched:
        remember_search(preview.session_id, preview.query, preview.page,
                        tuple(str(i) for i in preview.products["product_id"]))
    st.session_state[SEARCH_BADGES_KEY] = (preview.answer, badges)
    return badges


def results(preview: SearchPreview, badges: Badges, *, currency: str, turn_page: Callable[[int], None],
            hide_out_of_stock: bool = False, unknown_in_stock: bool = False, catalog: Catalog | None = None,
            below: Callable[[str], None] | None = None) -> None:
    """The results as the storefront shows them: who searched, the figures, an empty answer explained, the cards
    with their badges (out-of-stock ones left out when `hide_out_of_stock`, unknown stock as `unknown_in_stock`
    says; each breaking a dashboard filter marked, with `catalog`), and the buttons that send the search for another
    page (`turn_page(page)`, a callback); `below(product id)` draws under each card (`grader`)."""
    answer = preview.answer
    who = f"session {code_span(preview.session_id)}" + (f", user {code_span(preview.user_id)}" if preview.user_id
                                                         else "")
    st.subheader(f"“{escape_markdown(preview.query)}”")
    st.caption(f"As searched by {who} · page {answer.current_page:,} of {preview.pages:,} · order: {preview.source}")
    with st.container(horizontal=True, gap="medium"):  # three, each as wide as its label: they fit beside the lanes
        st.metric("Found by Fashion.AI", f"{answer.total_items:,}", width="content")
        st.metric("Not in your catalog", f"{preview.unknown_ids:,}", width="content")
        st.metric("Out of stock", f"{preview.out_of_stock:,}", width="content")
    if words := empty_words(preview):
        st.warning(words, icon=":material/search_off:")
    if preview.unknown_ids:
        st.warning(f"{plural(preview.unknown_ids, 'result')} of this page {'is' if preview.unknown_ids == 1 else 'are'}"
                   " not in your catalog, marked **not in catalog**: the live store cannot show them. Upload the "
                   "catalog that matches this store.", icon=":material/link_off:")
    if hide_out_of_stock and preview.unknown_stock:
        st.caption(f":material/help: {unknown_stock_note(preview.unknown_stock, unknown_in_stock=unknown_in_stock)}")
    shown = preview.shown(hide_out_of_stock=hide_out_of_stock, unknown_in_stock=unknown_in_stock)
    if not shown.empty:
        st.caption(f":material/swap_vert: {badges.note}")
        if preview.fallback:
            shown = paginate(shown, key="search_grid", default_size=24)
        product_grid(shown, columns=GRID_COLUMNS, currency=currency, moves=badges.moves, against=badges.against,
                     breaches=None if catalog is None else filter_marks(catalog, EventType.SEARCH, shown,
                                                                         currency=currency), below=below)
    elif not preview.products.empty:
        st.caption("Every result of this page is out of stock: the live store would show none of them.")
    if preview.pages > 1 and not preview.fallback:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.button("Previous page", icon=":material/chevron_left:", disabled=preview.page <= 1,
                      on_click=turn_page, args=(preview.page - 1,),
                      help="Sends the search again for the page before: one more tracking event.")
            st.caption(f"Page {preview.page:,} of {preview.pages:,}")
            st.button("Next page", icon=":material/chevron_right:", disabled=preview.page >= preview.pages,
                      on_click=turn_page, args=(preview.page + 1,),
                      help="Sends the search for the next page, as the store's next-page link does: one more "
                           "tracking event.")


GRADE_REFUSED_KEY = "_search_grade_refused"
"""Set by a grade's callback refused for want of the right, for the page's run to say so."""
GRADE_WORDS = {0: "not relevant", 1: "somewhat", 2: "relevant", 3: "perfect"}
"""Each grade in a word or two, as the legend above the graded cards says it (GRADES says it in full); a card's
control shows the numbers alone, so four fit under a card."""


def marked_judgments() -> Judgments | None:
    """The judgments graded on the Search page in this browser session (None before the first grade)."""
    return st.session_state.get(MARKED_JUDGMENTS_KEY)


def _grade_key(query: str, product_id: str) -> str:
    return f"search_grade_{zlib.crc32(query_key(query).encode()):08x}_{product_id}"


def grader(query: str, *, page: str) -> Callable[[str], None]:
    """What draws each card's grade control for `query` (a merchandiser's right, checked when a grade is marked;
    a viewer sees the grades, the control disabled)."""
    if st.session_state.pop(GRADE_REFUSED_KEY, False):
        require(Action.JUDGE_RESULTS, page=page)  # a grade refused by the callback: said, and recorded
    marked = marked_judgments()
    grades = marked.of(query) if marked is not None else {}
    refused = why_not(Action.JUDGE_RESULTS)
    meanings = "; ".join(f"{grade} {words}" for grade, words in GRADES.items())
    st.caption(":material/grade: Grade each result: " + " · ".join(f"**{g}** {w}" for g, w in GRADE_WORDS.items())
               + ". Click the chosen grade again to take it back.")

    def control(product_id: str) -> None:
        key = _grade_key(query, product_id)
        if key not in st.session_state:
            st.session_state[key] = grades.get(product_id)
        st.pills("Grade", list(GRADE_WORDS), format_func=str, key=key,
                             label_visibility="collapsed", disabled=bool(refused), on_change=_graded,
                             args=(query, product_id, key), help=refused or f"How relevant to the query: {meanings}. "
                             "Click the chosen grade again to take it back.")
    return control


def _graded(query: str, product_id: str, key: str) -> None:
    """A grade clicked (a callback): kept in the session's judgments; without the right, put back and the refusal
    left for the page's run to say and record (`grader`)."""
    held = marked_judgments()
    if why_not(Action.JUDGE_RESULTS):
        st.session_state[key] = None if held is None else held.of(query).get(product_id)
        st.session_state[GRADE_REFUSED_KEY] = True
        return
    try:
        st.session_state[MARKED_JUDGMENTS_KEY] = mark(held, query, product_id, st.session_state.get(key))
    except JudgmentsError as err:
        st.warning(escape_markdown(str(err)), icon=":material/rule:")


def graded_summary(query: str, *, name: str) -> None:
    """How many results are graded for this query and in all, and the judgments CSV to download (the one the
    Audits page's query set and `audit plan --judgments` read)."""
    marked = marked_judgments()
    here = len(marked.of(query)) if marked is not None else 0
    if marked is None or not marked.count:
        st.caption("No grade marked yet: click a grade under a result. The grades are kept for this browser session; "
                   "the Audits page's query set can use them, or download them as a judgments CSV.")
        return
    queries = plural(len(marked.grades), "query", "queries")
    st.caption(f"{plural(here, 'result')} of this query graded; {plural(marked.count, 'grade')} in all, for {queries}. "
               "The Audits page's query set can use them (**Use the judgments marked on the Search page**).")
    st.download_button("Download the judgments (CSV)", judgments_csv(marked), file_name=f"{name}.csv",
                       mime="text/csv", icon=":material/download:", key="search_judgments_download",
                       help="query, product_id, grade 0-3: the file the Audits page and `audit plan --judgments` read.")


def persona_names(personas: Sequence[Journey]) -> list[str]:
    return [persona.name for persona in personas]


def _name(names: Mapping[str, object] | None, product_id: str) -> str:
    name = None if names is None else names.get(product_id)
    return f"Unknown product {product_id}" if is_missing(name) or not str(name).strip() else one_line(name)


def same_query(same: SameQuery, *, currency: str, names: Mapping[str, object] | None) -> None:
    """Each lane as a card (what it is, its first names, how it compares with this shopper's), then its rank
    changes and the compare page's measures against this shopper's results."""
    comparison = same.comparison
    for lane in comparison.lanes:
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(lane.label)}**")
            st.caption(escape_markdown(lane_words(lane, same.page)))
            if not lane.ok:
                if lane.error is not None:
                    show_error(lane.error, what=f"The search of {escape_markdown(lane.label)}")
                continue
            top = [_name(names, pid) for pid in lane.ranking[:TOP_NAMES]]
            if top:
                st.text("\n".join(f"{rank}. {name}" for rank, name in enumerate(top, start=1)))
            if lane.label != SHOPPER and (reading := same.reading(lane.label)):
                st.markdown(escape_markdown(reading))
    others = [label for label in comparison.usable_labels if label != SHOPPER]
    if SHOPPER not in comparison.usable_labels or not others:
        return
    with st.expander("Rank changes and measures against this shopper", icon=":material/swap_vert:"):
        other = st.selectbox("Compared with", others, key="search_compared_lane")
        compared_changes(comparison, SHOPPER, other, k=comparison.k, currency=currency)
        measures(comparison, comparison.k, comparison.p, reference=SHOPPER, other=other)


def chat_cards(preview: WhatsAppPreview) -> None:
    """The detailed answer as WhatsApp chat cards (pictures, price and sale price, size, link), each with where it
    disagrees with the catalog; an empty answer said to be no match or an error."""
    if preview.empty_words:
        st.warning(preview.empty_words, icon=":material/chat_error:")
        return
    if preview.disagreeing:
        verb = plural(preview.disagreeing, "disagrees", "disagree", with_count=False)
        st.warning(f"{plural(preview.disagreeing, 'card')} of {len(preview.cards)} {verb} with your catalog: "
                   "the shopper would read details the store does not sell by. Marked below.",
                   icon=":material/difference:")
    else:
        st.caption(":material/check: Every card agrees with your catalog: the same name, price (or sale price) and "
                   "stock, and the size asked.")
    currency = preview.currency or DEFAULT_CURRENCY
    with st.container(horizontal=True, gap="small"):
        for card in preview.cards:
            product = card.product
            with st.container(border=True, width=230):
                pictures = product.images[:2] or ("",)
                for cell, image in zip(st.columns(len(pictures)), pictures, strict=True):
                    cell.markdown(card_picture(image, product.name), unsafe_allow_html=True)
                st.text(one_line(product.name) or f"Product {product.product_id}")
                price = format_price(product.price, currency)
                if product.sale_price is not None and product.sale_price != product.price:
                    sale = escape_markdown(format_price(product.sale_price, currency))
                    price = f"~~{escape_markdown(price)}~~ **{sale}**"
                else:
                    price = escape_markdown(price)
                st.markdown(price)
                details = [f"size {product.size}" if product.size else "", f"SKU {product.sku}" if product.sku else "",
                           f"id {product.product_id}"]
                st.caption(escape_markdown(" · ".join(part for part in details if part)))
                if product.link:
                    st.caption(f"Link: {code_span(product.link)}")  # shown as text: an address from the answer
                for words in card.disagreements:
                    st.markdown(f":orange-badge[:material/difference: differs] {escape_markdown(words)}")
