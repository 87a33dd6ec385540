"""Who answers and what it records, said on every page: the backend's badge (live or the simulator), the fault
drill's badge, and the note that every preview is a visit of the shopper session."""

from __future__ import annotations

import streamlit as st

from fashionai.config import Settings
from fashionai.ui.resources import session_faults


def backend_badge(settings: Settings) -> None:
    if settings.is_live:
        st.badge(settings.backend_label, icon=":material/cloud:", color="red",
                 help=f"Calls go to {settings.base_url}.")
    else:
        extra = " (forced by FASHIONAI_BACKEND)" if settings.forced_simulator else ""
        st.badge(settings.backend_label + extra, icon=":material/science:", color="violet",
                 help="No app token is configured, so the built-in offline simulator answers.")
        drill_badge(settings)


def drill_badge(settings: Settings) -> None:
    """A badge saying this browser session's fault drill is on (nothing when it is off or live)."""
    faults = session_faults()
    if faults is not None and not settings.is_live:
        st.badge("Fault drill on", icon=":material/bolt:", color="orange",
                 help=f"The simulator misbehaves on purpose for your browser session only: {faults.describe()}. "
                      "Turn it off on the Settings page (Fault drills, Reset).")


def tracking_note(settings: Settings) -> None:
    if settings.is_live:
        st.info(
            "Fashion.AI records every preview as a visit of that shopper session, which changes its "
            "later rankings. Use a synthetic session id rather than a real shopper's.",
            icon=":material/visibility:",
        )
    else:
        st.caption(
            ":material/visibility: Like Fashion.AI, the simulator records every preview as a visit "
            "of that session, so the next preview of the same session can rank differently."
        )
