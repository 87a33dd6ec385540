"""The retry policy, as tables (the client's use of it is tested in test_client.py)."""

import email.utils

import httpx
import pytest

from fashionai.api import _retry
from fashionai.api._retry import (
    INITIAL_BACKOFF,
    MAX_BACKOFF,
    backoff_delay,
    parse_retry_after,
    retry_delay,
    should_retry_exception,
    should_retry_status,
)

NOW = 1_700_000_000.0  # a fixed "current time" for HTTP-date headers


def http_date(epoch: float) -> str:
    return email.utils.formatdate(epoch, usegmt=True)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "20"}, 20.0),
        ({"Retry-After": "20"}, 20.0),  # any case
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": " 7 "}, 7.0),
        ({"retry-after": "120"}, 120.0),  # over the cap is still parsed; the client decides
        ({"retry-after": "-10"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": ""}, None),
        ({"retry-after": "soon"}, None),
        ({"retry-after": http_date(NOW + 20)}, 20.0),
        ({"retry-after": http_date(NOW - 20)}, 0.0),  # a date in the past: retry now
        ({"retry-after": "Fri, 14 Nov 2023 22:13:40 -0000"}, 20.0),  # naive date read as UTC
        ({"retry-after": "Fri, 32 Nov 2023 99:99:99 GMT"}, None),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After-Ms": "250"}, 0.25),
        ({"retry-after-ms": "1500", "retry-after": "20"}, 1.5),  # ms wins
        ({"retry-after-ms": "oops", "retry-after": "20"}, 20.0),  # bad ms falls back
        ({"retry-after-ms": "-1"}, None),
    ],
)
def test_parse_retry_after_header(headers, expected):
    assert parse_retry_after(headers, now=NOW) == expected


def test_parse_retry_after_reads_httpx_headers():
    assert parse_retry_after(httpx.Headers({"Retry-After": "3"})) == 3.0


@pytest.mark.parametrize(
    ("status", "event", "ranking"),
    [
        # status, retried for an event, retried for the sales ranking (an idempotent GET)
        (200, False, False),
        (301, False, False),
        (400, False, False),
        (401, False, False),
        (403, False, False),
        (404, False, False),
        (408, False, False),
        (409, False, False),
        (429, True, True),
        (500, False, True),
        (501, False, False),
        (502, False, True),
        (503, True, True),
        (504, False, True),
    ],
)
def test_which_statuses_are_retried(status, event, ranking):
    assert should_retry_status(status, idempotent=False) is event
    assert should_retry_status(status, idempotent=True) is ranking


@pytest.mark.parametrize(
    ("exc", "event", "ranking"),
    [
        # nothing reached the server: safe to retry even an event
        (httpx.ConnectError("refused"), True, True),
        (httpx.ConnectTimeout("slow connect"), True, True),
        (httpx.PoolTimeout("pool busy"), True, True),
        # the server may have recorded the event
        (httpx.ReadTimeout("slow answer"), False, True),
        (httpx.WriteTimeout("slow upload"), False, True),
        (httpx.ReadError("reset"), False, True),
        (httpx.WriteError("broken pipe"), False, True),
        (httpx.RemoteProtocolError("dropped"), False, True),
        # never worth repeating
        (httpx.ProxyError("proxy"), False, False),
        (httpx.UnsupportedProtocol("ftp"), False, False),
        (httpx.LocalProtocolError("bad header"), False, False),
        (httpx.DecodingError("bad gzip"), False, False),
        (ValueError("not an httpx error"), False, False),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_which_failures_are_retried(exc, event, ranking):
    assert should_retry_exception(exc, idempotent=False) is event
    assert should_retry_exception(exc, idempotent=True) is ranking


@pytest.mark.parametrize(
    ("retries_done", "jitter", "expected"),
    [
        (0, 0.0, INITIAL_BACKOFF),
        (1, 0.0, INITIAL_BACKOFF * 2),
        (2, 0.0, INITIAL_BACKOFF * 4),
        (3, 0.0, INITIAL_BACKOFF * 8),
        (4, 0.0, MAX_BACKOFF),  # capped
        (50, 0.0, MAX_BACKOFF),
        (0, 1.0, INITIAL_BACKOFF * (1 - _retry.JITTER)),  # the largest shortening
        (50, 0.5, MAX_BACKOFF * (1 - _retry.JITTER / 2)),
    ],
)
def test_backoff_delay(retries_done, jitter, expected):
    assert backoff_delay(retries_done, jitter) == pytest.approx(expected)


def test_backoff_never_exceeds_the_cap_nor_reaches_zero():
    delays = [backoff_delay(n, j) for n in range(20) for j in (0.0, 0.5, 0.999)]
    assert all(0 < delay <= MAX_BACKOFF for delay in delays)


@pytest.mark.parametrize(
    ("retries_done", "retry_after", "expected"),
    [
        (0, 3.0, 3.0),  # the server's word wins
        (5, 0.0, 0.0),
        (0, None, INITIAL_BACKOFF),
        (1, None, INITIAL_BACKOFF * 2),
    ],
)
def test_retry_delay(retries_done, retry_after, expected):
    assert retry_delay(retries_done, retry_after, jitter=0.0) == expected


def test_the_cap_is_a_named_constant_in_seconds():
    assert _retry.MAX_RETRY_AFTER == 30.0
    assert {429, 503} == _retry.EVENT_RETRY_STATUSES
