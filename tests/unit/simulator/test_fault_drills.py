"""The plumbing of fault drills: presets, a transport carrying its own faults, timeouts in-process."""

from __future__ import annotations

import httpx
import pytest

from fashionai import FashionAIClient
from fashionai.api.errors import APITimeoutError, RateLimitError, ServerError
from fashionai.catalog.sample import load_sample_frame
from fashionai.simulator import PRESETS, Faults, Simulator, SimulatorTransport
from fashionai.simulator import engine as engine_module
from fashionai.simulator.faults import OFF, PAST_TIMEOUT_MARGIN

BASE = "http://sim/api/v1"
CATEGORY = "Dresses"


@pytest.fixture(scope="module")
def products():
    return load_sample_frame()


@pytest.fixture
def sim(products):
    return Simulator(products)


@pytest.fixture
def sleeps(monkeypatch):
    """The simulator's injected waits, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(engine_module.time, "sleep", asked.append)
    return asked


def client_over(sim, faults=None, *, timeout=10.0, max_retries=2):
    client = FashionAIClient("t", base_url=BASE, timeout=timeout, max_retries=max_retries,
                             transport=SimulatorTransport(sim, faults=faults))
    client._sleep = lambda seconds: None  # retry at once
    return client


# --------------------------------------------------------------------------- Faults helpers


def test_faults_are_active_only_when_something_is_on():
    assert not Faults().active
    assert not Faults(seed=9, retry_after=5).active  # the dice and Retry-After alone change nothing
    assert not Faults(error_rates={500: 0.0}).active
    for settings in ({"latency": 0.1}, {"error_rates": {502: 0.5}}, {"rate_limit_burst": 3},
                     {"broken_body_rate": 0.1}, {"drop_rate": 0.1}):
        assert Faults(**settings).active, settings


def test_settings_make_an_equal_fresh_copy():
    faults = Faults(latency=1.5, error_rates={500: 0.2}, rate_limit_burst=4, retry_after=3, drop_rate=0.1, seed=5)
    copy = Faults(**faults.settings())
    assert copy == faults and copy is not faults
    copy.settings()["error_rates"][500] = 0.9  # a copy, not the live dict
    assert copy.error_rates == {500: 0.2}


@pytest.mark.parametrize(("faults", "words"), [
    (Faults(), "no faults"),
    (Faults(latency=3), "3 s latency"),
    (Faults(error_rates={503: 0.1, 500: 0.25}, retry_after=1), "HTTP 500 25%, 503 10% · Retry-After 1 s"),
    (Faults(rate_limit_burst=3, retry_after=2), "429 on every 3rd request · Retry-After 2 s"),
    (Faults(rate_limit_burst=1), "429 on every request · Retry-After 1 s"),
    (Faults(broken_body_rate=0.5, drop_rate=0.1), "50% broken bodies · 10% dropped connections"),
])
def test_describe_says_the_faults_in_a_few_words(faults, words):
    assert faults.describe() == words


def test_every_preset_is_valid_and_only_off_is_harmless():
    assert OFF in PRESETS
    for name, preset in PRESETS.items():
        faults = preset.faults(timeout=10.0, seed=4)
        assert faults.seed == 4
        assert faults.active == (name != OFF), name
        assert preset.description


def test_the_timeouts_preset_answers_just_past_the_clients_timeout():
    assert PRESETS["Timeouts"].faults(timeout=0.5).latency == 0.5 + PAST_TIMEOUT_MARGIN
    assert PRESETS["Timeouts"].faults(timeout=30).latency == 30 + PAST_TIMEOUT_MARGIN


def test_a_preset_hands_out_fresh_faults():
    first, second = PRESETS["Flaky 5xx"].faults(timeout=10), PRESETS["Flaky 5xx"].faults(timeout=10)
    first.update(error_rates={500: 1.0})
    assert second.error_rates == {500: 0.1, 502: 0.1, 503: 0.1}
    assert PRESETS["Flaky 5xx"].settings["error_rates"] == {500: 0.1, 502: 0.1, 503: 0.1}


# --------------------------------------------------------------------------- a transport's own faults


def test_a_transports_faults_strike_its_requests_only(sim):
    drilled = client_over(sim, Faults(error_rates={500: 1.0}))
    colleague = client_over(sim)
    with pytest.raises(ServerError):
        drilled.category_view("s-drill", CATEGORY)
    assert colleague.category_view("s-colleague", CATEGORY).status_code == 200
    assert not sim.faults.active  # the shared simulator's own faults are untouched


def test_clients_with_and_without_a_drill_share_the_shoppers_histories(sim):
    client_over(sim, Faults(latency=0.001)).category_view("s-1", CATEGORY)  # within the timeout: answered
    assert sim.events_recorded("s-1") == 1
    assert client_over(sim).category_view("s-1", CATEGORY).products  # the same session, known now


def test_without_its_own_faults_a_transport_meets_the_simulators(sim):
    sim.faults.update(error_rates={502: 1.0})
    with pytest.raises(ServerError):
        client_over(sim).category_view("s-1", CATEGORY)


def test_each_transports_dice_are_its_own(sim):
    first = client_over(sim, Faults(rate_limit_burst=2, retry_after=0), max_retries=0)
    second = client_over(sim, Faults(rate_limit_burst=2, retry_after=0), max_retries=0)
    first.category_view("a", CATEGORY)
    second.category_view("b", CATEGORY)  # its own 1st request: not the shared 2nd
    with pytest.raises(RateLimitError, match="HTTP 429"):
        first.category_view("a", CATEGORY)


# --------------------------------------------------------------------------- latency past the timeout


def test_an_answer_later_than_the_timeout_is_a_timeout_and_the_event_counts_once(sim, sleeps):
    client = client_over(sim, Faults(latency=5.0), timeout=0.25)
    with pytest.raises(APITimeoutError, match=r"did not answer within 0\.25 s") as caught:
        client.category_view("s-slow", CATEGORY)
    assert "may already have been recorded, so it was not sent again" in str(caught.value)
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 0.25  # waited as long as the client would, not the whole latency
    assert sim.events_recorded("s-slow") == 1  # a slow server still records the event


def test_a_late_best_sellers_call_records_nothing_and_is_not_retried_past_the_deadline(sim, sleeps):
    client = client_over(sim, Faults(latency=5.0), timeout=0.25)
    with pytest.raises(APITimeoutError, match=r"did not answer within 0\.25 s") as caught:
        client.sales_ranking(CATEGORY)
    assert "Gave up" not in str(caught.value)  # the timeout is the whole call's: no time was left to retry
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 0.25
    assert sim.events_recorded() == 0


def test_latency_within_the_timeout_is_slept_whole_and_answered(sim, sleeps):
    answer = client_over(sim, Faults(latency=0.2), timeout=0.25).category_view("s-1", CATEGORY)
    assert answer.status_code == 200
    assert sleeps == [0.2]


def test_a_late_dropped_or_failed_answer_is_still_a_timeout(sim, sleeps):
    for faults in (Faults(latency=5, drop_rate=1.0), Faults(latency=5, error_rates={500: 1.0})):
        with pytest.raises(APITimeoutError):
            client_over(sim, faults, timeout=0.25).category_view("s-late", CATEGORY)
    assert sim.events_recorded("s-late") == 2  # recorded before the drop and the 500


def test_a_late_rejection_records_nothing(sim, sleeps):
    with pytest.raises(APITimeoutError):
        client_over(sim, Faults(latency=5, error_rates={502: 1.0}), timeout=0.25).category_view("s-late", CATEGORY)
    assert sim.events_recorded("s-late") == 0


def test_the_transport_turns_a_late_answer_into_httpx_read_timeout(sim, sleeps):
    transport = SimulatorTransport(sim, faults=Faults(latency=3))
    with httpx.Client(transport=transport, base_url=BASE, timeout=httpx.Timeout(1.0)) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get("/products/protected/sales-ranking")
    with httpx.Client(transport=transport, base_url=BASE, timeout=None) as client:  # no timeout: waits it out
        assert client.get("/products/protected/sales-ranking").status_code == 200
    assert sleeps == [1.0, 3]
