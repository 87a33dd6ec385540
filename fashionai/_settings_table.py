"""The table of settings: every setting declared once in `SETTINGS` (a `Setting` each: its README label,
environment variable, ``[fashionai]`` key in ``.streamlit/secrets.toml``, default, type, bounds and meaning), the
one resolver that reads them (`read_setting`: the environment, then secrets), the secrets file as the CLI reads it,
and the errors a setting can raise.

Read by `fashionai.config` (the app's settings; it re-exports every name here, and is where the rest of the
package imports them from) and `fashionai._store_config` (the stores' settings): a module of its own so that
neither of those imports the other in a circle.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fashionai.api.client import DEFAULT_BASE_URL
from fashionai.domain import DEFAULT_CURRENCY

DEFAULT_TIMEOUT = 10.0

APP_NAME = "fashionai-studio"
"""The user data folder's name (platformdirs): where the history lives by default."""
DEFAULT_MAX_AGE_DAYS = 90
"""Days the history keeps a snapshot."""
DEFAULT_MAX_COUNT = 100_000
"""Snapshots the history keeps (the newest)."""
DEFAULT_LIBRARY_MAX_BYTES = 2 << 30
"""Bytes the catalog library keeps, all catalogs together (2 GiB, as stored: compressed columns)."""
DEFAULT_LIBRARY_MAX_COUNT = 50
"""Catalogs the catalog library keeps."""
DEFAULT_AUDIT_MAX_CALLS = 10_000
"""The most calls one audit run may make (each personalization call is a tracking event)."""
DEFAULT_AUDIT_RATE = 20.0
"""Requests per second every audit run of a deployment sends together (the example plan's rate)."""

SECRETS_PATH = Path(".streamlit/secrets.toml")
"""The secrets file, in the working directory (Streamlit reads the same one as st.secrets)."""
SECRETS_SECTION = "fashionai"
"""The section of the secrets file that holds the studio's settings."""


# --------------------------------------------------------------------------- the table of settings


@dataclass(frozen=True)
class Setting:
    """One setting, declared once: what README.md's settings table says of it, and what the resolvers read.

    `label` is the README's first column; `env` the environment variable; `key` the key under
    ``[fashionai]`` in ``.streamlit/secrets.toml`` (None: the environment only); `default` the value
    when neither says one (None: none); `kind` the type it is read as; `bounds` the values allowed
    ((low, high), None for no bound on that side); `meaning` what it does; `default_text` the
    default as the README writes it, when `shown_default` cannot derive it from `default`.
    """

    label: str
    env: str
    key: str | None
    default: Any  # Any: a value of the setting's own `kind` (a number, text, a path, a flag) or None
    kind: type
    meaning: str
    bounds: tuple[float | None, float | None] | None = None
    default_text: str | None = None

    @property
    def shown_default(self) -> str:
        """The default as people read it in README.md's settings table."""
        if self.default_text is not None:
            return self.default_text
        if isinstance(self.default, str):
            return f"`{self.default}`"
        if isinstance(self.default, float):
            return f"{self.default:g}"
        return "" if self.default is None else str(self.default)

    def secrets_source(self) -> str:
        return f"{SECRETS_PATH.as_posix()} ([{SECRETS_SECTION}] {self.key})"

    def env_source(self) -> str:
        return f"{self.env} environment variable"


APP_TOKEN = Setting("app token", "FASHIONAI_APP_TOKEN", "app_token", None, str,
                    "Fashion.AI's app token: with one the live API answers", default_text="none: the simulator answers")
BASE_URL = Setting("API address", "FASHIONAI_BASE_URL", "base_url", DEFAULT_BASE_URL, str,
                   "the live API's address (http:// or https://)")
TIMEOUT = Setting("timeout (seconds)", "FASHIONAI_TIMEOUT", "timeout", DEFAULT_TIMEOUT, float,
                  "the deadline of a whole call, every attempt and wait included (0 excluded)", bounds=(0, 300))
BACKEND = Setting("force the simulator", "FASHIONAI_BACKEND", None, None, str,
                  "`simulator` makes the simulator answer even with a token")
CATALOG = Setting("server's catalog", "FASHIONAI_CATALOG", None, None, Path,
                  "a CSV the server loads instead of the bundled sample", default_text="the bundled sample")
CURRENCY = Setting("currency shown", "FASHIONAI_CURRENCY", None, DEFAULT_CURRENCY, str,
                   "the symbol prices are shown with")
HISTORY_URL = Setting("history database", "FASHIONAI_HISTORY_URL", "history_url", None, str,
                      "a SQLite file's path or address, or a PostgreSQL address",
                      default_text="`history.db` in your user data folder")
HISTORY_MAX_AGE = Setting("history kept (days)", "FASHIONAI_HISTORY_MAX_AGE_DAYS", "history_max_age_days",
                          DEFAULT_MAX_AGE_DAYS, float, "days the history keeps a snapshot (0 = forever)",
                          bounds=(0, None))
HISTORY_MAX_COUNT = Setting("history kept (snapshots)", "FASHIONAI_HISTORY_MAX_COUNT", "history_max_count",
                            DEFAULT_MAX_COUNT, int, "snapshots the history keeps, the newest (0 = no limit)",
                            bounds=(0, None))
LIBRARY_MAX_BYTES = Setting("catalog library size (bytes)", "FASHIONAI_LIBRARY_MAX_BYTES", "library_max_bytes",
                            DEFAULT_LIBRARY_MAX_BYTES, int,
                            "bytes the catalog library keeps, as stored (0 = no limit)", bounds=(0, None))
LIBRARY_MAX_COUNT = Setting("catalog library size (catalogs)", "FASHIONAI_LIBRARY_MAX_COUNT", "library_max_count",
                            DEFAULT_LIBRARY_MAX_COUNT, int, "catalogs the catalog library keeps (0 = no limit)",
                            bounds=(0, None))
AUDIT_MAX_CALLS = Setting("audit call cap", "FASHIONAI_AUDIT_MAX_CALLS", "audit_max_calls", DEFAULT_AUDIT_MAX_CALLS,
                          int, "the most calls one audit run may make (0 = no cap)", bounds=(0, None))
AUDIT_RATE = Setting("audits' rate, all runs together", "FASHIONAI_AUDIT_RATE", "audit_rate", DEFAULT_AUDIT_RATE, float,
                     "requests per second that every audit run of the deployment sends together, shared through "
                     "the history's database (0 = each run keeps to its plan's rate alone)", bounds=(0, None))
SHELL_USER = Setting("who a shell's audits run as", "FASHIONAI_USER", None, None, str,
                     "the e-mail `python -m fashionai audit` records as starting a run (`--as` says it too)",
                     default_text="`local` (the local user)")
IMAGE_HOSTS = Setting("image hosts for decks and reports", "FASHIONAI_IMAGE_HOSTS", "image_hosts", None, tuple,
                      "hosts a deck or report may fetch product pictures from (exact, or *.domain)",
                      default_text="none: a picture at an address is not fetched")
ADMINS = Setting("first admins", "FASHIONAI_ADMINS", "admins", None, tuple,
                 "e-mails that are always admins, whatever the Team page's role table says",
                 default_text="none: admins come from the sign-in provider or the Team page")

ROLE_CLAIM = Setting("role claim of the sign-in", "FASHIONAI_ROLE_CLAIM", "role_claim", "groups", str,
                     "the identity provider's claim that holds a person's roles (viewer, merchandiser, admin)")
ROLE_MAP = Setting("role claim's values as roles", "FASHIONAI_ROLE_MAP", "role_map", None, dict,
                   "the provider's own values of the role claim that mean a role (`value=role`, comma-separated; "
                   "a table in secrets)", default_text="none: the claim names viewer, merchandiser or admin itself")
ALLOW_ANONYMOUS = Setting("live calls without sign-in", "FASHIONAI_ALLOW_ANONYMOUS", "allow_anonymous", False, bool,
                          "`true`: a studio listening beyond loopback with a token and no sign-in still calls the "
                          "live API", default_text="false: such a studio sends no live call")

SETTINGS: tuple[Setting, ...] = (APP_TOKEN, BASE_URL, TIMEOUT, BACKEND, CATALOG, CURRENCY, HISTORY_URL,
                                 HISTORY_MAX_AGE, HISTORY_MAX_COUNT, LIBRARY_MAX_BYTES, LIBRARY_MAX_COUNT,
                                 AUDIT_MAX_CALLS, AUDIT_RATE, SHELL_USER, IMAGE_HOSTS, ROLE_CLAIM, ROLE_MAP,
                                 ALLOW_ANONYMOUS, ADMINS)
"""Every setting of the studio, in README.md's order (a test checks the two agree)."""

ENV_HISTORY_URL = HISTORY_URL.env
ENV_HISTORY_MAX_AGE = HISTORY_MAX_AGE.env
ENV_HISTORY_MAX_COUNT = HISTORY_MAX_COUNT.env
ENV_LIBRARY_MAX_BYTES = LIBRARY_MAX_BYTES.env
ENV_LIBRARY_MAX_COUNT = LIBRARY_MAX_COUNT.env
ENV_AUDIT_MAX_CALLS = AUDIT_MAX_CALLS.env
ENV_IMAGE_HOSTS = IMAGE_HOSTS.env


def _section(secrets: Mapping[str, Any] | None) -> Mapping[str, Any]:
    raw = secrets.get(SECRETS_SECTION) if secrets else None
    return raw if isinstance(raw, Mapping) else {}


def read_secrets(path: Path = SECRETS_PATH) -> dict[str, Any]:
    """The secrets file as the CLI reads it, when there is one ({} when not). Raises ConfigError.

    The app reads the same file through st.secrets (`fashionai.ui.resources`).
    """
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path} could not be read ({err}). Compare it with {path}.example.") from err


def read_setting(setting: Setting, environ: Mapping[str, str],
                 secrets: Mapping[str, Any] | None = None) -> tuple[Any, str]:
    """The one resolver: `setting`'s text as set (the environment, then secrets) and where it came from.

    A value is its text, stripped (a list in the secrets file stays a list, a table a mapping); blank is unset.
    Unset everywhere: ``(None, "default")``; the caller applies `setting.default`.
    """
    value = _clean(environ.get(setting.env))
    if value is not None:
        return value, setting.env_source()
    if setting.key is not None:
        raw = _section(secrets).get(setting.key)
        whole = ((setting.kind is tuple and isinstance(raw, (list, tuple)))
                 or (setting.kind is dict and isinstance(raw, Mapping)))  # a list or a table stays one
        listed = (raw or None) if whole else _clean(raw)
        if listed is not None:
            return listed, setting.secrets_source()
    return None, "default"


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


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None

