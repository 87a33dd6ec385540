"""The admins' pages' drawing: the Team page's people and roles and what the history keeps, the Activity page's
log, filters and CSV.

Both pages are for admins: each page checks its right on the server first (`ui.require`); a change of role
is checked again when it is saved. A store that cannot be used is said in plain words and the page goes on.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from fashionai.database import DatabaseUnavailable
from fashionai.output.exports import Export, slug
from fashionai.team import Action, Role, who_words
from fashionai.team.activity import DEFAULT_ENTRIES, ActivityAction, PersonSeen
from fashionai.team.retention import MAX_AGE_DAYS, Retention, retention_words
from fashionai.team.view import activity_frame, no_activity_words, role_change_words, team_frame
from fashionai.text.formatting import escape_markdown, plural
from fashionai.ui.activity import LOG_ERRORS, log_activity
from fashionai.ui.export_widgets import export_buttons
from fashionai.ui.identity import current_person, require
from fashionai.ui.resources import history_config, history_store
from fashionai.ui.team_resources import activity_log, role_table, team_settings

__all__ = ["activity_section", "retention_section", "team_section"]

PERSON_KEY, NEW_PERSON_KEY, ROLE_KEY = "team_person", "team_new_person", "team_role"
DAYS_KEY, COUNT_KEY, DEPLOYMENT_KEY = "team_retention_days", "team_retention_count", "team_retention_deployment"
ACTIVITY_WHO_KEY, ACTIVITY_ACTION_KEY, ACTIVITY_DAY_KEY = "activity_who", "activity_action", "activity_day"
EVERYONE, EVERY_ACTION = "Everyone", "Every action"
ANOTHER = "Someone else (type their e-mail)"


def _seen() -> list[PersonSeen]:
    """Who signed in, when last and with which role's source, from the activity log ([] with a note when it
    cannot be read)."""
    try:
        return activity_log().people()
    except LOG_ERRORS as err:
        st.warning(f"The people who signed in cannot be listed, because the activity log cannot be read: {err}",
                   icon=":material/history_toggle_off:")
        return []


def team_section(page: str) -> None:
    """The team: each person seen or named, their role and where it comes from; an admin changes a role."""
    people = _seen()
    seen = {person.who: person.last_seen for person in people}
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
    signed_in = {person.who: person.detail for person in people}
    table_slot.dataframe(team_frame(rows, seen, signed_in), hide_index=True, width="stretch")


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


def retention_section(page: str) -> None:
    """What the history keeps: the deployment's settings, or an admin's choice kept in the database (which wins);
    an admin changes it (checked again when saved, written in the activity log as "retention changed")."""
    st.subheader("What the history keeps")
    try:
        config = history_config()
        default = Retention(config.max_age_days, config.max_count)
        current = team_settings().retention(default)
    except (DatabaseUnavailable, *LOG_ERRORS) as err:
        st.error(f"What the history keeps cannot be shown: {err}", icon=":material/database_off:")
        return
    where = (f"chosen on this page by {who_words(current.set_by)}"
             + (f" on {current.set_at:%Y-%m-%d %H:%M} UTC" if current.set_at else "")
             + f"; it wins over the deployment's settings ({retention_words(default)})") if current.team_set else (
        "the deployment's settings (FASHIONAI_HISTORY_MAX_AGE_DAYS and FASHIONAI_HISTORY_MAX_COUNT)")
    st.caption(f"Now: {retention_words(current)}, {escape_markdown(where)}. Snapshots outside what you save are "
               "deleted at once, for everyone; an audit run's answers among them count as missing.")
    with st.form("team_retention_form", border=True):
        left, right = st.columns(2)
        days = left.number_input("Days a snapshot is kept (0: forever)", min_value=0.0, max_value=float(MAX_AGE_DAYS),
                                 value=float(current.max_age_days or 0), step=1.0, format="%g", key=DAYS_KEY)
        count = right.number_input("Snapshots kept, the newest (0: no limit)", min_value=0,
                                   value=int(current.max_count or 0), step=1000, key=COUNT_KEY)
        deployment = st.checkbox("Use the deployment's settings instead", key=DEPLOYMENT_KEY,
                                 help=f"{retention_words(default)}: FASHIONAI_HISTORY_MAX_AGE_DAYS and "
                                      "FASHIONAI_HISTORY_MAX_COUNT, or their defaults.")
        saved = st.form_submit_button("Save what the history keeps", type="primary", icon=":material/save:")
    if saved:
        _save_retention(None if deployment else (days, count), default, page=page)


def _save_retention(days_and_count: tuple[float, int] | None, default: Retention, *, page: str) -> None:
    if not require(Action.CHANGE_SETTINGS, page=page):  # checked again where it happens
        return
    try:
        change = team_settings().set_retention(days_and_count, by=current_person().email, default=default)
    except (ValueError, *LOG_ERRORS) as err:  # a value out of bounds, a database that is down
        st.error(escape_markdown(str(err)), icon=":material/error:")
        return
    if not change.changed:
        st.info(f"The history already keeps {retention_words(change.after)}: nothing changed.", icon=":material/info:")
        return
    log_activity(ActivityAction.RETENTION_CHANGED, page=page, detail=change.words())
    try:
        removed = history_store().apply_retention()
    except LOG_ERRORS as err:
        st.warning(f"Saved, but the history could not apply it yet (it will at its next pruning): {err}",
                   icon=":material/database_off:")
        removed = 0
    st.success(f"The history now keeps {retention_words(change.after)}"
               + (f"; {plural(removed, 'snapshot')} outside it {plural(removed, 'was', 'were', with_count=False)} deleted"
                  if removed else "") + ".", icon=":material/check:")


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
        st.info(no_activity_words(person=who != EVERYONE, action=action != EVERY_ACTION, day=isinstance(day, date)),
                icon=":material/info:")
        return
    frame = activity_frame(entries)
    shown = plural(len(entries), "row")
    st.caption(f"{shown}, newest first" + (f": the newest {DEFAULT_ENTRIES:,}; choose a person, an action or a day "
                                           "to see older ones" if len(entries) >= DEFAULT_ENTRIES else ""))
    st.dataframe(frame, hide_index=True, width="stretch")
    name = slug("activity", None if action == EVERY_ACTION else action,
                day.isoformat() if isinstance(day, date) else None)
    export_buttons(Export(name, {"activity": frame}, meta={"page": page}), key="activity_export")
