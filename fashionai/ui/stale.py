"""The note on a result made for other choices than the ones now on screen (`fashionai.storefront.staleness` words it),
with a button to run it again.

A page draws `stale_note` beside its result, and reads `rerun_asked` before its own run button's handling,
so the note's button runs the page's call as the page's own button would:

    clicked = st.button("Preview storefront") or ui.rerun_asked("storefront")
    ...
    ui.stale_note("storefront", made_with, now, rerun_label="Preview again", key="storefront")
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from fashionai.storefront.staleness import stale_message
from fashionai.text.formatting import escape_markdown


def _button_key(key: str) -> str:
    return f"{key}_stale_rerun"


def rerun_asked(key: str) -> bool:
    """Whether the stale note's button (of the page's prefix `key`) was just pressed: read before it is drawn."""
    return bool(st.session_state.get(_button_key(key)))


def stale_note(what: str, made_with: Mapping[str, str | None], now: Mapping[str, str | None], *,
               rerun_label: str, key: str) -> bool:
    """A warning saying what changed since `what` on screen was made, and a button to run it again; nothing
    when nothing changed. True when the button was pressed (the page has already acted on `rerun_asked`)."""
    message = stale_message(what, made_with, now)
    if message is None:
        return False
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.warning(escape_markdown(message), icon=":material/update:", width="stretch")
        return st.button(rerun_label, key=_button_key(key), icon=":material/refresh:", type="primary")


def made_with_catalog(key: str, result: object, fingerprint: str) -> str:
    """The fingerprint of the catalog `result` was first seen with in this browser session: a result
    replaced (a new call, a link opened, one joined again with a new catalog) takes today's."""
    held = st.session_state.get(f"_made_with_catalog_{key}")
    if held is None or held[0] is not result:
        held = (result, fingerprint)
        st.session_state[f"_made_with_catalog_{key}"] = held
    return held[1]
