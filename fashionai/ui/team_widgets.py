"""The admins' pages' drawing: the Team page's people and roles, the Activity page's log, filters and CSV.

Both pages are for admins: each page checks its right on the server first (`ui.require`); a change of role
is checked again when it is saved. A store that cannot be used is said in plain words and the page goes on.
"""

from __future__ import annotations

from datetime import datetime

from datetime import date

import streamlit as st

from fashionai.database import DatabaseUnavailable
from fashionai.output.exports import Export, slug
from fashionai.team import Action, Role, who_words
from fashionai.team.activity import DEFAULT_ENTRIES, ActivityAction
from fashionai.team.view import activity_frame, role_change_words, team_frame
from fashionai.text.formatting import escape_markdown, plural
from fashionai.ui.activity import LOG_ERRORS, log_activity
from fashionai.ui.export_widgets import export_buttons
from fashionai.ui.identity import current_person, require
from fashionai.ui.team_resources import activity_log, role_table

__all__ = ["activity_section", "team_section"]

PERSON_KEY, NEW_PERSON_KEY, ROLE_KEY = "team_person", "team_new_person", "team_role"
ACTIVITY_WHO_KEY, ACTIVITY_ACTION_KEY, ACTIVITY_DAY_KEY = "activity_who", "activity_action", "activity_day"
EVERYONE, EVERY_ACTION = "Everyone", "Every action"
ANOTHER = "Someone else (type their e-mail)"


def _seen() -> dict[str, datetime]:
    """Who signed in and when last, from the activity log ({} with a note when it cannot be read)."""
    try:
        return {person.who: person.last_seen for person in activity_log().people()}
    except LOG_ERRORS as err:
        st.warning(f"The people who signed in cannot be listed, because the activity log cannot be read: {err}",
                   icon=":material/history_toggle_off:")
        return {}


def team_section(page: str) -> None:
    """The team: each person seen or named, their role and where it comes from; an admin changes a role."""
    seen = _seen()
    table_slot = st.container()  # drawn last, so that a role saved below shows in it at once
    st.subheader("Change a role")
    try:
        emails = [row.email for row in role_table().rows(also=seen)]
    except (DatabaseUnavailable, *LOG_ERRORS) as err:
        st.error(f"The team's roles cannot be shown: {err}", icon=":material/database_off:")
        return
    with st.form("team_role_form", border=True):
        chosen = st.selectbox("Person", [*emails, ANOTHER], key=PERSON_KEY)
        typed = st.text_input("Their e-mail (the one they sign in with)", key=NEW_PERSON_KEY,
                              help=f"Used when the person is \"{ANOTHER}\".")
        role = st.selectbox("Role", [r.value for r in Role], key=ROLE_KEY,
                            help="viewer: sees, shares, downloads, replays. merchandiser: also live previews and "
                                 "walks, catalogs, snapshots, journeys, audits up to the call cap. admin: also "
                                 "audits over the cap, deletes, retention, the team's roles and activity.")
        saved = st.form_submit_button("Save the role", type="primary", icon=":material/save:")
    if saved:
        _save_role(typed if chosen == ANOTHER else chosen, role, page=page)
    try:
        rows = role_table().rows(also=seen)
    except (DatabaseUnavailable, *LOG_ERRORS) as err:
        table_slot.error(f"The team's roles cannot be shown: {err}", icon=":material/database_off:")
        return
    table_slot.dataframe(team_frame(rows, seen), hide_index=True, width="stretch")


def _save_role(email: str, role: str, *, page: str) -> None:
    if not require(Action.CHANGE_ROLES, page=page):  # checked again where it happens
        return
    try:
        change = role_table().set_role(email, role, by=current_person().email)
    except (ValueError, *LOG_ERRORS) as err:  # an e-mail that is none, a first admin, a table that is down
        st.error(escape_markdown(str(err)), icon=":material/error:")
        return
    words = role_change_words(change)
    if change.changed:
        log_activity(ActivityAction.ROLE_CHANGED, page=page, detail=words, about=change.email)
        st.success(f"{escape_markdown(change.email)}: {words}. It applies from their next page, unless their "
                   "sign-in provider sends a role of its own.", icon=":material/check:")
    else:
        st.info(f"{escape_markdown(change.email)} {words}: nothing changed.", icon=":material/info:")


def activity_section(page: str) -> None:
    """The activity log filtered by person, action and day (UTC), newest first, with its CSV."""
    try:
        log = activity_log()
        people = log.everyone()
    except LOG_ERRORS as err:
        st.error(f"The activity log cannot be read: {err}", icon=":material/database_off:")
        return
    left, middle, right = st.columns(3)
    who = left.selectbox("Person", [EVERYONE, *people], key=ACTIVITY_WHO_KEY,
                         format_func=lambda value: value if value == EVERYONE else who_words(value))
    action = middle.selectbox("Action", [EVERY_ACTION, *(a.value for a in ActivityAction)], key=ACTIVITY_ACTION_KEY)
    day = right.date_input("Day (UTC)", value=None, key=ACTIVITY_DAY_KEY, format="YYYY-MM-DD",
                           help="Leave it empty for every day.")
    try:
        entries = log.entries(who=None if who == EVERYONE else who, action=None if action == EVERY_ACTION else action,
                              day=day if isinstance(day, date) else None, limit=DEFAULT_ENTRIES)
    except LOG_ERRORS as err:
        st.error(f"The activity log cannot be read: {err}", icon=":material/database_off:")
        return
    if not entries:
        st.info("Nothing in the activity log matches these choices. Choose Everyone, Every action or no day to "
                "see more.", icon=":material/info:")
        return
    frame = activity_frame(entries)
    shown = plural(len(entries), "row")
    st.caption(f"{shown}, newest first" + (f": the newest {DEFAULT_ENTRIES:,}; choose a person, an action or a day "
                                           "to see older ones" if len(entries) >= DEFAULT_ENTRIES else ""))
    st.dataframe(frame, hide_index=True, width="stretch")
    name = slug("activity", None if action == EVERY_ACTION else action,
                day.isoformat() if isinstance(day, date) else None)
    export_buttons(Export(name, {"activity": frame}, meta={"page": page}), key="activity_export")
