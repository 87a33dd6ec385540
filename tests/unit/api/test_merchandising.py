"""The shapes of the merchandising answers (collections, profiles) and their local checks, as tables."""

import copy
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from fashionai.api._shape import PATH_VALUE_MAX_CHARS, ShapeError, check_limit, parse_instant
from fashionai.api.collections import (
    MAX_SLICE_PRODUCTS,
    CollectionSlice,
    SliceProduct,
    collection_path,
    parse_collection,
    slice_status,
    slice_window,
)
from fashionai.api.profiles import (
    PERSONAL_KINDS,
    PROFILE_KINDS,
    BuyingMoment,
    CustomerProfile,
    MarketingBriefing,
    Occasion,
    ShopperProfile,
    mask_personal,
    parse_profile,
    profile_path,
)
from tests.api_helpers import COLLECTION, PROFILE

UTC = timezone.utc


def with_(**changes):
    body = copy.deepcopy(COLLECTION)
    for key, value in changes.items():
        if value is DROP:
            del body[key]
        else:
            body[key] = value
    return body


def with_product(number, **changes):
    body = copy.deepcopy(COLLECTION)
    item = body["products"][number - 1]
    for key, value in changes.items():
        if value is DROP:
            del item[key]
        else:
            item[key] = value
    return body


DROP = object()


# -- collections ---------------------------------------------------------------------------------


def test_the_documented_example_parses_into_a_typed_slice_in_position_order():
    parsed = parse_collection(COLLECTION)
    assert parsed == CollectionSlice(
        collection_id="1",
        collection_name="Winter Collection 2025",
        description="Coats and knits for the cold",
        slice_id="10",
        slice_name="Wool Coats",
        starts_at=datetime(2025, 9, 23, tzinfo=UTC),
        ends_at=datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC),
        products=(
            SliceProduct("00042", 1, False),
            SliceProduct("12345", 2, True),
            SliceProduct("777", 3, True),
        ),
    )
    assert parsed.product_ids == ("00042", "12345", "777")
    assert parsed.repeated_ids == frozenset()


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"collectionId": "winter-25"}, "collection_id", "winter-25"),
        ({"collectionId": 7}, "collection_id", "7"),
        ({"sliceId": "s-1"}, "slice_id", "s-1"),
        ({"sliceId": 10**20}, "slice_id", "100000000000000000000"),
        ({"collectionDescription": None}, "description", ""),
        ({"collectionDescription": DROP}, "description", ""),
        ({"collectionName": ""}, "collection_name", ""),
        ({"startsAt": "2025-09-23T00:00:00Z"}, "starts_at", datetime(2025, 9, 23, tzinfo=UTC)),
        ({"startsAt": "2025-09-23T00:00:00.5Z"}, "starts_at", datetime(2025, 9, 23, 0, 0, 0, 500000, tzinfo=UTC)),
        ({"startsAt": "2025-09-23T03:00:00.000+03:00"}, "starts_at", datetime(2025, 9, 23, tzinfo=UTC)),
        ({"startsAt": "2025-09-22T21:00:00-03:00"}, "starts_at", datetime(2025, 9, 23, tzinfo=UTC)),
        ({"endsAt": "2025-12-31T23:59:59.999999999Z"}, "ends_at",
         datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),  # nanoseconds: cut to microseconds
        ({"endsAt": "2025-09-23T00:00:00Z"}, "ends_at", datetime(2025, 9, 23, tzinfo=UTC)),  # a zero-length slice
        ({"products": []}, "products", ()),
        ({"extra": {"anything": 1}}, "slice_id", "10"),  # unknown keys are ignored
    ],
)
def test_accepted_variations(changes, field, expected):
    assert getattr(parse_collection(with_(**changes)), field) == expected


def test_dates_are_aware_and_in_utc():
    parsed = parse_collection(with_(startsAt="2025-09-23T00:00:00-03:00"))
    assert parsed.starts_at.utcoffset() == timedelta(0)
    assert parsed.starts_at == datetime(2025, 9, 23, 3, tzinfo=UTC)


def test_repeated_products_are_kept_and_named():
    body = with_(products=[
        {"productId": "a", "position": 1, "active": True},
        {"productId": "b", "position": 2, "active": True},
        {"productId": "a", "position": 3, "active": False},
    ])
    parsed = parse_collection(body)
    assert parsed.product_ids == ("a", "b", "a")
    assert parsed.repeated_ids == frozenset({"a"})


def test_equal_positions_keep_the_answers_order():
    body = with_(products=[
        {"productId": "late", "position": 5, "active": True},
        {"productId": "first", "position": 2, "active": True},
        {"productId": "second", "position": 2, "active": True},
    ])
    assert parse_collection(body).product_ids == ("first", "second", "late")


def test_a_slice_of_exactly_the_vendors_limit_is_accepted():
    products = [{"productId": str(n), "position": n, "active": True} for n in range(1, MAX_SLICE_PRODUCTS + 1)]
    assert len(parse_collection(with_(products=products)).products) == MAX_SLICE_PRODUCTS == 500


def test_one_product_over_the_limit_is_refused_before_reading_the_products():
    products = [{"productId": str(n), "position": n, "active": True} for n in range(1, MAX_SLICE_PRODUCTS + 1)]
    products.append("not even an object")  # never reached: the count is checked first
    with pytest.raises(ShapeError) as caught:
        parse_collection(with_(products=products))
    assert caught.value.problem == "the slice lists 501 products, more than the 500 a slice may hold"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ([], "the body is a JSON array, not an object with a collection slice"),
        (None, "the body is a JSON null, not an object with a collection slice"),
        ("404", "the body is a JSON string, not an object with a collection slice"),
        ({"products": []}, 'the body has no "collectionId"'),
        (with_(collectionId=DROP), 'the body has no "collectionId"'),
        (with_(collectionId=None), 'the body has no "collectionId"'),
        (with_(collectionId=True), '"collectionId" is a JSON boolean, not an id'),
        (with_(collectionId=1.5), '"collectionId" is a JSON number, not an id'),
        (with_(collectionId=" "), '"collectionId" is an empty id'),
        (with_(sliceId=DROP), 'the body has no "sliceId"'),
        (with_(sliceId={"id": 1}), '"sliceId" is a JSON object, not an id'),
        (with_(collectionName=DROP), 'the body has no "collectionName"'),
        (with_(collectionName=3), '"collectionName" is a JSON number, not a text'),
        (with_(sliceName=None), 'the body has no "sliceName"'),
        (with_(collectionDescription=["a"]), '"collectionDescription" is a JSON array, not a text'),
        (with_(startsAt=DROP), 'the body has no "startsAt"'),
        (with_(endsAt=None), 'the body has no "endsAt"'),
        (with_(startsAt=1695427200000), '"startsAt" is a JSON number, not a date'),
        (with_(startsAt="23/09/2025"), "\"startsAt\" ('23/09/2025') is not an ISO 8601 date and time"),
        (with_(startsAt=""), "\"startsAt\" ('') is not an ISO 8601 date and time"),
        (with_(endsAt="2025-12-31T23:59:59"), "\"endsAt\" ('2025-12-31T23:59:59') has no time zone (like a final Z)"),
        (with_(endsAt="2025-12-31"), "\"endsAt\" ('2025-12-31') has no time zone (like a final Z)"),
        (with_(startsAt="0001-01-01T00:00:00+01:00"),
         "\"startsAt\" ('0001-01-01T00:00:00+01:00') is out of the range of dates"),
        (with_(startsAt="2026-01-01T00:00:00Z"), 'the slice ends ("endsAt") before it starts ("startsAt")'),
        (with_(products=DROP), 'the body has no "products" list'),
        (with_(products=None), '"products" is a JSON null, not a list'),
        (with_(products={"0": "a"}), '"products" is a JSON object, not a list'),
        (with_(products=["12345"]), 'product #1 is a JSON string, not an object with "productId"'),
        (with_product(3, productId=DROP), 'product #3 has no "productId"'),
        (with_product(2, position=DROP), 'product #2 has no "position"'),
        (with_product(1, active=DROP), 'product #1 has no "active"'),
        (with_product(3, productId=None), 'the "productId" of product #3 is a JSON null, not an id'),
        (with_product(3, productId=""), 'the "productId" of product #3 is an empty id'),
        (with_product(3, productId=False), 'the "productId" of product #3 is a JSON boolean, not an id'),
        (with_product(2, position=0), "product #2 has position 0, not a whole number of at least 1"),
        (with_product(2, position=-4), "product #2 has position -4, not a whole number of at least 1"),
        (with_product(2, position=1.5), "product #2 has position 1.5, not a whole number of at least 1"),
        (with_product(2, position=2.0), "product #2 has position 2.0, not a whole number of at least 1"),
        (with_product(2, position="2"), "product #2 has position a JSON string, not a whole number of at least 1"),
        (with_product(2, position=True), "product #2 has position a JSON boolean, not a whole number of at least 1"),
        (with_product(1, active="true"), '"active" of product #1 is a JSON string, not true or false'),
        (with_product(1, active=1), '"active" of product #1 is a JSON number, not true or false'),
        (with_product(1, active=None), '"active" of product #1 is a JSON null, not true or false'),
    ],
)
def test_every_broken_shape_is_a_shape_error_saying_what_is_wrong(body, problem):
    with pytest.raises(ShapeError) as caught:
        parse_collection(body)
    assert caught.value.problem == problem
    assert str(caught.value) == problem
    assert isinstance(caught.value, ValueError)  # the client wraps ValueErrors it knows


def test_a_long_broken_date_is_shortened_in_the_message():
    with pytest.raises(ShapeError) as caught:
        parse_collection(with_(startsAt="x" * 10_000))
    assert len(caught.value.problem) < 120


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-23T00:00:00.000Z", datetime(2025, 9, 23, tzinfo=UTC)),
        ("2025-09-23T00:00:00Z", datetime(2025, 9, 23, tzinfo=UTC)),
        ("2025-09-23T00:00:00.123Z", datetime(2025, 9, 23, 0, 0, 0, 123000, tzinfo=UTC)),
        (" 2025-09-23T00:00:00Z ", datetime(2025, 9, 23, tzinfo=UTC)),
        ("2025-09-23T10:00:00+10:00", datetime(2025, 9, 23, tzinfo=UTC)),
    ],
)
def test_instants(text, expected):
    assert parse_instant(text) == expected


# -- windows -------------------------------------------------------------------------------------

START = datetime(2025, 9, 23, tzinfo=UTC)
END = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
SLICE = parse_collection(COLLECTION)


@pytest.mark.parametrize(
    ("now", "status", "days_left"),
    [
        (START - timedelta(days=3), "scheduled", 103),  # counted to the end
        (START - timedelta(microseconds=1), "scheduled", 100),
        (START, "active", 100),  # the start is included
        (START + timedelta(days=1), "active", 99),
        (END - timedelta(hours=5), "active", 1),  # a started day counts as one
        (END - timedelta(days=1), "active", 1),
        (END - timedelta(days=1, seconds=1), "active", 2),
        (END, "active", 0),  # the end is included
        (END + timedelta(microseconds=1), "expired", 0),
        (END + timedelta(days=400), "expired", 0),
        (datetime(2025, 10, 1, 9, tzinfo=timezone(timedelta(hours=-3))), "active", 92),  # any zone
    ],
)
def test_slice_window(now, status, days_left):
    window = slice_window(SLICE, now)
    assert window == (status, days_left)
    assert (window.status, window.days_left) == (status, days_left)
    assert slice_status(START, END, now) == status


@pytest.mark.parametrize("now", [datetime(2025, 10, 1), "2025-10-01T00:00:00Z", None])  # noqa: DTZ001 - naive on purpose
def test_a_window_needs_an_aware_now(now):
    with pytest.raises(ValueError, match="time zone"):
        slice_window(SLICE, now)


# -- similar's limit -----------------------------------------------------------------------------


@pytest.mark.parametrize(("limit", "expected"), [(None, None), (1, 1), (12, 12), (10**6, 10**6)])
def test_limits_accepted(limit, expected):
    assert check_limit(limit) == expected


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (0, "must be at least 1, not 0"),
        (-3, "must be at least 1, not -3"),
        (True, "whole number of at least 1, not True"),
        (False, "whole number of at least 1, not False"),
        (2.0, "whole number of at least 1, not 2.0"),
        (float("nan"), "whole number of at least 1, not nan"),
        ("5", "whole number of at least 1, not '5'"),
        ([5], "whole number of at least 1, not \\[5\\]"),
    ],
)
def test_limits_refused_in_plain_words(limit, message):
    with pytest.raises(ValueError, match=message):
        check_limit(limit)


# -- profile lookups -----------------------------------------------------------------------------


def test_the_kinds():
    assert PROFILE_KINDS == ("user-profile-id", "email", "phone", "document")
    assert PERSONAL_KINDS == ("email", "phone", "document")
    assert set(PERSONAL_KINDS) < set(PROFILE_KINDS)


@pytest.mark.parametrize(
    ("kind", "value", "path"),
    [
        ("user-profile-id", "abc-123", "/crm/protected/profile/user-profile-id/abc-123"),
        ("user-profile-id", 90, "/crm/protected/profile/user-profile-id/90"),
        ("user-profile-id", " 90 ", "/crm/protected/profile/user-profile-id/90"),
        ("email", "ana+shop@example.com", "/crm/protected/profile/email/ana%2Bshop%40example.com"),
        ("phone", "+55 11 98765-1234", "/crm/protected/profile/phone/%2B55%2011%2098765-1234"),
        ("document", "123.456.789-09", "/crm/protected/profile/document/123.456.789-09"),
        ("document", "12/34?x#y", "/crm/protected/profile/document/12%2F34%3Fx%23y"),
        ("user-profile-id", "../../admin", "/crm/protected/profile/user-profile-id/..%2F..%2Fadmin"),
        ("user-profile-id", "a\r\nb%", "/crm/protected/profile/user-profile-id/a%0D%0Ab%25"),
        ("email", "joão@exemplo.com.br", "/crm/protected/profile/email/jo%C3%A3o%40exemplo.com.br"),
    ],
)
def test_profile_paths_percent_encode_the_value(kind, value, path):
    assert profile_path(kind, value) == path


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("cpf", "123", "looked up by user-profile-id, email, phone, document; not by 'cpf'"),
        ("Email", "a@b.c", "not by 'Email'"),
        ("email", "", "the email is blank"),
        ("phone", "   ", "the phone is blank"),
        ("user-profile-id", None, "the user profile id must be a text or a whole number, not NoneType"),
        ("user-profile-id", True, "must be a text or a whole number, not bool"),
        ("document", 1.5, "must be a text or a whole number, not float"),
        ("user-profile-id", "..", "cannot be only dots"),
        ("user-profile-id", ".", "cannot be only dots"),
        ("email", "a" * (PATH_VALUE_MAX_CHARS + 1), "321 characters long; at most 320"),
    ],
)
def test_unusable_profile_lookups_are_refused_in_plain_words(kind, value, message):
    with pytest.raises(ValueError, match=message):
        profile_path(kind, value)


def test_a_refused_personal_value_is_not_repeated_in_the_message():
    secret = "ana.souza@example.com" + "x" * PATH_VALUE_MAX_CHARS
    with pytest.raises(ValueError) as caught:
        profile_path("email", secret)
    assert "ana.souza" not in str(caught.value)


def test_collection_paths():
    assert collection_path(1) == "/merchandising-collections/protected/1"
    assert collection_path("winter/25") == "/merchandising-collections/protected/winter%2F25"
    with pytest.raises(ValueError, match="the collection id is blank"):
        collection_path(" ")


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("ana@example.com", "a***@e***.com"),
        ("ana.souza@example.com.br", "a***@e***.br"),
        ("  Ana@Example.com ", "A***@E***.com"),
        ("x@localhost", "x***@l***"),
        ("@example.com", "***@e***.com"),
        ("ana@", "a***@***"),
        ("+55 11 98765-1234", "***-1234"),
        ("(11) 98765-1234", "***-1234"),
        ("123.456.789-09", "***-8909"),
        (12345678901, "***-8901"),
        ("1234567", "***"),  # too few digits to show any
        ("ABC", "***"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_masking_shows_no_more_than_a_hint(value, masked):
    assert mask_personal(value) == masked


@pytest.mark.parametrize(
    "value",
    ["ana.souza@example.com", "+55 11 98765-1234", "123.456.789-09", "98765432", "maria@empresa.com.br"],
)
def test_a_masked_value_never_holds_the_value(value):
    masked = mask_personal(value)
    assert value not in masked
    assert len([c for c in masked if c.isalnum()]) <= 6


# -- profiles ------------------------------------------------------------------------------------


FULL = ShopperProfile(
    user_profile_id="u-90",
    customer=CustomerProfile("Cliente urbana e prática.", "Minimalista"),
    occasions=(
        Occasion("Trabalho", "Executiva discreta", ("Blazer", "Tailored Trousers", "Mules")),
        Occasion("Fim de semana", "Descontraída", ()),
    ),
    briefing=MarketingBriefing(("direto", "acolhedor"), ("tons neutros",), ("destacar peças-chave",)),
    content_hooks=("5 looks com um blazer",),
    buying_moment=BuyingMoment(
        ("Jackets (3 visualizações)",), "Procurando peças de trabalho.", "Coerente com o histórico.", False,
        ("Oferecer calças de alfaiataria",),
    ),
)


def profile_with(path, value):
    """PROFILE with the value at `path` (keys and list indexes) replaced, or deleted with DROP."""
    body = copy.deepcopy(PROFILE)
    target = body
    for step in path[:-1]:
        target = target[step]
    if value is DROP:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


def test_a_full_profile_keeps_every_section():
    assert parse_profile(PROFILE) == FULL


def test_unaccented_and_decomposed_keys_read_the_same():
    body = copy.deepcopy(PROFILE)
    body["profile"]["ocasioes_relevantes"] = [
        {"ocasiao": "Trabalho", "persona_na_ocasiao": "Executiva discreta",
         "sugestao_look": ["Blazer", "Tailored Trousers", "Mules"]},
        {unicodedata.normalize("NFD", "ocasião"): "Fim de semana",
         unicodedata.normalize("NFD", "persona_na_ocasião"): "Descontraída", "sugestao_look": []},
    ]
    assert parse_profile(body) == FULL


def test_accented_spellings_of_other_keys_are_read_too():
    body = copy.deepcopy(PROFILE)
    moment = body["profile"].pop("momento_compra_atual")
    moment["relação_com_histórico"] = moment.pop("relacao_com_historico")
    body["profile"]["momento_compra_atual"] = moment
    assert parse_profile(body) == FULL


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("profile", "perfil_cliente"), DROP, replace(FULL, customer=CustomerProfile())),
        (("profile", "perfil_cliente"), None, replace(FULL, customer=CustomerProfile())),
        (("profile", "ocasioes_relevantes"), DROP, replace(FULL, occasions=())),
        (("profile", "ocasioes_relevantes"), [], replace(FULL, occasions=())),
        (("profile", "briefing_marketing"), DROP, replace(FULL, briefing=MarketingBriefing())),
        (("profile", "ganchos_conteudo"), None, replace(FULL, content_hooks=())),
        (("profile", "momento_compra_atual"), DROP, replace(FULL, buying_moment=BuyingMoment())),
        (("userProfileId",), 90, replace(FULL, user_profile_id="90")),
    ],
)
def test_missing_sections_become_empty(path, value, expected):
    assert parse_profile(profile_with(path, value)) == expected


def test_an_empty_profile_object_is_an_empty_profile():
    assert parse_profile({"userProfileId": "u", "profile": {}}) == ShopperProfile("u")
    assert ShopperProfile("u").buying_moment.new_behaviour is None


def test_missing_fields_inside_a_section_become_empty():
    parsed = parse_profile(profile_with(("profile", "momento_compra_atual"), {"resumo_momento": "Só olhando."}))
    assert parsed.buying_moment == BuyingMoment(summary="Só olhando.")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ([], 'the body is a JSON array, not an object with a "profile"'),
        ({"profile": {}}, 'the body has no "userProfileId"'),
        (profile_with(("userProfileId",), None), 'the body has no "userProfileId"'),
        (profile_with(("userProfileId",), ""), '"userProfileId" is an empty id'),
        (profile_with(("userProfileId",), ["u"]), '"userProfileId" is a JSON array, not an id'),
        (profile_with(("profile",), DROP), 'the body has no "profile" object'),
        (profile_with(("profile",), None), 'the body has no "profile" object'),
        (profile_with(("profile",), "texto"), '"profile" is a JSON string, not an object'),
        (profile_with(("profile", "perfil_cliente"), ["a"]), '"perfil_cliente" is a JSON array, not an object'),
        (profile_with(("profile", "perfil_cliente", "estilo_geral"), ["Minimalista"]),
         '"estilo_geral" in perfil_cliente is a JSON array, not a text'),
        (profile_with(("profile", "ocasioes_relevantes"), {"ocasião": "x"}),
         '"ocasioes_relevantes" is a JSON object, not a list'),
        (profile_with(("profile", "ocasioes_relevantes", 1), "Trabalho"),
         "occasion #2 is a JSON string, not an object"),
        (profile_with(("profile", "ocasioes_relevantes", 0, "ocasião"), 3),
         '"ocasiao" in occasion #1 is a JSON number, not a text'),
        (profile_with(("profile", "ocasioes_relevantes", 0, "sugestao_look"), "Blazer"),
         '"sugestao_look" in occasion #1 is a JSON string, not a list of texts'),
        (profile_with(("profile", "ocasioes_relevantes", 0, "sugestao_look", 2), {"item": "Mules"}),
         'item #3 of "sugestao_look" in occasion #1 is a JSON object, not a text'),
        (profile_with(("profile", "briefing_marketing", "tom_de_voz"), "direto"),
         '"tom_de_voz" in briefing_marketing is a JSON string, not a list of texts'),
        (profile_with(("profile", "ganchos_conteudo"), [1, 2]),
         'item #1 of "ganchos_conteudo" in profile is a JSON number, not a text'),
        (profile_with(("profile", "momento_compra_atual"), "agora"),
         '"momento_compra_atual" is a JSON string, not an object'),
        (profile_with(("profile", "momento_compra_atual", "novo_comportamento"), "sim"),
         '"novo_comportamento" in momento_compra_atual is a JSON string, not true or false'),
        (profile_with(("profile", "momento_compra_atual", "novo_comportamento"), 0),
         '"novo_comportamento" in momento_compra_atual is a JSON number, not true or false'),
        (profile_with(("profile", "momento_compra_atual", "resumo_momento"), False),
         '"resumo_momento" in momento_compra_atual is a JSON boolean, not a text'),
    ],
)
def test_every_broken_profile_is_a_shape_error_saying_what_is_wrong(body, problem):
    with pytest.raises(ShapeError) as caught:
        parse_profile(body)
    assert caught.value.problem == problem


def test_results_are_frozen():
    parsed = parse_collection(COLLECTION)
    with pytest.raises(AttributeError):
        parsed.slice_id = "11"
    with pytest.raises(AttributeError):
        parse_profile(PROFILE).customer.style = "x"
