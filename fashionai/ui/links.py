"""Share links and saved answers on screen: the URL as the link to a view (fashionai.output.share), opening
a link once, and the history's snapshots a link names (a view's export buttons are in export_widgets.py).

Nothing here calls Fashion.AI, and a broken history never breaks a page: it is logged (or
said, under the link) and the page goes on.

Opening a link takes two steps. The frame, before the sidebar, calls `open_shared_link`: a
URL naming a catalog (``catalog=<fingerprint>``, on every page: a reload, a link) opens it from
the catalog library, and a new link's shopper session and user fill the sidebar. The page, before its widgets, calls
`open_link` with its own `apply(link: LinkOpening)`, which sets the page's widget values
from `link.view`: each page owns its widget keys, so only the page knows them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st
from streamlit.errors import StreamlitAPIException

from fashionai.catalog import Catalog
from fashionai.catalog.library import FINGERPRINT
from fashionai.compare.compared import Comparison
from fashionai.compare.lanes import NATIVE, LaneSpec
from fashionai.compare.replay import replay_comparison
from fashionai.compare.search_lanes import replay_query
from fashionai.config import ConfigError
from fashionai.domain import DEFAULT_K, DEFAULT_P
from fashionai.history import HistoryError, Snapshot
from fashionai.output import share, share_params
from fashionai.text.formatting import escape_markdown
from fashionai.ui.catalog_choice import LIBRARY_ERRORS, kept_fingerprint, open_kept_catalog, use_server_catalog
from fashionai.ui.page_context import Context
from fashionai.ui.resources import get_settings, history_store
from fashionai.ui.session import (
    CATALOG_SEEN_KEY,
    LINK_PENDING_KEY,
    LINK_SAVED_KEY,
    LINK_SEEN_KEY,
    SESSION_KEY,
    UPLOAD_KEY,
    USER_KEY,
    remembered,
)

log = logging.getLogger(__package__)  # "fashionai.ui": the whole adapter logs under one name


# --------------------------------------------------------------------------- saved answers


def saved_snapshots(ids: list[str]) -> tuple[list[Snapshot], str | None]:
    """The snapshots with these ids, and a message when some are not in the history."""
    try:
        found = history_store().get(ids)
    except (HistoryError, ConfigError) as err:
        return [], f"The saved answers this link names cannot be read: {err}"
    if len(found) < len(set(ids)):
        return found, ("This link names saved answers that are not in this studio's history: they may be older "
                       "than the history keeps, or the link comes from another deployment. Import the colleague's "
                       "snapshot export on the History page, or run the view again live.")
    return found, None


# --------------------------------------------------------------------------- opening a link


@dataclass
class LinkOpening:
    """A newly opened link, while its page applies it: the decoded `view`, the page's context,
    and the `options` (lanes, journeys) the page offers. What is wrong with the link goes into
    `problems` (warnings), what was opened into `notes`: shown once the page has applied it."""

    view: share.View
    ctx: Context
    options: list[str] | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def saved(self, ids: list[str]) -> list[Snapshot]:
        """The snapshots with these ids the history holds; a problem said when some are not there."""
        found, problem = saved_snapshots(ids)
        if problem:
            self.problems.append(problem)
        return found

    def open_saved(self, snapshot_id: str | None, key: str, build: Callable[[Snapshot, Catalog], object],
                   note: str) -> None:
        """Put the saved answer the link names on screen (under `key`), joined with today's catalog: no call.
        `note` says so, with ``{when}`` for when it was saved."""
        st.session_state.pop(key, None)
        if not snapshot_id:
            return
        for snapshot in self.saved([snapshot_id]):
            try:
                st.session_state[key] = build(snapshot, self.ctx.catalog)
            except ValueError as err:
                self.problems.append(f"The saved answer this link names cannot be shown here: {err}.")
            else:
                self.notes.append(note.format(when=f"{snapshot.recorded_at:%Y-%m-%d at %H:%M}"))


def _link_params() -> dict[str, list[str]]:
    """The URL's parameters that make a page's view: all but the catalog, which every page keeps."""
    return {key: st.query_params.get_all(key) for key in st.query_params if key != share.CATALOG_PARAM}


def _with_catalog(params: dict) -> dict:
    """`params` and the catalog this browser session uses, when the library keeps it: what the URL holds."""
    fingerprint = kept_fingerprint()
    return {**params, share.CATALOG_PARAM: fingerprint} if fingerprint else dict(params)


# --------------------------------------------------------------------------- the catalog a URL names


def open_catalog_link() -> None:
    """For the frame, first: a URL naming a catalog this browser session has not applied yet (a reload, a
    colleague's link) opens it from the catalog library, or says plainly why it cannot and opens on the
    server's catalog. Then the URL names the session's catalog (`keep_catalog_param`)."""
    values = st.query_params.get_all(share.CATALOG_PARAM)
    named = values[-1] if values else None
    if named is not None and named != st.session_state.get(CATALOG_SEEN_KEY):
        st.session_state[CATALOG_SEEN_KEY] = named
        if problem := _open_catalog(named.strip().lower()):
            st.warning(problem, icon=":material/link_off:")
    keep_catalog_param()


def _open_catalog(fingerprint: str) -> str | None:
    """Make the library's catalog `fingerprint` this session's; what went wrong, in words, if it cannot."""
    if fingerprint == kept_fingerprint():
        return None
    shown = escape_markdown(fingerprint[:12] + ("…" if len(fingerprint) > 12 else ""))
    try:
        entry = open_kept_catalog(fingerprint) if FINGERPRINT.match(fingerprint) else None
    except LIBRARY_ERRORS as err:
        use_server_catalog()
        return (f"The catalog this link names ({shown}) cannot be opened: {escape_markdown(err)} Showing the "
                "server's catalog instead.")
    if entry is None:
        use_server_catalog()
        return (f"This link names a catalog this server does not have ({shown}): it may have been deleted from "
                "the catalog library, let go to make room, or kept by another studio. Showing the server's catalog "
                "instead; upload the catalog to see its names, pictures and stock.")
    return None


def keep_catalog_param() -> None:
    """Make the URL name this browser session's catalog (when the library keeps it), so that a reload, another
    page and a copied link open it again; no catalog in the URL for the server's."""
    fingerprint = kept_fingerprint()
    values = st.query_params.get_all(share.CATALOG_PARAM)
    if fingerprint is None and values:
        del st.query_params[share.CATALOG_PARAM]
    elif fingerprint is not None and values != [fingerprint]:
        st.query_params[share.CATALOG_PARAM] = fingerprint
    st.session_state[CATALOG_SEEN_KEY] = fingerprint


def _new_link() -> dict[str, list[str]] | None:
    """The URL's parameters if they are a link not yet applied in this browser session."""
    params = _link_params()
    if not params:
        return None
    text = share.query_string(params)
    if st.session_state.get(LINK_SEEN_KEY) == text:
        return None
    st.session_state[LINK_SEEN_KEY] = text
    return params


def _set_shopper(view: share.View) -> bool:
    """Fill the sidebar's shopper session and user from a link's view; False if it was already drawn."""
    if getattr(view, "session", None) is None:
        return True
    try:
        st.session_state[SESSION_KEY] = view.session
        st.session_state[USER_KEY] = view.user or ""
    except StreamlitAPIException:  # the sidebar is drawn: the frame did not call open_shared_link
        return False
    return True


def open_shared_link() -> None:
    """For the frame, before the sidebar: a newly opened link's shopper session and user fill the sidebar.

    The page's own settings are applied by the page (`open_link`), which reads the link kept here.
    A catalog the URL names is opened first (`open_catalog_link`).
    """
    open_catalog_link()
    st.session_state.pop(LINK_PENDING_KEY, None)  # a link no page took last run is not applied later
    params = _new_link()
    if params is None:
        return
    st.session_state[LINK_PENDING_KEY] = params
    page = share.link_page(params)
    if page in share.SIDEBAR_PAGES:
        decoded = share.decode(page, params)
        if decoded is not None:
            _set_shopper(decoded.view)


def open_link(page: str, ctx: Context, apply: Callable[[LinkOpening], None], *,
              options: list[str] | None = None) -> share.Decoded | None:
    """For a page, before its widgets: apply a newly opened link's view once, and say what was wrong.

    `apply` is the page's own: it sets the page's widget values from the link's view and opens
    the saved answer the link names (no call). `options` are the compare page's lane options or
    the journey page's journeys, to check the link's against. A message is shown for every bad
    or stale value. Returns the link's view, or None when there is no new link for this page.
    """
    params = st.session_state.pop(LINK_PENDING_KEY, None)
    from_frame = params is not None
    if params is None:
        params = _new_link()
    if params is None:
        return None
    decoded = share.decode(page, params)
    if decoded is None:
        _open_named_page(params)
        return None
    link = LinkOpening(decoded.view, ctx, options, list(decoded.problems))
    if page in share.SIDEBAR_PAGES and not from_frame and not _set_shopper(link.view):
        link.problems.append(f"This link's shopper session ({link.view.session}) could not be filled in: type it "
                             "in the sidebar.")
    apply(link)
    for problem in link.problems:
        st.warning(escape_markdown(problem), icon=":material/link_off:")
    for note in link.notes:
        st.info(note, icon=":material/history:")
    return decoded


def _open_named_page(params: dict[str, list[str]]) -> None:
    """A new link naming another page than the one it opened (a link cut to ``/?page=compare&…``):
    go to the page it names, which applies it; for a page no link can open, say so."""
    named = share.link_page(params) or ""
    if named in share.VIEWS:
        st.session_state.pop(LINK_SEEN_KEY, None)  # so that the page it names takes it as new
        st.switch_page(f"pages/{named}.py", query_params=params)
    shown = named if len(named) <= 40 else named[:39] + "…"
    st.warning(f"This link is for a page no link can open ({escape_markdown(repr(shown))}), so its settings were "
               "not applied: this page opens as usual.", icon=":material/link_off:")


def replay_compare_link(link: share.Decoded | None, ctx: Context, category: str, specs: list[LaneSpec], *,
                        search: bool = False) -> Comparison | None:
    """The comparison a compare link's saved answers show (no call), or None; says why when it cannot.
    `search`: the lanes are of the search query `category` (saved site searches)."""
    view = link.view if link is not None else None
    if not isinstance(view, share.CompareView) or not view.snapshots:
        return None
    ids = list(view.snapshots)
    if len(ids) != len(specs) or any((i == share_params.NO_SNAPSHOT) != (spec.kind == NATIVE)
                                     for i, spec in zip(ids, specs, strict=True)):
        st.warning("The link's saved answers do not match its lanes, so they are not shown. Press **Compare "
                   "lanes** to fetch the lanes live.", icon=":material/link_off:")
        return None
    found, problem = saved_snapshots([i for i in ids if i != share_params.NO_SNAPSHOT])
    if problem:
        st.warning(escape_markdown(problem), icon=":material/link_off:")
        return None
    by_id = {s.id: s for s in found}
    try:
        replay = replay_query if search else replay_comparison
        comparison = replay(category, [(spec, by_id.get(i)) for spec, i in zip(specs, ids, strict=True)], ctx.catalog,
                            k=view.k or DEFAULT_K, p=view.p or DEFAULT_P)
    except ValueError as err:
        st.warning(f"The link's saved answers cannot be shown: {escape_markdown(err)}.", icon=":material/link_off:")
        return None
    oldest = min(s.recorded_at for s in found) if found else None
    when = f" saved on {oldest:%Y-%m-%d at %H:%M} UTC" if oldest else ""
    st.info(f"Showing the lanes{when}, from the history: no call was made. Press **Compare lanes** to fetch them "
            "live now.", icon=":material/history:")
    return comparison


# --------------------------------------------------------------------------- making a link


def lane_snapshots(comparison: Comparison) -> tuple[str, ...]:
    """The snapshot id of each lane's (last) call, in lane order; NO_SNAPSHOT for the native order."""
    ids = []
    for lane in comparison.lanes:
        exchange = lane.recommendation.exchange_id if lane.recommendation is not None else None
        ids.append(exchange or share_params.NO_SNAPSHOT)
    return tuple(ids)


def _all_saved(ids: tuple[str, ...]) -> bool:
    """Whether the history holds every one of these snapshots (NO_SNAPSHOT aside): asked once a
    browser session for the same ids, since a snapshot not saved when its answer came never is."""
    wanted = tuple(dict.fromkeys(i for i in ids if i != share_params.NO_SNAPSHOT))

    def check() -> bool:
        try:
            return len(history_store().get_summaries(wanted)) == len(wanted)
        except (HistoryError, ConfigError) as err:
            log.warning("A link leaves out its saved answers: the history cannot be read: %s", err)
            return False
    return bool(wanted) and remembered(LINK_SAVED_KEY, wanted, check)


def share_view(view: share.View, *, saved: bool = True) -> None:
    """Put the view in the URL (so the address bar is the link) and offer the link to copy.

    `saved` False leaves out snapshot ids; so does a view whose answers the history did not
    save (it is off, or cannot be written): a link names only what was saved.
    """
    params = share.encode(view)
    try:
        settings = get_settings()
    except ConfigError:
        settings, saved = None, False
    snapshots = params.get("snap") or []
    unsaved = bool(snapshots) and saved and not _all_saved(
        (snapshots,) if isinstance(snapshots, str) else tuple(snapshots))
    if not saved or unsaved:
        params.pop("snap", None)
    text = share.query_string(params)
    token = settings.token if settings is not None else None
    if token and token in text:  # a session id typed as the token, say: never put it in a link
        log.warning("A view was not made shareable: its parameters held the app token")
        return
    full = _with_catalog(params)
    if share.query_string({key: st.query_params.get_all(key) for key in st.query_params}) != share.query_string(full):
        st.query_params.from_dict(full)
    st.session_state[LINK_SEEN_KEY] = text
    with st.popover("Share this view", icon=":material/share:"):
        address = share.link(st.context.url, full)
        st.caption("Anyone who can open this studio sees this view with this link (the address bar holds it "
                   "too)." + (" It names the saved answers, so it shows what you see now, without calling "
                              "Fashion.AI again." if "snap" in params else "")
                   + (" It names your catalog, kept in the catalog library: the same names, pictures and stock."
                      if share.CATALOG_PARAM in full else ""))
        if share.CATALOG_PARAM not in full and st.session_state.get(UPLOAD_KEY) is not None:
            st.caption(":material/inventory_2: Your catalog is not kept in the catalog library (see the Catalog "
                       "page), so the link opens on the server's catalog.")
        if unsaved:
            st.caption(":material/history_toggle_off: This answer was not saved in the history (see the History "
                       "page for why), so the link opens these settings but cannot show this exact answer.")
        st.code(address, language=None, wrap_lines=True)
