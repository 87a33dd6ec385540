"""An audit whose shopper is a saved journey with a search step: the runner sends the search as that shopper's
warm-up (it was refused as a call an audit cannot send), then measures as for any shopper."""

from __future__ import annotations

import pytest

from fashionai.api.client import FashionAIClient
from fashionai.audit.model import RunStatus
from fashionai.audit.plan import AuditPlan
from fashionai.audit.runner import start_run
from fashionai.audit.store import AuditStore
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.domain import EventType
from fashionai.history import HistoryStore
from fashionai.journeys.journey import Journey, Step
from fashionai.simulator import Simulator, SimulatorTransport
from tests.fake_time import FakeTime


@pytest.fixture
def audits(tmp_path):
    history = HistoryStore(f"sqlite:///{(tmp_path / 'history.db').as_posix()}", max_age_days=None, max_count=None)
    yield AuditStore(history)
    history.close()


def test_a_journeys_search_step_is_sent_as_its_warm_up(audits):
    catalog = load_catalog(SAMPLE_CATALOG_PATH)
    journey = Journey("Searcher", "", catalog.categories[0], (Step(EventType.SEARCH, "vestido azul"),))
    plan = AuditPlan(name="Search warm-up", categories=(catalog.categories[0],), journeys=(journey,), rate=50.0,
                     concurrency=1)
    client = FashionAIClient("t", base_url="http://simulator.local/api/v1",
                             transport=SimulatorTransport(Simulator(catalog.products)))
    fake = FakeTime()
    run = start_run(audits, client, plan, catalog, backend="simulator", catalog_name="sample", max_calls=1000,
                    clock=fake.clock, sleep=fake.sleep).run()
    answers = list(audits.answers(run.id))
    assert run.status == RunStatus.DONE and all(answer.ok for answer in answers)
    searches = [answer for answer in answers if answer.event_type == EventType.SEARCH]
    assert [(answer.shopper_label, answer.item_id, answer.purpose) for answer in searches] == [
        ("Searcher", "vestido azul", "warmup")]
    assert searches[0].products  # the simulator's dresses in blue
