"""The token (and a looked-up personal value) echoed in the forms a browser decodes on its own: HTML
character references, invisible characters between its letters, fullwidth letters, reversed.

A table of every encoding x every place an answer can carry it (a ranking's extra field and its ids,
a collection's texts and ids, every text of a profile, an error body, JSON-escaped or not), over
httpx.MockTransport. What the client gives back is looked at as a person sees it (`visible`, worked
out here without fashionai.api.redaction): no form of the token may be left.
"""

from __future__ import annotations

import copy
import json
import re

import httpx
import pytest

from fashionai.api.errors import FashionAIError, ResponseFormatError
from fashionai.api.redaction import PERSONAL_REPLACEMENT, REPLACEMENT, Redactor, normalise
from tests.api_helpers import BASE, COLLECTION, PROFILE
from tests.fakeapi import BROWSER_FORMS, fullwidth, visible

TOKEN = "echo/Tok+en~5f2a9c0e7b1d4386a9e0c2f4b6d8e1a3"
ENCODINGS = BROWSER_FORMS


def unescaped(text: str) -> str:
    """`text` with its JSON \\uXXXX escapes decoded (an error's excerpt is the body as it came)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


def assert_no_token(*texts: str) -> None:
    for text in texts:
        for seen in (visible(text), visible(unescaped(text))):
            assert TOKEN not in seen and TOKEN[::-1] not in seen, text[:300]


def answered(body: dict | str, status: int = 200):
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, str):
            return httpx.Response(status, text=body, headers={"content-type": "application/json"})
        return httpx.Response(status, json=body)
    return handler


def every_text(value, change):
    """`value` (parsed JSON) with `change` applied to every string in it (keys kept)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [every_text(item, change) for item in value]
    if isinstance(value, dict):
        return {key: every_text(item, change) for key, item in value.items()}
    return value


def shown(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=repr) + repr(value)


def error_texts(err: FashionAIError) -> str:
    return "\n".join([str(err), err.message, getattr(err, "body_excerpt", "") or ""])


@pytest.fixture(params=list(ENCODINGS), ids=list(ENCODINGS))
def echoed(request) -> str:
    """The token in one encoding (and the encoding's check that it is not the token as it is)."""
    form = ENCODINGS[request.param](TOKEN)
    assert TOKEN not in form
    assert TOKEN in visible(form) or TOKEN[::-1] in visible(form)
    return form


def test_the_ranking_s_extra_field_is_blanked(echoed):
    body = {"products": ["1", "2"], "debug": f"sent {echoed}", "nested": {"echo": [echoed]}}
    answer = _client(answered(body)).category_view("s", "c")
    assert answer.products == ("1", "2")
    assert_no_token(shown(answer.response_body), repr(answer))
    assert REPLACEMENT in shown(answer.response_body)


def _client(handler):
    from fashionai.api.client import FashionAIClient

    client = FashionAIClient(TOKEN, BASE, transport=httpx.MockTransport(handler))
    client._sleep = lambda seconds: None
    return client


def test_the_token_as_a_product_id_refuses_the_ranking(echoed):
    with pytest.raises(ResponseFormatError, match="app token") as caught:
        _client(answered({"products": ["1", echoed]})).category_view("s", "c")
    assert_no_token(error_texts(caught.value))


@pytest.mark.parametrize("field", ["collectionName", "collectionDescription", "sliceName"])
def test_every_text_of_a_collection_is_blanked(echoed, field):
    body = {**copy.deepcopy(COLLECTION), field: f"Inverno {echoed}"}
    answer = _client(answered(body)).collection("1")
    assert_no_token(shown(answer.slice), shown(answer.response_body), repr(answer))
    assert REPLACEMENT in shown(answer.slice)


def test_the_token_as_a_collection_s_product_id_refuses_it(echoed):
    body = copy.deepcopy(COLLECTION)
    body["products"][0]["productId"] = echoed
    with pytest.raises(ResponseFormatError, match="app token") as caught:
        _client(answered(body)).collection("1")
    assert_no_token(error_texts(caught.value))


def test_every_text_of_a_profile_is_blanked(echoed):
    body = every_text(PROFILE, lambda text: f"{text} {echoed}")
    answer = _client(answered(body)).profile("u-90")
    assert_no_token(shown(answer.profile), shown(answer.response_body), repr(answer))
    assert answer.profile.customer.style == f"Minimalista {REPLACEMENT}"


@pytest.mark.parametrize("ascii_only", [False, True], ids=["as written", "JSON-escaped"])
@pytest.mark.parametrize("status", [400, 401, 404, 500])
def test_an_error_body_is_blanked(echoed, status, ascii_only):
    body = json.dumps({"error": f"invalid token {echoed}"}, ensure_ascii=ascii_only)
    with pytest.raises(FashionAIError) as caught:
        _client(answered(body, status)).profile("u-90")
    assert_no_token(error_texts(caught.value))
    assert REPLACEMENT in caught.value.body_excerpt


# --------------------------------------------------------------------------- personal data the same way


PHONE = "+55 (11) 98765-4321"
EMAIL = "ana.souza@example.com.br"
PERSONAL_ECHOES = {
    ("phone", PHONE): ["5511987654321", "55 11 987654321", "+55-11-98765-4321", "&#53;&#53;11987654321",
                       "\uff15\uff15\uff11\uff11987654321", "5\u200b5\u200b11987654321"],
    ("phone", "5511987654321"): ["+55 (11) 98765-4321", "55 11 98765 4321"],
    ("document", "123.456.789-00"): ["12345678900", "123 456 789 00", "&#49;23.456.789-00"],
    ("email", EMAIL): [EMAIL.upper(), "Ana.Souza@Example.com.br", "ana.souza&#64;example.com.br",
                       "".join(f"&#x{ord(c):x};" for c in EMAIL), "\u200b".join(EMAIL), fullwidth(EMAIL),
                       EMAIL[::-1]],
}
CASES = [(kind, value, echo) for (kind, value), echoes in PERSONAL_ECHOES.items() for echo in echoes]


def _digits(text: str) -> str:
    return "".join(c for c in visible(text) if c.isdigit())


def assert_no_personal(kind: str, value: str, *texts: str) -> None:
    for text in texts:
        seen = visible(text)
        if kind in ("phone", "document"):
            assert _digits(value) not in "".join(c for c in seen if c.isdigit() or c == "[").replace("[", " "), text
        else:
            assert value not in seen.lower() and value[::-1] not in seen.lower(), text


@pytest.mark.parametrize(("kind", "value", "echo"), CASES)
def test_a_looked_up_value_echoed_in_another_form_is_masked_in_the_profile(kind, value, echo):
    body = every_text(PROFILE, lambda text: f"{text} ({echo})")
    answer = _client(answered(body)).profile(value, kind=kind)
    assert_no_personal(kind, value, shown(answer.profile), shown(answer.response_body), repr(answer))
    assert PERSONAL_REPLACEMENT in answer.profile.customer.style


@pytest.mark.parametrize(("kind", "value", "echo"), CASES)
def test_a_looked_up_value_echoed_in_another_form_is_masked_in_an_error(kind, value, echo):
    with pytest.raises(FashionAIError) as caught:
        _client(answered(json.dumps({"error": f"no profile for {echo}"}), 404)).profile(value, kind=kind)
    assert_no_personal(kind, value, error_texts(caught.value))


def test_a_phone_echoed_as_a_json_number_is_masked():
    body = {**copy.deepcopy(PROFILE), "phone": 5511987654321}
    answer = _client(answered(body)).profile(PHONE, kind="phone")
    assert answer.response_body["phone"] == PERSONAL_REPLACEMENT


def test_ordinary_texts_are_left_as_they_are():
    """Accents, ampersands and other digits are no secret: nothing changes where nothing is hidden."""
    redactor = Redactor([TOKEN], then=Redactor([PHONE], min_chars=1, loose=True, replacement=PERSONAL_REPLACEMENT))
    for text in ("Ação & promoção", "R$ 1.299,90 &amp; 10x", "ｆｕｌｌ", "tel. 11 4002-8922", "ne~5f2a", "a\u200bb"):  # noqa: RUF001 - fullwidth on purpose
        assert redactor.redact(text) == text
        assert not redactor.holds(text)


def test_normalise_decodes_what_a_browser_decodes_and_is_free_on_plain_text():
    assert normalise("&#70;&#x41;\u200bI ｔｏｋ \\u0041") == "FAI tok A"  # noqa: RUF001 - fullwidth on purpose
    plain = "x" * 1000
    assert normalise(plain) is plain



@pytest.mark.parametrize("name", ["product", "camisa-ação"])
def test_a_long_list_of_plain_ids_is_looked_at_once_not_id_by_id(monkeypatch, name):
    """A 1,000,000-id answer is checked with a few scans of its ids joined, not a call per id (the read of a
    50 MB answer stays about its parse); an id holding the token still sends it through the walk."""
    calls = []
    redactor = Redactor([TOKEN])
    redact = Redactor.redact
    monkeypatch.setattr(Redactor, "redact", lambda self, text: calls.append(text) or redact(self, text))
    ids = [f"{name}-{n:08d}" for n in range(100_000)]
    body = {"products": ids}
    assert redactor.redact_json(body) is body
    assert calls == ["products"]
    ids[5000] = f"x {TOKEN}"  # the token in one id of the long list: the walk finds it
    assert redactor.redact_json(body)["products"][5000] == f"x {REPLACEMENT}"
    few = {"products": ids[4500:5500]}  # and in every form, in a list of 1,000 (the walk is the same, id by id)
    for form in (TOKEN, *(encode(TOKEN) for encode in ENCODINGS.values())):
        few["products"][500] = f"x {form}"
        assert redactor.redact_json(few)["products"][500] == f"x {REPLACEMENT}", form
