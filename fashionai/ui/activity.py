"""The activity log as the pages write it: `log_activity` for the person signed in, never failing the page.

    if ui.log_activity(ActivityAction.CATALOG_DELETED, page="Catalog", detail=entry.name): ...
    ui.log_live_calls(page)                 # app.py, when a page's run ends: its live calls, as one count
    write = log_from_thread(ActivityAction.AUDIT_FINISHED, page="Audits")   # in the page; write(detail) in a thread

A log that cannot be written (its database down, read-only, a bad address) shows a warning saying so and
what to do; the action itself has already gone on. What a row holds, and what it never holds, is
`fashionai.team.activity`'s to say.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from fashionai.team import Person
from fashionai.team.activity import ActivityAction
from fashionai.ui.person import current_person
from fashionai.ui.resources import live_call_counter
from fashionai.ui.team_resources import LOG_ERRORS, activity_log

log = logging.getLogger(__name__)

__all__ = ["LOG_ERRORS", "log_activity", "log_from_thread", "log_live_calls"]


def log_activity(action: ActivityAction, *, page: str, detail: str = "", count: int | None = None,
                 about: str = "", person: Person | None = None) -> bool:
    """Write one row for `person` (by default the person signed in). False, with a warning on the page, when the
    log cannot be written: the action has gone on all the same."""
    who = (person or current_person()).email
    try:
        activity_log().record(who=who, action=action, page=page, detail=detail, count=count, about=about)
    except LOG_ERRORS as err:
        log.warning("The activity log could not record %r: %s", str(action), err)
        st.warning(f"This was done, but the activity log cannot be written, so it is not in the team's log: {err}",
                   icon=":material/history_toggle_off:")
        return False
    return True


def log_live_calls(page: StreamlitPage) -> None:
    """One row with the live calls this browser session made since the last (the page visit that ends now).
    The page's title is read only when there is a row to write: a script run outside `streamlit run` (a spawned
    process re-running app.py as its main module) has pages without one."""
    count = live_call_counter().take()
    if count:
        log_activity(ActivityAction.LIVE_CALLS, page=page.title, count=count,
                     detail=f"{count} live call{'s' if count != 1 else ''} to Fashion.AI")


def log_from_thread(action: ActivityAction, *, page: str) -> Callable[[str, int | None], None]:
    """`log_activity` for what ends in another thread (an audit run finishing): the person and the log are taken
    now, in the page; the row is written later by calling the result with (detail, count). A log that cannot be
    written then is said in the server's log (no page is there to say it on)."""
    who = current_person().email
    try:
        activity = activity_log()
    except LOG_ERRORS as err:
        log.warning("The activity log is off for this %r: %s", str(action), err)

        def nothing(detail: str, count: int | None = None) -> None:
            """The log is off: nothing is written."""
        return nothing

    def write(detail: str, count: int | None = None) -> None:
        try:
            activity.record(who=who, action=action, page=page, detail=detail, count=count)
        except LOG_ERRORS as err:
            log.warning("The activity log could not record %r: %s", str(action), err)
    return write
