"""handover.scrub reads a text as a reader sees it (redaction.normalise) before looking for the token and
e-mail addresses: entity-encoded, split by invisible characters or fullwidth, they are caught as the plain ones."""

from __future__ import annotations

import pytest

from fashionai.api import redaction
from fashionai.output.handover import scrub

TOKEN = "tok-SECRET-scrub-4c3b2a19"
EMAIL = "ana.souza@example.com.br"


@pytest.fixture(autouse=True)
def _protected():
    redaction.protect(TOKEN)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in text)


@pytest.mark.parametrize("encode", [
    lambda t: "".join(f"&#{ord(c)};" for c in t),
    lambda t: "".join(f"&#x{ord(c):x};" for c in t),
    "\u200b".join,
    "\u00ad".join,
    "&#8203;".join,
    fullwidth,
], ids=["decimal", "hex", "zero-width", "soft hyphen", "entity zero-width", "fullwidth"])
def test_an_encoded_token_or_e_mail_is_scrubbed(encode):
    assert scrub(f"Vestido {encode(TOKEN)}") == "Vestido [app token]"
    assert scrub(f"Vestido {encode(EMAIL)}") == "Vestido [personal data]"
    assert scrub(f"by {EMAIL.upper()}") == "by [personal data]"


def test_a_plain_text_keeps_its_words():
    assert scrub("Saia & blusa, 2x R$ 99,90") == "Saia & blusa, 2x R$ 99,90"
