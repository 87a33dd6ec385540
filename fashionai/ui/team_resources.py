"""The team's stores as cached resources: the activity log, the role table and the team's settings, in the
history's database (fashionai.team), one of each per server, shared by every browser session, and what using them
can raise (`LOG_ERRORS`). Beside `resources.py`, split from it by job; the history's address and the secrets are
`deployment.py`'s."""

from __future__ import annotations

import hashlib
import os

import streamlit as st

from fashionai.config import ConfigError, HistoryError
from fashionai.database import DatabaseUnavailable
from fashionai.team.activity import ActivityLog
from fashionai.team.retention import TeamSettings
from fashionai.team.roles import RoleTable, resolve_admins
from fashionai.ui.deployment import history_config, read_secrets

__all__ = ["LOG_ERRORS", "activity_log", "role_table", "team_settings"]

LOG_ERRORS = (DatabaseUnavailable, HistoryError, ConfigError)
"""What reading or writing the activity log or the role table can raise (the database down or read-only, a bad
address or secrets file): said as a warning, never in the page's way."""


@st.cache_resource(show_spinner=False, max_entries=2)
def _activity_log(url_digest: str, _url: str) -> ActivityLog:
    return ActivityLog(_url)


def activity_log() -> ActivityLog:
    """The deployment's activity log, in the history's database, shared by every browser session.
    Raises HistoryError, ConfigError (its own failures are ActivityUnavailable, when used)."""
    url = history_config().url
    return _activity_log(hashlib.sha256(url.encode()).hexdigest(), url)  # the URL may hold a password: no key


@st.cache_resource(show_spinner=False, max_entries=2)
def _role_table(url_digest: str, admins: frozenset[str], _url: str) -> RoleTable:
    return RoleTable(_url, admins=admins)


def role_table() -> RoleTable:
    """The team's role table (and its first admins, FASHIONAI_ADMINS), in the history's database.
    Raises HistoryError, ConfigError (its own failures are RoleTableUnavailable, when used)."""
    url = history_config().url
    admins = resolve_admins(os.environ, read_secrets())
    return _role_table(hashlib.sha256(url.encode()).hexdigest(), admins, url)


@st.cache_resource(show_spinner=False, max_entries=2)
def _team_settings(url_digest: str, _url: str) -> TeamSettings:
    return TeamSettings(_url)


def team_settings() -> TeamSettings:
    """The team's settings (the history's retention an admin chose), in the history's database.
    Raises HistoryError, ConfigError (its own failures are TeamSettingsUnavailable, when used)."""
    url = history_config().url
    return _team_settings(hashlib.sha256(url.encode()).hexdigest(), url)
