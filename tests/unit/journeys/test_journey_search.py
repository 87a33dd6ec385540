"""A journey's search step: its id is the query (needed, kept as typed), described in words, saved in JSON, sent as
a site search by a run (then the target is ranked, as after any step), and read back from a run's saved answers."""

import json

import httpx
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.domain import EventType
from fashionai.journeys.journey import (
    Journey,
    Step,
    describe_step,
    journey_from_json,
    journey_to_json,
    steps_from_frame,
)
from fashionai.journeys.run import run_journey


def test_a_search_step_needs_a_query_and_says_it():
    step = Step(EventType.SEARCH, "  vestido azul ")
    assert step.id == "vestido azul"
    assert describe_step(step, {"vestido azul": "not a product"}) == "searches for “vestido azul”"
    with pytest.raises(ValueError, match="a search step needs a query"):
        Step(EventType.SEARCH, " ")
    with pytest.raises(ValueError, match="at most 500 are sent"):  # what the client would refuse
        Step(EventType.SEARCH, "x" * 501)


def test_a_journey_with_a_search_goes_to_json_and_back():
    journey = Journey("Searcher", "", "Dresses", (Step(EventType.SEARCH, "tênis"), Step(EventType.CATEGORY_VIEW,
                                                                                         "Dresses")))
    assert journey_from_json(journey_to_json(journey)) == journey
    import pandas as pd

    frame = pd.DataFrame({"event_type": ["search"], "id": ["saia"]})
    assert steps_from_frame(frame) == (Step(EventType.SEARCH, "saia"),)


def test_a_run_sends_the_search_then_ranks_the_target():
    sent = []

    def vendor(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.append((request.url.path.rsplit("/", 1)[-1], request.url.params.get("query"), body.get("eventType")))
        if request.url.path.endswith("/search"):
            return httpx.Response(200, json={"items": ["7", "8"], "totalItems": 2, "totalPages": 1,
                                             "currentPage": 1})
        return httpx.Response(200, json={"products": ["1", "2"]})

    journey = Journey("Searcher", "", "Dresses", (Step(EventType.SEARCH, "vestido azul"),))
    with FashionAIClient("t", base_url="http://x/api/v1", transport=httpx.MockTransport(vendor)) as client:
        run = run_journey(client, journey, session_id="s1")
    assert run.complete and sent == [("search", "vestido azul", None), ("recommendation", None, "categoryView")]
    assert run.steps[0].answer == ("7", "8") and run.steps[0].ranking == ("1", "2")
