"""What the storefront's answers look like on several pages (Storefront, Shop the look, History, the walk): a preview's four
figures, its movement badges (worked out once per answer) and a look's layout."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from fashionai.catalog.model import stock_kind_of
from fashionai.storefront.preview import Badges, LookPreview, StorefrontPreview, storefront_badges
from fashionai.ui.cards import product_card
from fashionai.ui.session import (
    category_visit_time,
    previous_category_visit,
    remember_category_visit,
)


def storefront_metrics(preview: StorefrontPreview, *, saved: bool = False) -> None:
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


def look_columns(look: LookPreview, *, currency: str) -> DeltaGenerator:
    """A look's layout: its main piece's card on the left; returns the column on the right, for its pieces."""
    main_col, look_col = st.columns([1, 3], gap="large")
    with main_col:
        st.markdown("**Main piece**")
        product_card(look.main.iloc[0], currency=currency, show_rank=False, stock_kind=stock_kind_of(look.main))
    return look_col
