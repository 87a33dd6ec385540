"""The simulator's engine: rankings, events, validation and faults, without HTTP."""

import json
import threading

import numpy as np
import pandas as pd
import pytest

from fashionai.catalog.sample import load_sample_frame
from fashionai.simulator import Faults, Simulator
from fashionai.simulator.engine import LOOK_SIZE, SHELF_SIZE, SIMILAR_SIZE, ConnectionDropped

PATH = "/api/v1/products/protected/recommendation"
RANKING_PATH = "/api/v1/products/protected/sales-ranking"


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    return load_sample_frame()


@pytest.fixture(scope="module")
def products(catalog) -> pd.DataFrame:
    return catalog.set_index("product_id")


@pytest.fixture
def sim(catalog) -> Simulator:
    return Simulator(catalog)


def ids_where(catalog, **equal) -> list[str]:
    mask = np.logical_and.reduce([catalog[column] == value for column, value in equal.items()])
    return catalog.loc[mask, "product_id"].tolist()


def post(sim, payload, headers=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return sim.handle("POST", PATH, {}, headers or {}, body)


def event(session, event_type, item="", **extra):
    return {"sessionId": session, "eventType": event_type, "data": {"id": item}, **extra}


def mean_rank(ranking: list[str], wanted: set[str]) -> float:
    return float(np.mean([i for i, product in enumerate(ranking) if product in wanted]))


# -- rankings ------------------------------------------------------------------


def test_cold_session_gets_empty_then_the_whole_category_ranked(sim, catalog):
    assert sim.recommend("s1", "categoryView", "Dresses") == []
    ranked = sim.recommend("s1", "categoryView", "Dresses")
    dresses = ids_where(catalog, category="Dresses")
    assert sorted(ranked) == sorted(dresses)  # all of them, in stock or not, once each
    assert sim.events_recorded("s1") == 2


def test_unknown_category_answers_empty_but_is_recorded(sim):
    sim.recommend("s1", "categoryView", "Dresses")
    assert sim.recommend("s1", "categoryView", "Spaceships") == []
    assert sim.events_recorded("s1") == 2


def test_sessions_that_viewed_different_products_see_different_orders(sim, catalog):
    sporty = ids_where(catalog, style="sporty")[:4]
    evening = ids_where(catalog, style="evening")[:4]
    for product in sporty:
        sim.recommend("sporty", "productView", product)
    for product in evening:
        sim.recommend("evening", "productView", product)
    for category in ("Tops", "Jackets", "Bags"):
        for_sporty = sim.recommend("sporty", "categoryView", category)
        for_evening = sim.recommend("evening", "categoryView", category)
        assert for_sporty != for_evening
        assert sorted(for_sporty) == sorted(for_evening)
        sporty_here = set(ids_where(catalog, category=category, style="sporty"))
        evening_here = set(ids_where(catalog, category=category, style="evening"))
        assert mean_rank(for_sporty, sporty_here) < mean_rank(for_evening, sporty_here)
        assert mean_rank(for_evening, evening_here) < mean_rank(for_sporty, evening_here)


def test_category_browsing_alone_changes_the_storefront(sim, catalog):
    for category in ("Activewear", "Sneakers"):
        sim.recommend("gym", "categoryView", category)
    for category in ("Heels & Sandals", "Dresses"):
        sim.recommend("party", "categoryView", category)
    gym, party = sim.recommend("gym", "categoryView", "Tops"), sim.recommend("party", "categoryView", "Tops")
    assert gym != party
    sporty_tops = set(ids_where(catalog, category="Tops", style="sporty"))
    assert mean_rank(gym, sporty_tops) < mean_rank(party, sporty_tops)


def test_recent_events_weigh_more(sim, catalog):
    sporty, evening = ids_where(catalog, style="sporty")[:3], ids_where(catalog, style="evening")[:3]
    for product in sporty + evening:
        sim.recommend("late-evening", "productView", product)
    ranked = sim.recommend("late-evening", "categoryView", "Tops")
    tops_evening = set(ids_where(catalog, category="Tops", style="evening"))
    tops_sporty = set(ids_where(catalog, category="Tops", style="sporty"))
    assert mean_rank(ranked, tops_evening) < mean_rank(ranked, tops_sporty)


def test_user_history_carries_over_to_a_new_session(sim):
    sim.recommend("monday", "categoryView", "Activewear", user_id="ana")
    assert sim.recommend("tuesday", "categoryView", "Tops", user_id="ana") != []
    assert sim.recommend("anonymous", "categoryView", "Tops") == []


def test_numeric_and_string_user_ids_are_the_same_user(catalog):
    sim = Simulator(catalog)
    assert post(sim, event("a", "categoryView", "Bags", userId=90)).status == 200
    assert post(sim, event("b", "categoryView", "Bags", userId="90")).json()["products"] != []


def test_shop_the_look_completes_the_outfit_from_other_categories_in_stock(sim, products):
    for main in products.index[::97]:
        look = sim.recommend("look", "shopTheLook", main)
        assert 3 <= len(look) <= LOOK_SIZE  # an outfit: at least three pieces beside the main one
        pieces = products.loc[look]
        assert (pieces["stock"] > 0).all()
        assert products.loc[main, "category"] not in set(pieces["category"])
        assert pieces["category"].is_unique
        assert main not in look


def test_shop_the_look_prefers_the_main_piece_style(sim, catalog, products):
    for main in ids_where(catalog, category="Dresses", style="evening")[:5]:
        look = products.loc[sim.recommend("look", "shopTheLook", main)]
        assert (look["style"] == "evening").mean() >= 0.5


def test_a_dress_look_has_no_tops_or_bottoms(sim, catalog, products):
    main = ids_where(catalog, category="Dresses")[0]
    categories = set(products.loc[sim.recommend("look", "shopTheLook", main), "category"])
    assert not categories & {"Tops", "Knitwear", "Jeans", "Trousers", "Skirts"}


@pytest.fixture(scope="module")
def gendered(catalog) -> pd.DataFrame:
    """The sample with a gender column as a Brazilian store writes it: women's, men's and unisex in turn."""
    return catalog.assign(gender=[("Feminino", "Masculino", "Unissex")[i % 3] for i in range(len(catalog))])


def test_a_look_and_a_shelf_keep_to_the_shoppers_gender_when_the_catalog_has_one(gendered):
    """Issue 21, item 23: women's sandals in a men's T-shirt's look, and both genders on the home shelf."""
    sim, products = Simulator(gendered), gendered.set_index("product_id")
    for main in products.index[products["gender"] == "Masculino"][::40]:
        look = sim.recommend("look", "shopTheLook", main)
        similar = sim.recommend("look", "productView", main)
        assert look and "Feminino" not in set(products.loc[look, "gender"])
        assert similar and "Feminino" not in set(products.loc[similar, "gender"])
    sim.recommend("shelf", "productView", products.index[products["gender"] == "Feminino"][0])
    shelf = sim.recommend("shelf", "customShelf")
    assert len(shelf) == SHELF_SIZE and "Masculino" not in set(products.loc[shelf, "gender"])
    assert "Unissex" in set(products.loc[shelf, "gender"])  # for anyone: on either shelf


def test_unknown_product_answers_empty_but_is_recorded(sim):
    assert sim.recommend("s", "shopTheLook", "nope") == []
    assert sim.recommend("s", "productView", "nope") == []
    assert sim.events_recorded("s") == 2


def test_product_view_answers_similar_products_same_category_first(sim, catalog, products):
    main = ids_where(catalog, category="Skirts", style="office")[0]
    similar = sim.recommend("pv", "productView", main)
    assert len(similar) == SIMILAR_SIZE and main not in similar  # a full shelf: the sample has enough
    assert (products.loc[similar, "category"] == "Skirts").all()
    assert (products.loc[similar[:5], "style"] == "office").all()


def test_custom_shelf_is_empty_when_cold_then_crosses_categories(sim, products):
    assert sim.recommend("shelf", "customShelf") == []
    sim.recommend("shelf", "categoryView", "Activewear")
    shelf = sim.recommend("shelf", "customShelf")
    assert len(shelf) == SHELF_SIZE
    assert products.loc[shelf, "category"].nunique() >= 3
    assert (products.loc[shelf, "stock"] > 0).all()


def test_sales_ranking_is_stable_and_not_an_event(sim, catalog):
    everything = sim.sales_ranking()
    assert sorted(everything) == sorted(catalog["product_id"])
    bags = sim.sales_ranking("Bags")
    assert sorted(bags) == sorted(ids_where(catalog, category="Bags"))
    assert bags == [product for product in everything if product in set(bags)]
    assert sim.sales_ranking("Spaceships") == []
    assert sim.events_recorded() == 0


def test_sales_ranking_over_http(sim):
    answer = sim.handle("GET", RANKING_PATH, {"categoryId": "Bags"}, {}, b"")
    assert answer.status == 200
    assert answer.json() == {"categoryId": "Bags", "products": sim.sales_ranking("Bags")}
    answer = sim.handle("GET", RANKING_PATH, {}, {}, b"")
    assert answer.json()["categoryId"] is None
    assert len(answer.json()["products"]) == 1200


def test_same_calls_give_same_answers_on_fresh_simulators(catalog):
    calls = [
        ("a", "categoryView", "Jeans", None), ("a", "categoryView", "Jeans", None),
        ("b", "productView", "000814", "u1"), ("a", "shopTheLook", "000814", None),
        ("c", "categoryView", "Bags", "u1"), ("a", "customShelf", "", None),
    ]

    def run() -> list[list[str]]:
        sim = Simulator(catalog)
        return [sim.recommend(session, kind, item, user) for session, kind, item, user in calls]

    first, second = run(), run()
    assert first == second
    assert all(answer for answer in first[1:])


def test_a_different_seed_changes_popularity(catalog):
    assert Simulator(catalog, seed=1).sales_ranking() != Simulator(catalog, seed=2).sales_ranking()


def test_catalogs_with_missing_columns_and_values():
    frame = pd.DataFrame(
        {"category": ["Tops", "Tops", None, "Bags", "Tops"], "style": ["casual", None, "x", "boho", "casual"]},
        index=pd.Index(["001", "002", "003", "004", "001"], name="product_id"),
    )
    sim = Simulator(frame)
    sim.recommend("s", "categoryView", "Tops")
    assert sorted(sim.recommend("s", "categoryView", "Tops")) == ["001", "002"]  # duplicates keep the first
    assert sim.recommend("s", "shopTheLook", "001") == ["004"]  # no stock column: available
    with pytest.raises(ValueError, match="category"):
        Simulator(pd.DataFrame({"product_id": ["1"]}))


def test_out_of_stock_pieces_never_join_a_look():
    frame = pd.DataFrame({
        "product_id": ["01", "02", "03", "04"],
        "category": ["Dresses", "Bags", "Bags", "Heels"],
        "stock": pd.array([5, 0, None, 0], dtype="Int64"),
    })
    assert Simulator(frame).recommend("s", "shopTheLook", "01") == ["03"]  # unknown stock: available


def test_many_threads_add_up(catalog):
    sim = Simulator(catalog)
    threads, calls, errors = 8, 40, []

    def hammer(worker: int) -> None:
        try:
            for _ in range(calls):
                answer = post(sim, event(f"s{worker % 4}", "categoryView", "Tops", userId=f"u{worker}"))
                assert answer.status == 200
        except Exception as err:  # noqa: BLE001 (reported below)
            errors.append(err)

    pool = [threading.Thread(target=hammer, args=(w,)) for w in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    assert sim.events_recorded() == threads * calls
    assert [sim.events_recorded(f"s{k}") for k in range(4)] == [2 * calls] * 4


def test_repr_hides_the_token(catalog):
    assert "sekret" not in repr(Simulator(catalog, token="sekret"))


# -- validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        json.dumps({"eventType": "categoryView", "data": {"id": "Tops"}}).encode(),
        json.dumps(event("   ", "categoryView", "Tops")).encode(),
        json.dumps(event(12, "categoryView", "Tops")).encode(),
        json.dumps(event("s", "pageView", "Tops")).encode(),
        json.dumps({"sessionId": "s", "eventType": "categoryView"}).encode(),
        json.dumps(event("s", "shopTheLook", "")).encode(),
        json.dumps(event("s", "productView", 814)).encode(),
        json.dumps(event("s", "categoryView", "Tops", userId=["u"])).encode(),
        json.dumps(event("s", "categoryView", "Tops", userId=True)).encode(),
    ],
)
def test_invalid_bodies_are_400_and_not_recorded(sim, body):
    answer = post(sim, body)
    assert answer.status == 400
    assert answer.headers["Content-Type"] == "application/json"
    assert isinstance(answer.json()["error"], str)
    assert sim.events_recorded() == 0


def test_custom_shelf_needs_no_data_id(sim):
    assert post(sim, {"sessionId": "s", "eventType": "customShelf"}).json() == {"products": []}
    assert post(sim, event("s", "customShelf", "")).status == 200
    assert sim.events_recorded("s") == 2


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", PATH),
        ("POST", "/api/v1/products/protected/nothing"),
        ("POST", "/api/v1/fooproducts/protected/recommendation"),
        ("POST", RANKING_PATH),
    ],
)
def test_wrong_method_or_path_is_404_json(sim, method, path):
    answer = sim.handle(method, path, {}, {}, json.dumps(event("s", "categoryView", "Tops")).encode())
    assert answer.status == 404
    assert "error" in answer.json()


def test_any_prefix_is_accepted(sim):
    for path in ("/products/protected/recommendation", "/v9/x/products/protected/recommendation/"):
        assert sim.handle("POST", path, {}, {}, json.dumps(event("s", "customShelf")).encode()).status == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-FashionAI-APP-Token": "wrong"}, {"Authorization": "Bearer sekret"}],
)
def test_a_configured_token_is_required(catalog, headers):
    sim = Simulator(catalog, token="sekret")
    answer = post(sim, event("s", "categoryView", "Tops"), headers)
    assert (answer.status, answer.json()) == (401, {"error": "invalid or expired token"})
    assert sim.handle("GET", RANKING_PATH, {}, headers, b"").status == 401
    assert sim.events_recorded() == 0


def test_the_right_token_in_any_case_is_accepted(catalog):
    sim = Simulator(catalog, token="sekret")
    assert post(sim, event("s", "categoryView", "Tops"), {"x-fashionai-app-token": "sekret"}).status == 200


def test_without_a_configured_token_any_token_is_accepted(sim):
    assert post(sim, event("s", "categoryView", "Tops"), {"X-FashionAI-APP-Token": "whatever"}).status == 200


# -- faults ----------------------------------------------------------------------


def test_faults_are_off_by_default(sim):
    assert all(post(sim, event("s", "categoryView", "Tops")).status == 200 for _ in range(20))


@pytest.mark.parametrize(("status", "retry_after"), [(503, "5"), (502, None), (429, "5")])
def test_rejections_before_processing_are_not_recorded(catalog, status, retry_after):
    sim = Simulator(catalog, faults=Faults(error_rates={status: 1.0}, retry_after=5))
    answer = post(sim, event("s", "categoryView", "Tops"))
    assert answer.status == status
    assert answer.headers.get("Retry-After") == retry_after
    assert "error" in answer.json()
    assert sim.events_recorded("s") == 0


def test_latency_is_slept_per_request(catalog, monkeypatch):
    slept = []
    monkeypatch.setattr("fashionai.simulator.engine.time.sleep", slept.append)
    sim = Simulator(catalog, faults=Faults(latency=0.25))
    post(sim, event("s", "categoryView", "Tops"))
    sim.handle("GET", RANKING_PATH, {}, {}, b"")
    assert slept == [0.25, 0.25]


def test_a_500_comes_after_recording(catalog):
    sim = Simulator(catalog, faults=Faults(error_rates={500: 1.0}))
    assert post(sim, event("s", "categoryView", "Tops")).status == 500
    assert sim.events_recorded("s") == 1


def test_every_nth_request_is_rate_limited_with_retry_after(catalog):
    sim = Simulator(catalog, faults=Faults(rate_limit_burst=3, retry_after=2))
    answers = [post(sim, event("s", "categoryView", "Tops")) for _ in range(6)]
    assert [answer.status for answer in answers] == [200, 200, 429, 200, 200, 429]
    assert answers[2].headers["Retry-After"] == "2"
    assert sim.events_recorded("s") == 4


def test_broken_bodies_are_200_that_do_not_parse_and_are_recorded(catalog):
    sim = Simulator(catalog, faults=Faults(broken_body_rate=1.0))
    answers = [post(sim, event("s", "categoryView", "Tops")) for _ in range(10)]
    assert all(answer.status == 200 for answer in answers)
    for answer in answers:
        with pytest.raises(ValueError):
            answer.json()
    assert {answer.headers["Content-Type"].split(";")[0] for answer in answers} == {"text/html", "application/json"}
    assert sim.events_recorded("s") == 10


def test_a_dropped_connection_raises_after_recording(catalog):
    sim = Simulator(catalog, faults=Faults(drop_rate=1.0))
    with pytest.raises(ConnectionDropped):
        post(sim, event("s", "categoryView", "Tops"))
    assert sim.events_recorded("s") == 1


def test_faults_change_at_runtime(sim):
    sim.faults.update(error_rates={503: 1.0})
    assert post(sim, event("s", "categoryView", "Tops")).status == 503
    sim.faults.update(error_rates={})
    assert post(sim, event("s", "categoryView", "Tops")).status == 200


def test_fault_dice_are_seeded(catalog):
    def statuses(seed: int) -> list[int]:
        sim = Simulator(catalog, faults=Faults(error_rates={500: 0.3, 503: 0.3}, seed=seed))
        return [post(sim, event("s", "categoryView", "Tops")).status for _ in range(40)]

    assert statuses(1) == statuses(1)
    assert {200, 500, 503} <= set(statuses(1))
    assert statuses(1) != statuses(2)


@pytest.mark.parametrize(
    "settings",
    [{"error_rates": {500: 0.7, 503: 0.7}}, {"drop_rate": 1.5}, {"latency": -1}, {"error_rates": {7: 0.1}}],
)
def test_invalid_fault_settings_are_refused(settings):
    with pytest.raises(ValueError):
        Faults(**settings)
    faults = Faults()
    with pytest.raises(ValueError):
        faults.update(**settings)
    assert faults == Faults()  # unchanged


def test_unknown_fault_settings_are_refused():
    with pytest.raises(TypeError):
        Faults().update(speed=3)
