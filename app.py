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

ui.sign_in_page()  # with [auth] and nobody signed in: the sign-in page and nothing else (st.stop)

PAGES = ui.app_pages()  # every page, listed once (fashionai/ui/navigation.py)

ui.show_navigation()  # .streamlit/config.toml hides Streamlit's file-based list of pages/ until now
page = st.navigation(PAGES)
ui.open_shared_link()

with st.sidebar:
    st.markdown("### :material/styler: Merchandising Studio")
    ui.person_sidebar()  # who is signed in, their role, Sign out (nothing without sign-in)
    try:
        settings = ui.get_settings()
    except ui.ConfigError:  # every page says what is wrong and what to do: said once, there
        settings = None
        st.error("The studio's settings cannot be used: the page says what to fix.", icon=":material/settings_alert:")
    if settings is not None:
        ui.backend_badge(settings)
    st.divider()
    ui.session_inputs()
    st.divider()
    try:
        ui.catalog_sidebar(settings)
    except Exception as err:  # noqa: BLE001 - its own guard, so the page below still runs
        ui.show_page_error(err, page="The catalog sidebar")

ui.closed_note()  # a live token, open beyond loopback, no sign-in: why live calls are off, on every page

try:
    page.run()
except Exception as err:  # noqa: BLE001 - the last guard: a message and an error reference, never a traceback
    ui.show_page_error(err, page=page.title)  # (st.stop, st.rerun, st.switch_page are no Exception)
finally:
    ui.log_live_calls(page)  # the live calls this visit made, as one row of the activity log
