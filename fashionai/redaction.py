"""Keep the app token out of every log record and every message shown to a user.

    redaction.protect(settings.token)   # when the token is known; safe to call on every run
    redaction.redact(text)              # "... <token> ..." -> "... [app token] ..."

`protect` installs, once per process, a wrapper around the logging record factory, so
every record made afterwards, by any logger (the app's, httpx's, httpcore's, Streamlit's,
a test's), is scrubbed before any handler or filter sees it: its message (with its
arguments), the text of its exception and its stack. Records holding no secret are left
untouched, arguments and all (uvicorn's access formatter reads ``record.args``).

The client already keeps the token out of what it writes (errors, reprs, records); this
is the net under everything else: a library that logs a request, an exception whose text
quotes a header, a traceback's locals.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable

REPLACEMENT = "[app token]"
MIN_SECRET_CHARS = 6
"""Shorter values are not scrubbed: no real token is that short, and replacing every
"abc" in every log line would make the logs useless."""

_lock = threading.Lock()
_secrets: tuple[str, ...] = ()  # longest first, so a token that contains another is replaced whole
_previous_factory: Callable[..., logging.LogRecord] | None = None


def protect(secret: str | None) -> None:
    """Scrub `secret` from every log record from now on (and install the scrubber, once)."""
    global _secrets
    if not secret or len(secret) < MIN_SECRET_CHARS:
        return
    if secret in _secrets:  # the common case, every rerun: no lock
        return
    with _lock:
        if secret not in _secrets:
            _secrets = tuple(sorted({*_secrets, secret}, key=len, reverse=True))
        _install()


def protected() -> tuple[str, ...]:
    """The secrets being scrubbed (for tests)."""
    return _secrets


def redact(text: str, secrets: tuple[str, ...] | None = None) -> str:
    """`text` with every protected secret (or each of `secrets`) replaced by REPLACEMENT."""
    for secret in _secrets if secrets is None else secrets:
        if secret and secret in text:
            text = text.replace(secret, REPLACEMENT)
    return text


def _holds_secret(text: str) -> bool:
    return any(secret in text for secret in _secrets)


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Remove protected secrets from a record's message, exception text and stack text, in place."""
    if not _secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a malformed format: the handler reports it as usual
        message = str(record.msg)
    if _holds_secret(message):
        record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[0] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if _holds_secret(text):  # keep the traceback, without the secret; no handler re-formats it
            record.exc_text, record.exc_info = redact(text), None
    elif record.exc_text and _holds_secret(record.exc_text):
        record.exc_text = redact(record.exc_text)
    if record.stack_info and _holds_secret(record.stack_info):
        record.stack_info = redact(record.stack_info)
    return record


def _install() -> None:
    """Wrap the current record factory (called under _lock, at most once)."""
    global _previous_factory
    if _previous_factory is not None:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        return scrub(previous(*args, **kwargs))

    _previous_factory = previous
    logging.setLogRecordFactory(factory)
