"""Fashion.AI Merchandising Studio: the frame around every page.

Page config, the shared sidebar (backend, shopper session, catalog) and the
navigation. Widgets that must keep their value across pages live here.
"""

import streamlit as st

from fashionai import ui

st.set_page_config(
    page_title="Fashion.AI Merchandising Studio",
    page_icon="👗",
    layout="wide",
)

PAGES = [
    st.Page("pages/storefront.py", title="Storefront preview", icon=":material/storefront:", default=True),
    st.Page("pages/shop_the_look.py", title="Shop the look", icon=":material/checkroom:"),
    st.Page("pages/compare.py", title="Compare lanes", icon=":material/compare_arrows:"),
    st.Page("pages/journey.py", title="Personas and journeys", icon=":material/directions_walk:"),
    st.Page("pages/history.py", title="History", icon=":material/history:"),
    st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
]

page = st.navigation(PAGES)
ui.open_shared_link()

with st.sidebar:
    st.markdown("### :material/styler: Merchandising Studio")
    try:
        settings = ui.get_settings()
    except ui.ConfigError as err:
        settings = None
        st.error(str(err), icon=":material/settings_alert:")
    if settings is not None:
        ui.backend_badge(settings)
    st.divider()
    ui.session_inputs()
    st.divider()
    ui.catalog_sidebar(settings)

try:
    page.run()
except Exception as err:  # the frame's last guard: a message and an error reference, never a traceback
    ui.show_error(err, what="This page")
