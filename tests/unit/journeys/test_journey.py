import json
from dataclasses import replace

import httpx
import pandas as pd
import pytest

from fashionai.api.client import FashionAIClient
from fashionai.api.errors import BadRequestError
from fashionai.catalog import load_catalog
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.domain import TRACKING_EVENTS, EventType
from fashionai.journeys.journey import (
    MAX_STEPS,
    Journey,
    Step,
    describe_step,
    journey_from_json,
    journey_to_json,
    retarget,
    steps_frame,
    steps_from_frame,
)
from fashionai.journeys.personas import builtin_personas
from fashionai.journeys.run import run_journey
from fashionai.simulator import Simulator, SimulatorTransport

BASE = "http://api.test/api/v1"
JOURNEY = Journey(
    "Office shopper",
    "Looks at office wear.",
    "Knitwear",
    (Step(EventType.CATEGORY_VIEW, "Skirts"), Step(EventType.PRODUCT_VIEW, "000814"), Step(EventType.SHOP_THE_LOOK, "000892"),
     Step(EventType.CUSTOM_SHELF)),
)


@pytest.fixture(scope="module")
def sample():
    return load_catalog(SAMPLE_CATALOG_PATH)


def sim_client(catalog):
    simulator = Simulator(catalog.products)
    return simulator, FashionAIClient("t", base_url=BASE, transport=SimulatorTransport(simulator))


class Recorder:
    """A MockTransport handler that answers from a script and keeps every request body.

    `answers` maps a request number (1 = first) to (status, products); the rest
    answer 200 with `default`. A request it did not expect (a GET) fails the test.
    """

    def __init__(self, answers=None, default=("a", "b", "c")):
        self.answers = answers or {}
        self.default = list(default)
        self.bodies = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.method == "POST", f"unexpected {request.method} {request.url}"
        self.bodies.append(json.loads(request.content))
        status, products = self.answers.get(len(self.bodies), (200, self.default))
        payload = {"products": products} if status == 200 else {"error": "no"}
        return httpx.Response(status, json=payload)

    def client(self):
        return FashionAIClient("t", base_url=BASE, transport=httpx.MockTransport(self))


# --------------------------------------------------------------------------- steps and journeys


def test_a_step_keeps_its_event_and_trims_its_id():
    assert Step(EventType.PRODUCT_VIEW, " 000814 ") == Step("productView", "000814")
    assert Step(EventType.CUSTOM_SHELF).id == ""


@pytest.mark.parametrize(
    ("event_type", "item", "message"),
    [
        ("pageView", "x", "unknown event type 'pageView'"),
        (EventType.PRODUCT_VIEW, "", "needs a product id"),
        (EventType.CATEGORY_VIEW, "   ", "needs a category id"),
        (EventType.CUSTOM_SHELF, "000814", 'takes no id'),
        (EventType.SHOP_THE_LOOK, 814, "must be text"),
    ],
)
def test_a_bad_step_says_what_is_wrong(event_type, item, message):
    with pytest.raises(ValueError, match=message):
        Step(event_type, item)


def test_a_journey_needs_a_name_a_target_and_one_to_max_steps():
    step = Step(EventType.CUSTOM_SHELF)
    with pytest.raises(ValueError, match="needs a name"):
        Journey(" ", "", "Tops", (step,))
    with pytest.raises(ValueError, match="target category"):
        Journey("x", "", "", (step,))
    with pytest.raises(ValueError, match="at least one step"):
        Journey("x", "", "Tops", ())
    with pytest.raises(ValueError, match=f"at most {MAX_STEPS} steps"):
        Journey("x", "", "Tops", (step,) * (MAX_STEPS + 1))
    assert Journey("x", "", "Tops", [step]).steps == (step,)  # a list becomes a tuple
    assert JOURNEY.events == 8


def test_json_round_trips_in_the_apis_words():
    text = journey_to_json(JOURNEY)
    payload = json.loads(text)
    assert payload["steps"][0] == {"eventType": "categoryView", "id": "Skirts"}
    assert payload["steps"][-1] == {"eventType": "customShelf", "id": ""}
    assert journey_from_json(text) == JOURNEY
    assert journey_from_json(text.encode("utf-8-sig")) == JOURNEY  # bytes, with a BOM


def test_json_keeps_accents_readable():
    journey = Journey("Café lover", "Só café", "Tops", (Step(EventType.CUSTOM_SHELF),))
    assert "Café lover" in journey_to_json(journey)
    assert journey_from_json(journey_to_json(journey)) == journey


def _with_steps(*steps):
    return json.dumps({"name": "j", "target_category": "Tops", "steps": list(steps)})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        (json.dumps({"name": "j", "steps": []}), '"target_category"'),
        (json.dumps({"name": "j", "target_category": "Tops"}), '"steps" must be a non-empty list'),
        (json.dumps({"name": "j", "target_category": "Tops", "steps": []}), "non-empty list"),
        (json.dumps({"name": "j", "target_category": "Tops", "steps": [], "description": 3}), "description"),
        (_with_steps("productView"), "step 1: must be an object"),
        (_with_steps({"id": "1"}), 'step 1: "eventType" is missing'),
        (_with_steps({"eventType": "customShelf"}, {"eventType": "productView"}), 'step 2: "id" is missing'),
        (_with_steps({"eventType": "productView", "id": 814}), "step 1: .*must be text"),
        (_with_steps({"eventType": "customShelf", "id": "000814"}), "step 1: a customShelf step takes no id"),
        (_with_steps({"eventType": "wishlist", "id": "x"}), "step 1: unknown event type 'wishlist'"),
        (_with_steps(*[{"eventType": "customShelf"}] * (MAX_STEPS + 1)), "at most"),
    ],
)
def test_bad_json_says_what_and_where(text, message):
    with pytest.raises(ValueError, match=message):
        journey_from_json(text)


def test_a_journey_file_that_is_not_utf8_is_refused():
    with pytest.raises(ValueError, match="not UTF-8"):
        journey_from_json(b'{"name": "caf\xe9"}')


def test_a_customshelf_step_may_leave_out_its_id():
    journey = journey_from_json(_with_steps({"eventType": "customShelf"}))
    assert journey.steps == (Step(EventType.CUSTOM_SHELF, ""),)


def test_steps_from_an_edited_table_skip_blank_rows_and_name_the_bad_one():
    frame = pd.DataFrame({"event_type": ["categoryView", None, "productView"], "id": ["Tops", None, " 7 "]})
    assert steps_from_frame(frame) == (Step(EventType.CATEGORY_VIEW, "Tops"), Step(EventType.PRODUCT_VIEW, "7"))
    assert steps_from_frame(steps_frame(JOURNEY)) == JOURNEY.steps
    with pytest.raises(ValueError, match="row 2: a productView step needs a product id"):
        steps_from_frame(pd.DataFrame({"event_type": ["customShelf", "productView"], "id": ["", ""]}))
    with pytest.raises(ValueError, match="row 1: choose an event type"):
        steps_from_frame(pd.DataFrame({"event_type": [None], "id": ["7"]}))


def test_the_editable_steps_show_each_products_name_beside_its_id():
    names = pd.Series({"000814": "Linen Midi Dress", "Skirts": "not a product"})
    frame = steps_frame(JOURNEY, names)
    assert list(frame["name"]) == ["", "Linen Midi Dress", "", ""]  # a category, an unknown id, the shelf: blank
    assert steps_from_frame(frame) == JOURNEY.steps  # the names are read, never edited back
    assert "name" not in steps_frame(JOURNEY).columns


def test_step_labels_use_product_names_when_known():
    names = pd.Series({"000814": "Knit Vest"})
    assert describe_step(Step(EventType.PRODUCT_VIEW, "000814"), names) == "views product Knit Vest"
    assert describe_step(Step(EventType.PRODUCT_VIEW, "999"), names) == "views product 999"
    assert describe_step(Step(EventType.CATEGORY_VIEW, "Tops"), names) == "opens category Tops"
    assert describe_step(Step(EventType.CUSTOM_SHELF)) == "opens the home shelf"


# --------------------------------------------------------------------------- personas


def test_the_sample_catalog_gives_sporty_office_and_boho_shoppers(sample):
    personas = builtin_personas(sample)
    assert [p.name for p in personas] == ["Sporty shopper", "Office shopper", "Boho shopper"]
    assert {p.target_category for p in personas} == {sample.categories[0]}
    products = sample.products
    for persona, style in zip(personas, ["sporty", "office", "boho"], strict=True):
        viewed = [s.id for s in persona.steps if s.event_type in (EventType.PRODUCT_VIEW, EventType.SHOP_THE_LOOK)]
        assert len(viewed) >= 3
        assert (products.loc[viewed, "style"] == style).all()  # every piece it looks at has its taste
        assert (products.loc[viewed, "stock"] > 0).all()  # and can be bought
        assert persona.steps[0].event_type == EventType.CATEGORY_VIEW
        assert persona.steps[0].id in sample.categories
    assert builtin_personas(sample) == personas  # deterministic


def test_personas_make_the_storefronts_differ(sample):
    from fashionai.measures.ranking import overlap_at_k

    _, client = sim_client(sample)
    finals = []
    for number, persona in enumerate(builtin_personas(sample)):
        native = sample.category_ids(persona.target_category)
        run = run_journey(client, persona, session_id=f"p{number}", native=native)
        assert run.complete
        finals.append(run.final)
    native = sample.category_ids(sample.categories[0])
    for final in finals:
        assert overlap_at_k(final, native, 10) < 0.5
    assert overlap_at_k(finals[1], finals[2], 10) < 0.5  # office and boho see different top 10s


CSV_COLOURS = (
    "id,name,category,color,stock\n"
    + "".join(f"{i},Item {i},{cat},{col},5\n" for i, (cat, col) in enumerate(
        [("Tops", "Black"), ("Tops", "Black"), ("Tops", "Red"), ("Shoes", "Black"),
         ("Shoes", "Red"), ("Shoes", "Red"), ("Bags", "Black"), ("Bags", "Red")]))
)


def test_without_styles_personas_follow_colours():
    catalog = load_catalog(CSV_COLOURS.encode())
    personas = builtin_personas(catalog)
    assert [p.name for p in personas] == ["Black lover", "Red lover"]
    for persona, colour in zip(personas, ["Black", "Red"], strict=True):
        viewed = [s.id for s in persona.steps if s.event_type != EventType.CATEGORY_VIEW]
        assert (catalog.products.loc[viewed, "color"] == colour).all()


def test_without_taste_columns_personas_browse_other_categories():
    csv = "id,name,category\n" + "".join(f"{i},Item {i},{cat}\n" for i, cat in enumerate("AABBBCC"))
    personas = builtin_personas(load_catalog(csv.encode()))
    assert [p.name for p in personas] == ["B browser", "C browser"]
    assert all(p.target_category == "A" for p in personas)


def test_a_catalog_with_nothing_to_browse_gives_no_personas():
    assert builtin_personas(load_catalog(b"id,name\n1,One\n2,Two\n")) == []  # no categories
    assert builtin_personas(load_catalog(b"id,category\n1,Tops\n")) == []  # one category, no other to browse


def test_personas_watch_the_target_asked_for(sample):
    assert {p.target_category for p in builtin_personas(sample, "Dresses")} == {"Dresses"}
    assert retarget(JOURNEY, "Tops").steps == JOURNEY.steps


# --------------------------------------------------------------------------- running


def test_every_step_is_followed_by_a_fetch_of_the_target_category():
    recorder = Recorder()
    run = run_journey(recorder.client(), JOURNEY, session_id="s1", user_id="90", native=["n1", "n2"])
    sent = [(body["eventType"], body["data"]["id"]) for body in recorder.bodies]
    assert sent == [
        ("categoryView", "Skirts"), ("categoryView", "Knitwear"),
        ("productView", "000814"), ("categoryView", "Knitwear"),
        ("shopTheLook", "000892"), ("categoryView", "Knitwear"),
        ("customShelf", ""), ("categoryView", "Knitwear"),
    ]
    assert {body["sessionId"] for body in recorder.bodies} == {"s1"}
    assert {body["userId"] for body in recorder.bodies} == {"90"}
    assert run.complete and run.error is None and run.events_sent == 8
    assert [r.number for r in run.steps] == [1, 2, 3, 4]
    assert run.final == ("a", "b", "c")
    assert run.shown_by_step()[0] == ("n1", "n2")  # step 0: the native order, never fetched


def test_on_step_reports_progress_after_each_step():
    seen = []
    run_journey(Recorder().client(), JOURNEY, session_id="s",
                on_step=lambda result, done, total: seen.append((result.step.event_type, done, total)))
    assert seen == [("categoryView", 1, 4), ("productView", 2, 4), ("shopTheLook", 3, 4), ("customShelf", 4, 4)]


def test_an_empty_answer_shows_the_native_order():
    recorder = Recorder(answers={2: (200, [])})  # the first fetch: a session not known yet
    run = run_journey(recorder.client(), JOURNEY, session_id="s", native=["n1", "n2"])
    first, second = run.steps[:2]
    assert first.fallback and first.ranking == () and first.shown == ("n1", "n2")
    assert not second.fallback and second.shown == ("a", "b", "c")


@pytest.mark.parametrize(("failing_request", "step", "call"), [(3, 2, "event"), (4, 2, "ranking")])
def test_a_run_stops_at_the_first_error_and_keeps_the_steps_done(failing_request, step, call):
    recorder = Recorder(answers={failing_request: (400, None)})
    run = run_journey(recorder.client(), JOURNEY, session_id="s", native=["n1"])
    assert isinstance(run.error, BadRequestError)
    assert (run.failed_step, run.failed_call) == (step, call)
    assert len(run.steps) == 1 and not run.complete
    assert len(recorder.bodies) == failing_request  # nothing sent after the error
    assert run.events_sent == failing_request
    assert run.final == ("a", "b", "c")  # what the storefront showed after the last step done


def test_the_final_top_k_keeps_the_first_place_of_a_repeated_id():
    recorder = Recorder(default=("a", "b", "a", "c", "b", "d"))
    run = run_journey(recorder.client(), JOURNEY, session_id="s", native=["n1"])
    assert run.final_top(3) == ("a", "b", "c")
    assert run.final_top(10) == ("a", "b", "c", "d")
    assert run.final_top(0) == ()
    before = run_journey(Recorder(answers={1: (400, None)}).client(), JOURNEY, session_id="s", native=["n1", "n2"])
    assert before.final_top(5) == ("n1", "n2")  # no step done: the native order


def test_steps_long_at_any_k_is_the_same_from_one_run(sample):
    _, client = sim_client(sample)
    persona = builtin_personas(sample)[0]
    run = run_journey(client, persona, session_id="s", native=sample.category_ids(persona.target_category))
    names = sample.products["name"]
    for k in (10, 3, 10, 25):  # each k drawn from the same run, as the page's slider does
        anew = replace(run)  # the same steps, nothing computed yet
        pd.testing.assert_frame_equal(run.steps_long(k, names), anew.steps_long(k, names))
        assert run.steps_long(k, names)["rank"].max() > k  # ranks in the whole lists, not only the top k


def test_a_run_needs_a_session():
    with pytest.raises(ValueError, match="session id"):
        run_journey(Recorder().client(), JOURNEY, session_id="  ")


def test_the_simulator_records_two_events_per_step(sample):
    simulator, client = sim_client(sample)
    persona = builtin_personas(sample)[0]
    run = run_journey(client, persona, session_id="sess", native=sample.category_ids(persona.target_category))
    assert simulator.events_recorded("sess") == 2 * len(persona.steps) == run.events_sent
    assert all(not r.fallback for r in run.steps)  # after a first step the session is known


def test_steps_long_feeds_the_drift_chart(sample):
    from fashionai.output import charts

    _, client = sim_client(sample)
    persona = builtin_personas(sample)[1]
    native = sample.category_ids(persona.target_category)
    run = run_journey(client, persona, session_id="s", native=native)
    long = run.steps_long(5, sample.products["name"])
    assert list(long.columns) == ["step", "step_label", "product_id", "rank"]
    assert sorted(long["step"].unique()) == list(range(len(persona.steps) + 1))
    assert set(long.loc[long["step"] == 0, "step_label"]) == {"native order"}
    step0 = long[(long["step"] == 0) & (long["rank"] <= 5)].sort_values("rank")
    assert list(step0["product_id"]) == native[:5]
    assert str(long["rank"].dtype) == "Int64" and str(long["product_id"].dtype) == "str"
    spec = charts.drift_chart(long, k=5).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["reverse"] is True


def test_event_types_are_the_four_the_api_knows():
    assert TRACKING_EVENTS == ("categoryView", "productView", "shopTheLook", "customShelf")
