"""Charts become pictures with no network at all: vl-convert draws text with the fonts on this machine."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import altair as alt
import pandas as pd
import pytest

from fashionai.output.deck import deck_bytes
from fashionai.output.handover import Handover, Section
from fashionai.output.report import report_html

SCRIPT = textwrap.dedent("""
    import altair as alt, pandas as pd
    from fashionai.output.chart_images import chart_png
    data = pd.DataFrame({"name": ["Vestido Aurora", "Saia Lua"], "value": [3, 5]})
    bars = alt.Chart(data).mark_bar().encode(y="name:N", x="value:Q").properties(width="container")
    plain = chart_png(bars.encode(y=alt.Y("name:N", axis=None)).properties(title=""))
    worded = chart_png(bars.properties(title="Offline words, drawn with local fonts"))
    height = lambda png: int.from_bytes(png[20:24], "big")
    assert plain[:8] == worded[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    assert height(worded) > height(plain), (height(worded), height(plain))
    print("drawn", len(worded))
""")


@pytest.mark.slow  # a new Python process: seconds of imports
def test_a_chart_with_text_is_drawn_in_a_process_without_any_network():
    """`unshare -rn`: a process in its own network namespace, where no address can be reached."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False).returncode:
        pytest.skip("this machine cannot start a process without a network (unshare -rn)")
    probe = subprocess.run(["unshare", "-rn", sys.executable, "-c",
                            "import socket; socket.create_connection(('1.1.1.1', 80), timeout=2)"],
                           capture_output=True, text=True, check=False)
    assert probe.returncode != 0  # the network is really gone in there
    drawn = subprocess.run(["unshare", "-rn", sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                           timeout=120, check=False)
    assert drawn.returncode == 0, drawn.stderr
    assert drawn.stdout.startswith("drawn")


def test_the_deck_and_report_ask_no_socket(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a handover tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [2, 1]})).mark_line().encode(x="x:Q", y="y:Q").properties(
        title="No socket asked", width="container")
    handover = Handover("Offline", "a chart", datetime(2026, 1, 1, tzinfo=UTC), "Built-in simulator", "Sample",
                        (Section("A line", ("It goes down.",), chart=chart),))
    assert deck_bytes(handover)[:2] == b"PK"
    assert "data:image/png;base64," in report_html(handover)
