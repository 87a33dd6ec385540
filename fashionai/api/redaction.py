"""Keep the app token out of every log record, every message and everything shown or stored.

    redaction.protect(settings.token)   # when the token is known; safe to call on every run
    redaction.redact(text)              # "... <token> ..." -> "... [app token] ..."
    with redaction.hidden(Redactor((token, email), min_chars=1)): ...   # scrubbed in this call's logs
    Redactor((token,)).redact_json(v)   # every string (and key) of a parsed answer

A server can echo the token in another form than the one sent, so every form below counts
as the token (`Redactor` says it once, for the client and for the logs):

    raw                 tok/en+1
    URL-encoded         tok%2Fen%2B1 (quote), tok%2fen%2b1, tok/en%2B1 (quote safe="/"),
                        a space as + (quote_plus); any mix of escaped and plain characters
    JSON-escaped        tok\\u002fen... (\\uXXXX for any character, either case), \\/ for /
    base64              standard and URL-safe, with or without padding: of the token alone and
                        of the token anywhere inside longer encoded text ("X-FashionAI-APP-Token:
                        tok...", a JSON of the request headers ...). Base64 turns every 3 bytes
                        into 4 characters, so the token can start at one of three offsets; for
                        each, the characters that only the token's own bytes decide are the
                        same whatever surrounds it, and those are what is replaced. The one or
                        two characters at each edge (shared with the neighbours) stay: they hold
                        a few bits of the token at most. Base64 wrapped in lines (MIME, PEM) counts
                        too: a line break may fall anywhere inside the form.
    hexadecimal         the token's bytes as hex digits, either case
    reversed            ne/kot (raw or escaped as above)

and every one of those forms in the text as a browser shows it (`normalise`): HTML character
references decoded (&#70;, &#x46;, &amp;), JSON \\uXXXX escapes decoded, compatibility forms
folded (NFKC: fullwidth ｔｏｋ is tok) and invisible characters dropped (zero-width spaces and
joiners, word joiner, BOM, soft hyphen, direction marks). A text that holds a secret only once
normalised is given back normalised, the secret replaced.

A `Redactor(..., loose=True)` (personal look-up values) also ignores letter case (ANA@EXAMPLE.COM)
and finds a value of digits and punctuation (a phone, a document) as its bare digits or with
other punctuation between them (+55 (11) 98765-4321 is 5511987654321).

`protect` installs, once per process, a wrapper around the logging record factory, so
every record made afterwards, by any logger (the app's, httpx's, httpcore's, Streamlit's,
a test's), is scrubbed before any handler or filter sees it: its message (with its
arguments), the text of its exception and its stack. Records holding no secret are left
untouched, arguments and all (uvicorn's access formatter reads ``record.args``).

The client already keeps the token out of what it returns (answers, errors, reprs,
records) with its own `Redactor`; the log scrubber is the net under everything else: a
library that logs a request, an exception whose text quotes a header, a traceback's locals.
"""  # noqa: RUF002 - the fullwidth letters are the example

from __future__ import annotations

import base64
import contextlib
import contextvars
import functools
import html
import logging
import re
import threading
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

REPLACEMENT = "[app token]"
PERSONAL_REPLACEMENT = "[personal data]"
"""What stands for a looked-up e-mail, phone or document (a profile call's `Redactor` of it)."""
EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[^\s@<>\"'(),;:]+")
"""Any e-mail address in a text (what a deck, a report or the activity log replaces by PERSONAL_REPLACEMENT)."""
MIN_SECRET_CHARS = 6
"""Shorter values are not scrubbed: no real token is that short, and replacing every
"abc" in every log line would make the logs useless."""

MIN_CORE_CHARS = 4
"""A base64 form shorter than this (of a very short secret given explicitly) is not looked for."""

_lock = threading.Lock()
_secrets: tuple[str, ...] = ()  # longest first, so a token that contains another is replaced whole
_previous_factory: Callable[..., logging.LogRecord] | None = None
_scoped: contextvars.ContextVar[Redactor | None] = contextvars.ContextVar("fashionai_hidden_secrets", default=None)


_INVISIBLE = dict.fromkeys((0x00AD, 0x061C, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F),
                             *range(0x2060, 0x2065), *range(0x2066, 0x2070), 0xFEFF))
"""Characters a browser draws as nothing (str.translate's table, to None): zero-width space, non-joiner
and joiner, direction marks and overrides, word joiner and invisible operators, BOM, soft hyphen."""
_ANY_INVISIBLE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_DIGIT_GAP = r"\W{0,3}"
"""Between two digits of a personal value found loosely: spaces, dots, dashes, brackets, a plus."""
MIN_LOOSE_DIGITS = 6
"""A personal value of digits and punctuation with at least this many digits is also found as its bare digits."""


def _unescape_json(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)  # half a surrogate pair: left as it is


def normalise(text: str) -> str:
    """`text` as a browser shows it, for looking for a secret: HTML character references and JSON
    \\uXXXX escapes decoded, NFKC (fullwidth and other compatibility forms folded), invisible
    characters dropped. The same object when none of that applies (an ASCII text without "&" or
    "\\u" costs three scans in C)."""
    if text.isascii() and "&" not in text and "\\u" not in text:
        return text
    shown = _JSON_ESCAPE.sub(_unescape_json, text) if "\\u" in text else text
    if "&" in shown:
        shown = html.unescape(shown)
    if not shown.isascii():
        if not unicodedata.is_normalized("NFKC", shown):
            shown = unicodedata.normalize("NFKC", shown)
        if _ANY_INVISIBLE.search(shown):  # a scan in C; translate looks every character up
            shown = shown.translate(_INVISIBLE)
    return text if shown == text else shown


_LINE_BREAK = r"(?:\r?\n)?"
"""Between two characters of a base64 form: MIME (and PEM) write base64 in lines of 76 (64) characters."""


def _char_pattern(char: str) -> str:
    """One character of the token, plain or escaped (URL, JSON, and + for a space)."""
    code = ord(char)
    forms = [re.escape(char)]
    if code < 0x100:
        forms.append(f"(?i:%{code:02x})")
    forms.append(f"(?i:\\\\u{code:04x})")
    if char == "/":
        forms.append(r"\\/")
    if char == " ":
        forms.append(r"\+")
    return "(?:" + "|".join(forms) + ")"


def base64_cores(secret: str) -> tuple[str, ...]:
    """The base64 characters decided by the secret's bytes alone, at each of the three
    offsets it can start at inside longer encoded text; standard and URL-safe alphabets."""
    data = secret.encode()
    cores = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data + b"\0\0").decode()
        first = -(-8 * offset // 6)  # the first character whose 6 bits are all the secret's
        last = 8 * (offset + len(data)) // 6  # one past the last such character
        core = encoded[first:last]
        cores.add(core)
        cores.add(core.translate(str.maketrans("+/", "-_")))
    return tuple(sorted(cores, key=len, reverse=True))


class Redactor:
    """Finds and replaces every form of some secrets (see the module docstring)."""

    def __init__(self, secrets: Iterable[str | None], *, min_chars: int = MIN_SECRET_CHARS,
                 replacement: str = REPLACEMENT, then: Redactor | None = None, loose: bool = False) -> None:
        """`replacement` stands for every form of `secrets`; `then`, if given, redacts the text after
        this one (a second set of secrets with its own replacement). `loose` (for personal look-up
        values, in small answers: every text is searched) ignores letter case and finds a value of
        digits and punctuation as its digits, whatever stands between them."""
        self.replacement = replacement
        self.then = then
        self.secrets = tuple(sorted({s for s in secrets if s and len(s) >= min_chars}, key=len, reverse=True))
        plain: set[str] = set()  # forms that are fixed strings
        cores: set[str] = set()  # base64 forms, which may be wrapped in lines
        escaped = []  # per character, plain or escaped
        digits = []  # loose: a value of digits and punctuation, as its digits with any punctuation between
        self._triggers = {"%", "\\"}  # every escaped form holds one of these
        for secret in self.secrets:
            plain.update((secret.encode().hex(), secret.encode().hex().upper()))
            cores.update(core for core in base64_cores(secret) if len(core) >= MIN_CORE_CHARS)
            escaped.append("".join(_char_pattern(c) for c in secret))
            if len(secret) > 1 and secret[::-1] != secret:
                plain.add(secret[::-1])
                escaped.append("".join(_char_pattern(c) for c in reversed(secret)))
            if " " in secret:
                self._triggers.add("+")
            bare = re.sub(r"\D", "", secret)
            if loose and len(bare) >= MIN_LOOSE_DIGITS and not any(c.isalpha() for c in secret):
                digits.append(_DIGIT_GAP.join(bare))
        plain -= set(self.secrets)
        cores -= set(self.secrets)
        self._cores = tuple(sorted(cores, key=len, reverse=True))  # also looked for across line breaks
        self._literals = tuple(sorted({*self.secrets, *plain, *cores}, key=len, reverse=True))
        self._loose = loose
        alternatives = (escaped + [re.escape(form) for form in sorted(plain, key=len, reverse=True)]
                        + [_LINE_BREAK.join(map(re.escape, core)) for core in sorted(cores, key=len, reverse=True)]
                        + digits)
        flags = re.IGNORECASE if loose else 0
        self._pattern = re.compile("|".join(alternatives), flags) if alternatives else None

    def __bool__(self) -> bool:
        return bool(self.secrets) or bool(self.then)

    def __repr__(self) -> str:  # never the secrets
        more = f", then {self.then!r}" if self.then is not None else ""
        return f"<Redactor of {len(self.secrets)} secret(s){more}>"

    def _may_hold(self, text: str) -> bool:
        """A fast test with no false negatives: the fixed forms, else an escape character (a loose
        redactor: always)."""
        if self._loose or any(t in text for t in self._triggers) or any(lit in text for lit in self._literals):
            return True
        if self._cores and "\n" in text:  # a base64 form wrapped in lines: whole once the breaks are taken out
            joined = text.replace("\r", "").replace("\n", "")
            return any(core in joined for core in self._cores)
        return False

    def _quiet(self, text: str) -> bool:
        """Whether `text` (lines) is as a browser shows it (no backslash, no "&", NFKC, no invisible
        character) and holds no sign of any secret (this one's or a `then`'s): then no line of it needs
        redacting, as it is or normalised (NFKC works line by line: a line break never composes)."""
        if "\\" in text or "&" in text:
            return False
        if not text.isascii() and (not unicodedata.is_normalized("NFKC", text) or _ANY_INVISIBLE.search(text)):
            return False
        redactor: Redactor | None = self
        while redactor is not None:
            if redactor._pattern is not None and redactor._may_hold(text):
                return False
            redactor = redactor.then
        return True

    def _finds(self, text: str) -> bool:
        return self._pattern is not None and self._may_hold(text) and self._pattern.search(text) is not None

    def holds(self, text: str) -> bool:
        """Whether `text`, as it is or as a browser shows it (`normalise`), holds any form of a secret."""
        if self._pattern is not None:
            if self._finds(text):
                return True
            shown = normalise(text)
            if shown is not text and self._finds(shown):
                return True
        return self.then is not None and self.then.holds(text)

    def redact(self, text: str) -> str:
        """`text` with every form of every secret replaced by its replacement (REPLACEMENT by default);
        normalised (`normalise`) when a secret is only found so."""
        if self._pattern is not None:
            if self._may_hold(text):
                text = self._pattern.sub(self.replacement, text)
            shown = normalise(text)
            if shown is not text and self._finds(shown):
                text = self._pattern.sub(self.replacement, shown)
        return text if self.then is None else self.then.redact(text)

    def redact_json(self, value: Any) -> Any:  # Any: any JSON value, given back in its shape
        """A parsed JSON value with every string in it, keys included, redacted, and a number that
        is a secret (a token of digits echoed as a number) replaced by its replacement; the same object
        when nothing needed it.

        A list of strings (an answer's product ids) is first looked at once, joined: when that text
        shows no sign of a secret (`_quiet`), no string of it can hold one, and it is given back
        without a call per string (a 1,000,000-id answer costs a few scans)."""
        if not self:
            return value
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if self._pattern is not None and self._pattern.search(repr(value)) is not None:
                return self.replacement
            return value if self.then is None else self.then.redact_json(value)
        if isinstance(value, list):
            if value and set(map(type, value)) == {str} and self._quiet("\n".join(value)):
                return value
            items = [self.redact_json(item) for item in value]
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        if isinstance(value, dict):
            pairs = [(self.redact(k) if isinstance(k, str) else k, self.redact_json(v)) for k, v in value.items()]
            same = all(k is k0 and v is v0 for (k, v), (k0, v0) in zip(pairs, value.items(), strict=True))
            return value if same else dict(pairs)
        return value


@functools.lru_cache(maxsize=8)
def _redactor(secrets: tuple[str, ...], min_chars: int) -> Redactor:
    return Redactor(secrets, min_chars=min_chars)


def protect(secret: str | None) -> None:
    """Scrub `secret`, in every form, from every log record from now on (and install the scrubber, once)."""
    global _secrets  # noqa: PLW0603 - one set of secrets for the process's logging, swapped whole under _lock
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


def redactor(secrets: tuple[str, ...] | None = None) -> Redactor:
    """The `Redactor` of the protected secrets (or of `secrets`, however short), built once per set."""
    return _redactor(_secrets, MIN_SECRET_CHARS) if secrets is None else _redactor(tuple(secrets), 1)


def redact(text: str, secrets: tuple[str, ...] | None = None) -> str:
    """`text` with every form of every protected secret (or of each of `secrets`) replaced by REPLACEMENT."""
    return redactor(secrets).redact(text)


@contextlib.contextmanager
def hidden(secrets: Redactor) -> Iterator[None]:
    """Scrub the secrets of `secrets` too, in every form, from every log record made in this
    context (this thread, or this task) until the block ends; other threads are not touched.
    For a value that is secret for one call only (an e-mail looked up, say): a library that
    logs the request's address (httpx does, at INFO) logs it inside the call."""
    with _lock:
        _install()
    reset = _scoped.set(secrets)
    try:
        yield
    finally:
        _scoped.reset(reset)


def scrub_exception(err: BaseException | None, secrets: Redactor) -> None:
    """Blank the secrets in the message of `err` and of each exception it was raised from or
    during, in place: a traceback of an error raised from it prints their messages (an httpx
    error may name the URL asked, and a profile's URL holds the looked-up value)."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if any(isinstance(arg, str) and secrets.holds(arg) for arg in err.args):
            err.args = tuple(secrets.redact(arg) if isinstance(arg, str) else arg for arg in err.args)
        err = err.__cause__ or err.__context__


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Remove protected secrets (and those of an enclosing `hidden` block) from a record's message,
    exception text and stack text, in place."""
    for secrets in (redactor() if _secrets else None, _scoped.get()):
        if secrets:
            _scrub_with(record, secrets)
    return record


def _scrub_with(record: logging.LogRecord, secrets: Redactor) -> None:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed format: the handler reports it as usual
        message = str(record.msg)
    if secrets.holds(message):
        record.msg, record.args = secrets.redact(message), None
    if record.exc_info and record.exc_info[0] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if secrets.holds(text):  # keep the traceback, without the secret; no handler re-formats it
            record.exc_text, record.exc_info = secrets.redact(text), None
    elif record.exc_text and secrets.holds(record.exc_text):
        record.exc_text = secrets.redact(record.exc_text)
    if record.stack_info and secrets.holds(record.stack_info):
        record.stack_info = secrets.redact(record.stack_info)


def _install() -> None:
    """Wrap the current record factory (called under _lock, at most once)."""
    global _previous_factory  # noqa: PLW0603 - logging's record factory is process-wide: installed once
    if _previous_factory is not None:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        return scrub(previous(*args, **kwargs))

    _previous_factory = previous
    logging.setLogRecordFactory(factory)
