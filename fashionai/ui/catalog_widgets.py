"""The catalog's widgets: one upload flow (the sidebar's and the Catalog page's), the sidebar's
word on the catalog in use, and the Catalog page's health figures and reconciliation tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from fashionai.catalog import MAX_ID_CHARS, Catalog, CatalogError, CatalogHealth
from fashionai.catalog import report as report_
from fashionai.config import Settings
from fashionai.output import catalog_charts
from fashionai.team import Action
from fashionai.text.formatting import escape_markdown, format_price, plural
from fashionai.ui.catalog_choice import take_library_note, uploaded_catalog, use_catalog, use_server_catalog
from fashionai.ui.extra_files_widgets import Refused, refused_file_mapping
from fashionai.ui.identity import require, why_not
from fashionai.ui.links import keep_catalog_param
from fashionai.ui.resources import load_upload, server_catalog, server_catalog_name, upload_limit
from fashionai.ui.session import UPLOAD_NAME_KEY
from fashionai.ui.cards import paginate

TOP_CATEGORIES = 15
"""Categories the health tab's chart shows."""


@dataclass(frozen=True)
class Uploaded:
    """A file that became this browser session's catalog on this run."""

    name: str
    catalog: Catalog


def catalog_uploader(key: str, *, help: str,
                     mapping_fields: tuple[str, ...] = ("product_id", "name", "category"),
                     ) -> tuple[Uploaded | None, DeltaGenerator]:
    """Upload a catalog for this browser session: the file is read once (a rerun does not read it
    again) and, if it can be used, becomes the session's catalog on every page.

    Returns the file that became the catalog on this run (else None), and the place under the
    uploader for messages: always drawn, so that what follows keeps its place (and an open tab)
    when it is empty. There, why a file could not be used is said for as long as it stays in the
    uploader; the catalog in use before stays in use, and the refused file's columns can be chosen
    there (`mapping_fields`) to read it again. A catalog that can be used is kept in the catalog
    library too, named by its file name; the caller says what the library did (`library_note`).
    """
    refusal = why_not(Action.UPLOAD_CATALOG)  # a viewer sees the uploader off, with the reason as its help
    # any file: a workbook gets advice
    uploaded = st.file_uploader("Upload a catalog (CSV)", key=key, help=refusal or help,
                                disabled=bool(refusal))
    notices = st.container()
    read_key, error_key, refused_key = f"{key}_file_id", f"{key}_error", f"{key}_refused"
    if uploaded is None or st.session_state.get(read_key) != uploaded.file_id:
        for stale in (read_key, error_key, refused_key, *[k for k in st.session_state if k.startswith(f"{key}_refused_")]):
            st.session_state.pop(stale, None)
    if (uploaded is not None and st.session_state.get(read_key) != uploaded.file_id
            and require(Action.UPLOAD_CATALOG, page="Catalog")):
        st.session_state[read_key] = uploaded.file_id
        data = uploaded.getvalue()
        name = escape_markdown(uploaded.name)
        try:
            with st.spinner(f"Reading {name} ({len(data) / 1e6:,.1f} MB)…", show_time=True):
                upload = load_upload(data, name=uploaded.name)
        except CatalogError as err:
            st.session_state[error_key] = (f"**{name} could not be used.** {escape_markdown(err)}\n\n"
                                           "The catalog in use before is still in use.")
            st.session_state[refused_key] = Refused(uploaded.name, data, err.columns)
        else:
            return Uploaded(uploaded.name, use_catalog(upload, uploaded.name)), notices
    if error := st.session_state.get(error_key):
        notices.error(error, icon=":material/error:")
        refused = st.session_state.get(refused_key)
        if refused is not None and refused.columns:  # the mapping acts on the refused file
            with notices:
                mapped = refused_file_mapping(key, refused, fields=mapping_fields)
            if mapped is not None:
                for done in (error_key, refused_key):
                    st.session_state.pop(done, None)
                return Uploaded(refused.name, use_catalog(mapped, refused.name)), notices
    return None, notices


def library_note(place: DeltaGenerator) -> None:
    """Say, once, what the catalog library did with the catalog just chosen (kept it, made room, could not)."""
    if note := take_library_note():
        kind, text = note
        getattr(place, kind)(text, icon=":material/shelves:" if kind == "info" else ":material/warning:")


def catalog_sidebar(settings: Settings | None) -> None:
    """Upload a catalog for this browser session, and say which catalog is in use."""
    st.markdown("**Catalog**")
    uploaded, notices = catalog_uploader(
        "catalog_upload", help="Replaces the server's catalog for your browser session, and is kept in the "
                               "catalog library (see the Catalog page) so that a reload or a link opens it again. "
                               "Columns are detected; Portuguese and English names, ; or , separators all work. "
                               f"Files up to {upload_limit()}.")
    if uploaded is not None:
        library_note(notices)
        keep_catalog_param()  # the URL names it now: a reload at once opens it again
    if (catalog := uploaded_catalog()) is not None:
        st.caption(f":material/upload_file: {escape_markdown(st.session_state.get(UPLOAD_NAME_KEY, 'upload'))}: "
                   f"{plural(len(catalog.products), 'product')}")
        st.button("Use the server's catalog instead", on_click=use_server_catalog, width="stretch")
    elif settings is not None:
        source = server_catalog_name(settings)
        try:
            count = len(server_catalog(settings).products)
        except CatalogError as err:
            st.error(escape_markdown(err), icon=":material/error:")
        else:
            st.caption(f":material/inventory_2: {escape_markdown(source)}: {plural(count, 'product')}")


def catalog_health_figures(catalog: Catalog, health: CatalogHealth, *, currency: str) -> None:
    """The catalog's health: its figures, the stock and category charts, and what was wrong with the file."""
    stock = report_.stock_breakdown(health, catalog.stock_kind)
    cells: Sequence[DeltaGenerator] = st.columns(2 + len(stock))
    cells[0].metric("Products", f"{health.rows:,}")
    cells[1].metric("Categories", f"{len(health.categories):,}",
                    help=f"{plural(health.uncategorised, 'product has', 'products have')} no category.")
    for cell, (label, count) in zip(cells[2:], stock.items(), strict=True):  # the chart's bars, figure for figure
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
        cells[4].metric("Median price", format_price(health.price["median"], currency),
                        help=f"From {format_price(health.price['min'], currency)} to "
                             f"{format_price(health.price['max'], currency)}.")
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


def reconciliation_tables(report: report_.Reconciliation, answers: int) -> None:
    """Answers reconciled with the catalog: three figures, the answers, and the ids the catalog lacks."""
    cells = st.columns(3)
    cells[0].metric("Answers", f"{answers:,}")
    cells[1].metric("Distinct ids returned", f"{report.returned_count:,}")
    cells[2].metric("Not in your catalog", f"{len(report.unknown):,}")
    with st.expander("The answers", icon=":material/list:"):
        st.dataframe(report.answers, hide_index=True, width="stretch", column_config={
            "seen_in": "Seen in", "asked": "Asked", "session_id": "Session",
            "returned": st.column_config.NumberColumn("Ids returned", format="localized"),
            "not_in_catalog": st.column_config.NumberColumn("Not in catalog", format="localized")})

    st.subheader("Returned, but not in your catalog")
    if report.unknown.empty:
        st.success("Every id returned is in your catalog.", icon=":material/check_circle:")
    else:
        st.caption("The storefront cannot show these: Fashion.AI knows products your catalog lacks (an older or "
                   "other store's export?). Most often returned first.")
        st.dataframe(paginate(report.unknown, key="catalog_unknown"), hide_index=True, width="stretch",
                     column_config={"product_id": "Product id",
                                    "answers": st.column_config.NumberColumn("Answers", format="localized"),
                                    "best_rank": st.column_config.NumberColumn("Best rank", format="localized"),
                                    "first_seen_in": "First seen in"})
