"""The simulator over httpx: in-process transport, loopback server, and the command line."""

import os
import queue
import re
import subprocess
import sys
import threading
import time
import types

import httpx
import pytest

from fashionai.__main__ import build_parser, load_products
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH, load_sample_frame
from fashionai.simulator import Faults, Simulator, SimulatorTransport, start_server
from tests import ROOT

RECOMMENDATION = "/products/protected/recommendation"
SALES_RANKING = "/products/protected/sales-ranking"
TOKEN = "t0ken-for-tests"
CALLS = [
    {"sessionId": "a", "eventType": "categoryView", "data": {"id": "Jeans"}},
    {"sessionId": "a", "eventType": "categoryView", "data": {"id": "Jeans"}},
    {"sessionId": "a", "eventType": "shopTheLook", "data": {"id": "000814"}, "userId": "7"},
    {"sessionId": "b", "eventType": "customShelf", "data": {"id": ""}, "userId": "7"},
    {"sessionId": "b", "eventType": "productView", "data": {"id": "000892"}},
]


@pytest.fixture(scope="module")
def catalog():
    return load_sample_frame()


def expected_answers(catalog) -> list[list[str]]:
    sim = Simulator(catalog)
    return [
        sim.recommend(c["sessionId"], c["eventType"], c["data"]["id"], c.get("userId")) for c in CALLS
    ]


def replay(client: httpx.Client) -> list[list[str]]:
    answers = []
    for call in CALLS:
        response = client.post(RECOMMENDATION, json=call)
        response.raise_for_status()
        answers.append(response.json()["products"])
    return answers


# -- in-process transport -----------------------------------------------------------


def test_transport_runs_plain_httpx_client_code(catalog):
    sim = Simulator(catalog, token=TOKEN)
    headers = {"X-FashionAI-APP-Token": TOKEN}
    with httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim/api/v1", headers=headers) as client:
        assert replay(client) == expected_answers(catalog)
        ranking = client.get(SALES_RANKING, params={"categoryId": "Bags"})
        assert ranking.json() == {"categoryId": "Bags", "products": sim.sales_ranking("Bags")}
        assert client.post(RECOMMENDATION, json={"sessionId": ""}).status_code == 400
        assert client.get("/elsewhere").status_code == 404
    with httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim/api/v1") as client:
        assert client.post(RECOMMENDATION, json=CALLS[0]).status_code == 401


def test_transport_drops_like_a_server_that_hangs_up(catalog):
    sim = Simulator(catalog, faults=Faults(drop_rate=1.0))
    with httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim/api/v1") as client:
        with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected"):
            client.post(RECOMMENDATION, json=CALLS[0])
    assert sim.events_recorded("a") == 1


def test_transport_passes_retry_after(catalog):
    sim = Simulator(catalog, faults=Faults(error_rates={429: 1.0}, retry_after=3))
    with httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim/api/v1") as client:
        response = client.post(RECOMMENDATION, json=CALLS[0])
    assert (response.status_code, response.headers["retry-after"]) == (429, "3")


# -- loopback server ------------------------------------------------------------------


@pytest.fixture
def served(catalog):
    sim = Simulator(catalog, token=TOKEN)
    server, thread, base_url = start_server(sim, "127.0.0.1", 0)
    yield sim, base_url
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_loopback_server_answers_as_in_process(served, catalog):
    sim, base_url = served
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v1", base_url)
    with httpx.Client(base_url=base_url, headers={"X-FashionAI-APP-Token": TOKEN}, timeout=10) as client:
        assert replay(client) == expected_answers(catalog)
        ranking = client.get(SALES_RANKING, params={"categoryId": "Jeans"})
        assert ranking.json()["products"] == sim.sales_ranking("Jeans")
        missing = client.get("/nowhere")
        assert (missing.status_code, missing.headers["content-type"]) == (404, "application/json")
        assert client.post(RECOMMENDATION, content=b"{oops").status_code == 400
    with httpx.Client(base_url=base_url, timeout=10) as client:
        assert client.post(RECOMMENDATION, json=CALLS[0]).status_code == 401


def test_loopback_server_drops_connections(served):
    sim, base_url = served
    sim.faults.update(drop_rate=1.0)
    with httpx.Client(base_url=base_url, headers={"X-FashionAI-APP-Token": TOKEN}, timeout=10) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post(RECOMMENDATION, json=CALLS[0])
        sim.faults.update(drop_rate=0.0)
        assert client.post(RECOMMENDATION, json=CALLS[0]).status_code == 200
    assert sim.events_recorded("a") == 2


def test_loopback_server_logs_nothing_by_default(served, capfd):
    _, base_url = served
    httpx.post(base_url + RECOMMENDATION, json=CALLS[0], headers={"X-FashionAI-APP-Token": TOKEN}, timeout=10)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_verbose_logging_shows_request_lines_but_never_headers(catalog, capfd):
    server, thread, base_url = start_server(Simulator(catalog, token=TOKEN), verbose=True)
    try:
        httpx.post(base_url + RECOMMENDATION, json=CALLS[0], headers={"X-FashionAI-APP-Token": TOKEN}, timeout=10)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    logged = capfd.readouterr().err
    assert "POST /api/v1/products/protected/recommendation" in logged
    assert TOKEN not in logged


# -- command line ---------------------------------------------------------------------


def test_help_lists_the_simulate_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["--help"])
    assert exit_.value.code == 0
    assert "simulate" in capsys.readouterr().out


def test_error_rates_parse_as_status_probability_pairs():
    args = build_parser().parse_args(["simulate", "--error-rate", "503=0.1", "--error-rate", "500=0.05"])
    assert dict(args.error_rate) == {503: 0.1, 500: 0.05}
    with pytest.raises(SystemExit):
        build_parser().parse_args(["simulate", "--error-rate", "often"])


def test_catalog_option_uses_the_app_loader(monkeypatch, tmp_path):
    """--catalog goes through fashionai.catalog.load_catalog(path).products."""
    seen = []

    def load_catalog(source):
        seen.append(source)
        return types.SimpleNamespace(products=load_sample_frame().set_index("product_id"))

    monkeypatch.setitem(sys.modules, "fashionai.catalog", types.SimpleNamespace(load_catalog=load_catalog))
    products = load_products(str(tmp_path / "mine.csv"))
    assert seen == [str(tmp_path / "mine.csv")]
    assert len(Simulator(products).sales_ranking()) == 1200
    assert len(load_products(None)) == 1200  # no --catalog: the bundled sample


class Simulate:
    """`python -m fashionai simulate ...` as a subprocess, with its printed base URL."""

    def __init__(self, *args: str, timeout: float = 60.0) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fashionai", "simulate", "--port", "0", *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.output = ""
        deadline = time.monotonic() + timeout
        ready = re.compile(r"FASHIONAI_BASE_URL=(http://127\.0\.0\.1:\d+/api/v1) .*\n")
        while (match := ready.search(self.output)) is None:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"simulator did not start: {self.output}{self.process.stderr.read()}")
            try:
                self.output += self.lines.get(timeout=0.2)
            except queue.Empty:
                pass
        self.base_url = match.group(1)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.fixture
def simulate():
    started = []

    def start(*args: str) -> Simulate:
        started.append(Simulate(*args))
        return started[-1]

    yield start
    for process in started:
        process.stop()


@pytest.mark.slow  # a new Python process: seconds of imports
def test_simulate_command_serves_and_never_prints_the_token(simulate):
    running = simulate("--token", TOKEN)
    with httpx.Client(base_url=running.base_url, timeout=10) as client:
        ok = client.post(RECOMMENDATION, json=CALLS[0], headers={"X-FashionAI-APP-Token": TOKEN})
        assert (ok.status_code, ok.json()) == (200, {"products": []})
        assert client.post(RECOMMENDATION, json=CALLS[0]).status_code == 401
    assert f"FASHIONAI_BASE_URL={running.base_url}" in running.output
    assert "FASHIONAI_APP_TOKEN=" in running.output
    assert TOKEN not in running.output


@pytest.mark.slow  # a new Python process: seconds of imports
def test_simulate_command_injects_faults(simulate):
    running = simulate("--error-rate", "503=1", "--latency", "0")
    response = httpx.post(running.base_url + RECOMMENDATION, json=CALLS[0], timeout=10)
    assert response.status_code == 503


@pytest.mark.slow  # a new Python process: seconds of imports
def test_simulate_command_with_a_catalog_file(simulate):
    pytest.importorskip("fashionai.catalog", reason="fashionai.catalog is not written yet")
    running = simulate("--catalog", str(SAMPLE_CATALOG_PATH))
    ranking = httpx.get(running.base_url + SALES_RANKING, timeout=10).json()
    assert len(ranking["products"]) == 1200
