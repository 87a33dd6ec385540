"""The session-state keys more than one page (or the frame) reads, named once, and small
helpers over this browser session's state.

A key only one page reads or writes is that page's own: it is written in that page's file
and nowhere else (a page applies a share link to its own widgets itself, see
`fashionai.ui.links.open_link`). A key here is read across pages, or by the frame.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import streamlit as st

T = TypeVar("T")

# --- the sidebar: one shopper for every page --------------------------------------------
SESSION_KEY = "shopper_session_id"
USER_KEY = "shopper_user_id"

# --- this browser session's catalog and settings -----------------------------------------
UPLOAD_KEY = "uploaded_catalog"
"""An uploads.Upload, or the server's catalog read with other columns: this session's catalog on every page."""
UPLOAD_NAME_KEY = "uploaded_catalog_name"
EXTRAS_BASE_KEY = "_catalog_extras_base"
"""(joined Catalog, what it was joined from: an Upload, a Catalog or None for the server's, its name), while the
catalog in use is a join of extra files (fashionai.ui.extra_files_widgets)."""
KEPT_KEY = "kept_catalog"
"""The fingerprint of this session's catalog in the catalog library, while the library keeps it (else absent):
what the URL's ``catalog`` parameter names, so that a reload or a link opens it again."""
LIBRARY_NOTE_KEY = "_catalog_library_note"
"""(kind, text): what the library did with the catalog just chosen (kept, let others go, could not keep it)."""
TIMEOUT_KEY = "session_timeout"
"""This browser session's timeout in seconds, chosen on the Settings page (absent: the deployment's)."""
UNKNOWN_STOCK_KEY = "unknown_stock_in_stock"
"""Whether this browser session treats unknown stock as in stock (Settings; absent: False, the default)."""
IMAGE_TEMPLATE_KEY = "image_template"
"""This browser session's image address template with {product_id}, for products without an image (Settings)."""
FAULTS_KEY = "fault_drill"
"""This browser session's `Faults`, while a drill is on (set on the Settings page, met on every page)."""
DRILL_CLIENT_KEY = "_fault_drill_client"
"""(catalog fingerprint, timeout, faults, client): the drill's own client, kept while in use."""
LIVE_CALLS_KEY = "_live_calls"
"""This browser session's `CallCounter`: the live calls of a page visit, logged in the activity log when it ends."""

# --- the pages' results, read by the catalog page and followed when the catalog changes ----
STOREFRONT_RESULT_KEY = "storefront_preview"
"""The storefront page's last StorefrontPreview."""
LOOK_RESULT_KEY = "look_preview"
"""The shop-the-look page's last LookPreview."""
WALK_RESULT_KEY = "walk_state"
"""The shopper walk page's Walk (where the shopper is, what each place showed, the trail)."""
COMPARE_RESULT_KEY = "compare_result"
"""The compare page's last Comparison."""
COMPARE_VIEW_KEY = "compare_view"
"""The compare page's share view of its last Comparison (what was chosen when it was fetched)."""
JOURNEY_RUN_KEY = "journey_run"
"""The journey page's last JourneyRun."""
SAVED_JOURNEYS_KEY = "studio_journeys"
"""Journeys edited or loaded on the journey page (name -> Journey), offered as lanes on the compare page."""
SEARCH_RESULT_KEY = "search_preview"
"""The search page's last SearchPreview."""
SAME_QUERY_KEY = "search_same_query"
"""The search page's last SameQuery (the same query for other shoppers and the store's text match)."""
WHATSAPP_RESULT_KEY = "search_whatsapp"
"""The search page's last WhatsAppPreview (the detailed search)."""
MARKED_JUDGMENTS_KEY = "search_marked_judgments"
"""The Judgments graded on the Search page in this browser session, read by the Audits page's query set."""
RESULTS_CATALOG_KEY = "_results_catalog"
"""The fingerprint of the catalog the pages' results were joined with."""

CATEGORY_VISITS_KEY = "_category_visits"
"""(session id, category id) -> the ids this session was last shown for the category (any page's categoryView),
for the movement badges; see `previous_category_visit`."""
SEARCHES_KEY = "_searches"
"""(session id, query as typed without case or extra spaces, page) -> (the ids this browser session was last shown
for that search as that shopper, when): the search's movement badges, on the Search page and the walk alike."""
CATEGORY_VISIT_TIMES_KEY = "_category_visit_times"
"""(session id, category id) -> when (UTC) that last visit was remembered; see `category_visit_time`."""

# --- share links (fashionai.ui.links) ----------------------------------------------------
LINK_SEEN_KEY = "_share_link_seen"
"""The query string last applied or written: not a new link."""
LINK_PENDING_KEY = "_share_link_pending"
"""A new link's parameters, from the frame to the page."""
CATALOG_SEEN_KEY = "_share_catalog_seen"
"""The URL's ``catalog`` parameter last applied or written: a new one opens that catalog."""
LINK_SAVED_KEY = "_share_saved"
"""Whether the history holds a link's snapshots, asked once per set of ids (see `remembered`)."""


def session_values() -> tuple[str, str | None]:
    """The sidebar's shopper session id and user id (None when blank)."""
    session = str(st.session_state.get(SESSION_KEY, "")).strip()
    user = str(st.session_state.get(USER_KEY, "") or "").strip() or None
    return session, user


def remembered(key: str, token: object, compute: Callable[[], T]) -> T:
    """`compute()`, kept in this browser session until `token` changes: a rerun that only pages,
    moves a slider or filters reads, searches and joins nothing again."""
    held = st.session_state.get(key)
    if held is None or held[0] != token:
        held = (token, compute())
        st.session_state[key] = held
    return held[1]


def remembered_for(key: str, sources: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, kept in this browser session while `sources` are the very same objects (the
    pages' results, which a new preview or run replaces): a rerun does not read them again."""
    held = st.session_state.get(key)
    if held is None or len(held[0]) != len(sources) or any(a is not b for a, b in zip(held[0], sources, strict=True)):
        held = (sources, compute())
        st.session_state[key] = held
    return held[1]


def previous_category_visit(session_id: str, category_id: str) -> tuple[str, ...] | None:
    """The ids this browser session last saw for `category_id` as shopper `session_id` (on any page), or None
    before its first visit: what the movement badges compare a new answer with."""
    return st.session_state.get(CATEGORY_VISITS_KEY, {}).get((session_id, category_id))


def remember_category_visit(session_id: str, category_id: str, ids: tuple[str, ...]) -> None:
    """Keep `ids` as what shopper `session_id` was shown for `category_id` (the order on screen: Fashion.AI's,
    or the store's own for an empty answer)."""
    visits = st.session_state.setdefault(CATEGORY_VISITS_KEY, {})
    visits[(session_id, category_id)] = tuple(ids)
    st.session_state.setdefault(CATEGORY_VISIT_TIMES_KEY, {})[(session_id, category_id)] = datetime.now(UTC)


def category_visit_time(session_id: str, category_id: str) -> datetime | None:
    """When (UTC) the visit `previous_category_visit` returns was remembered, or None before the first."""
    return st.session_state.get(CATEGORY_VISIT_TIMES_KEY, {}).get((session_id, category_id))


def _search_key(session_id: str, query: str, page: int) -> tuple[str, str, int]:
    return session_id, " ".join(str(query).split()).casefold(), int(page)


def previous_search(session_id: str, query: str, page: int) -> tuple[tuple[str, ...], datetime] | None:
    """The ids (and when) this browser session last showed shopper `session_id` for page `page` of `query` (on
    any page of the studio; the query's case and spacing ignored), or None before the first such search."""
    return st.session_state.get(SEARCHES_KEY, {}).get(_search_key(session_id, query, page))


def remember_search(session_id: str, query: str, page: int, ids: tuple[str, ...]) -> None:
    """Keep `ids` (the order on screen) as what shopper `session_id` was shown for page `page` of `query`."""
    st.session_state.setdefault(SEARCHES_KEY, {})[_search_key(session_id, query, page)] = (tuple(ids),
                                                                                          datetime.now(UTC))
