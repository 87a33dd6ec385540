"""Who is using the studio, and whether they may do what they asked: the only module that reads st.user.

    signs_in            whether sign-in is configured ([auth] in .streamlit/secrets.toml)
    current_person      the Person of this browser session: LOCAL_PERSON without [auth]; from st.user's
                        claims otherwise (roles: the FASHIONAI_ROLE_CLAIM claim, its values mapped by
                        FASHIONAI_ROLE_MAP, else the team's role table, else viewer; a viewer while a sign-in
                        setting cannot be read)
    live_calls_closed   the safe default in force (a live token, an address beyond loopback, no sign-in, no
                        FASHIONAI_ALLOW_ANONYMOUS): no live call from any page
    allowed, why_not    whether this person may do an action, and the plain words when not (to hide or
                        disable a button, with the words as its help)
    require             the server's check at the place an action happens: True when allowed; otherwise the
                        refusal on screen, the refusal recorded, False
    sign_in_page        app.py's gate: with [auth] and nobody signed in, a sign-in page and nothing else
    person_sidebar      the sidebar's "who is signed in", their role and Sign out
    closed_note         the frame's note on every page while the safe default keeps live calls off

The identity provider's tokens (st.user.tokens) are never read: only the claims that name a person.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from fashionai.config import ConfigError
from fashionai.team import LOCAL_PERSON, Action, Person, Role, can, refusal
from fashionai.team.activity import ActivityAction
from fashionai.team.signin import (
    CLOSED_WITHOUT_SIGN_IN,
    SignInConfig,
    person_from_claims,
    provider_role_words,
    resolve_sign_in_config,
)
from fashionai.team.signin import live_calls_closed as _closed
from fashionai.text.formatting import escape_markdown
from fashionai.ui.activity import LOG_ERRORS, log_activity
from fashionai.ui.resources import _read_secrets, get_settings
from fashionai.ui.team_resources import role_table

__all__ = ["allowed", "closed_note", "current_person", "live_calls_closed", "person_sidebar", "require",
           "sign_in_page", "signs_in", "why_not"]

log = logging.getLogger(__package__)

AUTH_SECTION = "auth"
SIGNED_OUT = Person(email="", name="Not signed in")
"""Who a visitor is before signing in (the sign-in page stops every page before it acts)."""
ROLES_KEY, SIGNED_IN_KEY = "_team_table_roles", "_team_signed_in"
ROLE_TABLE_SECONDS = 10.0
"""How long a browser session keeps the role table's answer for its person (a role an admin changes shows within)."""
PROVIDER_KEYS = ("client_id", "server_metadata_url")
"""A section of [auth] holding these is a provider: [auth] itself (the default one) or [auth.<name>]."""


def _auth_section() -> Mapping[str, Any]:
    try:
        section = _read_secrets().get(AUTH_SECTION)
    except ConfigError:  # a broken secrets file: the frame says what to fix; nobody signs in meanwhile
        return {}
    return section if isinstance(section, Mapping) else {}


def signs_in() -> bool:
    """Whether sign-in is configured: an [auth] section in .streamlit/secrets.toml."""
    return bool(_auth_section())


def providers() -> list[str | None]:
    """The identity providers of [auth], in its order: None for [auth]'s own, a name for each [auth.<name>]."""
    section = _auth_section()
    named = [name for name, value in section.items()
             if isinstance(value, Mapping) and any(key in value for key in PROVIDER_KEYS)]
    default = [None] if any(key in section for key in PROVIDER_KEYS) else []
    return [*default, *named] if default or named else [None]


def sign_in_config() -> SignInConfig:
    """The role claim's name and FASHIONAI_ALLOW_ANONYMOUS. Raises ConfigError."""
    return resolve_sign_in_config(os.environ, _read_secrets())


def _table_roles(email: str) -> frozenset[Role]:
    """The role the team's role table gives `email` (FASHIONAI_ADMINS first; the Team page's), kept for this
    browser session for ROLE_TABLE_SECONDS. A table that cannot be read gives none: a viewer, said in the log."""
    held = st.session_state.get(ROLES_KEY)
    if held is not None and held[0] == email and time.monotonic() - held[2] < ROLE_TABLE_SECONDS:
        return held[1]
    try:
        roles = frozenset({role_table().role_of(email)})
    except LOG_ERRORS as err:  # the history's database: down, read-only, a bad address
        log.warning("The role table could not be read, so %s is a viewer for now: %s", email, err)
        return frozenset()
    st.session_state[ROLES_KEY] = (email, roles, time.monotonic())
    return roles


def _claims() -> dict[str, Any]:
    claims = st.user.to_dict()
    claims.pop("tokens", None)  # the provider's tokens are never read past this point
    return claims


def current_person() -> Person:
    """Who is using this browser session: LOCAL_PERSON without sign-in; the signed-in person otherwise."""
    if not signs_in():
        return LOCAL_PERSON
    claims = _claims()
    if claims.get("is_logged_in") is not True:
        return SIGNED_OUT
    try:
        config = sign_in_config()
    except ConfigError:  # a sign-in setting that cannot be read (every page says which): a viewer meanwhile
        return replace(person_from_claims(claims), roles=frozenset({Role.VIEWER}))
    return person_from_claims(claims, role_claim=config.role_claim, table_roles=_table_roles,
                              role_map=config.role_map)


def _provider_role() -> str:
    """Where this person's role came from when the identity provider's claim gave it, for the "signed in" row
    ("" when the role table decides, or a sign-in setting cannot be read)."""
    try:
        config = sign_in_config()
    except ConfigError:
        return ""
    return provider_role_words(_claims(), role_claim=config.role_claim, role_map=config.role_map)


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
        log_activity(ActivityAction.SIGNED_IN, page="Sign-in", person=person, detail=_provider_role())
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
