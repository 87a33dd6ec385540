"""The processes the browser suite talks to: the Streamlit app and the loopback simulator.

Both run as subprocesses from the repository root, on 127.0.0.1 only, with an
environment cleaned of the developer's settings (see ``clean_environment``). Ports
are chosen free by the OS, so every pytest-xdist worker gets its own servers.
Nothing here imports Playwright: the servers are plain processes.
"""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fakeapi import FakeAPI

ROOT = Path(__file__).resolve().parents[2]
APP_SCRIPT = "app.py"
START_TIMEOUT = 60.0
"""Seconds a server may take to answer its health check (a cold start on a busy 2-core runner)."""
STOP_TIMEOUT = 10.0
POLL_INTERVAL = 0.1
"""Seconds between health polls: the readiness itself is observed, this only paces the loop."""

_DROPPED_PREFIXES = ("FASHIONAI_", "STREAMLIT_")
_PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "ftp_proxy"}


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without the developer's app settings, plus ``extra``.

    Dropped: every ``FASHIONAI_*`` (so the app runs the simulator unless a test sets
    a token), every ``STREAMLIT_*`` (a stray STREAMLIT_SERVER_PORT would move the
    server) and proxy variables (the app's only peer is the simulator on loopback,
    and httpx would send loopback calls to a proxy named in the environment).
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith(_DROPPED_PREFIXES) and name.lower() not in _PROXY_VARIABLES
    }
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


def _healthy(url: str) -> bool:
    try:
        with _LOOPBACK.open(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen) -> None:
    """Terminate, then kill if it does not exit in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


@dataclass
class AppServer:
    """A running ``streamlit run app.py``; ``url`` has no trailing slash."""

    url: str
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str] = field(repr=False)
    simulator: SimulatorServer | None = None
    """The loopback simulator this app is pointed at, in live mode."""
    fake_api: FakeAPI | None = None
    """The loopback fake API (tests/fakeapi.py, run in the test process) this app is pointed at, if any."""

    def log_tail(self) -> str:
        return _tail(self.log_path)

    def stop(self) -> None:
        _stop(self.process)


def start_app(workdir: Path, *, env: dict[str, str] | None = None, attempts: int = 3,
              extra_args: Sequence[str] = (), app_script: str = APP_SCRIPT,
              secrets_toml: Callable[[str], str] | None = None) -> AppServer:
    """Start the app headless on a free loopback port and wait until it is healthy.

    ``workdir`` (a temporary folder) holds the server's log and an empty secrets
    location: ``--secrets.files`` points there, so a developer's
    ``.streamlit/secrets.toml`` (a real token) never reaches a test server.
    ``--server.fileWatcherType none``: files edited while the suite runs do not
    make the server rerun or announce changes mid-test. ``extra_args`` are more
    Streamlit options, e.g. ``["--server.maxUploadSize", "1"]``. ``app_script`` is another script to
    serve instead of the studio (the first-page benchmark's bare page). ``secrets_toml``, given the server's
    address, writes the secrets file it is started with (sign-in's [auth] names the address in redirect_uri).
    """
    env = clean_environment() if env is None else dict(env)
    workdir.mkdir(parents=True, exist_ok=True)
    env.setdefault("FASHIONAI_HISTORY_URL", f"sqlite:///{workdir / 'history.db'}")  # never the user's own
    last_error = ""
    for attempt in range(1, attempts + 1):  # another process may take the free port first
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log_path = workdir / f"streamlit-{port}.log"
        secrets_path = workdir / "no-secrets.toml"
        if secrets_toml is not None:
            secrets_path = workdir / f"secrets-{port}.toml"
            secrets_path.write_text(secrets_toml(url), encoding="utf-8")
        command = [
            # as `python3 dev.py app` serves the studio (fashionai/ui/serve.py); anything else as `streamlit run`
            *([sys.executable, "-m", "fashionai.ui.serve"] if app_script == APP_SCRIPT else
              [sys.executable, "-m", "streamlit", "run"]), app_script,
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            f"--secrets.files={secrets_path}",
            *extra_args,
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            if _healthy(url):
                return AppServer(url, process, log_path, env)
            time.sleep(POLL_INTERVAL)
        _stop(process)
        last_error = (f"attempt {attempt}: the app on port {port} "
                      + (f"exited with code {process.returncode}" if process.returncode not in (None, -15)
                         else f"was not healthy within {START_TIMEOUT:g} s")
                      + f"; its log ends:\n{_tail(log_path)}")
    raise RuntimeError(f"The Streamlit app did not start.\n{last_error}")


_REQUEST_LINE = re.compile(r'"(GET|POST|PUT|PATCH|DELETE) /')
_SERVING = re.compile(r"serving (http://127\.0\.0\.1:\d+/\S*)")


@dataclass
class SimulatorServer:
    """A running ``python -m fashionai simulate`` that requires ``token``."""

    base_url: str
    token: str = field(repr=False)
    process: subprocess.Popen = field(repr=False)
    output: list[str] = field(default_factory=list, repr=False)

    def stop(self) -> None:
        _stop(self.process)

    def requests_seen(self) -> int:
        """How many requests a verbose simulator has answered so far (its request lines)."""
        return sum(1 for line in list(self.output) if _REQUEST_LINE.search(line))


def start_simulator(token: str, *, env: dict[str, str] | None = None, verbose: bool = False) -> SimulatorServer:
    """Start the loopback simulator on a free port; its base URL is read from its first line. `verbose`: its
    request lines (never headers) are kept in `output` too, to count the calls it answered (`requests_seen`)."""
    command = [sys.executable, "-m", "fashionai", "simulate", "--host", "127.0.0.1", "--port", "0",
               "--token", token, *(["--verbose"] if verbose else [])]
    process = subprocess.Popen(command, cwd=ROOT, env=env or clean_environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def read() -> None:  # drains the pipe for the process's whole life, so it never blocks on a full pipe
        for line in process.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, name="simulator-output", daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        if match := _SERVING.search(line):
            return SimulatorServer(match.group(1).rstrip("/"), token, process, output)
    _stop(process)
    raise RuntimeError("The simulator did not announce its address. Its output:\n" + "".join(output))
