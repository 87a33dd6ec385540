"""This browser session's storefront settings: unknown stock, and the image address template for products
without an image. Read by the cards and the pages (`unknown_in_stock`, `image_template`), set on the Settings
page (`store_settings_section`); the rules themselves are `fashionai.catalog.stock` and
`fashionai.output.images`."""

from __future__ import annotations

import streamlit as st

from fashionai.catalog import Catalog
from fashionai.catalog.stock import UNKNOWN_IN_STOCK_DEFAULT
from fashionai.output.images import check_image_template, count_without_image, template_image
from fashionai.text.formatting import STOCK_RULE_WORDS, code_span, plural
from fashionai.ui.session import IMAGE_TEMPLATE_KEY, UNKNOWN_STOCK_KEY

UNKNOWN_STOCK_INPUT = "unknown_stock_input"
TEMPLATE_INPUT, TEMPLATE_MESSAGE_KEY = "image_template_input", "image_template_message"
TEMPLATE_EXAMPLE = "https://cdn.example.com/img/{product_id}.jpg"


def unknown_in_stock() -> bool:
    """Whether this browser session treats unknown stock as in stock (off unless chosen on Settings)."""
    return bool(st.session_state.get(UNKNOWN_STOCK_KEY, UNKNOWN_IN_STOCK_DEFAULT))


def image_template() -> str | None:
    """This browser session's image address template, or None."""
    template = st.session_state.get(IMAGE_TEMPLATE_KEY)
    return template if isinstance(template, str) and check_image_template(template) is None else None


def _choose_unknown_stock() -> None:
    """The toggle moved: this browser session's setting from now on (a callback; kept on other pages)."""
    st.session_state[UNKNOWN_STOCK_KEY] = bool(st.session_state[UNKNOWN_STOCK_INPUT])


def _choose_template() -> None:
    """The template typed: kept when usable, forgotten when blank, refused with why otherwise (a callback)."""
    typed = str(st.session_state[TEMPLATE_INPUT] or "").strip()
    if not typed:
        st.session_state.pop(IMAGE_TEMPLATE_KEY, None)
        st.session_state[TEMPLATE_MESSAGE_KEY] = ("info", ("No image address template: products without an "
                                                           "image show the placeholder."))
        return
    problem = check_image_template(typed)
    if problem is not None:
        st.session_state[TEMPLATE_MESSAGE_KEY] = ("error", f"This template was not applied. {problem}")
        return
    st.session_state[IMAGE_TEMPLATE_KEY] = typed
    st.session_state[TEMPLATE_MESSAGE_KEY] = ("success", ("Products without an image now use this address, on "
                                                          "every page (for your browser session)."))


def store_settings_section(catalog: Catalog | None = None) -> None:
    """The Settings page's "Storefront" section: unknown stock and the image address template (with how many
    products of `catalog` it gives a picture to)."""
    st.subheader("Storefront")
    st.session_state[UNKNOWN_STOCK_INPUT] = unknown_in_stock()  # widget values are forgotten on other pages
    st.toggle("Treat unknown stock as in stock", key=UNKNOWN_STOCK_INPUT, on_change=_choose_unknown_stock,
              help="Products your catalog holds without a stock value. Off: they count as out of stock (hidden "
                   "with out-of-stock products, and no reason to show the \"shop the look\" button). On: they "
                   "count as in stock. For your browser session only.")
    st.caption(f"Now {STOCK_RULE_WORDS[unknown_in_stock()]}, on every page that decides by stock.")

    if TEMPLATE_INPUT not in st.session_state:  # back on the page: the template in use (a refused one stays typed)
        st.session_state[TEMPLATE_INPUT] = st.session_state.get(IMAGE_TEMPLATE_KEY, "")
    st.text_input("Image address template", key=TEMPLATE_INPUT, on_change=_choose_template,
                  placeholder=TEMPLATE_EXAMPLE,
                  help="For products whose catalog row has no image: the address of each one's picture, with "
                       "{product_id} where its id goes. Only http:// or https://. Leave blank for the placeholder. "
                       "For your browser session only.")
    if message := st.session_state.pop(TEMPLATE_MESSAGE_KEY, None):
        kind, text = message
        {"success": st.success, "error": st.error}.get(kind, st.info)(text, icon=":material/image:")
    if (template := image_template()) is not None:
        st.caption(f"For example, product {code_span('ab-12')} gets {code_span(template_image(template, 'ab-12'))}.")
        if catalog is not None:
            changed = count_without_image(catalog.products["image_url"])
            st.caption(f"It gives a picture to {plural(changed, 'product')} of the {len(catalog.products):,} in "
                       "your catalog: those without an image of their own." if changed else
                       f"Every one of the {len(catalog.products):,} products in your catalog has an image of its "
                       "own: the template changes none of them for now.")
