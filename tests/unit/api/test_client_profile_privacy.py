"""A profile looked up by e-mail, phone or document: the value is in no record, error, log line or answer.

A hostile server echoes the value back in every form (raw, URL-encoded, base64) in its
error bodies, its redirects and its answers; the client must show none of it.
"""

from __future__ import annotations

import base64
import copy
import logging
import traceback
from urllib.parse import quote, quote_plus

import httpx
import pytest

from fashionai.api import redaction
from fashionai.api.client import FashionAIClient
from fashionai.api.errors import FashionAIError
from fashionai.api.redaction import PERSONAL_REPLACEMENT, Redactor
from tests.api_helpers import BASE, PROFILE, TOKEN

EMAIL = "ana.souza+vip@example.com.br"
PHONE = "+55 11 98765-1234"
DOCUMENT = "123.456.789-00"


def forms(value: str) -> list[str]:
    """The forms a server may echo a value in, each of which must be found nowhere."""
    data = value.encode()
    return [value, quote(value, safe=""), quote(value), quote_plus(value), quote(value, safe="").lower(),
            base64.b64encode(data).decode(), base64.urlsafe_b64encode(data).decode().rstrip("="), data.hex()]


def echo_body(value: str) -> str:
    """An error body that quotes the value in every form, as a careless server might."""
    return " | ".join(f"no profile for {form}" for form in forms(value))


def assert_nowhere(value: str, *texts: str) -> None:
    for text in texts:
        for form in forms(value):
            assert form not in text, (form, text[:300])


def client_over(handler, seen=None, **kwargs) -> FashionAIClient:
    client = FashionAIClient(TOKEN, BASE, transport=httpx.MockTransport(handler),
                             on_exchange=(seen.append if seen is not None else None), **kwargs)
    client._sleep = lambda seconds: None
    return client


def error_texts(err: FashionAIError) -> list[str]:
    return [str(err), repr(err), err.message, getattr(err, "body_excerpt", ""), repr(err.request),
            "".join(traceback.format_exception(err))]


def log_texts(caplog) -> list[str]:
    texts = []
    for record in caplog.records:
        texts.append(record.getMessage())
        if record.exc_info:
            texts.append("".join(traceback.format_exception(*record.exc_info)))
        texts.append(record.exc_text or "")
    return texts


FAILURES = {
    "400 echoing it": lambda request: httpx.Response(400, text=echo_body(EMAIL)),
    "404 echoing it": lambda request: httpx.Response(404, text=echo_body(EMAIL)),
    "429 echoing it": lambda request: httpx.Response(429, headers={"Retry-After": "90"}, text=echo_body(EMAIL)),
    "500 echoing it": lambda request: httpx.Response(500, text=echo_body(EMAIL)),
    "418 echoing it": lambda request: httpx.Response(418, text=echo_body(EMAIL)),
    "redirect to it": lambda request: httpx.Response(302, headers={"Location": str(request.url)}),
    "200 broken, echoing it": lambda request: httpx.Response(200, text="<html>" + echo_body(EMAIL)),
    "200 wrong shape, echoing it": lambda request: httpx.Response(200, json={"profile": EMAIL, "userProfileId": 1}),
    "dropped, naming the URL": lambda request: (_ for _ in ()).throw(
        httpx.ReadError(f"connection dropped while reading {request.url}", request=request)),
    "refused, naming the URL": lambda request: (_ for _ in ()).throw(
        httpx.ConnectError(f"cannot reach {request.url}", request=request)),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_an_email_lookup_that_fails_shows_the_value_nowhere(failure, caplog):
    caplog.set_level(logging.DEBUG)
    seen = []
    with client_over(FAILURES[failure], seen) as client, pytest.raises(FashionAIError) as caught:
        client.profile(EMAIL, kind="email")

    err = caught.value
    assert err.request.url == f"{BASE}/crm/protected/profile/email/a***@e***.br"
    assert_nowhere(EMAIL, *error_texts(err), *log_texts(caplog))
    assert seen == []  # a profile never reaches the observer


def test_the_404_names_the_masked_email_and_the_excerpt_says_what_was_blanked():
    with client_over(FAILURES["404 echoing it"]) as client, pytest.raises(FashionAIError) as caught:
        client.profile(EMAIL, kind="email")
    assert str(caught.value).startswith("Fashion.AI has no profile for the e-mail a***@e***.br (HTTP 404)")
    assert PERSONAL_REPLACEMENT in caught.value.body_excerpt


def test_httpx_logs_the_request_without_the_value(caplog):
    caplog.set_level(logging.INFO)
    with client_over(lambda request: httpx.Response(200, json=PROFILE)) as client:
        client.profile(EMAIL, kind="email")
    [line] = [r.getMessage() for r in caplog.records if r.name == "httpx"]  # httpx did log the request
    assert "/crm/protected/profile/email/" in line
    assert_nowhere(EMAIL, line)


@pytest.mark.parametrize(("value", "kind", "masked"),
                         [(EMAIL, "email", "a***@e***.br"), (PHONE, "phone", "***-1234"),
                          (DOCUMENT, "document", "***-8900")])
def test_a_found_profile_holds_the_value_nowhere_even_when_the_answer_echoes_it(value, kind, masked, caplog):
    caplog.set_level(logging.DEBUG)
    body = copy.deepcopy(PROFILE)
    body["profile"]["perfil_cliente"]["descricao_geral"] = f"Cliente {value} ({base64.b64encode(value.encode())})"
    body["profile"]["ganchos_conteudo"] = [quote(value, safe="")]
    seen = []
    with client_over(lambda request: httpx.Response(200, json=body), seen) as client:
        answer = client.profile(f"  {value} ", kind=kind)

    assert answer.shown == masked
    assert answer.request.url == f"{BASE}/crm/protected/profile/{kind}/{quote(masked, safe='@*')}"
    assert answer.profile.customer.description.startswith(f"Cliente {PERSONAL_REPLACEMENT}")
    assert_nowhere(value, repr(answer), str(answer.response_body), repr(answer.profile), *log_texts(caplog))
    assert seen == []


def test_a_retried_lookup_logs_the_retry_without_the_value(caplog):
    caplog.set_level(logging.DEBUG)
    answers = [httpx.Response(503, text=echo_body(EMAIL)), httpx.Response(200, json=PROFILE)]
    with client_over(lambda request: answers.pop(0)) as client:
        assert client.profile(EMAIL, kind="email").attempts == 2
    assert any("retrying" in r.getMessage() for r in caplog.records)
    assert_nowhere(EMAIL, *log_texts(caplog))


def test_the_value_is_scrubbed_only_inside_its_call(caplog):
    caplog.set_level(logging.INFO)
    with client_over(lambda request: httpx.Response(200, json=PROFILE)) as client:
        client.profile(EMAIL, kind="email")
    logging.getLogger("tests.privacy").info("after the call: %s", EMAIL)
    assert caplog.records[-1].getMessage() == f"after the call: {EMAIL}"


def test_a_user_profile_id_is_no_secret():
    client = client_over(lambda request: httpx.Response(404, text="no profile up-9"))
    with client, pytest.raises(FashionAIError) as caught:
        client.profile("up-9")
    assert str(caught.value).startswith("Fashion.AI has no profile for user profile id 'up-9' (HTTP 404)")
    assert caught.value.body_excerpt == "no profile up-9"
    assert caught.value.request.url.endswith("/user-profile-id/up-9")


# --------------------------------------------------------------------------- the redaction it relies on


def test_a_chained_redactor_gives_each_secret_its_own_replacement():
    chained = Redactor(("tok-123456",), then=Redactor(("ana@x.br",), min_chars=1, replacement="[personal data]"))
    text = "tok-123456 asked for ana%40x.br"
    assert chained.holds(text) and chained.holds("ana@x.br") and not chained.holds("nothing")
    assert chained.redact(text) == "[app token] asked for [personal data]"
    assert chained.redact_json({"k": ["ana@x.br", 5]}) == {"k": ["[personal data]", 5]}
    assert "ana" not in repr(chained)


def test_hidden_scrubs_log_records_made_inside_the_block_only(caplog):
    caplog.set_level(logging.INFO)
    logger = logging.getLogger("tests.hidden")
    secret = Redactor(("98765-1234",), min_chars=1, replacement="[personal data]")
    with redaction.hidden(secret):
        logger.info("phone %s", "98765-1234")
        try:
            raise ValueError("bad phone 98765-1234")
        except ValueError:
            logger.exception("failed")
    logger.info("phone %s", "98765-1234")
    inside, failed, outside = caplog.records[-3:]
    assert inside.getMessage() == "phone [personal data]"
    assert "98765-1234" not in (failed.exc_text or "") and failed.exc_info is None
    assert outside.getMessage() == "phone 98765-1234"
