"""Run httpx client code against a Simulator in-process, without a socket."""

from __future__ import annotations

import httpx

from fashionai.simulator.engine import ConnectionDropped, Simulator


class SimulatorTransport(httpx.BaseTransport):
    """``httpx.Client(transport=SimulatorTransport(sim), base_url="http://sim/api/v1")``.

    Injected latency blocks the calling thread; a dropped connection raises
    `httpx.RemoteProtocolError`, as httpx does when a real server hangs up.
    """

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            answer = self.simulator.handle(
                request.method, request.url.path, dict(request.url.params), request.headers, request.read()
            )
        except ConnectionDropped as err:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from err
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)
