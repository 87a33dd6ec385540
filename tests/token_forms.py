"""Every form of an app token a hostile server could echo, and a search for them in what the app shows.

Shared by the AppTest checks (tests/pages/test_token_echo*.py) and the browser's (tests/browser/test_live_token.py).
"""

from __future__ import annotations

import base64
import re
from urllib.parse import quote, quote_plus

from tests.fakeapi import TOKEN_HEADER

TOKEN = "echo/Tok+en~" + "5f2a9c0e7b1d4386a9e0c2f4b6d8e1a3"
"""Its "/", "+" and "~" make its URL-encoded, JSON-escaped and base64 forms differ from it."""
BASE64_RUN = 20
"""Characters in a row of a base64 text that only the token's bytes decide, looked for at each offset."""
BASE64_STEP = 7
"""Such runs start every this many characters: a line break (MIME base64 wraps at 76) leaves one part of the
token's characters at least half of them long, and that part holds a whole run."""


def _b64_forms(data: bytes) -> set[str]:
    forms = set()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(data).decode()
        forms |= {encoded, encoded.rstrip("=")}
    return forms


def token_forms(token: str = TOKEN) -> tuple[str, ...]:
    """Every form of the token a server could echo, worked out here independently of fashionai.api.redaction:
    raw; URL-encoded (quote with and without "/" safe, quote_plus, lowercase escapes); JSON-escaped
    (\\uXXXX either case, \\/); base64 standard and URL-safe, with and without padding, of the token and
    of its header line; and, for the token inside any longer base64 text (wrapped in lines or not), runs
    of BASE64_RUN characters that only its bytes decide, at each of the three offsets it can start at."""
    data = token.encode()
    forms = {token, quote(token, safe=""), quote(token), quote_plus(token), quote(token, safe="").lower(),
             "".join(f"\\u{ord(c):04x}" for c in token), "".join(f"\\u{ord(c):04X}" for c in token),
             token.replace("/", "\\/"), data.hex()}
    forms |= _b64_forms(data) | _b64_forms(f"{TOKEN_HEADER}: {token}".encode())
    for offset in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            encoded = encode(b"\0" * offset + data + b"\0\0").decode()
            first = -(-8 * offset // 6) + 1  # past the character shared with what comes before
            last = 8 * (offset + len(data)) // 6 - 1  # before the character shared with what comes after
            assert -(-(last - first) // 2) >= BASE64_RUN + BASE64_STEP - 1  # the longer part of a wrapped core
            forms |= {encoded[start:start + BASE64_RUN] for start in range(first, last - BASE64_RUN + 1, BASE64_STEP)}
    return tuple(sorted(forms))


FORMS = token_forms()


def found_forms(text: str | bytes, forms: tuple[str, ...] = FORMS) -> list[str]:
    """The `forms` of the token in `text`, as it is and with Markdown's backslash escapes taken out (the
    browser shows "a\\~b" as "a~b")."""
    if isinstance(text, bytes):
        unescaped = re.sub(rb"\\(.)", rb"\1", text)
        return [form for form in forms if form.encode() in text or form.encode() in unescaped]
    unescaped = re.sub(r"\\(.)", r"\1", text)
    return [form for form in forms if form in text or form in unescaped]
