"""What the client takes in, checked before anything is sent: ids, the token, the base URL, the timeout.

Each check returns the value as the client uses it, or raises a ValueError (TypeError for
a value of the wrong kind) saying in plain words what is wrong with it. Private to the
package; `clean_token` and `clean_base_url` are also public through `fashionai.api.client`
(the settings check them before a client is built).
"""

from __future__ import annotations

import math
import numbers
from urllib.parse import urlsplit

from fashionai.api.models import DEFAULT_BASE_URL

__all__ = ["check_timeout", "clean_base_url", "clean_token", "optional_id", "require_id"]


def optional_id(value: object, name: str) -> str | None:
    """An id as sent on the wire: ints become strings; None or blank becomes None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Integral)):
        raise TypeError(f"{name} must be a str or an int, not {type(value).__name__}")
    text = str(int(value)) if isinstance(value, numbers.Integral) else str(value)
    return text if text.strip() else None


def require_id(value: object, name: str) -> str:
    """An id as sent on the wire, which must not be blank."""
    text = optional_id(value, name)
    if text is None:
        raise ValueError(f"{name} is blank; Fashion.AI needs one for this call")
    return text


def check_timeout(timeout: object) -> float:
    """A timeout in seconds: a finite number above zero."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not (
        math.isfinite(timeout) and timeout > 0
    ):
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    return float(timeout)


def clean_token(token: object) -> str:
    """The token as sent (stripped), or ValueError saying in plain words what is wrong with it."""
    if token is not None and not isinstance(token, str):
        raise TypeError(f"the app token must be a str, not {type(token).__name__}")
    cleaned = (token or "").strip()
    if not cleaned:
        raise ValueError(
            "no app token: set FASHIONAI_APP_TOKEN or the token in .streamlit/secrets.toml"
        )
    if not (cleaned.isascii() and cleaned.isprintable()):
        raise ValueError(
            "the app token has characters that cannot be sent in an HTTP header; copy it "
            "again from the Fashion.AI dashboard"
        )
    return cleaned


def clean_base_url(base_url: object) -> str:
    """The base URL as used (no trailing slash), or ValueError saying what is wrong with it."""
    url = str(base_url).strip().rstrip("/")
    parts = urlsplit(url)
    if "@" in parts.netloc:  # checked first: the message below repeats the URL
        raise ValueError("the Fashion.AI base URL must not contain a user name or password")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"the Fashion.AI base URL must be an http(s) address like {DEFAULT_BASE_URL}, "
            f"not {base_url!r}"
        )
    return url
