"""Which error a failed call raises, and what its message says: two tables, messages beside them.

    STATUS_ERRORS     an HTTP status (or a range) -> error class and message template
    TRANSPORT_ERRORS  an httpx failure with no answer -> error class and message template

The first row that matches wins; a status no row names is an `APIStatusError` with
`UNEXPECTED_STATUS`. A message's fields are filled in by `status_error` and
`transport_error` (listed above each table). Every message says what happened, names the
status, says what to do, and holds no form of the app token (each is passed through the
client's `Redactor`). The error classes themselves are drawn in `fashionai.api.errors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from fashionai.api._body import Answer
from fashionai.api._retry import NOT_SENT_ERRORS
from fashionai.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    FashionAIError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
)
from fashionai.api.models import DEFAULT_BASE_URL, RequestRecord
from fashionai.api.redaction import Redactor

__all__ = ["MAYBE_RECORDED", "PRODUCT_NOT_FOUND", "PROFILE_NOT_FOUND", "STATUS_ERRORS", "TRANSPORT_ERRORS",
           "UNEXPECTED_STATUS", "one_line", "status_error", "too_large_error", "transport_error"]

@dataclass(frozen=True)
class StatusRow:
    statuses: range
    error: type[APIStatusError]
    message: str


# Fields: {status}; {detail} ": <the body's start>" or ""; {url} the URL asked; {base_url} the
# default base URL, as an example; {target} " to <Location>" or ""; {wait} "Wait <Retry-After> s"
# or "Wait a minute"; {advice} "<wait> and try again" when the server said how long, else
# "Try again in a moment".
STATUS_ERRORS = (
    StatusRow(range(300, 400), APIStatusError,
              "Fashion.AI answered with a redirect (HTTP {status}){target}, which the client does not follow. "
              "The endpoint address is probably wrong: check the base URL (it should look like {base_url})."),
    StatusRow(range(400, 401), BadRequestError,
              "Fashion.AI rejected the request as invalid (HTTP 400){detail}. Check the session id and the ids sent."),
    StatusRow(range(401, 402), AuthenticationError,
              "Fashion.AI rejected the app token (HTTP 401). Check FASHIONAI_APP_TOKEN or the token in "
              ".streamlit/secrets.toml; it may be expired."),
    StatusRow(range(403, 404), PermissionDeniedError,
              "Fashion.AI refused access (HTTP 403): the app token is not allowed to use this endpoint. Check the "
              "token's permissions in the Fashion.AI dashboard or ask Fashion.AI support."),
    StatusRow(range(404, 405), NotFoundError,
              "Fashion.AI found nothing at {url} (HTTP 404). Check the base URL (it should look like {base_url}) "
              "and the id sent."),
    StatusRow(range(429, 430), RateLimitError,
              "Fashion.AI is limiting how often this app may call it (HTTP 429). {wait} and try again."),
    StatusRow(range(500, 600), ServerError,
              "Fashion.AI had a server error (HTTP {status}). {advice}; if it keeps happening, contact "
              "Fashion.AI support."),
)
UNEXPECTED_STATUS = StatusRow(
    range(0), APIStatusError,
    "Fashion.AI answered with an unexpected HTTP {status}{detail}. Check the request and the base URL; if it "
    "keeps happening, contact Fashion.AI support.",
)


@dataclass(frozen=True)
class TransportRow:
    failure: type[httpx.HTTPError]
    error: type[FashionAIError]
    message: str


# Fields: {host} the API's host; {timeout} the client's timeout in seconds; {detail} " (<httpx's
# words>)" or ""; {maybe_recorded} a sentence when a POST may have reached the server (so it
# was not sent again), else "". Order matters: the timeouts are subclasses of one another's base.
TRANSPORT_ERRORS = (
    TransportRow(httpx.ConnectTimeout, APITimeoutError,
                 "Timed out connecting to Fashion.AI at {host}. Check the network connection and the base URL, "
                 "then try again."),
    TransportRow(httpx.PoolTimeout, APITimeoutError,
                 "Every connection to Fashion.AI stayed busy for {timeout:g} s: too many calls at once. Try again "
                 "in a moment."),
    TransportRow(httpx.TimeoutException, APITimeoutError,
                 "Fashion.AI did not answer within {timeout:g} s. The API may be slow or down; try again later or "
                 "raise the timeout on the Settings page.{maybe_recorded}"),
    TransportRow(httpx.ConnectError, APIConnectionError,
                 "Could not connect to Fashion.AI at {host}{detail}. Check the network connection and the base "
                 "URL."),
    TransportRow(httpx.DecodingError, ResponseFormatError,
                 "Fashion.AI's answer could not be decoded{detail}. Try again; if it keeps happening, report it "
                 "to Fashion.AI support."),
    TransportRow(httpx.HTTPError, APIConnectionError,
                 "The connection to Fashion.AI failed before an answer arrived{detail}. Try again; if it keeps "
                 "happening, check the network and the base URL.{maybe_recorded}"),
)
MAYBE_RECORDED = " The request may already have been recorded, so it was not sent again."
"""Said of a POST (an event, or similar products) that failed after it may have reached the server."""

# The 404 of a call whose answer names what is missing (`status_error(..., not_found=...)`).
# Fields: {product} the product id, quoted; {who} the profile looked up, as it may be shown.
PRODUCT_NOT_FOUND = (
    "Fashion.AI does not know product {product} (HTTP 404): it may not be in the catalog Fashion.AI imported, "
    "or it was taken out of it. Check the product id; a product added lately appears after Fashion.AI's next "
    "catalog import."
)
PROFILE_NOT_FOUND = (
    "Fashion.AI has no profile for {who} (HTTP 404). Check what was typed, or look the shopper up another way."
)

TOO_LARGE = (
    "Fashion.AI answered, but the answer is larger than {megabytes} MB, the most the studio reads (a category of "
    "a million products takes well under half of that), so it was not read further. Report it to Fashion.AI "
    "support."
)


def status_error(
    answer: Answer, record: RequestRecord, retry_after: float | None, attempts: int, redactor: Redactor,
    *, not_found: str | None = None,
) -> APIStatusError:
    """The error for a non-success `answer`, by the first row of `STATUS_ERRORS` naming its status;
    a 404 says `not_found` instead when given (a call that knows what is missing)."""
    status = answer.status_code
    row = next((row for row in STATUS_ERRORS if status in row.statuses), UNEXPECTED_STATUS)
    if not_found is not None and status == 404:
        row = StatusRow(row.statuses, NotFoundError, not_found.replace("{", "{{").replace("}", "}}"))
    body = answer.excerpt(redactor)
    location = answer.headers.get("location")
    wait = f"Wait {retry_after:g} s" if retry_after is not None else "Wait a minute"
    message = row.message.format(
        status=status,
        detail=f": {one_line(body)}" if body.strip() else "",
        url=record.url,
        base_url=DEFAULT_BASE_URL,
        target=f" to {one_line(redactor.redact(location))}" if location else "",
        wait=wait,
        advice=f"{wait} and try again" if retry_after is not None else "Try again in a moment",
    )
    return row.error(
        redactor.redact(message) + _gave_up(attempts), status_code=status, body_excerpt=body,
        retry_after=retry_after, request=record,
    )


def transport_error(
    err: httpx.HTTPError, record: RequestRecord, attempts: int, timeout: float, redactor: Redactor
) -> FashionAIError:
    """Our error for an httpx failure that produced no answer, by the first row of `TRANSPORT_ERRORS`."""
    row = next(row for row in TRANSPORT_ERRORS if isinstance(err, row.failure))
    message = row.message.format(
        host=urlsplit(record.url).netloc,
        timeout=timeout,
        detail=f" ({err})" if str(err) else "",
        maybe_recorded=MAYBE_RECORDED if record.method == "POST" and not isinstance(err, NOT_SENT_ERRORS) else "",
    )
    if row.error is ResponseFormatError:  # an answer arrived, undecodable: no attempt gave up
        return ResponseFormatError(redactor.redact(message), request=record)
    return row.error(redactor.redact(message + _gave_up(attempts)), request=record)


def too_large_error(record: RequestRecord, limit: int) -> ResponseFormatError:
    """The error for an answer over `limit` bytes (after decompression)."""
    return ResponseFormatError(TOO_LARGE.format(megabytes=limit // 2**20), request=record)


def one_line(text: str, limit: int = 200) -> str:
    """`text` on one line (its whitespace collapsed), cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _gave_up(attempts: int) -> str:
    return f" Gave up after {attempts} attempts." if attempts > 1 else ""
