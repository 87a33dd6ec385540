"""The person of this browser session: who is using the studio, read from st.user (the only module that reads it).

    signs_in            whether sign-in is configured ([auth] in .streamlit/secrets.toml)
    current_person      the Person of this browser session: LOCAL_PERSON without [auth]; from st.user's
                        claims otherwise (roles: the FASHIONAI_ROLE_CLAIM claim, its values mapped by
                        FASHIONAI_ROLE_MAP, else the team's role table, else viewer; a viewer while a sign-in
                        setting cannot be read)
    providers           the identity providers of [auth], for the sign-in page's buttons
    provider_role       the role the identity provider's claim gave, in words, for the "signed in" row

Its own module, below everything that asks who is using the studio: the cached resources (whose snapshots the
history saves as this person's), the activity log (whose rows name them) and `identity.py` (what they may do).
It reads only the deployment's secrets and the team's role table. The identity provider's tokens
(st.user.tokens) are never read: only the claims that name a person.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import streamlit as st

from fashionai.config import ConfigError
from fashionai.team import LOCAL_PERSON, Person, Role
from fashionai.team.signin import SignInConfig, person_from_claims, provider_role_words, resolve_sign_in_config
from fashionai.team.roles import resolve_admins
from fashionai.ui.deployment import read_secrets
from fashionai.ui.team_resources import LOG_ERRORS, role_table

__all__ = ["SIGNED_OUT", "current_person", "provider_role", "providers", "sign_in_config", "signs_in"]

log = logging.getLogger(__package__)

AUTH_SECTION = "auth"
SIGNED_OUT = Person(email="", name="Not signed in")
"""Who a visitor is before signing in (the sign-in page stops every page before it acts)."""
ROLES_KEY = "_team_table_roles"
ROLE_TABLE_SECONDS = 10.0
"""How long a browser session keeps the role table's answer for its person (a role an admin changes shows within)."""
PROVIDER_KEYS = ("client_id", "server_metadata_url")
"""A section of [auth] holding these is a provider: [auth] itself (the default one) or [auth.<name>]."""


def _auth_section() -> Mapping[str, Any]:
    try:
        section = read_secrets().get(AUTH_SECTION)
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
    return resolve_sign_in_config(os.environ, read_secrets())


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
                              role_map=config.role_map, admins=resolve_admins(os.environ, read_secrets()))


def provider_role() -> str:
    """Where this person's role came from when the identity provider's claim gave it, for the "signed in" row
    ("" when the role table decides, or a sign-in setting cannot be read)."""
    try:
        config = sign_in_config()
    except ConfigError:
        return ""
    return provider_role_words(_claims(), role_claim=config.role_claim, role_map=config.role_map)
