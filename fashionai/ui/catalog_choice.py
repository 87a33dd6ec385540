"""This browser session's catalog: which it is (an upload, one from the catalog library, the server's read with
other columns, or the server's own), choosing one, and keeping it in the library so that a reload or a link
opens it again.

    use_catalog(upload, "produtos.csv")     # this session's catalog on every page, kept in the library
    open_kept_catalog(fingerprint)          # one from the library (a reload, a link, the Catalog page's list)
    active_catalog(settings)                # the session's catalog, else the server's

A library that cannot be used never stops a page: the catalog works in memory for the session, and
what went wrong is said once (`take_library_note`).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from fashionai.catalog import Catalog, CatalogError
from fashionai.catalog.library import KeptCatalog, LibraryAdded
from fashionai.catalog.uploads import Upload
from fashionai.config import ConfigError, HistoryError, LibraryError, Settings
from fashionai.team.activity import ActivityAction
from fashionai.text.formatting import escape_markdown
from fashionai.ui.activity import log_activity
from fashionai.ui.identity import current_person
from fashionai.ui.resources import catalog_library, load_upload, server_catalog, server_catalog_name
from fashionai.ui.session import EXTRAS_BASE_KEY, KEPT_KEY, LIBRARY_NOTE_KEY, UPLOAD_KEY, UPLOAD_NAME_KEY

log = logging.getLogger(__package__)  # "fashionai.ui": the whole adapter logs under one name


@dataclass(frozen=True, eq=False)
class Reopened:
    """A catalog opened from the catalog library (its file is not at hand: its columns cannot be mapped again)."""

    kept: Catalog

    def catalog(self) -> Catalog:
        return self.kept


def uploaded_catalog() -> Catalog | None:
    """This browser session's own catalog (an upload, one from the library, or the server's read with other
    columns), if any."""
    held = st.session_state.get(UPLOAD_KEY)
    if isinstance(held, Upload) and not held.loaded:
        with st.spinner(f"Reading {held.name or 'your catalog'} again: the server let it go to make room for "
                        "other uploads…", show_time=True):
            return held.catalog()
    return held.catalog() if isinstance(held, (Upload, Reopened)) else held


def active_catalog(settings: Settings) -> Catalog:
    """This browser session's catalog: its upload, else the server's catalog."""
    uploaded = uploaded_catalog()
    return uploaded if uploaded is not None else server_catalog(settings)


def catalog_name(settings: Settings) -> tuple[str, bool]:
    """The name of this browser session's catalog, and whether it is its own (not the server's)."""
    if st.session_state.get(UPLOAD_KEY) is not None:
        return st.session_state.get(UPLOAD_NAME_KEY) or "upload", True
    return server_catalog_name(settings), False


def use_catalog(held: Upload | Catalog, name: str, *, keep: bool = True) -> Catalog:
    """Make `held` this browser session's catalog, on every page, and return it; and keep it in the
    catalog library (`keep`), so that a reload or a link opens it again.

    An Upload keeps its bytes, so that its columns can be mapped again; a Catalog is the
    server's file read with other columns (or a catalog joined from several files). The
    session's previous upload is released. What the library did is said once
    (`take_library_note`); a library that cannot keep it never stops the catalog's use.
    """
    st.session_state[UPLOAD_KEY] = held
    st.session_state[UPLOAD_NAME_KEY] = name
    st.session_state.pop(KEPT_KEY, None)
    catalog = held.catalog() if isinstance(held, Upload) else held
    if keep and (added := keep_in_library(catalog, name=name, file_name=held.name if isinstance(held, Upload) else None,
                                          mapping=held.columns if isinstance(held, Upload) and held.columns else None)):
        st.session_state[KEPT_KEY] = added.kept.fingerprint
        st.session_state[UPLOAD_NAME_KEY] = added.kept.name  # already kept: the name the library shows
    return catalog


def use_server_catalog() -> None:
    """Go back to the server's catalog for this browser session (a button's on_click)."""
    for key in (UPLOAD_KEY, UPLOAD_NAME_KEY, KEPT_KEY):  # the upload is released with its Upload
        st.session_state.pop(key, None)


def remap_catalog(settings: Settings, columns: Mapping[str, str | None]) -> tuple[Upload | Catalog, str]:
    """The catalog in use read again with this column mapping: (upload or catalog, name) for
    `use_catalog`. Raises CatalogError; the catalog in use stays in use."""
    held = st.session_state.get(UPLOAD_KEY)
    name = st.session_state.get(UPLOAD_NAME_KEY)
    joined = st.session_state.get(EXTRAS_BASE_KEY)
    if joined is not None and held is joined[0]:  # joined with extra files: map the products file's columns
        _, held, name = joined
    if isinstance(held, Upload):
        return load_upload(held.data, columns=columns, name=name or held.name), name or held.name or "upload"
    if isinstance(held, Reopened):
        raise CatalogError(f"{name or 'This catalog'} was opened from the catalog library, which keeps its products "
                           "but not its file, so its columns cannot be read again. Upload the file again to choose "
                           "other columns.")
    return server_catalog(settings, columns=columns), server_catalog_name(settings)


# --------------------------------------------------------------------------- the catalog library


LIBRARY_ERRORS = (LibraryError, HistoryError, ConfigError)
"""What a catalog library that cannot be used raises, each with a plain message."""

_REOPENED: weakref.WeakValueDictionary[str, Catalog] = weakref.WeakValueDictionary()
"""Catalogs opened from the library, by fingerprint, while a browser session holds one: shared, read once."""
_REOPENED_LOCK = threading.Lock()


def kept_fingerprint() -> str | None:
    """The fingerprint of this browser session's catalog in the library, while the library keeps it."""
    return st.session_state.get(KEPT_KEY)


def keep_in_library(catalog: Catalog, *, name: str, file_name: str | None = None,
                    mapping: Mapping[str, str | None] | None = None) -> LibraryAdded | None:
    """Keep `catalog` in the library (the same catalog again is only marked used); what was done is said once
    (`take_library_note`). None when the library cannot keep it (why is said), never an exception. It does not
    make `catalog` this session's: `use_catalog` does both."""
    try:
        with st.spinner(f"Keeping {escape_markdown(name)} in the catalog library…", show_time=True):
            added = catalog_library().add(catalog, name=name, file_name=file_name, mapping=mapping,
                                          owner=current_person().email or None)
    except LIBRARY_ERRORS as err:
        log.warning("The catalog library did not keep a catalog: %s", err)
        st.session_state[LIBRARY_NOTE_KEY] = ("warning", f"**Not kept in the catalog library.** "
                                                         f"{escape_markdown(err)}")
        return None
    kept = escape_markdown(added.kept.name)
    note = (f"Kept in the catalog library as **{kept}**: a reload or a link opens it again." if added.new else
            f"Already in the catalog library, as **{kept}**: a reload or a link opens it again.")
    if added.let_go:
        note += (" To make room, the library let go of the catalogs used least recently: "
                 + ", ".join(f"**{escape_markdown(entry.name)}**" for entry in added.let_go) + ".")
    st.session_state[LIBRARY_NOTE_KEY] = ("info", note)
    if added.new:
        log_activity(ActivityAction.CATALOG_UPLOADED, page="Catalog", count=added.kept.products,
                     detail=f"{added.kept.name} ({added.kept.file_name or 'no file name'})")
    return added


def take_library_note() -> tuple[str, str] | None:
    """What the library did with the catalog last chosen, (kind, Markdown), once."""
    return st.session_state.pop(LIBRARY_NOTE_KEY, None)


def open_kept_catalog(fingerprint: str) -> KeptCatalog | None:
    """Make the library's catalog `fingerprint` this browser session's catalog (marked used); None when the
    library does not keep it (the session's catalog stays). Raises what LIBRARY_ERRORS names."""
    library = catalog_library()
    entry = library.entry(fingerprint)
    if entry is None:
        return None
    with _REOPENED_LOCK:
        catalog = _REOPENED.get(fingerprint)
    if catalog is None:
        with st.spinner(f"Opening {entry.name} from the catalog library…", show_time=True):
            catalog = library.get(fingerprint)
        if catalog is None:  # deleted meanwhile
            return None
        with _REOPENED_LOCK:
            catalog = _REOPENED.setdefault(fingerprint, catalog)
    library.touch(fingerprint)
    st.session_state[UPLOAD_KEY] = Reopened(catalog)
    st.session_state[UPLOAD_NAME_KEY] = entry.name
    st.session_state[KEPT_KEY] = fingerprint
    return entry


