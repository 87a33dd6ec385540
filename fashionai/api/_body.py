"""An answer's body: read (streamed, bounded in size and by the deadline) and parsed into ids.

    read_answer(response, deadline)            # -> Answer: status, headers, the body as bytes
    parse_products(answer, record, redactor)   # -> (the JSON, its ids) or ResponseFormatError
    parse_json(answer, record, redactor)       # -> the JSON of any answer, or ResponseFormatError

The client sends every request with ``stream=True`` and reads the body here, a chunk at a
time, so that neither a gzip bomb nor an endless body nor a trickle can hold more than
`MAX_ANSWER_BYTES` of memory or outlast the call's deadline. httpx's own decoders inflate
a whole chunk at once; `Inflater` never makes more than the room left. A success must be
``{"products": [ids]}`` and must not echo the app token.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from fashionai.api._shape import json_type
from fashionai.api.errors import ResponseFormatError
from fashionai.api.models import RequestRecord
from fashionai.api.redaction import Redactor

__all__ = ["ACCEPTED_ENCODINGS", "BODY_EXCERPT_CHARS", "MAX_ANSWER_BYTES", "MAX_ERROR_BODY_BYTES", "Answer",
           "AnswerTooLarge", "Inflater", "check_ids_hold_no_secret", "format_error", "parse_json", "parse_products",
           "read_answer"]

MAX_ANSWER_BYTES = 128 * 2**20
"""The most of an answer the client reads (after decompression): 128 MiB. A 1,000,000-product
category is 1,000,000 ids; at 40 characters an id, quoted, with a comma and an indent, that is
about 50 MB, so this is generous for the largest real catalog. An answer over it (a gzip bomb, an
endless body) fails with ResponseFormatError, having inflated no more than this."""
MAX_ERROR_BODY_BYTES = 64 * 2**10
"""The most of an error answer read: its start is all an error message shows."""
ACCEPTED_ENCODINGS = ("gzip", "deflate")
"""The compressions the client asks for and inflates itself, a chunk at a time up to the limit."""
BODY_EXCERPT_CHARS = 500  # how much of an unexpected answer an error keeps


class AnswerTooLarge(Exception):
    """The answer ran over the limit; nothing more of it was read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer is over {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Answer:
    """A response as read: status, headers and the (decompressed) body, no more than the limit."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    charset: str | None = None

    @property
    def text(self) -> str:
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # an unknown charset
            return self.content.decode("utf-8", errors="replace")

    def excerpt(self, redactor: Redactor) -> str:
        """The start of the body, with every form of the token blanked should a server echo it."""
        return redactor.redact(self.text)[:BODY_EXCERPT_CHARS]


class Inflater:
    """gzip or deflate, inflated a chunk at a time to no more than the room left."""

    def __init__(self, encoding: str) -> None:
        self._deflate = encoding == "deflate"
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS if self._deflate else 16 + zlib.MAX_WBITS)
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            out = self._zlib.decompress(data, room)
        except zlib.error:
            if not (self._deflate and not self._started):
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # deflate sent raw, without the zlib header
            out = self._zlib.decompress(data, room)
        self._started = True
        while self._zlib.unconsumed_tail and len(out) < room:
            out += self._zlib.decompress(self._zlib.unconsumed_tail, room - len(out))
        return out


def read_answer(response: httpx.Response, deadline: float) -> Answer:
    """The streamed `response` read by the deadline: a success whole (AnswerTooLarge over
    `MAX_ANSWER_BYTES`), an error's first `MAX_ERROR_BODY_BYTES` (or no body when it cannot be
    read: the error's status says enough). Past the deadline: httpx.ReadTimeout. A compression
    not asked for or broken: httpx.DecodingError."""
    if 200 <= response.status_code < 300:
        return _read(response, deadline, MAX_ANSWER_BYTES, cut=False)
    try:
        return _read(response, deadline, MAX_ERROR_BODY_BYTES, cut=True)
    except httpx.HTTPError:
        return Answer(response.status_code, response.headers, b"")


def _read(response: httpx.Response, deadline: float, limit: int, *, cut: bool) -> Answer:
    """Read the body, inflating it, until the deadline and up to `limit` bytes.

    Over the limit: `cut` keeps the first `limit` bytes, else AnswerTooLarge.
    """
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        inflater = None
    elif encoding in ACCEPTED_ENCODINGS or encoding == "x-gzip":
        inflater = Inflater("deflate" if encoding == "deflate" else "gzip")
    else:
        raise httpx.DecodingError(f"the answer is compressed as {encoding!r}, which the studio did not ask for",
                                  request=response.request)
    declared = response.headers.get("content-length", "")
    if not cut and inflater is None and declared.isdigit() and int(declared) > limit:
        raise AnswerTooLarge(limit)
    parts, size = [], 0
    if response.is_stream_consumed:  # a transport that answered with the whole body in memory
        chunks = iter((response.content,))
        inflater = None  # httpx has inflated it
    else:
        chunks = response.iter_raw()
    for raw in chunks:
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the call's deadline passed while the answer was arriving",
                                    request=response.request)
        room = limit - size + 1
        try:
            data = inflater.feed(raw, room) if inflater is not None else raw[:room]
        except zlib.error as err:
            raise httpx.DecodingError(f"the {encoding} compression is broken: {err}",
                                      request=response.request) from err
        size += len(data)
        parts.append(data)
        if size > limit:
            if not cut:
                raise AnswerTooLarge(limit)
            break
    content = b"".join(parts)[:limit] if cut else b"".join(parts)
    return Answer(response.status_code, response.headers, content, response.charset_encoding)


def format_error(response: Answer, record: RequestRecord, redactor: Redactor, problem: str,
                 advice: str = "Report it to Fashion.AI support.") -> ResponseFormatError:
    """The error for an answer whose body breaks the documented shape: "Fashion.AI answered
    HTTP <status>, but <problem>. <advice>", with the body's start (every form of a secret blanked)."""
    status = response.status_code
    return ResponseFormatError(
        redactor.redact(f"Fashion.AI answered HTTP {status}, but {problem}. {advice}"),
        status_code=status,
        body_excerpt=response.excerpt(redactor),
        request=record,
    )


def parse_json(response: Answer, record: RequestRecord, redactor: Redactor) -> Any:  # Any: JSON, not yet checked
    """The parsed JSON of an answer, as received; ResponseFormatError when it is not JSON."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError) as err:
        content_type = response.headers.get("content-type", "")
        if "html" in content_type or response.text.lstrip().startswith("<"):
            raise format_error(
                response, record, redactor, "with a web page (HTML) instead of JSON",
                "The base URL probably points at a website, not the API: check it.",
            ) from err
        if not response.content.strip():
            raise format_error(response, record, redactor, "the body is empty instead of JSON") from err
        raise format_error(
            response, record, redactor, "the body is not valid JSON (it may have been cut off)",
            "Try again; if it keeps happening, report it to Fashion.AI support.",
        ) from err


def parse_products(response: Answer, record: RequestRecord, redactor: Redactor) -> tuple[Any, tuple[str, ...]]:
    """The parsed body (every form of the token blanked) and its product ids, or ResponseFormatError."""

    def bad(problem: str) -> ResponseFormatError:
        return format_error(response, record, redactor, problem)

    body = parse_json(response, record, redactor)
    if not isinstance(body, dict):
        raise bad(f'the body is a JSON {json_type(body)}, not an object with "products"')
    if "products" not in body:
        raise bad('the body has no "products" list')
    products = body["products"]
    if not isinstance(products, list):
        raise bad(f'"products" is a JSON {json_type(products)}, not a list of ids')
    ids = []
    for position, item in enumerate(products, start=1):
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise bad(f"product #{position} is a JSON {json_type(item)}, not an id")
        text = str(item)
        if not text.strip():
            raise bad(f"product #{position} is an empty id")
        ids.append(text)
    check_ids_hold_no_secret(ids, response, record, redactor)
    return redactor.redact_json(body), tuple(ids)


def check_ids_hold_no_secret(ids: Sequence[str], response: Answer, record: RequestRecord, redactor: Redactor) -> None:
    """ResponseFormatError when a product id is (or holds) a secret: a server that echoes the token
    (or a looked-up value) as an id gets none of it shown or saved."""
    if redactor.holds("\n".join(ids)):
        position = next(n for n, text in enumerate(ids, start=1) if redactor.holds(text))
        raise format_error(
            response, record, redactor,
            f"product #{position} is the app token (or holds it), which an answer must never echo; "
            "the answer was not used, so the token is shown and saved nowhere",
        )
