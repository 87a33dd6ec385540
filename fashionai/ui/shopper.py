"""The sidebar's shopper: the session id and user id every preview is sent for, kept across pages."""

from __future__ import annotations

import streamlit as st

from fashionai.text.formatting import new_session_id
from fashionai.ui.session import (
    SESSION_KEY,
    USER_KEY,
    session_values,
)


def session_inputs() -> tuple[str, str | None]:
    """The shopper session and user id (sidebar), kept across pages: `persist_state="session"`, as
    `st.switch_page` (the audit's "Open them on Compare lanes", a link naming another page) drops the
    value of every widget without it, and a new session would silently restart the walk."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = new_session_id()

    def fresh() -> None:
        st.session_state[SESSION_KEY] = new_session_id()

    st.text_input("Shopper session id", key=SESSION_KEY, persist_state="session",
                  help="Every preview is recorded by Fashion.AI as a visit of this session.")
    st.button("New synthetic session", on_click=fresh, icon=":material/refresh:", width="stretch")
    st.text_input("User id (optional)", key=USER_KEY, persist_state="session", placeholder="signed-in shopper, e.g. 90",
                  help="Leave blank for an anonymous shopper.")
    return session_values()
