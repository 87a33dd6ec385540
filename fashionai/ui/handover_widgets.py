"""The deck and the report to hand over: two download buttons, the files made only when one is clicked.

    handover_buttons(lambda: comparison_handover(comparison, ..., **made_with(ctx)), key="compare_handover")
    comparison_buttons(ctx, comparison, reference=..., others=..., other=...)   # the same, for the compare page
    walk_buttons(ctx, walk); journey_buttons(ctx, run, k=k, names=names); audit_buttons(run, card)
    search_buttons(ctx, preview, moves=badges.moves, same=same, chat=chat)

`made_with` gives the title slide's backend and catalog names for the page's context. The builder is
called when a button is pressed (Streamlit calls a download's data then), so showing the buttons costs
nothing and sends no call. That call runs on a thread of the server with no script run, where the session's
state cannot be read: whatever the builder needs from it (the catalog's name) is read while the page is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypedDict

import streamlit as st

from fashionai.audit.handover import scorecard_handover
from fashionai.audit.model import AuditRun
from fashionai.audit.scorecard import Scorecard
from fashionai.compare.compared import Comparison
from fashionai.compare.handover import comparison_handover
from fashionai.config import ConfigError
from fashionai.journeys.handover import journey_handover
from fashionai.journeys.run import JourneyRun
from fashionai.output.deck import deck_bytes
from fashionai.output.exports import slug
from fashionai.output.handover import Handover, Section, scrub, with_fetched_pictures
from fashionai.output.picture_fetch import FetchPolicy
from fashionai.output.report import report_html
from fashionai.search.handover import search_handover
from fashionai.search.same_query import SameQuery
from fashionai.storefront.search_view import SearchPreview
from fashionai.storefront.whatsapp_view import WhatsAppPreview
from fashionai.ui.catalog_choice import catalog_name
from fashionai.ui.page_context import Context
from fashionai.ui.resources import image_hosts
from fashionai.walk.handover import walk_handover
from fashionai.walk.steps import Walk

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


class MadeWith(TypedDict):
    """A handover builder's keywords for the title slide: the backend and the catalog, in words."""

    backend: str
    catalog: str


def made_with(ctx: Context) -> MadeWith:
    """The backend and the catalog a page's results come from, in words: a handover builder's keywords."""
    return {"backend": ctx.settings.backend_label, "catalog": catalog_name(ctx.settings)[0]}


def with_pictures(handover: Handover) -> Handover:
    """`handover` with its pictures at an address fetched from the image hosts this deployment allows (none by
    default: the file then says which hosts to allow); a setting that cannot be used is said in the file."""
    try:
        hosts = image_hosts()
    except ConfigError as err:
        return replace(handover, notes=(*handover.notes, f"No product picture was fetched: {err}"))
    return with_fetched_pictures(handover, FetchPolicy(hosts=hosts))


def handover_buttons(build: Callable[[], Handover], *, key: str, name: str = "fashionai-handover") -> None:
    """**Download a deck** (`name`.pptx) and **Download a report** (`name`.html) of `build()`, side by side."""
    made: dict[str, Handover] = {}

    def handover() -> Handover:  # one build for both files of the same run
        if "it" not in made:
            made["it"] = with_pictures(build())
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


# --------------------------------------------------------------------------- each page's buttons (one call a page)


def comparison_buttons(ctx: Context, comparison: Comparison, *, reference: str, others: Sequence[str],
                       other: str, extra: Sequence[Section] = ()) -> None:
    """The compare page's deck and report: the comparison at its K and p, against `reference`, then the `extra`
    sections (what moved a session lane's products, when an experiment is shown)."""
    made = made_with(ctx)  # read now: the session's state is not at hand when the button's data is made

    def build() -> Handover:
        handover = comparison_handover(comparison, reference=reference, others=others, other=other,
                                       currency=ctx.settings.currency, **made)
        return replace(handover, sections=(*handover.sections, *extra))
    handover_buttons(build, key="compare_handover", name=f"fashionai-compare-{slug(scrub(comparison.category))}")


def walk_buttons(ctx: Context, walk: Walk, *, extra: Sequence[Section] = ()) -> None:
    """The shopper walk's deck and report: its calls and what each place showed, then the `extra` sections (what
    moved its products, when an experiment is shown)."""
    made = made_with(ctx)

    def build() -> Handover:
        handover = walk_handover(walk, catalog_data=ctx.catalog, currency=ctx.settings.currency, **made)
        return replace(handover, sections=(*handover.sections, *extra))
    handover_buttons(build, key="walk_handover", name="fashionai-shopper-walk")


def journey_buttons(ctx: Context, run: JourneyRun, *, k: int, names: Mapping[str, str] | None = None,
                    extra: Sequence[Section] = ()) -> None:
    """A journey run's deck and report: the drift at top `k`, the steps, the storefront after, then the `extra`
    sections (what moved its products, when an experiment is shown)."""
    made = made_with(ctx)

    def build() -> Handover:
        handover = journey_handover(run, k=k, catalog_data=ctx.catalog, names=names, currency=ctx.settings.currency,
                                    **made)
        return replace(handover, sections=(*handover.sections, *extra))
    handover_buttons(build, key="journey_handover", name=f"fashionai-journey-{slug(scrub(run.journey.name))}")


def audit_buttons(run: AuditRun, card: Scorecard) -> None:
    """An audit run's deck and report: its scorecard in words and a chart a main measure (its own backend and
    catalog, as stored with the run)."""
    handover_buttons(lambda: scorecard_handover(run, card), key="audit_handover",
                     name=f"fashionai-audit-{slug(scrub(run.plan_name))}-{run.short_id}")


def search_buttons(ctx: Context, preview: SearchPreview, *, moves: Mapping[str, Any], same: SameQuery | None,
                   chat: WhatsAppPreview | None) -> None:
    """The Search page's deck and report: the shopper's results, the same query for the others, the WhatsApp cards."""
    made = made_with(ctx)
    handover_buttons(lambda: search_handover(preview, moves=dict(moves), same=same, chat=chat,
                                             currency=ctx.settings.currency, **made),
                     key="search_handover", name=f"fashionai-search-{slug(scrub(preview.query))}")
