"""The similar, collection and profile routes over httpx: the in-process transport and the loopback server."""

from datetime import datetime, timezone

import httpx
import pytest

from fashionai.api.collections import collection_path, parse_collection
from fashionai.api.models import SIMILAR_PATH
from fashionai.api.profiles import parse_profile, profile_path
from fashionai.catalog.sample import load_sample_frame
from fashionai.simulator import Faults, Simulator, SimulatorTransport, start_server

NOW = datetime(2026, 4, 17, 15, 30, tzinfo=timezone.utc)
TOKEN = "t0ken-for-tests"
AUTH = {"X-FashionAI-APP-Token": TOKEN}
PRODUCT = "000814"
ODD_EMAIL = "ana+news/2026@example.com.br"  # "+", "/" and "@" in a path segment, percent-encoded


@pytest.fixture(scope="module")
def catalog():
    return load_sample_frame()


@pytest.fixture
def sim(catalog):
    return Simulator(catalog, token=TOKEN, clock=lambda: NOW)


@pytest.fixture
def in_process(sim):
    with httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim/api/v1", headers=AUTH) as client:
        yield client


@pytest.fixture
def served(sim):
    server, thread, base_url = start_server(sim, "127.0.0.1", 0)
    with httpx.Client(base_url=base_url, headers=AUTH, timeout=10) as client:
        yield client
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(params=["in_process", "served"])
def client(request):
    return request.getfixturevalue(request.param)


def test_similar_over_http_answers_as_the_python_call(client, sim):
    body = {"sessionId": "s", "userId": "7", "data": {"id": PRODUCT}}
    answer = client.post(SIMILAR_PATH, params={"limit": 4}, json=body)
    assert answer.status_code == 200
    assert answer.json() == {"products": sim.similar("s", PRODUCT, user_id="7", limit=4)}
    assert len(client.post(SIMILAR_PATH, json=body).json()["products"]) == 10
    assert sim.events_recorded() == 0


@pytest.mark.parametrize("limit", ["", "0", "x"])
def test_a_bad_limit_over_http_is_a_400_on_both_transports(client, limit):
    answer = client.post(f"{SIMILAR_PATH}?limit={limit}", json={"sessionId": "s", "data": {"id": PRODUCT}})
    assert answer.status_code == 400 and "limit" in answer.json()["error"]


def test_an_unknown_product_over_http_is_a_404(client):
    answer = client.post(SIMILAR_PATH, json={"sessionId": "s", "data": {"id": "no-such"}})
    assert (answer.status_code, answer.headers["content-type"]) == (404, "application/json")
    assert answer.json() == {"error": "product not found"}


def test_collections_over_http(client, sim):
    answer = client.get(collection_path("1"))
    assert answer.status_code == 200 and answer.json() == sim.collection("1")
    assert parse_collection(answer.json()).slice_name == "Wool Coats & Knits"
    none_active = client.get(collection_path(3))
    assert none_active.status_code == 404 and "error" in none_active.json()
    assert client.get(collection_path("no/such")).status_code == 404


def test_profiles_over_http_decode_the_value_once(client, sim, catalog):
    sim.recommend("s", "productView", PRODUCT, "user/7")
    by_id = client.get(profile_path("user-profile-id", "user/7"))
    assert by_id.status_code == 200
    assert parse_profile(by_id.json()).user_profile_id == "user/7"
    assert by_id.json() == sim.profile("user-profile-id", "user/7")
    by_email = client.get(profile_path("email", ODD_EMAIL))
    assert by_email.status_code == 200
    assert by_email.json() == sim.profile("email", ODD_EMAIL)
    assert "ana+news" not in by_email.text and "example" not in by_email.text
    assert client.get(profile_path("email", ODD_EMAIL).replace("/email/", "/fax/")).status_code == 404


def test_the_new_routes_need_the_token_over_http(client):
    client.headers.pop("X-FashionAI-APP-Token")
    for answer in (client.post(SIMILAR_PATH, json={"sessionId": "s", "data": {"id": PRODUCT}}),
                   client.get(collection_path("1")), client.get(profile_path("email", ODD_EMAIL))):
        assert answer.status_code == 401


def test_faults_reach_the_new_routes_over_http(client, sim):
    sim.faults.update(drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(SIMILAR_PATH, json={"sessionId": "s", "data": {"id": PRODUCT}})
    sim.faults.update(drop_rate=0.0, error_rates={503: 1.0})
    assert client.get(collection_path("1")).status_code == 503
    assert client.get(profile_path("user-profile-id", "7")).status_code == 503


def test_a_transports_own_faults_reach_the_new_routes(sim):
    transport = SimulatorTransport(sim, faults=Faults(broken_body_rate=1.0))
    with httpx.Client(transport=transport, base_url="http://sim/api/v1", headers=AUTH) as client:
        answer = client.get(collection_path("1"))
    assert answer.status_code == 200
    with pytest.raises(ValueError):
        answer.json()


def test_the_verbose_server_log_masks_personal_lookups(sim, capfd):
    server, thread, base_url = start_server(sim, "127.0.0.1", 0, verbose=True)
    try:
        with httpx.Client(base_url=base_url, headers=AUTH, timeout=10) as client:
            assert client.get(profile_path("email", ODD_EMAIL)).status_code == 200
            assert client.get(profile_path("phone", "+55 11 98765-1234")).status_code == 200
            assert client.get(profile_path("user-profile-id", "90")).status_code == 200
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    log = capfd.readouterr().err
    assert "/crm/protected/profile/email/***" in log and "/crm/protected/profile/phone/***" in log
    assert "/crm/protected/profile/user-profile-id/90" in log  # not personal: left as it is
    for piece in ("ana", "example", "98765", "%40", TOKEN):
        assert piece not in log
