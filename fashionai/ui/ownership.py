"""Whose rows a list shows: "Mine" (what it opens on) or "Everyone", one choice away (History, Library, Audits).

    owner = mine_or_everyone("history_owner", ui.current_person())   # their e-mail for Mine, None for Everyone
"""

from __future__ import annotations

import streamlit as st

from fashionai.team import Person
from fashionai.team.view import MINE, OWNER_CHOICES, owner_filter

__all__ = ["mine_or_everyone"]


def mine_or_everyone(key: str, person: Person, *, what: str = "rows") -> str | None:
    """The list's choice, "Mine" by default: the owner to filter by (`person`'s e-mail), or None for everyone's."""
    st.session_state.setdefault(key, MINE)
    choice = st.radio(f"Whose {what}", OWNER_CHOICES, key=key, horizontal=True,
                      help=f"Mine: the {what} you made. Everyone: the whole team's.")
    return owner_filter(choice or MINE, person)
