"""The deck and the report to hand over: two download buttons, the files made only when one is clicked.

    handover_buttons(lambda: comparison_handover(comparison, ..., **made_with(ctx)), key="compare_handover")

`made_with` gives the title slide's backend and catalog names for the page's context. The builder is
called when a button is pressed (Streamlit calls a download's data then), so showing the buttons costs
nothing and sends no call.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from fashionai.output.deck import deck_bytes
from fashionai.output.handover import Handover
from fashionai.output.report import report_html
from fashionai.ui.catalog_choice import catalog_name
from fashionai.ui.page_context import Context

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def made_with(ctx: Context) -> dict[str, str]:
    """The backend and the catalog a page's results come from, in words: a handover builder's keywords."""
    return {"backend": ctx.settings.backend_label, "catalog": catalog_name(ctx.settings)[0]}


def handover_buttons(build: Callable[[], Handover], *, key: str, name: str = "fashionai-handover") -> None:
    """**Download a deck** (`name`.pptx) and **Download a report** (`name`.html) of `build()`, side by side."""
    made: dict[str, Handover] = {}

    def handover() -> Handover:  # one build for both files of the same run
        if "it" not in made:
            made["it"] = build()
        return made["it"]

    with st.container(horizontal=True):
        st.download_button("Download a deck", lambda: deck_bytes(handover()),
                           file_name=f"{name}.pptx",
                           mime=PPTX_MIME, on_click="ignore", key=f"{key}_deck", icon=":material/slideshow:",
                           help="A PowerPoint deck (opens in LibreOffice and Google Slides too): a title slide, "
                                "the charts with their readings, the storefronts as product cards.")
        st.download_button("Download a report", lambda: report_html(handover()), file_name=f"{name}.html",
                           mime="text/html", on_click="ignore", key=f"{key}_report", icon=":material/description:",
                           help="One HTML file with everything inside (charts as pictures, no links): opens "
                                "offline in any browser, which can also print it to PDF.")
