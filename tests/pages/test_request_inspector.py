"""The request inspector's curl command for an answer of the in-process simulator: sent to the loopback simulator."""

from __future__ import annotations

from fashionai.api.client import RequestRecord
from fashionai.ui.resources import SIMULATOR_BASE_URL, simulator_base_url
from fashionai.ui.exchange import on_loopback

HOST = SIMULATOR_BASE_URL.removesuffix("/api/v1")
LOCAL = simulator_base_url().removesuffix("/api/v1")


def test_a_call_below_the_api_goes_to_the_loopback_simulator():
    request = RequestRecord("POST", f"{SIMULATOR_BASE_URL}/products/protected/search?page=1&limit=20&query=a%20b",
                            {"userId": None, "sessionId": "s1"}, "search")
    assert on_loopback(request).url == f"{LOCAL}/api/v1/products/protected/search?page=1&limit=20&query=a%20b"


def test_the_detailed_search_outside_the_api_goes_there_too():
    request = RequestRecord("POST", f"{HOST}/v1/products/protected/search/detailed?query=t%C3%AAnis",
                            {"userId": None, "sessionId": "s1"}, "detailedSearch")
    local = on_loopback(request)
    assert local.url == f"{LOCAL}/v1/products/protected/search/detailed?query=t%C3%AAnis"
    assert "127.0.0.1" in local.to_curl() and local.json == request.json


def test_a_call_to_the_live_api_is_left_alone():
    assert on_loopback(RequestRecord("GET", "https://catalog.api.fashionai.dev/api/v1/products/protected/"
                                            "sales-ranking")) is None
