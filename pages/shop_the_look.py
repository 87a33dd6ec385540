"""Shop the look: the pieces Fashion.AI suggests to complete a main piece (shopTheLook)."""

import streamlit as st

from fashionai import ui
from fashionai.domain import EventType
from fashionai.output import share
from fashionai.storefront.export import look_export
from fashionai.storefront.preview import look_from_snapshot, preview_look
from fashionai.team import Action
from fashionai.text.formatting import code_span, escape_markdown, plural, unknown_stock_note

QUERY_KEY, PRODUCT_KEY, ONLY_VALID_KEY = "look_query", "look_product", "look_only_valid"
AS_ID_KEY = "look_as_id"
RESULT_KEY = ui.LOOK_RESULT_KEY  # read by the catalog page too


def apply_link(link: ui.LinkOpening) -> None:
    """A shared link: its main piece and toggle, and its saved answer (no call)."""
    view: share.LookView = link.view
    if view.product is not None:
        if view.product not in link.ctx.catalog.products.index:
            link.problems.append(f"The link's main piece {view.product!r} is not in your catalog; it is chosen "
                                 "anyway.")
        st.session_state[QUERY_KEY] = view.product
        st.session_state[AS_ID_KEY] = True  # an id the link names is asked about even if no name matches
        st.session_state[PRODUCT_KEY] = view.product
    st.session_state[ONLY_VALID_KEY] = view.only_valid
    link.open_saved(view.snapshot, RESULT_KEY, look_from_snapshot,
                    "Showing the look saved on {when} UTC, its stock checked against today's catalog: no call was "
                    "made. Press **Shop the look** to ask again live.")


ctx = ui.context()
st.title("Shop the look")
st.caption("The pieces Fashion.AI suggests to complete the look of a main piece, "
           "with their stock checked against your catalog, as the storefront must do before showing them.")
ui.tracking_note(ctx.settings)
ui.open_link("shop_the_look", ctx, apply_link)

query = st.text_input("Find the main piece by name or product id", key=QUERY_KEY,
                      placeholder="e.g. dress, jacket or a product id")
matches = (ui.remembered("look_search_result", (ctx.catalog.fingerprint, query.strip()),  # a rerun searches not again
                         lambda: ctx.catalog.search(query, limit=50))
           if query.strip() else ctx.catalog.products.head(50))
options = list(matches.index)
if query.strip() and matches.empty:  # a word that matches nothing is not an id unless the user says so
    st.warning(f"No product matches {code_span(query.strip())} in your catalog.", icon=":material/search_off:")
    near = ui.remembered("look_near_result", (ctx.catalog.fingerprint, query.strip()),
                         lambda: ctx.catalog.near(query))
    if not near.empty:
        st.caption("Closest names:")
        for near_id, near_name in near["name"].items():
            st.button(escape_markdown(near_name), key=f"look_near_{near_id}", icon=":material/search:",
                      on_click=st.session_state.__setitem__, args=(QUERY_KEY, near_id))
    if st.checkbox("Send it as a product id anyway", key=AS_ID_KEY,
                   help="Ask Fashion.AI about this text as a product id the catalog does not hold. The call "
                        "is also a tracking event (shopTheLook) for the sidebar's shopper."):
        options.append(query.strip())  # an id the catalog does not know can still be asked about
if st.session_state.get(PRODUCT_KEY) not in options:  # a new search or catalog: its first match
    st.session_state[PRODUCT_KEY] = options[0] if options else None


def _label(product_id: str) -> str:
    if product_id in matches.index:
        return f"{matches.at[product_id, 'name']} · {product_id}"
    return f"{product_id} (not in your catalog)"


with st.container(horizontal=True, vertical_alignment="bottom"):  # the button's label whole, even at 1,024 px
    product_id = st.selectbox("Main piece", options, format_func=_label, key=PRODUCT_KEY,
                              index=0 if options else None, placeholder="No product matches")
    clicked = st.button("Shop the look", type="primary", icon=":material/checkroom:", width="content",
                        disabled=not ui.allowed(Action.LIVE_CALL), help=ui.why_not(Action.LIVE_CALL) or None,
                        ) or ui.rerun_asked("look")
if not query.strip():
    st.caption("Showing the first products of the catalog; type to search.")
session_id, user_id = ui.session_values()

if clicked and not product_id:
    st.warning("Choose a main piece first.", icon=":material/checkroom:")
elif clicked and ui.require(Action.LIVE_CALL, page="Shop the look"):
    ui.call_and_keep(RESULT_KEY, "Asking for the look", lambda: preview_look(
        ctx.client, ctx.catalog, session_id, str(product_id), user_id=user_id))
look = ui.kept_or_stop(RESULT_KEY, "Press **Shop the look** to see which pieces complete the chosen main piece.")
ui.stale_note("look", {"session": look.session_id, "user": look.user_id, "product": look.product_id,
                       "catalog": ui.made_with_catalog(RESULT_KEY, look, ctx.catalog.fingerprint)},
              {"session": session_id, "user": user_id, "product": product_id, "catalog": ctx.catalog.fingerprint},
              rerun_label="Ask again", key="look")

unknown_in_stock = ui.unknown_in_stock()
valid_pieces = look.shown_pieces(unknown_in_stock=unknown_in_stock)
with ui.look_columns(look, currency=ctx.settings.currency):
    returned, valid = len(look.look), len(valid_pieces)
    if valid:
        st.success(f"**The \"shop the look\" button would be shown.** {valid:,} of {returned:,} suggested "
                   f"{plural(returned, 'piece', with_count=False)} {plural(valid, 'is', 'are', with_count=False)} "
                   "in your catalog with stock.", icon=":material/check_circle:")
    elif returned:
        none = "The one suggested piece has no" if returned == 1 else f"None of the {returned:,} suggested pieces has"
        st.error(f"**The \"shop the look\" button would be hidden.** {none} valid stock in your catalog "
                 f"({'out of stock' if unknown_in_stock else 'out of stock, unknown stock'} or not in the catalog).",
                 icon=":material/visibility_off:")
    else:
        st.warning("**The \"shop the look\" button would be hidden.** Fashion.AI suggested no pieces for "
                   "this product yet; that is a normal answer while it lacks data.",
                   icon=":material/visibility_off:")
    if look.unknown_stock:
        st.caption(":material/help: " + unknown_stock_note(look.unknown_stock, unknown_in_stock=unknown_in_stock,
                                                            noun="suggested piece", kept="counted with the look",
                                                            left_out="left out of the look"))
    if returned:
        only_valid = st.toggle("Show only the pieces the storefront would show", value=False, key=ONLY_VALID_KEY)
        pieces = valid_pieces if only_valid else look.look
        pieces = ui.paginate(pieces, key="look_pieces")
        ui.product_grid(pieces, columns=4, currency=ctx.settings.currency, breaches=ui.filter_marks(
            ctx.catalog, EventType.SHOP_THE_LOOK, pieces, currency=ctx.settings.currency))
st.caption(f"For session {code_span(look.session_id)}"
           + (f", user {code_span(look.user_id)}" if look.user_id else ""))
ui.view_tools(share.LookView(product=look.product_id, session=look.session_id, user=look.user_id,
                             only_valid=st.session_state.get(ONLY_VALID_KEY, False),
                             snapshot=look.recommendation.exchange_id),
              look_export(look, unknown_in_stock=unknown_in_stock), key="look")
ui.exchange_expander(look.recommendation)
