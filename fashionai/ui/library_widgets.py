"""The Catalog page's library: the catalogs kept on the server (fashionai.catalog.library), the person's own first
("Mine", "Everyone" one choice away) with who added each, which one this browser session uses, choosing one,
renaming and deleting (with a confirmation; each written in the activity log), and the library's limits."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fashionai.catalog.library import KeptCatalog, size_words
from fashionai.config import Settings
from fashionai.team import Action, who_words
from fashionai.team.activity import ActivityAction
from fashionai.text.formatting import escape_markdown, plural
from fashionai.ui.activity import log_activity
from fashionai.ui.catalog_choice import (
    LIBRARY_ERRORS,
    kept_fingerprint,
    open_kept_catalog,
    use_server_catalog,
)
from fashionai.ui.identity import allowed, current_person, require, why_not
from fashionai.ui.ownership import mine_or_everyone
from fashionai.ui.resources import catalog_library, library_config, server_catalog_name
from fashionai.ui.session import UPLOAD_NAME_KEY

KEY = "catalog_library"
OWNER_KEY = f"{KEY}_owner"
PAGE = "Catalog"
CHOSEN_KEY, NAME_KEY, CONFIRM_KEY, MESSAGE_KEY = (f"{KEY}_chosen", f"{KEY}_name", f"{KEY}_confirm_delete",
                                                  f"{KEY}_message")
ICONS = {"success": ":material/check_circle:", "error": ":material/error:", "info": ":material/info:",
         "warning": ":material/warning:"}


def library_section(settings: Settings) -> None:
    """The catalogs kept, which is in use, and what can be done with one: use, rename, delete."""
    limits_caption()
    if message := st.session_state.pop(MESSAGE_KEY, None):
        kind, text = message
        getattr(st, kind)(text, icon=ICONS[kind])
    owner = mine_or_everyone(OWNER_KEY, current_person(), what="catalogs")
    try:
        kept = catalog_library().list(owner=owner)
    except LIBRARY_ERRORS as err:
        st.error(f"The catalog library cannot be read: {escape_markdown(err)}", icon=":material/shelves:")
        return
    if not kept:
        st.info("You have added no catalog to the library yet: choose Everyone to see the team's, or upload one."
                if owner is not None else
                "The library keeps no catalog yet. Upload one (above, or in the sidebar) and it is kept here.",
                icon=":material/shelves:")
        return
    in_use = kept_fingerprint()
    st.dataframe(library_frame(kept, in_use), hide_index=True, width="stretch", column_config={
        "In use": st.column_config.CheckboxColumn("In use", help="The catalog of this browser session."),
        "Size": st.column_config.TextColumn("Size", help="As kept: compressed columns."),
        "Products": st.column_config.NumberColumn("Products", format="localized"),
        "Added": st.column_config.DatetimeColumn("Added", format="YYYY-MM-DD HH:mm"),
        "Last used": st.column_config.DatetimeColumn("Last used", format="YYYY-MM-DD HH:mm")})
    by_fingerprint = {entry.fingerprint: entry for entry in kept}
    if st.session_state.get(CHOSEN_KEY) not in by_fingerprint:
        st.session_state[CHOSEN_KEY] = in_use if in_use in by_fingerprint else kept[0].fingerprint
    chosen = st.selectbox("Catalog", list(by_fingerprint), key=CHOSEN_KEY,
                          format_func=lambda fingerprint: _label(by_fingerprint[fingerprint], in_use))
    entry = by_fingerprint[chosen]
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.button("Use this catalog", key=f"{KEY}_use", icon=":material/check:", disabled=chosen == in_use,
                  on_click=_use, args=(entry,), help="For this browser session, on every page.")
        st.text_input("New name", key=NAME_KEY, max_chars=200, placeholder=entry.name)
        st.button("Rename", key=f"{KEY}_rename", icon=":material/edit:", on_click=_rename, args=(entry,),
                  disabled=not allowed(Action.UPLOAD_CATALOG), help=why_not(Action.UPLOAD_CATALOG) or None)
        st.button("Delete…", key=f"{KEY}_delete", icon=":material/delete:", disabled=not allowed(Action.DELETE),
                  help=why_not(Action.DELETE) or None,
                  on_click=lambda: st.session_state.__setitem__(CONFIRM_KEY, entry.fingerprint))
    if st.session_state.get(CONFIRM_KEY) == entry.fingerprint:
        whose = " It is your catalog now: you go back to the server's catalog." if chosen == in_use else ""
        st.warning(f"Delete **{escape_markdown(entry.name)}** from the catalog library, for everyone using this "
                   f"studio? Links naming it will open on the server's catalog.{whose}", icon=":material/delete:")
        with st.container(horizontal=True):
            st.button("Yes, delete it", key=f"{KEY}_delete_yes", type="primary", on_click=_delete,
                      args=(entry, settings))
            st.button("Cancel", key=f"{KEY}_delete_no", on_click=lambda: st.session_state.pop(CONFIRM_KEY, None))


def limits_caption() -> None:
    """What the library keeps, and where, in a sentence."""
    try:
        limits = library_config()
    except LIBRARY_ERRORS as err:
        st.error(escape_markdown(err), icon=":material/settings_alert:")
        return
    count = "any number of catalogs" if limits.max_count is None else f"up to {plural(limits.max_count, 'catalog')}"
    size = "with no limit on their size" if limits.max_bytes is None else (
        f"taking up to {size_words(limits.max_bytes)} together (kept compressed)")
    st.caption(f"Every catalog uploaded is kept on this server, beside the history, for everyone using this studio: "
               f"{count}, {size}. When a new one needs room, the catalogs used least recently go first. A reload "
               "or a shared link opens the catalog it names from here. Set FASHIONAI_LIBRARY_MAX_COUNT and "
               "FASHIONAI_LIBRARY_MAX_BYTES to change the limits.")


def library_frame(kept: list[KeptCatalog], in_use: str | None) -> pd.DataFrame:
    """The library's list as a table: name, file, products, size, added, last used, in use, who added it."""
    return pd.DataFrame({
        "In use": [entry.fingerprint == in_use for entry in kept],
        "Name": [entry.name for entry in kept],
        "File": [entry.file_name for entry in kept],
        "Products": [entry.products for entry in kept],
        "Size": [size_words(entry.size) for entry in kept],
        "Added": [entry.added_at.replace(tzinfo=None) for entry in kept],
        "Last used": [entry.last_used_at.replace(tzinfo=None) for entry in kept],
        "Added by": [who_words(entry.owner) for entry in kept],
    })


def _label(entry: KeptCatalog, in_use: str | None) -> str:
    mark = " (in use)" if entry.fingerprint == in_use else ""
    return (f"{entry.name}{mark} · {entry.file_name or 'no file name'} · {entry.products:,} products · "
            f"added {entry.added_at:%Y-%m-%d %H:%M}")


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE_KEY] = (kind, text)


def _use(entry: KeptCatalog) -> None:
    try:
        opened = open_kept_catalog(entry.fingerprint)
    except LIBRARY_ERRORS as err:
        _say("error", f"**{escape_markdown(entry.name)} could not be opened.** {escape_markdown(err)}")
        return
    if opened is None:
        _say("warning", f"{escape_markdown(entry.name)} is no longer in the catalog library (deleted, or let go to "
                        "make room). Your catalog did not change.")
    else:
        _say("success", f"**{escape_markdown(opened.name)}** is now your catalog on every page: "
                        f"{plural(opened.products, 'product')}.")


def _rename(entry: KeptCatalog) -> None:
    if not require(Action.UPLOAD_CATALOG, page=PAGE):
        return
    name = " ".join(str(st.session_state.get(NAME_KEY) or "").split())
    if not name:
        _say("info", "Type the new name first, then press **Rename**.")
        return
    try:
        renamed = catalog_library().rename(entry.fingerprint, name)
    except LIBRARY_ERRORS as err:
        _say("error", f"**{escape_markdown(entry.name)} could not be renamed.** {escape_markdown(err)}")
        return
    if not renamed:
        _say("warning", f"{escape_markdown(entry.name)} is no longer in the catalog library.")
        return
    if entry.fingerprint == kept_fingerprint():
        st.session_state[UPLOAD_NAME_KEY] = name
    st.session_state[NAME_KEY] = ""
    _say("success", f"**{escape_markdown(entry.name)}** is now called **{escape_markdown(name)}**.")
    log_activity(ActivityAction.CATALOG_RENAMED, page="Catalog", detail=f"{entry.name} → {name}")


def _delete(entry: KeptCatalog, settings: Settings) -> None:
    st.session_state.pop(CONFIRM_KEY, None)
    if not require(Action.DELETE, page=PAGE):
        return
    try:
        catalog_library().delete(entry.fingerprint)
    except LIBRARY_ERRORS as err:
        _say("error", f"**{escape_markdown(entry.name)} could not be deleted.** {escape_markdown(err)}")
        return
    text = f"**{escape_markdown(entry.name)}** was deleted from the catalog library."
    log_activity(ActivityAction.CATALOG_DELETED, page="Catalog",
                 detail=f"{entry.name} (added by {who_words(entry.owner)})")
    if entry.fingerprint == kept_fingerprint():
        use_server_catalog()
        text += (f" It was your catalog, so you are back on the server's catalog "
                 f"({escape_markdown(server_catalog_name(settings))}).")
    _say("success", text)
