"""Helpers of the compare page's tests: its button and charts, and a live API on loopback that counts its calls.

A test module takes the fixture by naming it: ``live_sim = compare_pages.live_sim``.
"""

from __future__ import annotations

import json
import threading


from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.simulator import SimResponse, Simulator
from tests.apptest_helpers import open_compare_tab

PAGE = "pages/compare.py"
TOKEN = "live-token-SECRET-7d3f"


def compare_button(at):
    (button,) = [b for b in at.button if b.label == "Compare lanes"]
    return button


def charts(at):
    return at.get("vega_lite_chart")


in_tab = open_compare_tab


class PartlyBroken:
    """The simulator as a live API on loopback, failing every call for the sessions in `broken`."""

    def __init__(self, broken=()):
        self.simulator = Simulator(load_catalog(SAMPLE_CATALOG_PATH).products, token=TOKEN)
        self.broken = set(broken)
        self.calls = 0
        self.lock = threading.Lock()

    def handle(self, method, path, query, headers, body):
        with self.lock:
            self.calls += 1
        if body and json.loads(body).get("sessionId") in self.broken:
            return SimResponse(500, {"Content-Type": "application/json"}, b'{"error": "boom"}')
        return self.simulator.handle(method, path, query, headers, body)
