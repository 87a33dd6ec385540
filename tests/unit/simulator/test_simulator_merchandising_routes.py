"""The simulator's similar, collection and profile routes: answers, statuses and faults, without HTTP."""

import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from fashionai.api.collections import MAX_SLICE_PRODUCTS, parse_collection, slice_window
from fashionai.api.profiles import parse_profile
from fashionai.catalog.sample import generate_catalog, load_sample_frame
from fashionai.simulator import Simulator
from fashionai.simulator import collections as collections_module
from fashionai.simulator.engine import DEFAULT_SIMILAR_LIMIT, NotFound

NOW = datetime(2026, 4, 17, 15, 30, tzinfo=timezone.utc)
PREFIX = "/api/v1"
SIMILAR = f"{PREFIX}/products/protected/similar"
RECOMMENDATION = f"{PREFIX}/products/protected/recommendation"
TOKEN = "t0ken"
AUTH = {"X-FashionAI-APP-Token": TOKEN}
EMAIL = "ana.souza@example.com.br"


@pytest.fixture(scope="module")
def catalog():
    return load_sample_frame()


@pytest.fixture
def sim(catalog):
    return Simulator(catalog, token=TOKEN, clock=lambda: NOW)


def ids_where(catalog, **equal) -> list[str]:
    mask = np.logical_and.reduce([catalog[column] == value for column, value in equal.items()])
    return catalog.loc[mask, "product_id"].tolist()


def a_top(catalog) -> str:
    """A casual top in stock: the product whose similar products the tests ask for."""
    return ids_where(catalog, category="Tops", style="casual")[0]


def similar(sim, payload, query=None, headers=AUTH):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return sim.handle("POST", SIMILAR, query or {}, headers, body)


def get(sim, path, headers=AUTH):
    return sim.handle("GET", PREFIX + path, {}, headers, b"")


def view(sim, session, product_ids, user_id=None):
    for product_id in product_ids:
        sim.recommend(session, "productView", product_id, user_id)


# -- similar ---------------------------------------------------------------------------------------


def test_similar_answers_products_in_stock_like_the_product(sim, catalog):
    top = a_top(catalog)
    answer = similar(sim, {"sessionId": "s", "data": {"id": top}})
    assert answer.status == 200
    products = answer.json()["products"]
    assert len(products) == DEFAULT_SIMILAR_LIMIT == 10
    assert top not in products and len(set(products)) == len(products)
    rows = catalog.set_index("product_id").loc[products]
    assert (rows["category"] == "Tops").all() and (rows["stock"] > 0).all()
    assert sim.similar("s", top) == products  # the Python call answers the same


@pytest.mark.parametrize("limit", ["1", "3", "05", " 7 ", "40"])
def test_similar_honours_the_limit(sim, catalog, limit):
    top = a_top(catalog)
    answer = similar(sim, {"sessionId": "s", "data": {"id": top}}, {"limit": [limit]})
    assert answer.status == 200
    products = answer.json()["products"]
    assert len(products) == int(limit)
    assert products == sim.similar("s", top, limit=40)[: int(limit)]  # a shorter answer is the head of a longer


def test_a_limit_past_the_category_draws_on_other_categories(sim, catalog):
    answer = sim.similar("s", a_top(catalog), limit=200)
    assert len(answer) == 200 and len(set(answer)) == 200
    assert set(catalog.set_index("product_id").loc[answer, "category"]) > {"Tops"}


@pytest.mark.parametrize("limit", ["0", "-1", "1.5", "ten", "", " ", "1e3", ["0"]])
def test_a_limit_that_is_not_a_whole_number_of_at_least_1_is_a_400(sim, catalog, limit):
    answer = similar(sim, {"sessionId": "s", "data": {"id": a_top(catalog)}}, {"limit": limit})
    assert answer.status == 400
    assert "limit" in answer.json()["error"]


@pytest.mark.parametrize("limit", [0, -3, 2.5, True, "3"])
def test_the_python_call_refuses_a_bad_limit(sim, catalog, limit):
    with pytest.raises(ValueError, match="limit"):
        sim.similar("s", a_top(catalog), limit=limit)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{oops", "JSON"),
        (b"[]", "object"),
        ({"data": {"id": "000814"}}, "sessionId"),
        ({"sessionId": "  ", "data": {"id": "000814"}}, "sessionId"),
        ({"sessionId": "s"}, "data.id"),
        ({"sessionId": "s", "data": "000814"}, "data must be an object"),
        ({"sessionId": "s", "data": {"id": ""}}, "data.id"),
        ({"sessionId": "s", "data": {"id": 814}}, "data.id"),
        ({"sessionId": "s", "userId": True, "data": {"id": "000814"}}, "userId"),
    ],
)
def test_a_bad_similar_body_is_a_400(sim, body, message):
    answer = similar(sim, body)
    assert answer.status == 400
    assert message in answer.json()["error"]


def test_an_unknown_product_is_a_404_with_a_json_error(sim):
    answer = similar(sim, {"sessionId": "s", "data": {"id": "no-such-product"}})
    assert (answer.status, answer.headers["Content-Type"]) == (404, "application/json")
    assert answer.json() == {"error": "product not found"}
    with pytest.raises(KeyError) as caught:  # NotFound is a KeyError, in plain words
        sim.similar("s", "no-such-product")
    assert isinstance(caught.value, NotFound) and str(caught.value) == "product not found"


def test_similar_is_ranked_with_the_sessions_affinity(sim, catalog):
    top = a_top(catalog)
    cold = sim.similar("cold", top, limit=30)
    view(sim, "evening", ids_where(catalog, category="Dresses", style="evening")[:8])
    view(sim, "sporty", ids_where(catalog, category="Activewear", style="sporty")[:8])
    evening, sporty = sim.similar("evening", top, limit=30), sim.similar("sporty", top, limit=30)
    assert len({tuple(cold), tuple(evening), tuple(sporty)}) == 3
    styles = catalog.set_index("product_id")["style"]
    assert (styles[evening] == "evening").sum() > (styles[sporty] == "evening").sum()
    assert (styles[sporty] == "sporty").sum() > (styles[evening] == "sporty").sum()


def test_similar_reads_the_users_history_too(sim, catalog):
    top = a_top(catalog)
    view(sim, "phone", ids_where(catalog, category="Dresses", style="evening")[:8], user_id="90")
    alone = similar(sim, {"sessionId": "laptop", "data": {"id": top}}).json()["products"]
    signed_in = similar(sim, {"sessionId": "laptop", "userId": "90", "data": {"id": top}}).json()["products"]
    assert signed_in != alone
    assert signed_in == sim.similar("laptop", top, user_id=90)  # a numeric user id is the same user


def test_similar_is_not_recorded(sim, catalog):
    top = a_top(catalog)
    view(sim, "s", [top])
    before = sim.similar("s", top)
    for _ in range(3):
        assert similar(sim, {"sessionId": "s", "userId": "7", "data": {"id": top}}).status == 200
    assert sim.events_recorded() == sim.events_recorded("s") == 1
    assert sim.similar("s", top) == before  # nothing it answered changed the session


def test_similar_is_deterministic_for_the_same_seed(catalog):
    def answers(seed):
        sim = Simulator(catalog, seed=seed)
        view(sim, "s", ids_where(catalog, category="Jeans")[:3])
        return [sim.similar("s", product, limit=15) for product in ids_where(catalog, category="Bags")[:5]]

    assert answers(3) == answers(3)
    assert answers(3) != answers(4)


# -- collections ------------------------------------------------------------------------------------


def test_collection_ids_are_the_sample_ones(sim):
    assert sim.collection_ids == ("1", "2", "3", "4")


@pytest.mark.parametrize(("collection_id", "slice_id"), [("1", "11"), ("2", "21"), ("4", "40")])
def test_a_collection_answers_its_active_slice(sim, catalog, collection_id, slice_id):
    answer = get(sim, f"/merchandising-collections/protected/{collection_id}")
    assert answer.status == 200
    parsed = parse_collection(answer.json())
    assert (parsed.collection_id, parsed.slice_id) == (collection_id, slice_id)
    assert slice_window(parsed, NOW).status == "active"
    assert parsed.starts_at <= NOW <= parsed.ends_at
    assert 0 < len(parsed.products) <= MAX_SLICE_PRODUCTS
    assert answer.json() == sim.collection(collection_id) == sim.collection(int(collection_id))


def test_only_the_active_slice_is_answered_never_the_scheduled_or_expired(sim):
    names = {parse_collection(get(sim, f"/merchandising-collections/protected/{cid}").json()).slice_name
             for cid in ("1", "2", "4")}
    assert names == {"Wool Coats & Knits", "Tailoring Week", "Full Range"}  # not Autumn Layers nor Holiday Knits


def test_a_slice_marks_products_inactive_and_may_repeat_one(sim):
    street = parse_collection(sim.collection("4"))
    assert any(not product.active for product in street.products) and any(p.active for p in street.products)
    assert street.repeated_ids


def test_a_collection_with_no_active_slice_is_a_404(sim):
    answer = get(sim, "/merchandising-collections/protected/3")
    assert (answer.status, answer.headers["Content-Type"]) == (404, "application/json")
    assert "no slice" in answer.json()["error"]
    assert sim.collection("3") is None


@pytest.mark.parametrize("collection_id", ["9", "winter", "%31%32"])
def test_an_unknown_collection_is_a_404(sim, collection_id):
    answer = get(sim, f"/merchandising-collections/protected/{collection_id}")
    assert answer.status == 404 and answer.json() == {"error": "collection not found"}


def test_a_percent_encoded_collection_id_is_decoded(sim):
    assert get(sim, "/merchandising-collections/protected/%31").json() == sim.collection("1")


def test_collections_are_built_once_a_day_by_the_clock(catalog, monkeypatch):
    now = [NOW]
    sim = Simulator(catalog, clock=lambda: now[0])
    built = []
    real = collections_module.sample_collections
    monkeypatch.setattr(collections_module, "sample_collections", lambda *args: built.append(args[1]) or real(*args))
    first = sim.collection("1")
    now[0] = NOW.replace(hour=23, minute=59)
    assert sim.collection("1") == first and sim.collection("4") is not None
    assert len(built) == 1  # the same UTC day: built once
    now[0] = NOW + timedelta(days=1)
    moved = parse_collection(sim.collection("1"))
    assert len(built) == 2
    assert moved.ends_at - parse_collection(first).ends_at == timedelta(days=1)  # the windows follow today


def test_the_clock_decides_what_is_active(catalog):
    def slice_ids(now):
        sim = Simulator(catalog, clock=lambda: now)
        return [(sim.collection(cid) or {}).get("sliceId") for cid in sim.collection_ids]

    assert slice_ids(NOW) == [11, 21, None, 40]
    assert slice_ids(NOW.replace(hour=0, minute=0)) == slice_ids(NOW.replace(hour=23, minute=59, second=59))
    late_in_sao_paulo = datetime(2026, 4, 17, 22, 0, tzinfo=timezone(timedelta(hours=-3)))  # 18th in UTC
    assert slice_ids(late_in_sao_paulo) == [11, 21, None, 40]


def test_a_naive_clock_is_refused(catalog):
    sim = Simulator(catalog, clock=lambda: datetime(2026, 4, 17))  # noqa: DTZ001 - naive on purpose
    with pytest.raises(ValueError, match="time zone"):
        sim.collection("1")


def test_a_large_catalogs_slice_holds_at_most_500_products():
    sim = Simulator(generate_catalog(6000, images="none"), clock=lambda: NOW)
    answer = get(sim, "/merchandising-collections/protected/4", headers={})
    assert answer.status == 200
    assert len(parse_collection(answer.json()).products) == MAX_SLICE_PRODUCTS


def test_collections_are_not_recorded(sim):
    get(sim, "/merchandising-collections/protected/1")
    get(sim, "/merchandising-collections/protected/3")
    assert sim.events_recorded() == 0


# -- profiles --------------------------------------------------------------------------------------


def test_a_user_with_no_events_gets_the_new_shopper_profile(sim):
    answer = get(sim, "/crm/protected/profile/user-profile-id/90")
    assert answer.status == 200
    parsed = parse_profile(answer.json())
    assert parsed.user_profile_id == "90"
    assert parsed.customer.style == "Ainda indefinido" and parsed.occasions == ()
    assert parsed.buying_moment.browsing == ()


def test_a_profile_reflects_the_users_history(sim, catalog):
    view(sim, "s1", ids_where(catalog, style="office", category="Jackets")[:6], user_id="90")
    view(sim, "s2", ids_where(catalog, style="office", category="Trousers")[:4], user_id="90")
    sim.recommend("s2", "categoryView", "Trousers", "90")
    sim.recommend("s3", "categoryView", "Dresses")  # another shopper's visit counts nothing here
    answer = get(sim, "/crm/protected/profile/user-profile-id/90")
    parsed = parse_profile(answer.json())
    assert parsed.user_profile_id == "90"
    assert parsed.customer.style.startswith("Trabalho")  # office, in the vendor's Portuguese
    assert "Jackets" in parsed.customer.description and "Trousers" in parsed.customer.description
    assert "Dresses" not in json.dumps(answer.json(), ensure_ascii=False)
    assert parsed.buying_moment.browsing[0] == "Jackets (6 visualizações)"
    assert parsed.occasions[0].name == "Trabalho"
    assert answer.json() == sim.profile("user-profile-id", "90") == sim.profile("user-profile-id", 90)


def test_a_recent_turn_shows_as_new_behaviour(sim, catalog):
    view(sim, "s", ids_where(catalog, style="office", category="Jackets")[:8], user_id="u")
    view(sim, "s", ids_where(catalog, style="evening", category="Dresses")[:5], user_id="u")
    moment = parse_profile(sim.profile("user-profile-id", "u")).buying_moment
    assert moment.new_behaviour is True
    assert "Dresses" in moment.summary


def test_a_shop_the_look_counts_double(sim, catalog):
    jacket, dress = ids_where(catalog, category="Jackets")[0], ids_where(catalog, category="Dresses")[0]
    sim.recommend("s", "productView", jacket, "u")
    sim.recommend("s", "shopTheLook", dress, "u")
    browsing = parse_profile(sim.profile("user-profile-id", "u")).buying_moment.browsing
    assert browsing == ("Dresses (2 visualizações)", "Jackets (1 visualização)")


@pytest.mark.parametrize(("kind", "value", "same_shopper"), [
    ("email", EMAIL, " Ana.Souza@Example.com.BR "),
    ("phone", "+55 11 98765-1234", "5511987651234"),
    ("document", "123.456.789-09", "12345678909"),
])
def test_a_personal_lookup_answers_a_new_shopper_without_the_value(sim, kind, value, same_shopper):
    answer = get(sim, f"/crm/protected/profile/{kind}/{value.replace('@', '%40').replace(' ', '%20')}")
    assert answer.status == 200
    parsed = parse_profile(answer.json())
    assert parsed.user_profile_id.startswith("shopper-")
    assert parsed.customer.style == "Ainda indefinido"
    text = answer.body.decode()
    for piece in (value.lower(), "ana.souza", "souza", "example.com", "98765", "456.789", "12345678909"):
        assert piece not in text.lower()
    assert sim.profile(kind, same_shopper) == answer.json()  # the same shopper written differently
    assert sim.profile(kind, value + "0")["userProfileId"] != parsed.user_profile_id


def test_the_same_personal_value_gives_the_same_id_in_any_simulator(catalog):
    first = Simulator(catalog, seed=1).profile("email", EMAIL)
    assert Simulator(catalog, seed=2).profile("email", EMAIL) == first
    assert Simulator(catalog).profile("phone", EMAIL) != first  # the kind counts


@pytest.mark.parametrize("path", [
    "/crm/protected/profile/fax/123",
    "/crm/protected/profile/EMAIL/a%40b.c",
    "/crm/protected/profile/email/%20",
    "/crm/protected/profile/user-profile-id",
    "/crm/protected/profile/email/a/b",
])
def test_an_unknown_kind_or_a_missing_value_is_a_404(sim, path):
    answer = get(sim, path)
    assert answer.status == 404 and "error" in answer.json()
    assert "a@b" not in answer.body.decode()


def test_the_python_profile_call_raises_not_found(sim):
    for kind, value in (("fax", "1"), ("email", " "), ("user-profile-id", None)):
        with pytest.raises(NotFound):
            sim.profile(kind, value)


def test_profiles_are_not_recorded(sim, catalog):
    view(sim, "s", ids_where(catalog, category="Bags")[:2], user_id="90")
    get(sim, "/crm/protected/profile/user-profile-id/90")
    get(sim, f"/crm/protected/profile/email/{EMAIL}")
    assert sim.events_recorded() == 2
