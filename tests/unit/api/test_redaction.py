"""fashionai.api.redaction: the app token is scrubbed from every log record, whoever logs it."""

from __future__ import annotations

import logging

import pytest

from fashionai.api import redaction

TOKEN = "tok-SECRET-redact-5e6f7a8b"


@pytest.fixture(autouse=True)
def _protected():
    redaction.protect(TOKEN)


def test_redact_replaces_every_protected_secret():
    assert redaction.redact(f"a {TOKEN} b {TOKEN}") == "a [app token] b [app token]"
    assert redaction.redact("nothing to hide") == "nothing to hide"
    assert redaction.redact("x-abc-y", ("abc",)) == "x-[app token]-y"


def test_a_longer_secret_containing_another_is_replaced_whole():
    redaction.protect(TOKEN + "-extended")
    assert redaction.redact(f"{TOKEN}-extended") == "[app token]"


def test_too_short_or_missing_values_are_not_protected():
    for value in (None, "", "abc", "12345"):
        redaction.protect(value)
    assert not {None, "", "abc", "12345"} & set(redaction.protected())
    assert redaction.redact("abc 12345") == "abc 12345"


def test_protect_is_idempotent_and_installs_one_factory():
    factory = logging.getLogRecordFactory()
    redaction.protect(TOKEN)
    redaction.protect(TOKEN)
    assert logging.getLogRecordFactory() is factory
    assert redaction.protected().count(TOKEN) == 1


@pytest.mark.parametrize("name", ["fashionai.ui", "httpx", "httpcore.http11", "streamlit.runtime", "some.library"])
def test_no_logger_writes_the_token_at_any_level(caplog, name):
    caplog.set_level(logging.DEBUG)
    logger = logging.getLogger(name)
    logger.debug("header X-FashionAI-APP-Token: %s", TOKEN)
    logger.info(f"formatted before logging: {TOKEN}")  # noqa: G004 - the case under test
    logger.warning("in a dict: %(token)s", {"token": TOKEN})
    assert len(caplog.records) == 3
    assert TOKEN not in caplog.text
    assert caplog.text.count("[app token]") == 3


def test_tracebacks_keep_their_story_without_the_token(caplog):
    caplog.set_level(logging.DEBUG)
    try:
        raise RuntimeError(f"the server echoed {TOKEN}")
    except RuntimeError:
        logging.getLogger("fashionai.test").exception("it failed")
    logging.getLogger("fashionai.test").error("where", stack_info=True, extra={"note": 1})
    assert TOKEN not in caplog.text
    assert "RuntimeError: the server echoed [app token]" in caplog.text
    assert "Traceback (most recent call last)" in caplog.text


def test_records_without_the_token_are_left_as_they_were():
    """uvicorn's access formatter reads record.args: they must survive."""
    make = logging.getLogRecordFactory()
    record = make("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s"', ("127.0.0.1", "GET", "/"), None)
    assert record.args == ("127.0.0.1", "GET", "/")
    assert record.msg == '%s - "%s %s"'
    scrubbed = make("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s"', ("127.0.0.1", "GET", TOKEN), None)
    assert scrubbed.getMessage() == '127.0.0.1 - "GET [app token]"'


def test_a_malformed_record_is_not_made_worse(caplog):
    caplog.set_level(logging.INFO)
    record = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "%d apples", ("many",), None)
    assert record.args == ("many",)  # the handler reports the bad format, as it always does


def test_base64_wrapped_in_lines_as_mime_writes_it_is_redacted():
    """A header dump base64-encoded and wrapped at 76 characters hides the token across a line break."""
    import base64
    import textwrap

    from fashionai.api.redaction import Redactor

    token = "tok-" + "k3Y9" * 12
    encoded = base64.b64encode(f"X-Other: 1\r\nX-FashionAI-APP-Token: {token}\r\n".encode()).decode()
    wrapped = "\n".join(textwrap.wrap(encoded, 76))
    assert any(base64.b64encode(token.encode()).decode()[4:20] not in line for line in wrapped.splitlines())
    redacted = Redactor([token]).redact(wrapped)
    joined = redacted.replace("\n", "")
    for shift in range(3):  # the token's bytes at each of base64's three alignments
        core = base64.b64encode(b"x" * shift + token.encode()).decode()[4:-4]
        assert core[:16] not in joined and core[-16:] not in joined
    assert not Redactor([token]).holds(redacted)


def test_a_token_of_digits_echoed_as_a_json_number_is_redacted():
    from fashionai.api.redaction import Redactor

    token = "123456789012345678"
    cleaned = Redactor([token]).redact_json({"headers": {"token": int(token)}, "products": ["1"]})
    assert token not in repr(cleaned)
    assert cleaned["products"] == ["1"]
