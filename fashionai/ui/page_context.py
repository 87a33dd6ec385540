"""What every page starts with: its settings, catalog and client (`context()`), and, when this
browser session's catalog changed, its results joined again with the new one or cleared."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from fashionai.api import redaction
from fashionai.api.client import FashionAIClient
from fashionai.catalog import Catalog, CatalogError
from fashionai.config import ConfigError, Settings
from fashionai.storefront.preview import rejoin_look, rejoin_storefront
from fashionai.storefront.search_view import rejoin_search
from fashionai.storefront.whatsapp_view import rejoin_whatsapp
from fashionai.text.formatting import escape_markdown
from fashionai.ui.catalog_choice import active_catalog
from fashionai.ui.resources import get_client, get_settings
from fashionai.ui.session import (
    COMPARE_RESULT_KEY,
    COMPARE_VIEW_KEY,
    JOURNEY_RUN_KEY,
    LOOK_RESULT_KEY,
    RESULTS_CATALOG_KEY,
    SAME_QUERY_KEY,
    SEARCH_RESULT_KEY,
    STOREFRONT_RESULT_KEY,
    WALK_RESULT_KEY,
    WHATSAPP_RESULT_KEY,
)
from fashionai.walk.steps import rejoin_walk


@dataclass(frozen=True)
class Context:
    settings: Settings
    catalog: Catalog
    client: FashionAIClient


def context() -> Context:
    """Settings, catalog and client for a page; stops the page with a clear message if unusable."""
    try:
        settings = get_settings()
    except ConfigError as err:
        st.error(str(err), icon=":material/settings_alert:")
        st.stop()
    try:
        catalog = active_catalog(settings)
    except CatalogError as err:
        st.error(f"The catalog could not be loaded. {escape_markdown(err)}", icon=":material/inventory_2:")
        st.stop()
    follow_catalog(catalog)
    try:
        client = get_client(settings, catalog)
    except (ValueError, TypeError) as err:  # the client's own words on the token or address: what to do
        st.error(escape_markdown(redaction.redact(str(err))), icon=":material/settings_alert:")
        st.stop()
    return Context(settings, catalog, client)


REJOINED_RESULTS = {STOREFRONT_RESULT_KEY: rejoin_storefront, LOOK_RESULT_KEY: rejoin_look, WALK_RESULT_KEY: rejoin_walk,
                    SEARCH_RESULT_KEY: rejoin_search, WHATSAPP_RESULT_KEY: rejoin_whatsapp}
"""Results that are one answer joined with the catalog: joined again with a new one, no call."""
DROPPED_RESULTS = (COMPARE_RESULT_KEY, COMPARE_VIEW_KEY, JOURNEY_RUN_KEY, SAME_QUERY_KEY)
"""Results built from the catalog itself (its personas, its native order): cleared with it."""


def follow_catalog(catalog: Catalog) -> None:
    """When this browser session's catalog is not the one its results were made with (a new
    upload, even one whose ids are the old one's): nothing of the old catalog stays on screen."""
    before = st.session_state.get(RESULTS_CATALOG_KEY)
    st.session_state[RESULTS_CATALOG_KEY] = catalog.fingerprint
    if before is None or before == catalog.fingerprint:
        return
    for key, rejoin in REJOINED_RESULTS.items():
        if (result := st.session_state.get(key)) is not None:
            st.session_state[key] = rejoin(result, catalog)
    dropped = [key for key in DROPPED_RESULTS if st.session_state.pop(key, None) is not None]
    if COMPARE_RESULT_KEY in dropped or JOURNEY_RUN_KEY in dropped:
        st.info("The catalog changed, so the compared lanes and the journey run made with the previous one were "
                "cleared (its personas and its own order are gone). Previews, looks and the shopper walk now show the new catalog's "
                "names, prices and stock.", icon=":material/inventory_2:")
