"""A view's tools on screen: its export's download buttons (CSV for spreadsheets, JSON for programs; the
export made by the view's room, fashionai.output.exports.Export), beside its share link (links.py).

    view_tools(view, export, key="storefront")    # the share link and, if given, the export buttons
    export_buttons(export, key="audit_export")     # the buttons alone
"""

from __future__ import annotations

import functools

import streamlit as st

from fashionai.output import exports as exports_
from fashionai.output import share
from fashionai.ui.links import share_view

__all__ = ["export_buttons", "view_tools"]


def export_buttons(export: exports_.Export, *, key: str) -> None:
    """Download buttons for an export: each table as CSV (comma, or ; for Excel in Brazil), all as JSON."""
    with st.popover("Export", icon=":material/download:"):
        for table in export.tables:
            st.download_button(f"{table.capitalize()} (CSV)", functools.partial(export.csv, table),
                               file_name=export.file_name(table), mime="text/csv", on_click="ignore",
                               key=f"{key}_{table}_csv", icon=":material/table:", width="stretch")
            st.download_button(f"{table.capitalize()} (CSV with ; for Excel in Brazil)",
                               functools.partial(export.csv, table, dialect=exports_.SEMICOLON),
                               file_name=export.file_name(table).replace(".csv", "-semicolon.csv"),
                               mime="text/csv", on_click="ignore", key=f"{key}_{table}_csv_semicolon",
                               icon=":material/table:", width="stretch")
        st.download_button("Everything (JSON)", export.json, file_name=export.file_name(extension="json"),
                           mime="application/json", on_click="ignore", key=f"{key}_json",
                           icon=":material/data_object:", width="stretch")
        st.caption("CSV opens in Excel, LibreOffice and Google Sheets; cells that a spreadsheet would run as a "
                   "formula start with an apostrophe. JSON keeps every value exactly.")


def view_tools(view: share.View, export: exports_.Export | None, *, key: str) -> None:
    """Side by side: the view's share link and, if given, its export buttons."""
    with st.container(horizontal=True):
        share_view(view)
        if export is not None:
            export_buttons(export, key=f"{key}_export")
