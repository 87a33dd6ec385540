"""The token check and the injected faults on the simulator's similar, collection and profile routes."""

import json
from datetime import datetime, timezone

import pytest

from fashionai.catalog.sample import load_sample_frame
from fashionai.simulator import Faults, Simulator
from fashionai.simulator import engine as engine_module
from fashionai.simulator.engine import ConnectionDropped

NOW = datetime(2026, 4, 17, 15, 30, tzinfo=timezone.utc)
PREFIX = "/api/v1"
SIMILAR = f"{PREFIX}/products/protected/similar"
TOKEN = "t0ken"
AUTH = {"X-FashionAI-APP-Token": TOKEN}


@pytest.fixture(scope="module")
def catalog():
    return load_sample_frame()


@pytest.fixture
def sim(catalog):
    return Simulator(catalog, token=TOKEN, clock=lambda: NOW)


ROUTES = [
    ("POST", SIMILAR, {"sessionId": "s", "data": {"id": "no-such-product"}}),
    ("GET", f"{PREFIX}/merchandising-collections/protected/1", None),
    ("GET", f"{PREFIX}/crm/protected/profile/user-profile-id/90", None),
]
ROUTE_IDS = ["similar", "collection", "profile"]


def call(sim, method, path, payload, headers=AUTH):
    body = json.dumps(payload).encode() if payload is not None else b""
    return sim.handle(method, path, {}, headers, body)


def good(route):
    method, path, payload = route
    if payload is not None:
        payload = {"sessionId": "s", "data": {"id": "000814"}}
    return method, path, payload


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("headers", [{}, {"X-FashionAI-APP-Token": "wrong"}, {"Authorization": f"Bearer {TOKEN}"}])
def test_every_new_route_needs_the_token_before_anything_else(sim, route, headers):
    answer = call(sim, *route, headers=headers)  # the similar call names an unknown product: 401 comes first
    assert answer.status == 401 and answer.json() == {"error": "invalid or expired token"}
    assert call(sim, *good(route)).status == 200


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("status", [429, 503, 500, 504])
def test_injected_statuses_apply_to_the_new_routes(catalog, route, status):
    sim = Simulator(catalog, faults=Faults(error_rates={status: 1.0}, retry_after=2), clock=lambda: NOW)
    answer = call(sim, *good(route))
    assert answer.status == status and "error" in answer.json()
    assert answer.headers.get("Retry-After") == ("2" if status in (429, 503) else None)
    assert sim.events_recorded() == 0  # nothing to record, failed before or after


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_broken_bodies_apply_to_the_new_routes(catalog, route):
    sim = Simulator(catalog, faults=Faults(broken_body_rate=1.0), clock=lambda: NOW)
    for _ in range(6):
        answer = call(sim, *good(route))
        assert answer.status == 200
        with pytest.raises(ValueError):
            answer.json()


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_dropped_connections_apply_to_the_new_routes(catalog, route):
    sim = Simulator(catalog, faults=Faults(drop_rate=1.0), clock=lambda: NOW)
    with pytest.raises(ConnectionDropped):
        call(sim, *good(route))


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_latency_applies_to_the_new_routes(catalog, route, monkeypatch):
    slept = []
    monkeypatch.setattr(engine_module.time, "sleep", slept.append)
    sim = Simulator(catalog, faults=Faults(latency=0.4), clock=lambda: NOW)
    assert call(sim, *good(route)).status == 200
    assert slept == [0.4]
    with pytest.raises(engine_module.AnswerTooLate):
        sim.handle(*call_args(good(route)), timeout=0.1)


def call_args(route):
    method, path, payload = route
    return method, path, {}, {}, json.dumps(payload).encode() if payload is not None else b""


def test_the_wrong_method_is_a_404(sim):
    assert sim.handle("GET", SIMILAR, {}, AUTH, b"").status == 404
    assert sim.handle("POST", f"{PREFIX}/merchandising-collections/protected/1", {}, AUTH, b"{}").status == 404
