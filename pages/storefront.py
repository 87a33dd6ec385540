"""Storefront preview: a category page as one shopper's session sees it (categoryView)."""

import streamlit as st

from fashionai import ui
from fashionai.domain import EventType
from fashionai.output import share
from fashionai.storefront.export import storefront_export
from fashionai.storefront.preview import preview_storefront, storefront_from_snapshot
from fashionai.team import Action
from fashionai.text.formatting import code_span, escape_markdown, plural, unknown_stock_note

CATEGORY_KEY, HIDE_KEY, CATALOG_KEY = "storefront_category", "storefront_hide_oos", "storefront_catalog"
RESULT_KEY = ui.STOREFRONT_RESULT_KEY  # read by the catalog page too


def apply_link(link: ui.LinkOpening) -> None:
    """A shared link: its category and toggle, and its saved answer (no call)."""
    view: share.StorefrontView = link.view
    if view.category is not None:
        if view.category not in link.ctx.catalog.categories:
            link.problems.append(f"The link's category {view.category!r} is not in your catalog; it is chosen anyway "
                                 "(Fashion.AI may know it), but its products cannot be shown with names and stock.")
        st.session_state[CATEGORY_KEY] = view.category
    st.session_state[HIDE_KEY] = view.hide_out_of_stock
    link.open_saved(view.snapshot, RESULT_KEY, storefront_from_snapshot,
                    "Showing the answer saved on {when} UTC, with today's catalog: no call was made. Press **Preview "
                    "storefront** to see it live now (that is recorded as a visit).")


ctx = ui.context()
st.title("Storefront preview")
st.caption("What one shopper sees on a category page, ranked by Fashion.AI for their session. Out-of-stock "
           "products are checked against your catalog.")
ui.tracking_note(ctx.settings)

categories = ctx.catalog.categories
if st.session_state.get(CATALOG_KEY) != ctx.catalog.fingerprint:  # a new catalog: its own default
    st.session_state[CATALOG_KEY] = ctx.catalog.fingerprint
    st.session_state[CATEGORY_KEY] = categories[0] if categories else None
ui.open_link("storefront", ctx, apply_link)
with st.container(horizontal=True, vertical_alignment="bottom"):  # the button's label whole, even at 1,024 px
    category = st.selectbox(
        "Category", categories, index=0 if categories else None, key=CATEGORY_KEY,
        accept_new_options=True, placeholder="Choose or type a category id",
        help="The category id sent to Fashion.AI. Choose one from the catalog or type another.",
    )
    clicked = st.button("Preview storefront", type="primary", icon=":material/play_arrow:", width="content",
                        disabled=not ui.allowed(Action.LIVE_CALL), help=ui.why_not(Action.LIVE_CALL) or None,
                        ) or ui.rerun_asked("storefront")
session_id, user_id = ui.session_values()

visited = False  # a preview made now: a visit of the category, for the movement badges
if clicked and not category:
    st.warning("Choose or type a category first.", icon=":material/category:")
elif clicked and ui.require(Action.LIVE_CALL, page="Storefront preview"):
    visited = ui.call_and_keep(RESULT_KEY, "Previewing the storefront", lambda: preview_storefront(
        ctx.client, ctx.catalog, session_id, str(category), user_id=user_id)) is not None
preview = ui.kept_or_stop(RESULT_KEY, "Press **Preview storefront** to see this session's storefront for the "
                                      "chosen category.")

who = f"session {code_span(preview.session_id)}"
if preview.user_id:
    who += f", user {code_span(preview.user_id)}"
st.subheader(f"{escape_markdown(preview.category_id)}")
st.caption(f"As seen by {who} · order: {preview.source}")
ui.stale_note("storefront", {"session": preview.session_id, "user": preview.user_id, "category": preview.category_id,
                             "catalog": ui.made_with_catalog(RESULT_KEY, preview, ctx.catalog.fingerprint)},
              {"session": session_id, "user": user_id, "category": category, "catalog": ctx.catalog.fingerprint},
              rerun_label="Preview again", key="storefront")

ui.storefront_metrics(preview)

if preview.fallback:
    if preview.category_size:
        st.warning(
            "**Fashion.AI answered with an empty list.** It does not know enough about this session yet, "
            "which is a normal answer for a new shopper. The storefront then shows the store's own order, "
            "shown below. This preview was recorded as a visit, so previewing again usually shows a "
            "personalized order.", icon=":material/hourglass_empty:")
    else:
        st.warning(
            "**Fashion.AI answered with an empty list, and your catalog has no products in this category.** "
            "Check the category id: it must be the id your platform sends to Fashion.AI.",
            icon=":material/search_off:")
if preview.unknown_ids:
    unknown = preview.unknown_ids
    st.warning(f"{unknown:,} of the returned product ids {plural(unknown, 'is', 'are', with_count=False)} not in "
               "your catalog. They are kept in place and marked **not in catalog**: the live storefront cannot show "
               f"{plural(unknown, 'it', 'them', with_count=False)}. Upload the catalog that matches this store.",
               icon=":material/link_off:")
if preview.never_returned:
    never = preview.never_returned
    st.caption(f"{plural(never, 'product')} of this category in your catalog "
               f"{plural(never, 'was', 'were', with_count=False)} not in the answer.")

hide = st.toggle("Hide out-of-stock products, as the live storefront would", key=HIDE_KEY)
unknown_in_stock = ui.unknown_in_stock()
shown = preview.shown(hide_out_of_stock=hide, unknown_in_stock=unknown_in_stock)
if hide and preview.unknown_stock:
    st.caption(f":material/help: {unknown_stock_note(preview.unknown_stock, unknown_in_stock=unknown_in_stock)}")
badges = ui.storefront_moves(preview, ctx.catalog.category_ids(preview.category_id), visited=visited)
check = ui.filter_check(ctx.catalog, EventType.CATEGORY_VIEW, shown["product_id"], currency=ctx.settings.currency)
ui.filter_note(check)

grid_tab, table_tab = st.tabs([":material/grid_view: Storefront", ":material/table: Table"])
with grid_tab:
    st.caption(f":material/swap_vert: {badges.note}")
    page = ui.paginate(shown, key="storefront_grid")
    ui.product_grid(page, currency=ctx.settings.currency, moves=badges.moves, against=badges.against,
                    breaches=check.breaches)
with table_tab:
    ui.products_table(ui.paginate(shown, key="storefront_table", default_size=96), currency=ctx.settings.currency)

ui.view_tools(share.StorefrontView(category=preview.category_id, session=preview.session_id, user=preview.user_id,
                                   hide_out_of_stock=hide, snapshot=preview.recommendation.exchange_id),
              storefront_export(preview, shown, breaches=check.breaches if check.filters else None), key="storefront")
ui.exchange_expander(preview.recommendation)
