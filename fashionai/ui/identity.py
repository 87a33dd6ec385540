"""Whether the person using the studio may do what they asked, and the sign-in's parts of the frame.

    signs_in            whether sign-in is configured        } `person.py`'s (the only reader of st.user),
    current_person      the Person of this browser session   } re-exported here
    live_calls_closed   the safe default in force (a live token, an address beyond loopback, no sign-in, no
                        FASHIONAI_ALLOW_ANONYMOUS): no live call from any page
    allowed, why_not    whether this person may do an action, and the plain words when not (to hide or
                        disable a button, with the words as its help)
    require             the server's check at the place an action happens: True when allowed; otherwise the
                        refusal on screen, the refusal recorded, False
    sign_in_page        app.py's gate: with [auth] and nobody signed in, a sign-in page and nothing else
    person_sidebar      the sidebar's "who is signed in", their role and Sign out
    closed_note         the frame's note on every page while the safe default keeps live calls off
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.errors import StreamlitAPIException

from fashionai.config import ConfigError
from fashionai.team import Action, Person, can, refusal
from fashionai.team.activity import ActivityAction
from fashionai.team.signin import CLOSED_WITHOUT_SIGN_IN
from fashionai.team.signin import live_calls_closed as _closed
from fashionai.text.formatting import escape_markdown
from fashionai.ui.activity import log_activity
from fashionai.ui.person import SIGNED_OUT, current_person, provider_role, providers, sign_in_config, signs_in
from fashionai.ui.resources import get_settings

__all__ = ["allowed", "closed_note", "current_person", "live_calls_closed", "person_sidebar", "require",
           "sign_in_page", "signs_in", "why_not"]

log = logging.getLogger(__package__)

SIGNED_IN_KEY = "_team_signed_in"


def _live_refusal() -> str:
    """Why no live call may be made now, whoever asks ("" when one may, or when the simulator answers)."""
    try:
        settings = get_settings()
        allow = sign_in_config().allow_anonymous
    except ConfigError as err:  # a studio that cannot read its settings calls nobody
        return f"The studio's settings cannot be used, so no live call is made: {err}"
    if _closed(live=settings.is_live, address=st.get_option("server.address"), signs_in=signs_in(),
               allow_anonymous=allow):
        return CLOSED_WITHOUT_SIGN_IN
    return ""


def live_calls_closed() -> bool:
    """Whether the safe default keeps every live call off (see fashionai.team.signin)."""
    return _live_refusal() == CLOSED_WITHOUT_SIGN_IN


def why_not(action: Action, person: Person | None = None) -> str:
    """The plain words saying why this person may not do `action` now ("" when they may).

    A live call is one to the live API: on the simulator it needs no right. The safe default closes
    every live call, whoever asks."""
    person = current_person() if person is None else person
    if action == Action.LIVE_CALL:
        try:
            if not get_settings().is_live:
                return ""
        except ConfigError:
            pass
        if words := _live_refusal():
            return words
    return refusal(person, action)


def allowed(action: Action) -> bool:
    """Whether this browser session's person may do `action` now (to hide or disable a button)."""
    return not why_not(action)


def require(action: Action, *, page: str) -> bool:
    """The server's check, where the action happens: True when allowed; otherwise the refusal on screen,
    the refusal recorded for the team's activity log, False. Call sites:
    ``if not ui.require(Action.DELETE, page=PAGE): return``."""
    person = current_person()
    words = why_not(action, person)
    if not words:
        return True
    st.warning(escape_markdown(words), icon=":material/lock:")
    _record_refusal(person, action, page)
    return False


def _record_refusal(person: Person, action: Action, page: str) -> None:
    """A refused action, in the team's activity log (a log that cannot be written says so; the refusal holds)."""
    log_activity(ActivityAction.REFUSED, page=page, detail=action.value, person=person)


# --------------------------------------------------------------------------- the frame's parts


def _sign_in_view() -> None:
    st.title("Fashion.AI Merchandising Studio")
    st.write("Sign in with your team's account to use the studio.")
    for provider in providers():
        label = "Sign in" if provider is None else f"Sign in with {provider}"
        if st.button(label, type="primary", key=f"sign_in_{provider or 'default'}", icon=":material/login:"):
            try:
                st.login(provider)
            except StreamlitAPIException as err:  # Streamlit's words on an [auth] it cannot use (StreamlitAuthError)
                log.warning("Sign-in could not start: %s", err)
                st.error(f"Sign-in could not start: {escape_markdown(err)} Check the [auth] section of "
                         ".streamlit/secrets.toml (README, \"Sign-in and roles\").", icon=":material/settings_alert:")


def sign_in_page() -> None:
    """For app.py, first: with [auth] configured and nobody signed in, the sign-in page and nothing else
    (one button per provider; every page's address opens it), then st.stop()."""
    if not signs_in() or current_person() is not SIGNED_OUT:
        return
    st.navigation([st.Page(_sign_in_view, title="Sign in", icon=":material/login:", default=True)],
                  position="hidden").run()
    st.stop()


def person_sidebar() -> None:
    """For app.py's sidebar: who is signed in, their role, and Sign out (nothing without sign-in)."""
    person = current_person()
    if person.local:
        return
    if st.session_state.get(SIGNED_IN_KEY) != person.email:  # once a browser session: "signed in" in the log
        st.session_state[SIGNED_IN_KEY] = person.email
        log_activity(ActivityAction.SIGNED_IN, page="Sign-in", person=person, detail=provider_role())
    st.markdown(f":material/person: **{escape_markdown(person.label)}** · {person.role.value}")
    if not can(person, Action.SAVE_SNAPSHOT):  # said once, here: the previews work, the history keeps none
        st.caption("Your previews are not kept in the history: saving snapshots takes the merchandiser role.")
    if st.button("Sign out", key="sign_out", icon=":material/logout:"):
        st.logout()


def closed_note() -> None:
    """For app.py, above every page: why live calls are off and what to do, while the safe default holds (or a
    sign-in setting cannot be read)."""
    try:
        get_settings()
    except ConfigError:  # the page says what to fix, once (the sidebar points to it)
        return
    if words := _live_refusal():
        st.warning(escape_markdown(words), icon=":material/lock:")
