"""Fixtures of the output's tests: the handover's hostile catalog with the simulator behind it, and a comparison
handed over (tests/handover_helpers.py holds what they are made of). A module that needs another catalog defines
its own fixture of the same name, which pytest prefers."""

from __future__ import annotations

import pytest

from fashionai.api import redaction
from fashionai.api.client import FashionAIClient
from fashionai.catalog import load_catalog
from fashionai.compare.compared import Comparison
from fashionai.compare.handover import comparison_handover
from fashionai.compare.lanes import answered_lane, native_lane, session_lane
from fashionai.output.deck import deck_bytes
from fashionai.output.report import report_html
from fashionai.simulator import Simulator, SimulatorTransport
from tests.handover_helpers import FACTS, HOSTILE, NAMES, PNG, SIMULATOR_DAY, TOKEN, WHEN


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    rows = ["product_id,name,category,color,style,brand,price,stock,image_url"]
    for number, name in enumerate(NAMES, start=1):
        image = {1: PNG, 2: "https://cdn.example.com/2.jpg"}.get(number, "")
        rows.append(f'{number:06d},"{name}",Dresses,{"Red" if number % 2 else "Blue"},casual,Noite,'
                    f'{100 + number}.90,{number % 4},"{image}"')
    rows.append(f'000099,"{HOSTILE}",Dresses,Red,office,Noite,99.90,5,')
    path = tmp_path_factory.mktemp("handover") / "hostile.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    redaction.protect(TOKEN)
    return load_catalog(path)


@pytest.fixture(scope="module")
def client(catalog):
    return FashionAIClient("t", base_url="http://sim.invalid/api/v1",
                           transport=SimulatorTransport(Simulator(catalog.products, clock=lambda: SIMULATOR_DAY)))


@pytest.fixture(scope="module")
def comparison(catalog):
    native = catalog.category_ids("Dresses")
    hostile_first = ("000099", *[pid for pid in reversed(native) if pid != "000099"])
    lanes = [answered_lane(native_lane(), None, native, catalog),
             answered_lane(session_lane("s1"), hostile_first, native, catalog)]
    return Comparison.of("Dresses", lanes, native, catalog, k=5)


@pytest.fixture(scope="module")
def compared(comparison):
    handover = comparison_handover(comparison, reference="Native order", others=["Native order", "s1"], other="s1",
                                   made_at=WHEN, **FACTS)
    return handover, deck_bytes(handover), report_html(handover)
