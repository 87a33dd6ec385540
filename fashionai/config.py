"""Where the studio's settings come from: the environment first, then secrets, then the default.

Every setting is declared once, in `SETTINGS` (`fashionai._settings_table`: a `Setting` each, its README label,
environment variable, ``[fashionai]`` key in ``.streamlit/secrets.toml``, default, type, bounds and meaning), and
read by one resolver, `read_setting`; README.md's settings table says the same (a test checks it). Every name of
the table and of the stores' settings (`fashionai._store_config`) is this module's too: import them from here.
The app (`fashionai.ui.resources`) and the CLI (`fashionai.audit.cli`) build what they need from it:

    resolve_settings        token, address, timeout, backend, the server's catalog, currency
                            ("live" when there is a token, else "simulator"; FASHIONAI_BACKEND=simulator
                            forces the simulator even with a token)
    resolve_history_config  the history's address (a plain path is a SQLite file;
                            ``postgresql://user:pw@host/db`` a PostgreSQL database, psycopg 3;
                            ``postgres://`` and ``postgresql+psycopg://`` work too; by default
                            history.db in the user's data folder, never inside the repository)
                            and what it keeps
    resolve_library_config  the catalog library's limits (it lives in the history's database; the
                            catalogs used least recently go first)
    resolve_audit_config    the audits' call cap: a plan that would make more calls is refused
    resolve_image_hosts     the hosts a deck or report may fetch pictures from: exact
                            (``img.store.com``) or a domain's subdomains (``*.store.com``)

For every limit 0 means none.

The token is held with ``repr=False`` and is never part of any message built here; so is
the history's address (it may hold a database password).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fashionai._settings_table import (
    ADMINS,
    ALLOW_ANONYMOUS,
    APP_NAME,
    APP_TOKEN,
    AUDIT_MAX_CALLS,
    AUDIT_RATE,
    BACKEND,
    BASE_URL,
    CATALOG,
    CURRENCY,
    ConfigError,
    DEFAULT_AUDIT_MAX_CALLS,
    DEFAULT_AUDIT_RATE,
    DEFAULT_LIBRARY_MAX_BYTES,
    DEFAULT_LIBRARY_MAX_COUNT,
    DEFAULT_MAX_AGE_DAYS,
    DEFAULT_MAX_COUNT,
    DEFAULT_TIMEOUT,
    ENV_AUDIT_MAX_CALLS,
    ENV_HISTORY_MAX_AGE,
    ENV_HISTORY_MAX_COUNT,
    ENV_HISTORY_URL,
    ENV_IMAGE_HOSTS,
    ENV_LIBRARY_MAX_BYTES,
    ENV_LIBRARY_MAX_COUNT,
    HISTORY_MAX_AGE,
    HISTORY_MAX_COUNT,
    HISTORY_URL,
    HistoryError,
    IMAGE_HOSTS,
    LIBRARY_MAX_BYTES,
    LIBRARY_MAX_COUNT,
    LibraryError,
    ROLE_CLAIM,
    ROLE_MAP,
    SECRETS_PATH,
    SECRETS_SECTION,
    SETTINGS,
    SHELL_USER,
    Setting,
    TIMEOUT,
    read_secrets,
    read_setting,
)
from fashionai._store_config import (
    AuditConfig,
    HistoryConfig,
    LibraryConfig,
    default_history_url,
    normalize_url,
    resolve_audit_config,
    resolve_history_config,
    resolve_image_hosts,
    resolve_library_config,
)
from fashionai.api.client import clean_base_url, clean_token
from fashionai.domain import DEFAULT_CURRENCY, Backend, backend_label

__all__ = [
    "ADMINS", "ALLOW_ANONYMOUS", "APP_NAME", "APP_TOKEN", "AUDIT_MAX_CALLS", "AUDIT_RATE", "AuditConfig", "BACKEND",
    "BASE_URL", "CATALOG", "CURRENCY", "ConfigError", "DEFAULT_AUDIT_MAX_CALLS", "DEFAULT_AUDIT_RATE",
    "DEFAULT_LIBRARY_MAX_BYTES", "DEFAULT_LIBRARY_MAX_COUNT", "DEFAULT_MAX_AGE_DAYS", "DEFAULT_MAX_COUNT",
    "DEFAULT_TIMEOUT", "ENV_AUDIT_MAX_CALLS", "ENV_HISTORY_MAX_AGE", "ENV_HISTORY_MAX_COUNT", "ENV_HISTORY_URL",
    "ENV_IMAGE_HOSTS", "ENV_LIBRARY_MAX_BYTES", "ENV_LIBRARY_MAX_COUNT", "HISTORY_MAX_AGE", "HISTORY_MAX_COUNT",
    "HISTORY_URL", "HistoryConfig", "HistoryError", "IMAGE_HOSTS", "LIBRARY_MAX_BYTES", "LIBRARY_MAX_COUNT",
    "LibraryConfig", "LibraryError", "ROLE_CLAIM", "ROLE_MAP", "SECRETS_PATH", "SECRETS_SECTION", "SESSION_TIMEOUT_RANGE",
    "SETTINGS", "SHELL_USER", "Setting", "Settings", "TIMEOUT", "default_history_url", "normalize_url",
    "read_secrets", "read_setting", "resolve_audit_config", "resolve_history_config", "resolve_image_hosts",
    "resolve_library_config", "resolve_settings",
]

SESSION_TIMEOUT_RANGE = (1.0, 120.0)
"""Seconds a browser session may choose on the Settings page (widened to hold the deployment's own)."""


@dataclass(frozen=True)
class Settings:
    backend: Backend
    base_url: str
    base_url_source: str
    token_source: str
    timeout: float = DEFAULT_TIMEOUT  # in force: the deployment's, or this browser session's choice
    catalog_path: Path | None = None
    forced_simulator: bool = False
    currency: str = DEFAULT_CURRENCY
    token: str | None = field(default=None, repr=False, compare=False)
    deployment_timeout: float | None = None  # FASHIONAI_TIMEOUT (or its default) when a session chose another

    @property
    def default_timeout(self) -> float:
        """The deployment's timeout, whatever this browser session chose."""
        return self.deployment_timeout if self.deployment_timeout is not None else self.timeout

    def timeout_range(self) -> tuple[float, float]:
        """The timeouts a browser session may choose: SESSION_TIMEOUT_RANGE, widened to hold the default."""
        low, high = SESSION_TIMEOUT_RANGE
        return min(low, self.default_timeout), max(high, self.default_timeout)

    def with_session_timeout(self, seconds: object) -> Settings:
        """These settings with this browser session's timeout. Raises ConfigError outside `timeout_range`."""
        low, high = self.timeout_range()
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not low <= seconds <= high:
            raise ConfigError(f"The timeout must be a number of seconds from {low:g} to {high:g}.")
        return replace(self, timeout=float(seconds), deployment_timeout=self.default_timeout)

    @property
    def is_live(self) -> bool:
        return self.backend == Backend.LIVE

    @property
    def token_hint(self) -> str:
        """The token as the settings page shows it: its last four characters."""
        if not self.token:
            return "not set"
        return "…" + self.token[-4:] if len(self.token) > 8 else "…(short token)"

    @property
    def backend_label(self) -> str:
        return backend_label(self.backend)



def resolve_settings(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> Settings:
    """Build the settings from an environment mapping and the parsed secrets file."""
    token, token_source = read_setting(APP_TOKEN, environ, secrets)
    if token is None:
        token_source = "not set"

    base_url, base_source = read_setting(BASE_URL, environ, secrets)
    if base_url is None:
        base_url = BASE_URL.default
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"The Fashion.AI address must start with http:// or https:// ({base_source} is {base_url!r}). "
            f"Fix {BASE_URL.env} or {BASE_URL.key} in .streamlit/secrets.toml."
        )

    timeout_text, _ = read_setting(TIMEOUT, environ, secrets)
    timeout = TIMEOUT.default
    if timeout_text is not None:
        low, high = TIMEOUT.bounds or (0, 300)
        low, high = low if low is not None else -math.inf, high if high is not None else math.inf
        try:
            timeout = float(timeout_text)
        except ValueError:
            timeout = math.nan
        if not (low < timeout <= high):
            raise ConfigError(
                f"{TIMEOUT.env} must be a number of seconds between {low:g} and {high:g}, not {timeout_text!r}."
            )

    forced = (read_setting(BACKEND, environ)[0] or "").lower() == Backend.SIMULATOR
    backend = Backend.LIVE if token and not forced else Backend.SIMULATOR
    if backend == Backend.LIVE:  # the client's own checks, said here so that every page shows them
        try:
            clean_token(token)
        except ValueError as err:
            raise ConfigError(f"The app token set in {token_source} cannot be used: {err}.") from err
        try:
            clean_base_url(base_url)
        except ValueError as err:
            raise ConfigError(f"The Fashion.AI address set in {base_source} cannot be used: {err}.") from err

    catalog, _ = read_setting(CATALOG, environ)
    return Settings(
        backend=backend,
        base_url=base_url,
        base_url_source=base_source,
        token_source=token_source,
        timeout=timeout,
        catalog_path=Path(catalog).expanduser() if catalog else None,
        forced_simulator=forced and bool(token),
        currency=read_setting(CURRENCY, environ)[0] or CURRENCY.default,
        token=token,
    )
