"""What the deployment set, as this server reads it: the secrets file (through st.secrets, which reads the same
file as the CLI's `fashionai.config.read_secrets`) and the history's address. The floor of the ui's cached
resources: `resources.py`, `team_resources.py` and `person.py` read it, and it reads none of them."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from fashionai.config import SECRETS_PATH, ConfigError, HistoryConfig, resolve_history_config

__all__ = ["history_config", "read_secrets"]


def read_secrets() -> dict[str, Any]:
    """The secrets file as parsed TOML ({} when there is none). Raises ConfigError for one that is no TOML."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as err:  # StreamlitSecretNotFoundError: missing *or* unreadable
        if SECRETS_PATH.is_file() and "pars" in str(err).lower():
            raise ConfigError(
                ".streamlit/secrets.toml could not be read: it is not valid TOML. "
                "Compare it with .streamlit/secrets.toml.example."
            ) from err
        return {}


def history_config() -> HistoryConfig:
    """Where the history lives and what it keeps. Raises HistoryError (or ConfigError for bad secrets)."""
    return resolve_history_config(os.environ, read_secrets())
