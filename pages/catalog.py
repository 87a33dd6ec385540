"""Catalog: upload a catalog, correct its columns, check its health, preview it, and reconcile
Fashion.AI's latest answers with it. This page makes no call to Fashion.AI."""

import pandas as pd
import streamlit as st

from fashionai import ui
from fashionai.catalog import FIELDS, MAX_ID_CHARS, CatalogError, join_ranking
from fashionai.catalog import report as report_
from fashionai.config import ConfigError
from fashionai.history import Filters, HistoryError
from fashionai.output import catalog_charts
from fashionai.output.present import code_span, escape_markdown, format_price, plural

UPLOADER_KEY = "catalog_page_upload"
UPLOADED_ID_KEY = "catalog_page_upload_file_id"  # the file read last: a rerun does not read it again
UPLOAD_ERROR_KEY = "catalog_page_upload_error"
MESSAGE_KEY = "catalog_page_message"  # (kind, text) to show once, after the rerun that follows a change
MAP_FOR_KEY = "catalog_map_for"  # the catalog whose mapping the choices show
MAP_KEYS = {field: f"catalog_map_{field}" for field in FIELDS}
SOURCE_KEY = "catalog_reconcile_source"
CATEGORY_KEY = "catalog_reconcile_category"
CATEGORY_FOR_KEY = "catalog_reconcile_for"
TOP_CATEGORIES = 15
SEARCH_LIMIT = 1_000
HISTORY_LIMIT = 50  # saved answers per shopper session
FROM_PAGES, FROM_HISTORY = "Latest answer on each page", "Saved answers of these shopper sessions"

st.title("Catalog")
st.caption("The catalog the studio joins Fashion.AI's answers with: its columns, its health, its products, and "
           "which returned ids it lacks. Nothing on this page calls Fashion.AI.")
try:
    settings = ui.get_settings()
except ConfigError as err:
    st.error(str(err), icon=":material/settings_alert:")
    st.stop()


def show_message(kind: str, text: str) -> None:
    icons = {"success": ":material/check_circle:", "error": ":material/error:", "info": ":material/info:"}
    getattr(notices, kind)(text, icon=icons[kind])


def remembered_for(key: str, sources: tuple, compute):
    """`compute()`, kept in this browser session while `sources` are the very same objects (the pages'
    results, which a new preview or run replaces): a rerun does not read their answers again."""
    held = st.session_state.get(key)
    if held is None or len(held[0]) != len(sources) or any(a is not b for a, b in zip(held[0], sources)):
        held = (sources, compute())
        st.session_state[key] = held
    return held[1]


# --------------------------------------------------------------------------- upload

uploaded = st.file_uploader(
    "Upload a catalog (CSV)", key=UPLOADER_KEY,  # any file: a workbook gets advice, not a refusal
    help="Replaces the server's catalog for your browser session only, on every page (the sidebar's upload "
         "does the same). Columns are detected; Portuguese and English names, ; or , separators, UTF-8 or "
         f"Windows-1252 all work. Files up to {ui.upload_limit()}.",
)
notices = st.container()  # always drawn, so that what follows keeps its place (and the open tab) when it is empty
if uploaded is None:
    st.session_state.pop(UPLOADED_ID_KEY, None)
    st.session_state.pop(UPLOAD_ERROR_KEY, None)
elif st.session_state.get(UPLOADED_ID_KEY) != uploaded.file_id:
    st.session_state[UPLOADED_ID_KEY] = uploaded.file_id
    st.session_state.pop(UPLOAD_ERROR_KEY, None)
    data = uploaded.getvalue()
    try:
        with st.spinner(f"Reading {escape_markdown(uploaded.name)} ({len(data) / 1e6:,.1f} MB)…", show_time=True):
            loaded = ui.load_upload(data, name=uploaded.name)
    except CatalogError as err:
        st.session_state[UPLOAD_ERROR_KEY] = (f"**{escape_markdown(uploaded.name)} could not be used.** "
                                              f"{escape_markdown(err)}\n\nThe catalog in use before is still in use.")
    else:
        products = len(ui.use_catalog(loaded, uploaded.name).products)
        st.session_state[MESSAGE_KEY] = ("success", f"{escape_markdown(uploaded.name)} is now your catalog on every "
                                                    f"page: {plural(products, 'product')}.")
        st.rerun()  # the sidebar, drawn before this page, shows the catalog now in use
if error := st.session_state.get(UPLOAD_ERROR_KEY):
    show_message("error", error)
if message := st.session_state.pop(MESSAGE_KEY, None):
    show_message(*message)

try:
    catalog = ui.active_catalog(settings)
except CatalogError as err:
    st.error(f"The server's catalog could not be loaded. {escape_markdown(err)} Upload a catalog above.",
             icon=":material/inventory_2:")
    st.stop()
uploaded_in_use = st.session_state.get(ui.UPLOAD_KEY) is not None
name = st.session_state.get(ui.UPLOAD_NAME_KEY) if uploaded_in_use else ui.server_catalog_name(settings)
whose = "yours, for this browser session" if uploaded_in_use else "the server's"
with st.container(horizontal=True, vertical_alignment="center"):
    st.markdown(f":material/inventory_2: In use: **{escape_markdown(name or 'upload')}** ({whose}), "
                f"{plural(len(catalog.products), 'product')} · read as {report_.describe_format(catalog)}.", width="content")
    if uploaded_in_use:
        st.button("Use the server's catalog", key="catalog_page_use_server", on_click=ui.use_server_catalog,
                  icon=":material/dns:")

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
        applied = st.form_submit_button("Apply mapping", icon=":material/done_all:")
    unused = [column for column in catalog.source_columns if column not in catalog.mapping.values()]
    if unused:
        st.caption("Kept as they are, under their own names: " + ", ".join(code_span(c) for c in unused))

if applied:
    chosen = {field: st.session_state[key] for field, key in MAP_KEYS.items()}
    if chosen == in_use:
        show_message("info", "Nothing changed: these are the columns in use.")
    else:
        try:
            with st.spinner("Reading the catalog again with these columns…", show_time=True):
                remapped, name = ui.remap_catalog(settings, report_.mapping_override(chosen))
        except CatalogError as err:
            st.session_state[MAP_FOR_KEY] = None  # the choices go back to the columns in use
            st.session_state[MESSAGE_KEY] = ("error", f"**That mapping could not be used.** {escape_markdown(err)}"
                                                      "\n\nThe catalog in use before is still in use, with its "
                                                      "columns.")
        else:
            products = len(ui.use_catalog(remapped, name).products)
            st.session_state[MESSAGE_KEY] = ("success", f"Read again with the new columns: "
                                                        f"{plural(products, 'product')}.")
        st.rerun()

# --------------------------------------------------------------------------- health, preview, reconciliation


def answers_on_pages() -> tuple[list, tuple]:
    """The answers this browser session's pages hold, and what tells them apart (exchange ids); read
    once while the pages' results are the same objects (a new preview or run replaces them)."""
    results = tuple(st.session_state.get(key) for key in ("storefront_preview", "look_preview", "compare_result",
                                                          "journey_run"))

    def compute():
        storefront, look, comparison, journey = results
        answers = report_.page_answers(storefront=storefront, look=look, comparison=comparison, journey=journey)
        return answers, tuple(a.id or hash(a.products) for a in answers)
    return remembered_for("catalog_page_answers", results, compute)


def reconciled(token: tuple, answers: list, store=None) -> report_.Reconciliation:
    """`answers` reconciled with the catalog, kept until `token` changes. With a history `store`, the
    answers are its snapshot summaries, and their ranked ids are read from it only here."""
    def compute():
        if store is None:
            return report_.reconcile(catalog, answers)
        snapshots = store.get([summary.id for summary in answers])
        return report_.reconcile(catalog, report_.answers_from_snapshots(snapshots))
    return ui.remembered("catalog_reconciliation", token, compute)


health_tab, preview_tab, reconcile_tab = st.tabs([":material/monitor_heart: Health", ":material/table: Products",
                                                  ":material/rule: Reconciliation"], key="catalog_tab")

with health_tab:
    health = ui.catalog_health(catalog)
    stock = report_.stock_breakdown(health, catalog.stock_kind)
    cells = st.columns(2 + len(stock))
    cells[0].metric("Products", f"{health.rows:,}")
    cells[1].metric("Categories", f"{len(health.categories):,}",
                    help=f"{plural(health.uncategorised, 'product has', 'products have')} no category.")
    for cell, (label, count) in zip(cells[2:], stock.items()):  # the chart's bars, figure for figure
        cell.metric(label, f"{count:,}", help=report_.STOCK_HELP.get(label))
    cells = st.columns(5)
    cells[0].metric("Rows skipped", f"{catalog.skipped_rows + catalog.long_ids:,}",
                    help=f"Rows without a product id ({catalog.skipped_rows:,}) or with one longer than "
                         f"{MAX_ID_CHARS:,} characters ({catalog.long_ids:,}).")
    cells[1].metric("Repeated ids", f"{catalog.duplicate_ids:,}",
                    help="Rows dropped because an earlier row had the same product id.")
    cells[2].metric("No category", f"{health.uncategorised:,}")
    cells[3].metric("Prices read", f"{health.price['count']:,}", help=f"{health.price['missing']:,} missing.")
    if health.price["count"]:
        cells[4].metric("Median price", format_price(health.price["median"], settings.currency),
                        help=f"From {format_price(health.price['min'], settings.currency)} to "
                             f"{format_price(health.price['max'], settings.currency)}.")
    left, right = st.columns(2)
    left.altair_chart(catalog_charts.stock_distribution_chart(stock), width="stretch", theme=None)
    if health.categories:
        right.altair_chart(catalog_charts.category_sizes_chart(health.categories, top=TOP_CATEGORIES), width="stretch",
                           theme=None)
    else:
        right.info("No product has a category, so there is no chart of categories.", icon=":material/category:")
    if health.warnings:
        st.warning("**What was wrong with the file, and what was done**\n\n"
                   + "\n".join(f"- {escape_markdown(warning)}" for warning in health.warnings),
                   icon=":material/report:")
    else:
        st.success("Nothing to report: every row was read as it is.", icon=":material/check_circle:")

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

with reconcile_tab:
    session_id, _ = ui.session_values()
    source = st.segmented_control("Answers to check", [FROM_PAGES, FROM_HISTORY], key=SOURCE_KEY,
                                  default=FROM_PAGES, required=True)
    answers, ids = answers_on_pages()
    store = None
    if source == FROM_HISTORY:
        sessions = list(dict.fromkeys([s for s in [session_id, *(a.session_id for a in answers)] if s]))
        try:
            store = ui.history_store()
            # Summaries (what was asked, for whom, when): the ranked ids are read only to reconcile them.
            answers = [summary for s in sessions for summary in store.summaries(Filters(session_id=s, ok=True),
                                                                                 limit=HISTORY_LIMIT)]
        except (HistoryError, ConfigError) as err:
            st.error(f"The history cannot be read: {escape_markdown(err)}", icon=":material/history:")
            answers = []
        answers.sort(key=lambda snap: snap.recorded_at, reverse=True)
        ids = tuple(summary.id for summary in answers)
        st.caption(f"The last {HISTORY_LIMIT} answers saved in the history for each shopper session of this browser "
                   f"session (the sidebar's, {code_span(session_id)}, and those the pages' results used), newest "
                   "first; they last as long as the history keeps them.")
    else:
        st.caption("The answers your pages hold now, in this browser session: the last storefront preview, shop the "
                   "look, compared lanes and journey run (each step). Checked against the catalog in use now.")

    if not answers:
        st.info("No answers yet. Preview a storefront, a look, lanes or a journey, then come back here.",
                icon=":material/touch_app:")
    else:
        token = (catalog.fingerprint, source, ids)
        try:
            report = reconciled(token, answers, store)
        except HistoryError as err:  # listed, then its ranked ids could not be read: this tab ends here
            st.error(f"The history cannot be read: {escape_markdown(err)}", icon=":material/history:")
            st.stop()
        cells = st.columns(3)
        cells[0].metric("Answers", f"{len(answers):,}")
        cells[1].metric("Distinct ids returned", f"{report.returned_count:,}")
        cells[2].metric("Not in your catalog", f"{len(report.unknown):,}")
        with st.expander("The answers", icon=":material/list:"):
            st.dataframe(report.answers, hide_index=True, width="stretch", column_config={
                "seen_in": "Seen in", "asked": "Asked", "session_id": "Session",
                "returned": st.column_config.NumberColumn("Ids returned", format="%d"),
                "not_in_catalog": st.column_config.NumberColumn("Not in catalog", format="%d")})

        st.subheader("Returned, but not in your catalog")
        if report.unknown.empty:
            st.success("Every id returned is in your catalog.", icon=":material/check_circle:")
        else:
            st.caption("The storefront cannot show these: Fashion.AI knows products your catalog lacks (an older or "
                       "other store's export?). Most often returned first.")
            st.dataframe(ui.paginate(report.unknown, key="catalog_unknown"), hide_index=True, width="stretch",
                         column_config={"product_id": "Product id",
                                        "answers": st.column_config.NumberColumn("Answers", format="%d"),
                                        "best_rank": st.column_config.NumberColumn("Best rank", format="%d"),
                                        "first_seen_in": "First seen in"})

        st.subheader("In your catalog, never returned")
        categories = catalog.categories
        if (st.session_state.get(CATEGORY_FOR_KEY) != catalog.fingerprint
                or st.session_state.get(CATEGORY_KEY) not in categories):
            st.session_state[CATEGORY_FOR_KEY] = catalog.fingerprint
            st.session_state[CATEGORY_KEY] = report_.default_category(answers, categories)
        category = st.selectbox("Category", categories, key=CATEGORY_KEY, placeholder="Your catalog has no categories")
        if category is not None:
            never, size = ui.remembered("catalog_never_returned", (token, category), lambda: (
                pd.DataFrame({"product_id": pd.array(report_.never_returned(catalog, report, category), dtype="str")}),
                len(catalog.category_ids(category))))
            asked = report_.asked_about(answers, category)
            if asked:
                storefronts = f"{asked:,} of the answers {'is a storefront' if asked == 1 else 'are storefronts'}"
                storefronts += " (categoryView) of this category."
            else:
                storefronts = ("No answer is a storefront (categoryView) of this category: its products could only "
                               "have come in looks, shelves or other categories' answers.")
            st.caption(f"{len(never):,} of the {plural(size, 'product')} of {code_span(category)} are in none of these "
                       f"answers. {storefronts}")
            if len(never):
                shown = ui.paginate(never, key="catalog_never")
                ui.products_table(join_ranking(catalog, shown["product_id"]).drop(columns=["rank", "in_catalog"]))
