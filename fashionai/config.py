"""Where the studio's settings come from: the environment first, then secrets.

    token     FASHIONAI_APP_TOKEN, else secrets [fashionai] app_token
    base URL  FASHIONAI_BASE_URL,  else secrets [fashionai] base_url, else DEFAULT_BASE_URL
    backend   "live" when there is a token, else "simulator";
              FASHIONAI_BACKEND=simulator forces the simulator even with a token
    catalog   FASHIONAI_CATALOG: a CSV the server loads instead of the bundled sample
    timeout   FASHIONAI_TIMEOUT seconds (default 10)
    currency  FASHIONAI_CURRENCY, the symbol prices are shown with (default R$)

The token is held with ``repr=False`` and is never part of any message built here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fashionai.api.client import DEFAULT_BASE_URL, clean_base_url, clean_token
from fashionai.domain import Backend

DEFAULT_TIMEOUT = 10.0
SESSION_TIMEOUT_RANGE = (1.0, 120.0)
"""Seconds a browser session may choose on the Settings page (widened to hold the deployment's own)."""



class ConfigError(ValueError):
    """A setting cannot be used; the message says which and what to do."""


@dataclass(frozen=True)
class Settings:
    backend: Backend
    base_url: str
    base_url_source: str
    token_source: str
    timeout: float = DEFAULT_TIMEOUT  # in force: the deployment's, or this browser session's choice
    catalog_path: Path | None = None
    forced_simulator: bool = False
    currency: str = "R$"
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
        return "Live Fashion.AI API" if self.is_live else "Built-in simulator"


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def resolve_settings(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> Settings:
    """Build the settings from an environment mapping and the parsed secrets file."""
    section: Mapping[str, Any] = {}
    if secrets:
        raw = secrets.get("fashionai", {})
        section = raw if isinstance(raw, Mapping) else {}

    token, token_source = _clean(environ.get("FASHIONAI_APP_TOKEN")), "FASHIONAI_APP_TOKEN environment variable"
    if token is None:
        token, token_source = _clean(section.get("app_token")), ".streamlit/secrets.toml ([fashionai] app_token)"
    if token is None:
        token_source = "not set"

    base_url, base_source = _clean(environ.get("FASHIONAI_BASE_URL")), "FASHIONAI_BASE_URL environment variable"
    if base_url is None:
        base_url, base_source = _clean(section.get("base_url")), ".streamlit/secrets.toml ([fashionai] base_url)"
    if base_url is None:
        base_url, base_source = DEFAULT_BASE_URL, "default"
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"The Fashion.AI address must start with http:// or https:// ({base_source} is {base_url!r}). "
            "Fix FASHIONAI_BASE_URL or base_url in .streamlit/secrets.toml."
        )

    timeout_text = _clean(environ.get("FASHIONAI_TIMEOUT")) or _clean(section.get("timeout"))
    timeout = DEFAULT_TIMEOUT
    if timeout_text is not None:
        try:
            timeout = float(timeout_text)
        except ValueError:
            timeout = math.nan
        if not (0 < timeout <= 300):
            raise ConfigError(
                f"FASHIONAI_TIMEOUT must be a number of seconds between 0 and 300, not {timeout_text!r}."
            )

    forced = (_clean(environ.get("FASHIONAI_BACKEND")) or "").lower() == Backend.SIMULATOR
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

    catalog = _clean(environ.get("FASHIONAI_CATALOG"))
    return Settings(
        backend=backend,
        base_url=base_url,
        base_url_source=base_source,
        token_source=token_source,
        timeout=timeout,
        catalog_path=Path(catalog).expanduser() if catalog else None,
        forced_simulator=forced and bool(token),
        currency=_clean(environ.get("FASHIONAI_CURRENCY")) or "R$",
        token=token,
    )
