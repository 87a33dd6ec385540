"""Where the studio's settings come from: the environment first, then secrets.

    token     FASHIONAI_APP_TOKEN, else secrets [fashionai] app_token
    base URL  FASHIONAI_BASE_URL,  else secrets [fashionai] base_url, else DEFAULT_BASE_URL
    backend   "live" when there is a token, else "simulator";
              FASHIONAI_BACKEND=simulator forces the simulator even with a token
    catalog   FASHIONAI_CATALOG: a CSV the server loads instead of the bundled sample
    timeout   FASHIONAI_TIMEOUT seconds (default 10)
    currency  FASHIONAI_CURRENCY, the symbol prices are shown with (default R$)

The history's settings (`resolve_history_config`), the same way:

    address   FASHIONAI_HISTORY_URL, else secrets [fashionai] history_url, else history.db in the
              user's data folder (platformdirs), never inside the repository. A plain path is a
              SQLite file; ``postgresql://user:pw@host/db`` a PostgreSQL database (psycopg 3;
              ``postgres://`` and ``postgresql+psycopg://`` work too)
    max age   FASHIONAI_HISTORY_MAX_AGE_DAYS, else [fashionai] history_max_age_days (default 90)
    max count FASHIONAI_HISTORY_MAX_COUNT, else [fashionai] history_max_count (default 100,000)
              (0 means no limit for either)

The catalog library's limits (`resolve_library_config`); it lives in the history's database:

    max bytes FASHIONAI_LIBRARY_MAX_BYTES, else [fashionai] library_max_bytes (default 2 GiB)
    max count FASHIONAI_LIBRARY_MAX_COUNT, else [fashionai] library_max_count (default 50)
              (0 means no limit for either; the catalogs used least recently go first)

The audits' call cap (`resolve_audit_config`):

    max calls FASHIONAI_AUDIT_MAX_CALLS, else [fashionai] audit_max_calls (default 10,000): a plan
              that would make more calls is refused before it starts (0 means no cap)

The image hosts a deck or a report may fetch product pictures from (`resolve_image_hosts`):

    hosts     FASHIONAI_IMAGE_HOSTS, else [fashionai] image_hosts (a list, or one text): host names
              separated by commas or spaces, exact (``img.store.com``) or a domain's subdomains
              (``*.store.com``); none by default: a picture at an address is then never fetched

The token is held with ``repr=False`` and is never part of any message built here; so is
the history's address (it may hold a database password).
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from fashionai.api.client import DEFAULT_BASE_URL, clean_base_url, clean_token
from fashionai.domain import Backend

DEFAULT_TIMEOUT = 10.0
SESSION_TIMEOUT_RANGE = (1.0, 120.0)
"""Seconds a browser session may choose on the Settings page (widened to hold the deployment's own)."""

APP_NAME = "fashionai-studio"
"""The user data folder's name (platformdirs): where the history lives by default."""
ENV_HISTORY_URL = "FASHIONAI_HISTORY_URL"
ENV_HISTORY_MAX_AGE = "FASHIONAI_HISTORY_MAX_AGE_DAYS"
ENV_HISTORY_MAX_COUNT = "FASHIONAI_HISTORY_MAX_COUNT"
DEFAULT_MAX_AGE_DAYS = 90
"""Days the history keeps a snapshot."""
DEFAULT_MAX_COUNT = 100_000
"""Snapshots the history keeps (the newest)."""
ENV_LIBRARY_MAX_BYTES = "FASHIONAI_LIBRARY_MAX_BYTES"
ENV_LIBRARY_MAX_COUNT = "FASHIONAI_LIBRARY_MAX_COUNT"
DEFAULT_LIBRARY_MAX_BYTES = 2 << 30
"""Bytes the catalog library keeps, all catalogs together (2 GiB, as stored: compressed columns)."""
DEFAULT_LIBRARY_MAX_COUNT = 50
"""Catalogs the catalog library keeps."""
ENV_AUDIT_MAX_CALLS = "FASHIONAI_AUDIT_MAX_CALLS"
DEFAULT_AUDIT_MAX_CALLS = 10_000
"""The most calls one audit run may make (each personalization call is a tracking event)."""
ENV_IMAGE_HOSTS = "FASHIONAI_IMAGE_HOSTS"


class ConfigError(ValueError):
    """A setting cannot be used; the message says which and what to do."""


class LibraryError(ValueError):
    """The catalog library cannot do what was asked; the message says why in plain words.

    The base of `fashionai.catalog.library.LibraryUnavailable` (its database cannot be used)
    and of a catalog refused for its size; defined here beside its settings.
    """


class HistoryError(ValueError):
    """The history cannot be used as configured; the message says what to change.

    The base of the history's errors (`fashionai.history.HistoryImportError`,
    `fashionai.history.HistoryUnavailable`), defined here because a history setting is
    the first thing that can be wrong.
    """


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


# --------------------------------------------------------------------------- the history


@dataclass(frozen=True)
class HistoryConfig:
    """Where the history lives (`url`, said where it came from in `source`) and what it keeps."""

    url: str = field(repr=False)  # may hold a database password
    source: str
    max_age_days: float | None = DEFAULT_MAX_AGE_DAYS
    max_count: int | None = DEFAULT_MAX_COUNT


def default_history_url() -> str:
    """``sqlite:///…/history.db`` in the user's data folder (e.g. ~/.local/share/fashionai-studio)."""
    import platformdirs  # only needed here

    path = platformdirs.user_data_path(APP_NAME, appauthor=False) / "history.db"
    return "sqlite:///" + path.as_posix()


def resolve_history_config(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> HistoryConfig:
    """Where the history lives and what it keeps: the environment, then secrets, then defaults.

    Raises HistoryError for an address or a limit that cannot be used, naming where it came from.
    """
    section: Mapping[str, Any] = {}
    if secrets and isinstance(secrets.get("fashionai"), Mapping):
        section = secrets["fashionai"]

    def setting(env: str, key: str) -> tuple[str | None, str]:
        value = str(environ.get(env) or "").strip()
        if value:
            return value, f"{env} environment variable"
        value = str(section.get(key) or "").strip()
        return (value, f".streamlit/secrets.toml ([fashionai] {key})") if value else (None, "default")

    url, source = setting(ENV_HISTORY_URL, "history_url")
    if url is None:
        url, source = default_history_url(), "default (your user data folder)"
    normalize_url(url)  # refuse a bad address now, with a message saying where it came from

    age_text, age_source = setting(ENV_HISTORY_MAX_AGE, "history_max_age_days")
    count_text, count_source = setting(ENV_HISTORY_MAX_COUNT, "history_max_count")
    return HistoryConfig(
        url=url,
        source=source,
        max_age_days=_limit(age_text, age_source, DEFAULT_MAX_AGE_DAYS, float, "a number of days"),
        max_count=_limit(count_text, count_source, DEFAULT_MAX_COUNT, int, "a whole number of snapshots"),
    )


def _limit(text: str | None, source: str, default: Any, kind: type, what: str,
           error: type[ValueError] = HistoryError, zero: str = "0 keeps everything") -> Any:
    if text is None:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = -1
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
        raise error(f"{source} must be {what} ({zero}), not {text!r}.")
    return value or None


# --------------------------------------------------------------------------- the catalog library


@dataclass(frozen=True)
class LibraryConfig:
    """What the catalog library keeps: at most `max_bytes` (as stored) and `max_count` catalogs (None: no limit).
    It lives in the history's database (`HistoryConfig.url`)."""

    max_bytes: int | None = DEFAULT_LIBRARY_MAX_BYTES
    max_count: int | None = DEFAULT_LIBRARY_MAX_COUNT


def resolve_library_config(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> LibraryConfig:
    """The catalog library's limits: the environment, then secrets, then defaults. Raises LibraryError."""
    section: Mapping[str, Any] = {}
    if secrets and isinstance(secrets.get("fashionai"), Mapping):
        section = secrets["fashionai"]
    limits = []
    for env, key, default, what in ((ENV_LIBRARY_MAX_BYTES, "library_max_bytes", DEFAULT_LIBRARY_MAX_BYTES,
                                     "a whole number of bytes"),
                                    (ENV_LIBRARY_MAX_COUNT, "library_max_count", DEFAULT_LIBRARY_MAX_COUNT,
                                     "a whole number of catalogs")):
        text, source = str(environ.get(env) or "").strip(), f"{env} environment variable"
        if not text:
            text, source = str(section.get(key) or "").strip(), f".streamlit/secrets.toml ([fashionai] {key})"
        limits.append(_limit(text or None, source, default, int, what, LibraryError))
    return LibraryConfig(max_bytes=limits[0], max_count=limits[1])


# --------------------------------------------------------------------------- audits


@dataclass(frozen=True)
class AuditConfig:
    """The audits' limits: at most `max_calls` calls a run (None: no cap)."""

    max_calls: int | None = DEFAULT_AUDIT_MAX_CALLS


def resolve_audit_config(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> AuditConfig:
    """The audits' call cap: the environment, then secrets, then the default. Raises ConfigError."""
    section: Mapping[str, Any] = {}
    if secrets and isinstance(secrets.get("fashionai"), Mapping):
        section = secrets["fashionai"]
    text, source = str(environ.get(ENV_AUDIT_MAX_CALLS) or "").strip(), f"{ENV_AUDIT_MAX_CALLS} environment variable"
    if not text:
        text = str(section.get("audit_max_calls") or "").strip()
        source = ".streamlit/secrets.toml ([fashionai] audit_max_calls)"
    return AuditConfig(max_calls=_limit(text or None, source, DEFAULT_AUDIT_MAX_CALLS, int,
                                        "a whole number of calls", ConfigError, "0 means no cap"))


# --------------------------------------------------------------------------- pictures for decks and reports

_HOST_PATTERN = re.compile(r"^(\*\.)?(?=[a-z0-9])[a-z0-9.-]{1,253}(?<=[a-z0-9])$")


def _ipv6(text: str) -> bool:
    try:
        return ipaddress.ip_address(text.strip("[]")).version == 6
    except ValueError:
        return False


def resolve_image_hosts(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> tuple[str, ...]:
    """The hosts product pictures may be fetched from for a deck or a report, lower case: exact names, or
    ``*.example.com`` for any subdomain of example.com; () by default. Raises ConfigError for one that is no host."""
    section: Mapping[str, Any] = {}
    if secrets and isinstance(secrets.get("fashionai"), Mapping):
        section = secrets["fashionai"]
    raw: Any = environ.get(ENV_IMAGE_HOSTS)
    source = f"{ENV_IMAGE_HOSTS} environment variable"
    if not str(raw or "").strip():
        raw, source = section.get("image_hosts"), ".streamlit/secrets.toml ([fashionai] image_hosts)"
    if raw is None:
        return ()
    items = raw if isinstance(raw, (list, tuple)) else re.split(r"[\s,]+", str(raw))
    hosts = []
    for item in items:
        host = str(item).strip().lower().rstrip(".")
        if not host:
            continue
        wildcard_tld = host.startswith("*.") and "." not in host[2:]  # *.com: every shop on earth
        if not (_HOST_PATTERN.match(host) or _ipv6(host)) or ".." in host or wildcard_tld:
            raise ConfigError(f"{source} must list host names such as img.example.com or *.example.com "
                              f"(no scheme, path or port), not {str(item)!r}.")
        hosts.append(host.strip("[]"))
    return tuple(dict.fromkeys(hosts))


def normalize_url(url: str | URL) -> URL:
    """The history's address as a SQLAlchemy URL for SQLite or PostgreSQL; a plain path is a SQLite file.

    Raises HistoryError for a blank address, one that is no database URL, or another database.
    """
    if isinstance(url, URL):
        parsed = url
    else:
        text = str(url or "").strip()
        if not text:
            raise HistoryError("The history address is blank: set FASHIONAI_HISTORY_URL or unset it for the default.")
        if "://" not in text:
            text = "sqlite:///" + Path(text).expanduser().as_posix()
        elif text.startswith("postgres://"):
            text = "postgresql://" + text[len("postgres://"):]
        try:
            parsed = make_url(text)
        except (sa.exc.ArgumentError, ValueError) as err:
            raise HistoryError(
                "The history address is not a database URL. Use a file path, sqlite:////path/history.db "
                "or postgresql://user:password@host/database."
            ) from err
    backend, _, driver = parsed.drivername.partition("+")
    if backend == "postgresql" and driver in ("", "psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        return parsed
    raise HistoryError(
        f"The history can be stored in SQLite or PostgreSQL, not {parsed.drivername!r}. Use a file path, "
        "sqlite:////path/history.db or postgresql://user:password@host/database."
    )
