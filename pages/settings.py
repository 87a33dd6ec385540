"""Settings: which backend answers, where the token came from, and a connection check."""

import streamlit as st

from fashionai import ui
from fashionai.present import escape_markdown

st.title("Settings")
try:
    settings = ui.get_settings()
except ui.ConfigError as err:
    st.error(str(err), icon=":material/settings_alert:")
    st.stop()

st.subheader("Connection")
rows = {
    "Backend": settings.backend_label
    + (" (FASHIONAI_BACKEND=simulator, although a token is set)" if settings.forced_simulator else ""),
    "Endpoint": ui.SIMULATOR_BASE_URL + " (in-process, nothing leaves this server)"
    if not settings.is_live else settings.base_url,
    "Endpoint set by": settings.base_url_source if settings.is_live else "built in",
    "App token": settings.token_hint,
    "Token set by": settings.token_source,
    "Timeout": f"{settings.timeout:g} seconds",
    "Prices shown in": settings.currency,
}
for label, value in rows.items():
    left, right = st.columns([1, 3])
    left.markdown(f"**{label}**")
    right.text(value)
if not settings.is_live:
    st.caption("To use the live API, set FASHIONAI_APP_TOKEN (or `app_token` under `[fashionai]` in "
               ".streamlit/secrets.toml, see secrets.toml.example) and restart the app.")

st.subheader("Connection check")
st.caption("Asks Fashion.AI for its best sellers (sales ranking). This is not a tracking event: "
           "no shopper session is touched.")
if st.button("Check the connection", icon=":material/network_check:", type="primary"):
    ctx = ui.context()
    result = ui.call("The connection check", lambda: ctx.client.sales_ranking())
    if result is not None:
        st.success(f"Connected: {settings.backend_label} answered HTTP {result.status_code} in "
                   f"{result.elapsed * 1000:.0f} ms with {len(result.products):,} best sellers.",
                   icon=":material/check_circle:")
        ui.exchange_expander(result)

st.subheader("Catalog")
try:
    catalog = ui.active_catalog(settings)
except ui.CatalogError as err:
    st.error(str(err), icon=":material/error:")
else:
    name = st.session_state.get(ui.UPLOAD_NAME_KEY) or (
        str(settings.catalog_path) if settings.catalog_path else "bundled sample catalog")
    st.markdown(f"**In use:** {escape_markdown(name)} · {len(catalog.products):,} products · "
                f"{len(catalog.categories):,} categories")
    for warning in catalog.warnings:
        st.caption(f":material/warning: {escape_markdown(warning)}")
