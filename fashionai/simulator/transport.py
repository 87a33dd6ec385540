"""Run httpx client code against a Simulator in-process, without a socket."""

from __future__ import annotations

import httpx

from fashionai.simulator.engine import AnswerTooLate, ConnectionDropped, Simulator
from fashionai.simulator.faults import Faults

IN_PROCESS_BASE_URL = "http://simulator.local/api/v1"
"""The in-process simulator's address: requests through SimulatorTransport never leave the process."""
IN_PROCESS_TOKEN = "simulator-demo-token"
"""The token a client of the in-process simulator sends (the simulator takes any unless given one)."""


class SimulatorTransport(httpx.BaseTransport):
    """``httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim/api/v1")``.

    `faults`, if given, apply to this transport's requests instead of the
    simulator's own ``sim.faults``: several clients can share one simulator (its
    shoppers' histories) while each meets its own faults, e.g. one browser
    session's fault drill. Injected latency blocks the calling thread, but never
    longer than the request's read timeout: then `httpx.ReadTimeout` is raised,
    as httpx does when a real server is too slow. A dropped connection raises
    `httpx.RemoteProtocolError`, as httpx does when a real server hangs up.
    """

    def __init__(self, simulator: Simulator, faults: Faults | None = None) -> None:
        self.simulator = simulator
        self.faults = faults

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions.get("timeout", {}).get("read")
        path = request.url.raw_path.decode("ascii").partition("?")[0]  # still percent-encoded, as on a socket
        try:
            answer = self.simulator.handle(
                request.method, path, dict(request.url.params), request.headers, request.read(),
                faults=self.faults, timeout=timeout,
            )
        except ConnectionDropped as err:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from err
        except AnswerTooLate as err:
            raise httpx.ReadTimeout("timed out", request=request) from err
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)
