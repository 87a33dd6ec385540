"""The stores' settings, read from the table of settings (`fashionai._settings_table`; `fashionai.config` re-exports
every name here):
the history's address and what it keeps, the catalog library's limits, the audits' call cap, and the hosts a deck
or report may fetch pictures from. Split out of config.py by job (no change of behaviour)."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from fashionai._settings_table import (
    APP_NAME,
    AUDIT_MAX_CALLS,
    AUDIT_RATE,
    HISTORY_MAX_AGE,
    HISTORY_MAX_COUNT,
    HISTORY_URL,
    IMAGE_HOSTS,
    LIBRARY_MAX_BYTES,
    LIBRARY_MAX_COUNT,
    ConfigError,
    HistoryError,
    LibraryError,
    Setting,
    read_setting,
)

__all__ = ["AuditConfig", "HistoryConfig", "LibraryConfig", "default_history_url", "normalize_url",
           "resolve_audit_config", "resolve_history_config", "resolve_image_hosts", "resolve_library_config"]


# --------------------------------------------------------------------------- the history


@dataclass(frozen=True)
class HistoryConfig:
    """Where the history lives (`url`, said where it came from in `source`) and what it keeps."""

    url: str = field(repr=False)  # may hold a database password
    source: str
    max_age_days: float | None = HISTORY_MAX_AGE.default
    max_count: int | None = HISTORY_MAX_COUNT.default


def default_history_url() -> str:
    """``sqlite:///…/history.db`` in the user's data folder (e.g. ~/.local/share/fashionai-studio)."""
    import platformdirs  # only needed here

    path = platformdirs.user_data_path(APP_NAME, appauthor=False) / "history.db"
    return "sqlite:///" + path.as_posix()


def resolve_history_config(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> HistoryConfig:
    """Where the history lives and what it keeps: the environment, then secrets, then defaults.

    Raises HistoryError for an address or a limit that cannot be used, naming where it came from.
    """
    url, source = read_setting(HISTORY_URL, environ, secrets)
    if url is None:
        url, source = default_history_url(), "default (your user data folder)"
    normalize_url(url)  # refuse a bad address now, with a message saying where it came from
    return HistoryConfig(
        url=url,
        source=source,
        max_age_days=_limit(HISTORY_MAX_AGE, environ, secrets, "a number of days"),
        max_count=_limit(HISTORY_MAX_COUNT, environ, secrets, "a whole number of snapshots"),
    )


def _limit(setting: Setting, environ: Mapping[str, str], secrets: Mapping[str, Any] | None, what: str,
           error: type[ValueError] = HistoryError, zero: str = "0 keeps everything") -> Any:  # Any: of setting.kind
    """A limit read by `read_setting`: its default when unset, None for 0 (no limit). Raises `error`."""
    text, source = read_setting(setting, environ, secrets)
    if text is None:
        return setting.default
    try:
        value = setting.kind(text)
    except ValueError:
        value = -1
    low = (setting.bounds or (0, None))[0] or 0
    if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= low):
        raise error(f"{source} must be {what} ({zero}), not {text!r}.")
    return value or None


# --------------------------------------------------------------------------- the catalog library


@dataclass(frozen=True)
class LibraryConfig:
    """What the catalog library keeps: at most `max_bytes` (as stored) and `max_count` catalogs (None: no limit).
    It lives in the history's database (`HistoryConfig.url`)."""

    max_bytes: int | None = LIBRARY_MAX_BYTES.default
    max_count: int | None = LIBRARY_MAX_COUNT.default


def resolve_library_config(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> LibraryConfig:
    """The catalog library's limits: the environment, then secrets, then defaults. Raises LibraryError."""
    return LibraryConfig(
        max_bytes=_limit(LIBRARY_MAX_BYTES, environ, secrets, "a whole number of bytes", LibraryError),
        max_count=_limit(LIBRARY_MAX_COUNT, environ, secrets, "a whole number of catalogs", LibraryError),
    )


# --------------------------------------------------------------------------- audits


@dataclass(frozen=True)
class AuditConfig:
    """The audits' limits: at most `max_calls` calls a run (None: no cap); at most `rate` requests a second for
    every run of the deployment together (None: each run keeps to its plan's rate alone)."""

    max_calls: int | None = AUDIT_MAX_CALLS.default
    rate: float | None = AUDIT_RATE.default


def resolve_audit_config(environ: Mapping[str, str], secrets: Mapping[str, Any] | None = None) -> AuditConfig:
    """The audits' call cap and shared rate: the environment, then secrets, then the default. Raises ConfigError."""
    return AuditConfig(max_calls=_limit(AUDIT_MAX_CALLS, environ, secrets, "a whole number of calls", ConfigError,
                                        "0 means no cap"),
                       rate=_limit(AUDIT_RATE, environ, secrets, "a number of requests per second", ConfigError,
                                   "0 means each run keeps to its plan's rate alone"))


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
    raw, source = read_setting(IMAGE_HOSTS, environ, secrets)
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
