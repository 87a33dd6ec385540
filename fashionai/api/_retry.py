"""The retry policy, as pure functions and named constants.

Every recommendation call is also a tracking event: retrying one the server may have
recorded would count the shopper's visit twice. So an event is retried only when the
server certainly did not record it: the connection was never made, or the answer was
429 or 503. The sales ranking is an idempotent GET and is also retried after 500, 502,
504 and after timeouts or dropped connections.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import time
from collections.abc import Mapping

import httpx

MAX_RETRY_AFTER = 30.0  # seconds; a longer Retry-After is raised at once, not slept
INITIAL_BACKOFF = 0.5  # seconds before the first retry when the server gives no Retry-After
MAX_BACKOFF = 8.0  # seconds, the cap of the exponential backoff
JITTER = 0.25  # the backoff is shortened by up to this fraction, at random

EVENT_RETRY_STATUSES = frozenset({429, 503})
IDEMPOTENT_RETRY_STATUSES = EVENT_RETRY_STATUSES | {500, 502, 504}

# Failures before anything reached the server: safe to retry even for an event.
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after the request may have reached the server: retried only for a GET.
MAYBE_SENT_ERRORS = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


def should_retry_status(status_code: int, *, idempotent: bool) -> bool:
    """Whether an answer with this status may be retried."""
    statuses = IDEMPOTENT_RETRY_STATUSES if idempotent else EVENT_RETRY_STATUSES
    return status_code in statuses


def should_retry_exception(exc: BaseException, *, idempotent: bool) -> bool:
    """Whether a request that failed with this httpx exception may be retried."""
    if isinstance(exc, NOT_SENT_ERRORS):
        return True
    return idempotent and isinstance(exc, MAYBE_SENT_ERRORS)


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, or None when it does not say (or says nonsense).

    Reads `retry-after-ms` first, then `Retry-After` as seconds or as an HTTP-date
    (a date in the past means 0). `now` is the current epoch time, for tests.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    millis = _non_negative_float(lowered.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000
    value = lowered.get("retry-after")
    if value is None:
        return None
    seconds = _non_negative_float(value)
    if seconds is not None:
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" parses as naive; HTTP-dates are always UTC
        when = when.replace(tzinfo=datetime.timezone.utc)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def backoff_delay(retries_done: int, jitter: float) -> float:
    """Seconds to wait before retry number `retries_done + 1` when the server gave no hint.

    Doubles from INITIAL_BACKOFF up to MAX_BACKOFF, then shortens by up to JITTER;
    `jitter` is a random number in [0, 1).
    """
    delay = min(INITIAL_BACKOFF * 2**retries_done, MAX_BACKOFF)
    return delay * (1 - JITTER * jitter)


def retry_delay(retries_done: int, retry_after: float | None, jitter: float) -> float:
    """Seconds to wait before the next retry: the server's Retry-After if given, else backoff."""
    if retry_after is not None:
        return retry_after
    return backoff_delay(retries_done, jitter)


def _non_negative_float(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None
