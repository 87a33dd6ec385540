"""Catalog: upload a catalog, correct its columns, check its health, preview it, reconcile Fashion.AI's
latest answers with it, check a collection's active slice against it (the one call this page
makes, on a button), and choose, rename or delete the catalogs the library keeps."""

import streamlit as st

from fashionai import ui
from fashionai.catalog import FIELDS, CatalogError, join_ranking
from fashionai.catalog import report as report_
from fashionai.config import ConfigError
from fashionai.history import HistoryError
from fashionai.saved import reconcile as view_
from fashionai.team import Action
from fashionai.text.formatting import code_span, escape_markdown, plural
from fashionai.ui import collection_timeline_widgets, extra_files_widgets, library_widgets, merch_widgets

UPLOADER_KEY = "catalog_page_upload"
MESSAGE_KEY = "catalog_page_message"  # (kind, text) to show once, after the rerun that follows a change
MAP_FOR_KEY = "catalog_map_for"  # the catalog whose mapping the choices show
MAP_KEYS = {field: f"catalog_map_{field}" for field in FIELDS}
SOURCE_KEY = "catalog_reconcile_source"
CATEGORY_KEY = "catalog_reconcile_category"
CATEGORY_FOR_KEY = "catalog_reconcile_for"
RESULT_KEYS = (ui.STOREFRONT_RESULT_KEY, ui.LOOK_RESULT_KEY, ui.COMPARE_RESULT_KEY, ui.JOURNEY_RUN_KEY)
SEARCH_LIMIT = 1_000
FROM_PAGES, FROM_HISTORY = "Latest answer on each page", "Saved answers of these shopper sessions"
ICONS = {"success": ":material/check_circle:", "error": ":material/error:", "info": ":material/info:"}

st.title("Catalog")
st.caption("The catalog the studio joins Fashion.AI's answers with: its columns, its health, its products, and "
           "which returned ids it lacks. Only the Collections tab calls Fashion.AI, when you press its button.")
try:
    settings = ui.get_settings()
except ConfigError as err:
    st.error(str(err), icon=":material/settings_alert:")
    st.stop()

# --------------------------------------------------------------------------- upload

uploaded, notices = ui.catalog_uploader(
    UPLOADER_KEY, mapping_fields=tuple(FIELDS),
    help="Replaces the server's catalog for your browser session only, on every page (the sidebar's upload "
         "does the same). Columns are detected; Portuguese and English names, ; or , separators, UTF-8 or "
         f"Windows-1252 all work. Files up to {ui.upload_limit()}.")
if uploaded is not None:
    st.session_state[MESSAGE_KEY] = ("success", (f"{escape_markdown(uploaded.name)} is now your catalog on every "
                                                 f"page: {plural(len(uploaded.catalog.products), 'product')}."))
    st.rerun()  # the sidebar, drawn before this page, shows the catalog now in use
if message := st.session_state.pop(MESSAGE_KEY, None):
    kind, text = message
    getattr(notices, kind)(text, icon=ICONS[kind])
ui.library_note(notices)  # what the catalog library did with an upload or a new mapping

try:
    catalog = ui.active_catalog(settings)
except CatalogError as err:
    st.error(f"The server's catalog could not be loaded. {escape_markdown(err)} Upload a catalog above.",
             icon=":material/inventory_2:")
    st.stop()
name, own = ui.catalog_name(settings)
whose = "yours, for this browser session" if own else "the server's"
with st.container(horizontal=True, vertical_alignment="center"):
    st.markdown(f":material/inventory_2: In use: **{escape_markdown(name)}** ({whose}), "
                f"{plural(len(catalog.products), 'product')} · read as {report_.describe_format(catalog)}.",
                width="content")
    if own:
        st.button("Use the server's catalog", key="catalog_page_use_server", on_click=ui.use_server_catalog,
                  icon=":material/dns:")

extra_files_widgets.extra_files_section(catalog)

# --------------------------------------------------------------------------- columns

in_use = report_.mapping_choices(catalog, FIELDS)
if (st.session_state.get(MAP_FOR_KEY) != catalog.fingerprint
        or any(key not in st.session_state for key in MAP_KEYS.values())):  # a new catalog, or back on the page
    st.session_state[MAP_FOR_KEY] = catalog.fingerprint
    for field, key in MAP_KEYS.items():
        st.session_state[key] = in_use[field]
columns = [report_.NONE_COLUMN, *catalog.source_columns]
with st.expander("Columns: which column of the file holds what", icon=":material/view_column:",
                 expanded="product_id" not in catalog.mapping or "name" not in catalog.mapping):
    st.caption("Detected from the column names. Choose another column (or (none)) and press **Apply mapping** "
               "to read the file again with it.")
    with st.form("catalog_mapping", border=False):
        cells = st.columns(4)
        for position, (field, label) in enumerate(FIELDS.items()):
            cells[position % 4].selectbox(label, columns, key=MAP_KEYS[field])
        applied = st.form_submit_button("Apply mapping", icon=":material/done_all:",
                                        disabled=not ui.allowed(Action.UPLOAD_CATALOG),
                                        help=ui.why_not(Action.UPLOAD_CATALOG) or None)
    unused = [column for column in catalog.source_columns if column not in catalog.mapping.values()]
    if unused:
        st.caption("Kept as they are, under their own names: " + ", ".join(code_span(c) for c in unused))

if applied and ui.require(Action.UPLOAD_CATALOG, page="Catalog"):
    chosen = {field: st.session_state[key] for field, key in MAP_KEYS.items()}
    if chosen == in_use:
        notices.info("Nothing changed: these are the columns in use.", icon=ICONS["info"])
    else:
        try:
            with st.spinner("Reading the catalog again with these columns…", show_time=True):
                remapped, name = ui.remap_catalog(settings, report_.mapping_override(chosen))
        except CatalogError as err:
            st.session_state[MAP_FOR_KEY] = None  # the choices go back to the columns in use
            st.session_state[MESSAGE_KEY] = ("error", (f"**That mapping could not be used.** {escape_markdown(err)}"
                                                       "\n\nThe catalog in use before is still in use, with its "
                                                       "columns."))
        else:
            products = len(ui.use_catalog(remapped, name).products)
            st.session_state[MESSAGE_KEY] = ("success", (f"Read again with the new columns: "
                                                         f"{plural(products, 'product')}."))
        st.rerun()

# --------------------------------------------------------------------------- health, preview, reconciliation, collections

health_tab, preview_tab, reconcile_tab, collections_tab, library_tab = st.tabs(
    [":material/monitor_heart: Health", ":material/table: Products", ":material/rule: Reconciliation",
     ":material/collections_bookmark: Collections", ":material/shelves: Library"], key="catalog_tab")

with library_tab:  # before the reconciliation, which may stop the page
    library_widgets.library_section(settings)

with health_tab:
    ui.catalog_health_figures(catalog, ui.catalog_health(catalog), currency=settings.currency)

with preview_tab:
    query = st.text_input("Search by product id or name", key="catalog_search",
                          placeholder="e.g. 0042 or dress", help="An exact id first, then names containing the text "
                                                                  "(ignoring case and accents).")
    if query.strip():
        with st.spinner(f"Searching {plural(len(catalog.products), 'product')}…"):
            found = ui.remembered("catalog_search_result", (catalog.fingerprint, query.strip()),
                                  lambda: catalog.search(query, limit=SEARCH_LIMIT))
        count = f"The first {SEARCH_LIMIT:,} products" if len(found) == SEARCH_LIMIT else plural(len(found), "product")
        st.caption(f"{count} matching {code_span(query.strip())}: an exact id first, then names in the file's order.")
    else:
        found = catalog.products
        st.caption(f"All {plural(len(found), 'product')}, in the file's order.")
    if len(found):
        ui.products_table(ui.paginate(found, key="catalog_preview").reset_index())

with collections_tab:  # before the reconciliation, which may stop the page
    st.caption("A collection's active slice, as Fashion.AI's visual merchandising builder serves it now, checked "
               "against this catalog: products in position order, marked when inactive, out of stock, not in the "
               "catalog or listed twice.")
    merch_widgets.collection_section(settings, catalog, key="catalog_collection")
    collection_timeline_widgets.collection_timeline_section(catalog, key="catalog_timeline",
                                                            picked=st.session_state.get("catalog_collection_id"))

with reconcile_tab:
    session_id, _ = ui.session_values()
    source = st.segmented_control("Answers to check", [FROM_PAGES, FROM_HISTORY], key=SOURCE_KEY,
                                  default=FROM_PAGES, required=True)
    # The pages' answers, read once while their results are the same objects (a new preview or run replaces them).
    results = tuple(st.session_state.get(key) for key in RESULT_KEYS)
    answers, ids = ui.remembered_for("catalog_page_answers", results, lambda: view_.page_answers_and_ids(*results))
    store = None
    if source == FROM_HISTORY:
        try:
            store = ui.history_store()
            answers = view_.saved_answers(store, view_.answer_sessions(session_id, answers))
        except (HistoryError, ConfigError) as err:
            st.error(f"The history cannot be read: {escape_markdown(err)}", icon=":material/history:")
            answers = []
        ids = tuple(summary.id for summary in answers)
        st.caption(f"The last {view_.HISTORY_LIMIT} answers saved in the history for each shopper session of this "
                   f"browser session (the sidebar's, {code_span(session_id)}, and those the pages' results used), "
                   "newest first; they last as long as the history keeps them.")
    else:
        st.caption("The answers your pages hold now, in this browser session: the last storefront preview, shop the "
                   "look, compared lanes and journey run (each step). Checked against the catalog in use now.")

    if not answers:
        st.info("No answers yet. Preview a storefront, a look, lanes or a journey, then come back here.",
                icon=":material/touch_app:")
    else:
        token = (catalog.fingerprint, source, ids)
        try:  # kept until the token changes; saved answers' ranked ids are read from the history only here
            report = ui.remembered("catalog_reconciliation", token, lambda: (
                report_.reconcile(catalog, answers) if store is None else view_.reconcile_saved(catalog, store, answers)))
        except HistoryError as err:  # listed, then its ranked ids could not be read: this tab ends here
            st.error(f"The history cannot be read: {escape_markdown(err)}", icon=":material/history:")
            st.stop()
        ui.reconciliation_tables(report, len(answers))

        st.subheader("In your catalog, never returned")
        categories = catalog.categories
        if (st.session_state.get(CATEGORY_FOR_KEY) != catalog.fingerprint
                or st.session_state.get(CATEGORY_KEY) not in categories):
            st.session_state[CATEGORY_FOR_KEY] = catalog.fingerprint
            st.session_state[CATEGORY_KEY] = report_.default_category(answers, categories)
        category = st.selectbox("Category", categories, key=CATEGORY_KEY, placeholder="Your catalog has no categories")
        if category is not None:
            never, size = ui.remembered("catalog_never_returned", (token, category),
                                        lambda: view_.never_returned_frame(catalog, report, category))
            st.caption(f"{len(never):,} of the {plural(size, 'product')} of {code_span(category)} are in none of these "
                       f"answers. {view_.storefronts_note(answers, category)}")
            if len(never):
                shown = ui.paginate(never, key="catalog_never")
                ui.products_table(join_ranking(catalog, shown["product_id"]).drop(columns=["rank", "in_catalog"]))
