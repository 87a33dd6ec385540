"""The only Streamlit code of fashionai: what app.py and the pages use to read, call and show.

Everything else in the package is plain Python, testable without a browser. Pages import
this package (``from fashionai import ui``) and call ``ui.<name>``; the names below are its
whole surface, each from the module that holds it:

    frame.py            the page runs inside app.py's frame (Streamlit's PagesManager workaround)
    person.py           who is signed in (the only reader of st.user): `current_person`, `signs_in`
    identity.py         what they may do (`require`, `allowed`, `why_not`), the sign-in page, the sidebar's person,
                        the safe default's note
    session.py          the session-state keys pages share, named once; session values, remembered results
    resources.py        cached resources: settings, catalogs, uploads, clients, fault drills, the history,
                        the catalog library
    deployment.py       the secrets file and the history's address, as the server reads them
    team_resources.py   the team's cached stores: the activity log and the role table
    activity.py         the activity log as pages write it: log_activity (never failing the page), live calls
    catalog_choice.py   this browser session's catalog: upload, library or server's; choosing one, keeping it
    page_context.py     a page's settings, catalog and client; results follow a new catalog
    errors.py           errors as messages with a next step; the frame's last guard; `call`
    badges.py           the backend's and the fault drill's badges, the tracking note
    shopper.py          the sidebar's shopper session and user id
    results.py          press, call, keep (with a progress bar; keeping the result before when nothing new came)
    exchange.py         the request-and-response expander (with curl)
    storefront_widgets.py  the storefront's figures and movement badges, the look's layout
    chart_widgets.py    rank changes (counts, chart, table), a bump or drift chart's key
    cards.py            products: cards (a picture that falls back to the placeholder), grid, table, paging
    store_settings.py   this browser session's unknown-stock rule and image address template (Settings)
    filters_widgets.py  the team's dashboard filters: read, checked under a list, recorded on Settings (admins)
    catalog_widgets.py  the catalog upload (sidebar and Catalog page), the Catalog page's sections
    library_widgets.py  the Catalog page's library: the catalogs kept, choose, rename, delete (imported directly)
    compare_widgets.py  the compare page's lane cards and tabs          } one page's drawing each,
    history_widgets.py  the history page's filters, list, snapshots     } imported by that page
    journey_widgets.py  the journey page's editor, planned steps, drift } directly (not re-exported)
    search_widgets.py   the search page's results, same-query lanes, WhatsApp chat cards (imported directly)
    merch_widgets.py    a collection's active slice, a shopper's profile (catalog page, walk; imported directly)
    collection_timeline_widgets.py  a collection over time from the history (catalog page; imported directly)
    links.py            share links (open once, write), saved answers a link names
    export_widgets.py   a view's export buttons (CSV, JSON) beside its share link
    stale.py            the note on a result made for other choices than today's, with its run-again button

A page's own widget keys live in the page, and so does `apply_link`, which sets them from a
share link (passed to `open_link`). Keys more than one page reads are in session.py.
"""

from fashionai.catalog import CatalogError
from fashionai.config import ConfigError
from fashionai.ui.activity import LOG_ERRORS, log_activity, log_live_calls
from fashionai.ui.cards import PAGE_SIZES, paginate, product_card, product_grid, products_table
from fashionai.ui.catalog_choice import (
    LIBRARY_ERRORS,
    active_catalog,
    catalog_name,
    keep_in_library,
    kept_fingerprint,
    open_kept_catalog,
    remap_catalog,
    take_library_note,
    use_catalog,
    use_server_catalog,
)
from fashionai.ui.catalog_widgets import (
    Uploaded,
    catalog_health_figures,
    catalog_sidebar,
    catalog_uploader,
    library_note,
    reconciliation_tables,
)
from fashionai.ui.errors import call, drill_note, error_message, show_error, show_page_error
from fashionai.ui.export_widgets import export_buttons, view_tools
from fashionai.ui.frame import show_navigation
from fashionai.ui.identity import (
    allowed,
    closed_note,
    current_person,
    live_calls_closed,
    person_sidebar,
    require,
    sign_in_page,
    signs_in,
    why_not,
)
from fashionai.ui.links import (
    LinkOpening,
    lane_snapshots,
    open_link,
    open_shared_link,
    replay_compare_link,
    saved_snapshots,
    share_view,
)
from fashionai.ui.navigation import PAGE_SPECS, app_pages
from fashionai.ui.page_context import Context, context
from fashionai.ui.resources import (
    SIMULATOR_BASE_URL,
    catalog_health,
    catalog_library,
    get_client,
    get_settings,
    get_simulator,
    history_config,
    history_store,
    library_config,
    load_upload,
    personas,
    server_catalog,
    server_catalog_name,
    session_faults,
    set_session_faults,
    simulator_base_url,
    upload_limit,
)
from fashionai.ui.session import (
    COMPARE_RESULT_KEY,
    COMPARE_VIEW_KEY,
    FAULTS_KEY,
    JOURNEY_RUN_KEY,
    LOOK_RESULT_KEY,
    SAME_QUERY_KEY,
    SAVED_JOURNEYS_KEY,
    SEARCH_RESULT_KEY,
    SESSION_KEY,
    STOREFRONT_RESULT_KEY,
    TIMEOUT_KEY,
    UPLOAD_KEY,
    UPLOAD_NAME_KEY,
    USER_KEY,
    WALK_RESULT_KEY,
    WHATSAPP_RESULT_KEY,
    remembered,
    remembered_for,
    session_values,
)
from fashionai.ui.stale import made_with_catalog, rerun_asked, stale_note
from fashionai.ui.store_settings import image_template, store_settings_section, unknown_in_stock
from fashionai.ui.filters_widgets import (
    dashboard_filters,
    dashboard_filters_section,
    filter_check,
    filter_marks,
    filter_note,
)
from fashionai.ui.team_resources import activity_log, role_table
from fashionai.ui.badges import backend_badge, drill_badge, tracking_note
from fashionai.ui.chart_widgets import rank_changes
from fashionai.ui.exchange import ANSWER_EXCERPT_IDS, answer_excerpt, exchange_expander
from fashionai.ui.results import call_and_keep, call_with_progress, keep_result, kept_or_stop
from fashionai.ui.shopper import session_inputs
from fashionai.ui.storefront_widgets import look_columns, storefront_metrics, storefront_moves

__all__ = [
    "LOG_ERRORS", "activity_log", "log_activity", "log_live_calls", "role_table",
    "allowed", "closed_note", "current_person", "live_calls_closed", "person_sidebar", "require", "sign_in_page",
    "signs_in", "why_not",
    "show_navigation", "PAGE_SPECS", "app_pages", "ANSWER_EXCERPT_IDS", "LIBRARY_ERRORS", "catalog_library", "keep_in_library", "kept_fingerprint", "library_note",
    "library_config", "open_kept_catalog", "take_library_note", "COMPARE_RESULT_KEY", "COMPARE_VIEW_KEY", "FAULTS_KEY", "JOURNEY_RUN_KEY",
    "LOOK_RESULT_KEY", "PAGE_SIZES", "SAME_QUERY_KEY", "SAVED_JOURNEYS_KEY", "SEARCH_RESULT_KEY", "SESSION_KEY", "SIMULATOR_BASE_URL",
    "STOREFRONT_RESULT_KEY", "TIMEOUT_KEY", "UPLOAD_KEY", "UPLOAD_NAME_KEY", "USER_KEY", "WALK_RESULT_KEY", "WHATSAPP_RESULT_KEY", "CatalogError",
    "ConfigError", "Context", "LinkOpening", "Uploaded", "active_catalog", "answer_excerpt", "backend_badge", "call",
    "call_and_keep", "call_with_progress", "catalog_health", "catalog_health_figures", "catalog_name",
    "catalog_sidebar", "catalog_uploader", "context", "drill_badge", "drill_note", "error_message",
    "exchange_expander", "export_buttons", "get_client", "get_settings", "get_simulator", "history_config",
    "history_store", "image_template", "keep_result", "kept_or_stop", "lane_snapshots", "load_upload",
    "look_columns", "made_with_catalog", "open_link", "open_shared_link", "paginate", "personas", "product_card", "product_grid",
    "products_table", "rank_changes", "reconciliation_tables", "remap_catalog", "remembered", "remembered_for",
    "replay_compare_link", "rerun_asked", "saved_snapshots", "server_catalog", "server_catalog_name", "session_faults",
    "session_inputs", "session_values", "set_session_faults", "share_view", "show_error", "show_page_error",
    "simulator_base_url", "stale_note", "store_settings_section", "dashboard_filters", "dashboard_filters_section",
    "filter_check", "filter_marks", "filter_note", "storefront_metrics", "storefront_moves", "tracking_note",
    "unknown_in_stock", "upload_limit", "use_catalog", "use_server_catalog", "view_tools",
]
