"""The simulator's site search and detailed search: matching, synonyms, typos, ranking, paging, recording,
sizes and stock, the wire (token, faults, bad requests), and the client against it in-process."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.catalog.sample import load_sample_frame
from fashionai.simulator import Faults, Simulator
from fashionai.simulator.engine import ConnectionDropped
from fashionai.simulator.search import SearchIndex, normalise
from fashionai.simulator.transport import IN_PROCESS_BASE_URL, SimulatorTransport

TOKEN = "t0ken"
AUTH = {"X-FashionAI-APP-Token": TOKEN}
SEARCH = "/api/v1/products/protected/search"
DETAILED = "/v1/products/protected/search/detailed"

SMALL = pd.DataFrame({
    "product_id": ["1", "2", "3", "4", "5", "6", "7", "8"],
    "name": ["Satin Wrap Dress — Navy", "Crepe Maxi Dress — Black", "Cotton Shirt — Navy", "Tênis Corrida Azul",
             "Leather Tote Bag — Black", "Wool Coat — Grey", "Linen Dress — Blue", "Silk Dress — Navy"],
    "category": ["Dresses", "Dresses", "Tops", "Sneakers", "Bags", "Jackets", "Dresses", "Dresses"],
    "color": ["Navy", "Black", "Navy", "Azul", "Black", "Grey", "Blue", "Navy"],
    "brand": ["Maré", "Maré", "Rota", "Trilha", "Noite", "Noite", "Maré", "Rota"],
    "price": [199.9, 299.9, 99.9, 349.9, 259.9, 599.0, 159.9, 459.9],
    "stock": pd.array([5, 5, 5, 5, 5, 5, 0, 5], dtype="Int64"),
    "size": ["P, M, G", "M", "G", "42, 43", "", "M", "M", "gg"],
})


def ids(sim, query, session="s1", **kwargs):
    return sim.search(session, query, **kwargs)["items"]


@pytest.fixture
def small():
    return Simulator(SMALL)


def test_text_is_normalised_without_accents_or_punctuation():
    assert normalise("  Tênis   Corrida—AZUL! ") == "tenis corrida azul"
    assert normalise("Calça") == "calca"


@pytest.mark.parametrize(("query", "expected"), [
    ("dress", {"1", "2", "7", "8"}),
    ("dresses", {"1", "2", "7", "8"}),
    ("vestido", {"1", "2", "7", "8"}),  # Portuguese for dress
    ("vestidos", {"1", "2", "7", "8"}),
    ("vestido azul", {"1", "7", "8"}),  # azul: blue or navy; every word must match when some product does
    ("vestdo azull", {"1", "7", "8"}),  # typos forgiven
    ("tênis", {"4"}),
    ("tenis", {"4"}),
    ("sneaker", {"4"}),  # the category says Sneakers
    ("bolsa de couro", {"5"}),  # "de" says nothing; bolsa: bag, couro: leather
    ("Maré", {"1", "2", "7"}),  # the brand
    ("camisa", {"3"}),
    ("calças pretas", {"2", "5"}),  # no trousers here: products matching either word
])
def test_matches_follow_words_synonyms_and_typos(small, query, expected):
    assert set(ids(small, query)) == expected


def test_a_query_nothing_matches_answers_an_empty_page(small):
    assert small.search("s1", "xyzzy") == {"totalItems": 0, "totalPages": 0, "currentPage": 1, "items": []}


def test_paging_splits_the_same_ranking(small):
    whole = ids(small, "dress", "s9", limit=10)
    first = small.search("s9", "dress", limit=3)
    second = small.search("s9", "dress", page=2, limit=3)
    assert (first["totalItems"], first["totalPages"], second["currentPage"]) == (4, 2, 2)
    assert first["items"] + second["items"] == whole
    assert small.search("s9", "dress", page=5, limit=3)["items"] == []


def test_two_sessions_see_the_same_matches_in_different_orders():
    sim = Simulator(load_sample_frame())
    sim.recommend("red", "categoryView", "Dresses")
    for product in ("000814", "002572"):
        sim.recommend("other", "productView", product)
    sim.recommend("other", "categoryView", "Knitwear")
    one, two = ids(sim, "satin", "red", limit=100), ids(sim, "satin", "other", limit=100)
    assert set(one) == set(two) and len(one) > 5
    assert one != two


def test_relevance_comes_before_affinity(small):
    for _ in range(3):
        small.recommend("s1", "productView", "5")  # a shopper of black leather bags
    ranked = ids(small, "navy leather dress", "s1")  # no product is all three: those matching more come first
    assert set(ranked[:2]) == {"1", "8"} and set(ranked) == {"1", "2", "3", "4", "5", "7", "8"}  # 4 is "azul"


def test_a_search_is_recorded_as_a_look_at_its_best_match(small):
    assert small.events_recorded("s1") == 0
    first = ids(small, "bolsa", "s1")[0]
    assert first == "5" and small.events_recorded("s1") == 1
    small.search("s1", "xyzzy")  # recorded too, with nothing to teach
    small.detailed_search("s1", "bolsa")
    assert small.events_recorded("s1") == 3
    profile = small.profile("user-profile-id", "u1")
    small.search("s2", "bolsa", user_id="u1")
    assert small.profile("user-profile-id", "u1") != profile  # the user's profile now knows the bag


def test_the_detailed_search_answers_five_available_products_with_their_details():
    sim = Simulator(load_sample_frame())
    products = sim.detailed_search("s1", "dress")["products"]
    assert len(products) == 5
    frame = load_sample_frame().set_index("product_id")
    for product in products:
        row = frame.loc[product["productId"]]
        assert product["name"] == row["name"] and product["price"] == round(float(row["price"]), 2)
        assert row["stock"] > 0 and product["images"] == [row["image_url"]]
        assert product["link"].startswith("https://loja.example/produto/")


def test_the_detailed_search_keeps_to_a_size_without_minding_its_case(small):
    assert {p["productId"] for p in small.detailed_search("s1", "dress", size="m")["products"]} == {"1", "2"}
    assert [p["productId"] for p in small.detailed_search("s1", "vestido", size="GG")["products"]] == ["8"]
    answer = small.detailed_search("s1", "dress", size="M")["products"]
    assert all(p["size"] == "M" for p in answer) and "7" not in {p["productId"] for p in answer}  # 7: no stock
    assert small.detailed_search("s1", "dress", size="XL") == {"products": []}


def test_without_a_size_column_the_size_is_not_checked():
    sim = Simulator(SMALL.drop(columns="size"))
    assert {p["productId"] for p in sim.detailed_search("s1", "dress", size="M")["products"]} == {"1", "2", "8"}


def test_the_index_is_built_once_on_the_first_search(monkeypatch):
    index = SearchIndex(SMALL)
    assert index._built is None  # cheap to make: nothing built yet
    index.matches("dress")
    built = index._built
    index.matches("bag")
    assert index._built is built


# --------------------------------------------------------------------------- the wire


def call(sim, path, query, payload=None, headers=AUTH):
    body = json.dumps({"sessionId": "s1"} if payload is None else payload).encode()
    return sim.handle("POST", path, query, headers, body)


def test_the_routes_answer_in_the_vendors_shapes():
    sim = Simulator(SMALL, token=TOKEN)
    answer = call(sim, SEARCH, {"query": "vestido", "page": "1", "limit": "2"})
    assert answer.status == 200 and answer.json()["totalItems"] == 4 and len(answer.json()["items"]) == 2
    answer = call(sim, DETAILED, {"query": "vestido", "size": "m"})
    assert answer.status == 200 and len(answer.json()["products"]) == 2


@pytest.mark.parametrize("path", [SEARCH, DETAILED])
def test_the_token_is_checked_first(path):
    sim = Simulator(SMALL, token=TOKEN)
    assert call(sim, path, {"query": "x"}, headers={"X-FashionAI-APP-Token": "wrong"}).status == 401
    assert sim.events_recorded() == 0


@pytest.mark.parametrize(("query", "payload", "words"), [
    ({}, None, "query is required"),
    ({"query": "  "}, None, "query is required"),
    ({"query": "x", "page": "0"}, None, "page must be a whole number"),
    ({"query": "x", "limit": "abc"}, None, "limit must be a whole number"),
    ({"query": "x"}, {"userId": "u"}, "sessionId is required"),
])
def test_a_bad_search_is_a_400_and_a_bad_detailed_search_an_empty_list(query, payload, words):
    sim = Simulator(SMALL)
    answer = call(sim, SEARCH, query, payload)
    assert answer.status == 400 and words in answer.json()["error"]
    answer = call(sim, DETAILED, query, payload)
    if "page" in query or "limit" in query:
        return  # the detailed search takes neither
    assert answer.status == 200 and answer.json() == {"products": []}  # as the vendor answers its errors


@pytest.mark.parametrize("path", [SEARCH, DETAILED])
def test_faults_apply_to_the_searches(path):
    assert call(Simulator(SMALL, faults=Faults(error_rates={503: 1.0})), path, {"query": "dress"}).status == 503
    broken = call(Simulator(SMALL, faults=Faults(broken_body_rate=1.0)), path, {"query": "dress"})
    assert broken.status == 200
    with pytest.raises(ValueError):
        json.loads(broken.body)
    with pytest.raises(ConnectionDropped):
        call(Simulator(SMALL, faults=Faults(drop_rate=1.0)), path, {"query": "dress"})


def test_the_client_searches_the_simulator_in_process():
    sim = Simulator(SMALL)
    with FashionAIClient("any", IN_PROCESS_BASE_URL, transport=SimulatorTransport(sim)) as client:
        page = client.search("s1", "vestido azul", limit=2)
        detailed = client.detailed_search("s1", "tênis", size="42")
    assert (page.total_items, page.total_pages, len(page.items)) == (3, 2, 2)
    product = detailed.products[0]
    assert (product.product_id, product.name, product.price, product.size) == ("4", "Tênis Corrida Azul",
                                                                              Decimal("349.9"), "42")


def test_a_million_products_are_searched_quickly():
    """The text is normalised once per distinct text: a repeated name costs nothing more."""
    big = pd.concat([SMALL] * 2000, ignore_index=True).assign(product_id=[str(n) for n in range(16_000)])
    index = SearchIndex(big)
    rows, _ = index.matches("vestido azul")
    assert len(rows) == 3 * 2000 and len(index._built.texts) == len(SMALL)  # 8 distinct texts, not 16,000


def test_a_synonym_of_two_words_matches_them_in_a_row():
    frame = pd.DataFrame({"product_id": ["1", "2", "3"], "category": ["Tops"] * 3,
                          "name": ["Cotton T-Shirt — White", "Shirt with a T pattern", "Tee — Black"]})
    rows, _ = SearchIndex(frame).matches("camiseta")  # camiseta: "t shirt" or "tee"
    assert sorted(rows.tolist()) == [0, 2]


@pytest.mark.parametrize("term", ["dre", "dress", "navy", "t", "sat", "zz", "blue", "mar"])
def test_the_word_index_finds_what_a_regular_expression_finds(term):
    index = SearchIndex(load_sample_frame())
    index.matches("warm")  # built
    built = index._built
    expected = built.texts.str.contains(r"\b" + term, regex=True).to_numpy(dtype=bool)
    assert (built.having([term]) == expected).all()
