"""Shop the look: the pieces Fashion.AI suggests to complete a main piece (shopTheLook)."""

import streamlit as st

from fashionai import ui
from fashionai.output import exports, share
from fashionai.output.present import code_span, plural
from fashionai.preview import preview_look

ctx = ui.context()
st.title("Shop the look")
st.caption("The pieces Fashion.AI suggests to complete the look of a main piece (event `shopTheLook`), "
           "with their stock checked against your catalog, as the storefront must do before showing them.")
ui.tracking_note(ctx.settings)
ui.open_link("shop_the_look", ctx)  # a shared link: its main piece, and its saved answer (no call)

query = st.text_input("Find the main piece by name or product id", key="look_query",
                      placeholder="e.g. dress, jacket or a product id")
matches = (ui.remembered("look_search_result", (ctx.catalog.fingerprint, query.strip()),  # a rerun searches not again
                         lambda: ctx.catalog.search(query, limit=50))
           if query.strip() else ctx.catalog.products.head(50))
options = list(matches.index)
if query.strip() and query.strip() not in options:
    options.append(query.strip())  # an id the catalog does not know can still be asked about
if st.session_state.get("look_product") not in options:  # a new search or catalog: its first match
    st.session_state["look_product"] = options[0] if options else None


def _label(product_id: str) -> str:
    if product_id in matches.index:
        return f"{matches.at[product_id, 'name']} · {product_id}"
    return f"{product_id} (not in your catalog)"


left, right = st.columns([3, 1], vertical_alignment="bottom")
product_id = left.selectbox("Main piece", options, format_func=_label, key="look_product",
                            index=0 if options else None, placeholder="No product matches")
clicked = right.button("Shop the look", type="primary", icon=":material/checkroom:", width="stretch")
if not query.strip():
    st.caption("Showing the first products of the catalog; type to search.")
session_id, user_id = ui.session_values()

if clicked:
    if not product_id:
        st.warning("Choose a main piece first.", icon=":material/checkroom:")
    else:
        result = ui.call("Asking for the look", lambda: preview_look(
            ctx.client, ctx.catalog, session_id, str(product_id), user_id=user_id))
        if result is not None:
            st.session_state["look_preview"] = result

look = st.session_state.get("look_preview")
if look is None:
    st.info("Press **Shop the look** to see which pieces complete the chosen main piece.",
            icon=":material/touch_app:")
    st.stop()

main_col, look_col = st.columns([1, 3], gap="large")
with main_col:
    st.markdown("**Main piece**")
    ui.product_card(look.main.iloc[0], currency=ctx.settings.currency, show_rank=False)
with look_col:
    returned, valid = len(look.look), len(look.shown_pieces)
    if look.button_visible:
        st.success(f"**The \"shop the look\" button would be shown.** {valid:,} of {returned:,} suggested "
                   f"{plural(returned, 'piece', with_count=False)} {plural(valid, 'is', 'are', with_count=False)} "
                   "in your catalog with stock.", icon=":material/check_circle:")
    elif returned:
        none = "The one suggested piece has no" if returned == 1 else f"None of the {returned:,} suggested pieces has"
        st.error(f"**The \"shop the look\" button would be hidden.** {none} valid stock in your catalog "
                 "(out of stock, unknown stock or not in the catalog).", icon=":material/visibility_off:")
    else:
        st.warning("**The \"shop the look\" button would be hidden.** Fashion.AI suggested no pieces for "
                   "this product yet; that is a normal answer while it lacks data.",
                   icon=":material/visibility_off:")
    if returned:
        only_valid = st.toggle("Show only the pieces the storefront would show", value=False, key="look_only_valid")
        pieces = look.shown_pieces if only_valid else look.look
        ui.product_grid(ui.paginate(pieces, key="look_pieces"), columns=4, currency=ctx.settings.currency)
st.caption(f"For session {code_span(look.session_id)}"
           + (f", user {code_span(look.user_id)}" if look.user_id else ""))
ui.view_tools(share.LookView(product=look.product_id, session=look.session_id, user=look.user_id,
                             only_valid=st.session_state.get("look_only_valid", False),
                             snapshot=look.recommendation.exchange_id),
              exports.look_export(look), key="look")
ui.exchange_expander(look.recommendation)
