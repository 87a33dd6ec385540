"""The experiment end to end on the in-process simulator: run by the audit runner, stored, read back without a
call; viewing a product of one colour moves that colour's products up, and the sentence names the view."""

from __future__ import annotations

from fashionai.api.client import FashionAIClient
from fashionai.audit.model import RunStatus
from fashionai.domain import EventType
from fashionai.explain.experiment import Experiment, start_experiment
from fashionai.explain.reading import read_explanation
from fashionai.journeys.journey import Step
from fashionai.simulator import Simulator, SimulatorTransport
from tests.fake_time import FakeTime

CATEGORY, COLOUR, OTHER = "Tops", "Navy", "Burgundy"


def test_viewing_one_colour_moves_that_colours_products_up(audits, catalog):
    products = catalog.products
    elsewhere = products[products["category"] != CATEGORY]
    navy = elsewhere.index[elsewhere["color"] == COLOUR][0]
    burgundy = elsewhere.index[elsewhere["color"] == OTHER][0]
    experiment = Experiment((Step(EventType.CATEGORY_VIEW, CATEGORY), Step(EventType.PRODUCT_VIEW, navy),
                             Step(EventType.PRODUCT_VIEW, burgundy)), CATEGORY, twins=2, rate=500.0)
    simulator = Simulator(products)
    client = FashionAIClient("t", base_url="http://sim/api/v1", transport=SimulatorTransport(simulator))
    fake = FakeTime()
    runner = start_experiment(audits, client, experiment, catalog, backend="simulator", catalog_name="sample",
                              max_calls=None, clock=fake.clock, sleep=fake.sleep)
    run = runner.run()
    assert run.status == RunStatus.DONE and run.done_calls == experiment.cost().calls

    explanation = read_explanation(audits, run.id, catalog)  # from the store: no call
    assert explanation.complete and explanation.noise_measured
    colour = products["color"]
    in_top = {variant: sum(colour[p] == COLOUR for p in ids[:10]) for variant, ids in explanation.rankings.items()}
    assert in_top["all"] > in_top["without 2"]  # without the navy view, fewer navy tops on the first shelf

    up = [m for m in explanation.moves() if m.event == 1 and m.change > 0 and not m.within_noise]
    assert up and colour[up[0].product] == COLOUR
    assert sum(colour[m.product] == COLOUR for m in up) > len(up) / 2
    first = next(m for m in explanation.biggest(50) if m.event == 1 and m.change > 0)
    assert explanation.sentence(first).startswith(f"Viewing *{products.loc[navy, 'name']}* moved *")
