"""Errors raised by the Fashion.AI client.

The tree:

* FashionAIError
  + APIConnectionError - no answer: the connection could not be made, or dropped.
    - APITimeoutError - connecting or waiting for the answer took too long.
  + APIStatusError - the API answered with a status that is not a success
    (redirects included); `.status_code`, `.body_excerpt`, `.retry_after`.
    - BadRequestError - 400
    - AuthenticationError - 401
    - PermissionDeniedError - 403
    - NotFoundError - 404
    - RateLimitError - 429
    - ServerError - 5xx
  + ResponseFormatError - a success status, but the body is not `{"products": [ids]}`.

Every error carries `.request` (a `RequestRecord`, which holds no headers) when a
request was built. Errors never hold httpx requests or responses, since those carry
the app token; the message says what happened, names the status and what to do.
Which status or failure raises which class, with which message: `fashionai.api._status`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fashionai.api.models import RequestRecord

__all__ = [
    "FashionAIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "ResponseFormatError",
]


class FashionAIError(Exception):
    """Base class of every error the client raises."""

    def __init__(self, message: str, *, request: RequestRecord | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(FashionAIError):
    """No answer: the connection could not be made, or dropped before the answer."""


class APITimeoutError(APIConnectionError):
    """Connecting, or waiting for the answer, took longer than the timeout."""


class APIStatusError(FashionAIError):
    """The API answered with a non-success status (a redirect included)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body_excerpt: str = "",
        retry_after: float | None = None,
        request: RequestRecord | None = None,
    ) -> None:
        super().__init__(message, request=request)
        self.status_code = status_code
        self.body_excerpt = body_excerpt
        self.retry_after = retry_after  # seconds the server asked us to wait, if it said


class BadRequestError(APIStatusError):
    """400: the API found the request invalid."""


class AuthenticationError(APIStatusError):
    """401: the app token is invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the token is not allowed to use this endpoint."""


class NotFoundError(APIStatusError):
    """404: wrong address (base URL) or unknown id."""


class RateLimitError(APIStatusError):
    """429: too many requests; `.retry_after` says how long to wait, if the server said."""


class ServerError(APIStatusError):
    """5xx: the API failed."""


class ResponseFormatError(FashionAIError):
    """A success status whose body is not `{"products": [ids]}`."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        body_excerpt: str = "",
        request: RequestRecord | None = None,
    ) -> None:
        super().__init__(message, request=request)
        self.status_code = status_code
        self.body_excerpt = body_excerpt
