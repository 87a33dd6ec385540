"""Fault drills (issue 6, "Hostile APIs"): every page stays usable at every setting.

Each page is driven with AppTest: a first result fetched with no faults, then a drill
turned on for the browser session and the page's action pressed again. Whatever the
fault, the page shows no traceback, says in plain words what happened and what to do,
keeps the result already on screen, and the simulator records a failed-and-retried
event at most once (checked against the client's own calls, as the history saved them).

Fast on purpose: the client timeout is FASHIONAI_TIMEOUT=0.3 s, the presets' latencies
within it are shrunk to 10 ms, the fault dice are seeded and the client's retry waits
(Retry-After, backoff) are patched to zero.
"""

from __future__ import annotations

import re

import pytest

from fashionai import ui
from fashionai.api import client as client_module
from fashionai.domain import EventType
from fashionai.history import Filters
from fashionai.simulator import PRESETS, Faults
from fashionai.simulator.faults import OFF
from tests.apptest_helpers import button, compare_tabs, texts

TIMEOUT = 0.3  # seconds: FASHIONAI_TIMEOUT in these tests
SEED = 7
CLICKS = 2  # presses of the page's action under a drill


def preset_drill(name: str) -> Faults:
    """A preset's faults as the tests run them: seeded, latencies within the timeout shrunk to 10 ms."""
    faults = PRESETS[name].faults(timeout=TIMEOUT, seed=SEED)
    if faults.latency and not PRESETS[name].past_timeout:
        faults.update(latency=0.01)
    return faults


# Faults that strike every request, so that every press fails (or is retried) for certain.
CERTAIN = {
    "always 500": lambda: Faults(error_rates={500: 1.0}),
    "always 503": lambda: Faults(error_rates={503: 1.0}, retry_after=0),
    "always 429": lambda: Faults(rate_limit_burst=1, retry_after=0),
    "always broken": lambda: Faults(broken_body_rate=1.0, seed=SEED),
    "always dropped": lambda: Faults(drop_rate=1.0),
}
DRILLS = {name: (lambda name=name: preset_drill(name)) for name in PRESETS if name != OFF} | CERTAIN
FAILING = {*CERTAIN, "Timeouts"}  # every press fails
HARMLESS = {"Slow API", "Rate-limited"}  # within the timeout, or retried: one call at a time never fails


# Each page's action: its button, the session_state key its result is kept under (None: not kept).
ACTIONS = {
    "pages/storefront.py": ("Preview storefront", "storefront_preview"),
    "pages/shop_the_look.py": ("Shop the look", "look_preview"),
    "pages/compare.py": ("Compare lanes", "compare_result"),
    "pages/journey.py": ("Run journey", "journey_run"),
    "pages/settings.py": ("Check the connection", None),
}
NEXT_STEP = re.compile(r"try again|check|wait|kept", re.IGNORECASE)


@pytest.fixture
def drill_app(app, monkeypatch):
    monkeypatch.setenv("FASHIONAI_TIMEOUT", str(TIMEOUT))
    monkeypatch.setattr(client_module, "retry_delay", lambda *args: 0.0)  # retry at once, Retry-After or not
    return app


def simulator():
    """The shared simulator the app's clients (drill or not) talk to."""
    return ui.get_simulator(ui.server_catalog(ui.get_settings()))


def event_calls() -> int:
    """Tracking-event calls the client made (one snapshot each, whatever its retries)."""
    store = ui.history_store()
    return store.count() - store.count(Filters(event_type=EventType.SALES_RANKING))


def open_page(at, page):
    at.run()
    if page == "pages/compare.py":  # one persona, both baselines and the sidebar's session
        at.session_state["compare_lanes"] = ["Persona: Sporty shopper", "Native order", "Best sellers"]
        at.session_state["compare_sidebar"] = True
    if page == "pages/journey.py":
        at.session_state["journey_fresh"] = False  # run on the sidebar's session
    at.switch_page(page).run()
    assert not at.exception
    return at


def errors(at) -> list[str]:
    return [e.value for e in at.error if "did not work" in e.value]


def assert_usable(at):
    """No traceback, every failure said in plain words with a next step, the drill visible."""
    assert not at.exception
    assert "Traceback" not in texts(at)
    for message in errors(at):
        assert NEXT_STEP.search(message), message
    if ui.FAULTS_KEY in at.session_state and at.session_state[ui.FAULTS_KEY].active:
        assert "Fault drill on" in texts(at.sidebar)


# --------------------------------------------------------------------------- every page x every drill


@pytest.mark.parametrize("drill", list(DRILLS))
@pytest.mark.parametrize("page", list(ACTIONS))
def test_a_page_stays_usable_under_a_drill(drill_app, page, drill):
    at = open_page(drill_app, page)
    label, key = ACTIONS[page]
    button(at, label).click().run()
    assert not at.exception
    assert not errors(at)  # no drill yet: the action works
    if key is not None:
        assert at.session_state[key] is not None

    at.session_state[ui.FAULTS_KEY] = DRILLS[drill]()
    sim = simulator()
    for _ in range(CLICKS):
        kept = at.session_state[key] if key is not None else None
        recorded, calls = sim.events_recorded(), event_calls()
        button(at, label).click().run()
        assert_usable(at)
        # No duplicate events: the simulator recorded at most one event per call the client made.
        assert sim.events_recorded() - recorded <= event_calls() - calls
        if drill in FAILING:
            assert errors(at)
        if drill in HARMLESS and page != "pages/compare.py":  # compare's lanes share the 429 count
            assert not errors(at)
        if key is None:
            assert errors(at) or "Connected" in texts(at)
            continue
        result = at.session_state[key]
        assert result is not None  # a failed press never drops what was on screen
        if errors(at) and page in ("pages/storefront.py", "pages/shop_the_look.py"):
            assert result is kept
            assert "Anything already on screen has been kept" in " ".join(errors(at))
        if errors(at):
            assert "fault drill is on" in texts(at.main)


@pytest.mark.parametrize("drill", list(DRILLS))
def test_the_history_page_opens_under_a_drill(drill_app, drill):
    at = open_page(drill_app, "pages/storefront.py")
    at.session_state[ui.FAULTS_KEY] = DRILLS[drill]()
    button(at, "Preview storefront").click().run()
    at.switch_page("pages/history.py").run()
    assert_usable(at)
    assert re.search(r"\b[1-9][0-9,]* snapshots? match", texts(at))  # the press is there, answer or failure


def _pages_in_the_frame() -> list[str]:
    """Every page app.py lists (fashionai/ui/navigation.py: a page added later is covered at once)."""
    from fashionai.ui.navigation import PAGE_SPECS

    return [spec.path for spec in PAGE_SPECS]


@pytest.mark.parametrize("page", _pages_in_the_frame())
def test_every_page_opens_with_a_drill_on_and_shows_the_badge(drill_app, page):
    drill_app.session_state[ui.FAULTS_KEY] = DRILLS["Chaos"]()
    drill_app.run()
    drill_app.switch_page(page).run()
    assert_usable(drill_app)
    assert "Fault drill on" in texts(drill_app.sidebar)


# --------------------------------------------------------------------------- what each fault says


# (faults, what the message names, events the simulator records per press, attempts per press)
STOREFRONT_FAULTS = {
    "500": (Faults(error_rates={500: 1.0}), "server error (HTTP 500)", 1, 1),
    "502": (Faults(error_rates={502: 1.0}), "server error (HTTP 502)", 0, 1),
    "503": (Faults(error_rates={503: 1.0}, retry_after=1), "HTTP 503", 0, 3),
    "504": (Faults(error_rates={504: 1.0}), "server error (HTTP 504)", 1, 1),
    "429": (Faults(rate_limit_burst=1, retry_after=1), "limiting how often", 0, 3),
    "429 too long to wait": (Faults(rate_limit_burst=1, retry_after=60), "Wait 60 s", 0, 1),
    "html body": (Faults(broken_body_rate=1.0, seed=0), "web page (HTML)", 1, 1),
    "cut-off body": (Faults(broken_body_rate=1.0, seed=1), "not valid JSON", 1, 1),
    "dropped": (Faults(drop_rate=1.0), "may already have been recorded, so it was not sent again", 1, 1),
    "timeout": (Faults(latency=TIMEOUT + 5), f"did not answer within {TIMEOUT:g} s", 1, 1),
}


@pytest.mark.parametrize("fault", list(STOREFRONT_FAULTS))
def test_each_fault_is_named_with_what_to_do_and_counted_once(drill_app, fault):
    faults, named, recorded, attempts = STOREFRONT_FAULTS[fault]
    at = open_page(drill_app, "pages/storefront.py")
    button(at, "Preview storefront").click().run()
    shown = at.session_state["storefront_preview"]
    session = shown.session_id
    sim = simulator()
    before = sim.events_recorded(session)

    at.session_state[ui.FAULTS_KEY] = faults
    button(at, "Preview storefront").click().run()
    assert_usable(at)
    [message] = errors(at)
    assert named in message.replace("\\", "")
    assert "Anything already on screen has been kept" in message
    assert at.session_state["storefront_preview"] is shown
    assert "Returned by Fashion.AI" in [m.label for m in at.metric]  # the earlier storefront, still drawn
    assert sim.events_recorded(session) - before == recorded
    [snapshot] = ui.history_store().query(Filters(session_id=session, ok=False))
    assert snapshot.attempts == attempts


def test_a_rate_limited_event_is_retried_and_recorded_once(drill_app):
    at = open_page(drill_app, "pages/storefront.py")
    session = at.session_state[ui.SESSION_KEY]
    sim = simulator()
    at.session_state[ui.FAULTS_KEY] = Faults(rate_limit_burst=2, retry_after=1)  # the 2nd request: 429
    button(at, "Preview storefront").click().run()  # request 1
    button(at, "Preview storefront").click().run()  # request 2 (429), its retry is request 3
    assert_usable(at)
    assert not errors(at)
    assert sim.events_recorded(session) == 2
    assert at.session_state["storefront_preview"].recommendation.attempts == 2


def test_slow_answers_within_the_timeout_just_work(drill_app):
    at = open_page(drill_app, "pages/storefront.py")
    at.session_state[ui.FAULTS_KEY] = Faults(latency=0.02)
    button(at, "Preview storefront").click().run()
    assert_usable(at)
    assert not errors(at)
    assert at.session_state["storefront_preview"].recommendation.elapsed >= 0.02


def test_a_journey_failing_at_its_first_step_keeps_the_run_on_screen(drill_app):
    at = open_page(drill_app, "pages/journey.py")
    button(at, "Run journey").click().run()
    run = at.session_state["journey_run"]
    assert run.error is None
    at.session_state[ui.FAULTS_KEY] = Faults(error_rates={500: 1.0})
    button(at, "Run journey").click().run()
    assert_usable(at)
    assert at.session_state["journey_run"] is run
    assert any("Step 1 (its event) did not work" in message for message in errors(at))
    assert "the run below is the one before" in texts(at)
    assert len(at.get("vega_lite_chart")) == 1  # the earlier drift chart


def test_a_comparison_with_nothing_left_to_compare_keeps_the_earlier_one(drill_app):
    at = open_page(drill_app, "pages/compare.py")
    button(at, "Compare lanes").click().run()
    comparison = at.session_state["compare_result"]
    at.session_state[ui.FAULTS_KEY] = Faults(drop_rate=1.0)
    button(at, "Compare lanes").click().run()
    assert_usable(at)
    assert at.session_state["compare_result"] is comparison
    assert any("Lanes" in message and "HTTP" not in message for message in errors(at))
    assert "the comparison below is the one fetched before" in texts(at)
    assert len(at.get("vega_lite_chart")) == 1  # the earlier comparison's open tab: its bump chart
    assert sum(len(at.get("vega_lite_chart")) for _tab in compare_tabs(at)) == 7  # and all its charts


# --------------------------------------------------------------------------- the settings panel


def settings_page(at):
    at.run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception
    return at


def test_a_preset_applied_on_the_settings_page_reaches_every_page_then_resets(drill_app):
    at = settings_page(drill_app)
    assert "No fault drill is on" in texts(at)
    at.selectbox(key="fault_preset").set_value("Flaky 5xx").run()
    assert at.slider(key="fault_rate_500").value == 10  # the preset fills the controls ...
    assert ui.FAULTS_KEY not in at.session_state  # ... and nothing is on before Apply
    button(at, "Apply").click().run()
    assert not at.exception
    faults = at.session_state[ui.FAULTS_KEY]
    assert faults.error_rates == {500: 0.1, 502: 0.1, 503: 0.1}
    assert "Fault drill on (Flaky 5xx)" in texts(at)
    assert "Fault drill on" in texts(at.sidebar)

    at.switch_page("pages/storefront.py").run()
    assert "Fault drill on" in texts(at.sidebar)
    at.switch_page("pages/settings.py").run()  # the controls come back as applied
    assert at.selectbox(key="fault_preset").value == "Flaky 5xx"
    assert at.slider(key="fault_rate_503").value == 10

    button(at, "Reset").click().run()
    assert not at.exception
    assert ui.FAULTS_KEY not in at.session_state
    assert "Fault drill on" not in texts(at)
    assert at.selectbox(key="fault_preset").value == OFF


def test_custom_faults_and_the_timeouts_preset(drill_app):
    at = settings_page(drill_app)
    at.selectbox(key="fault_preset").set_value("Timeouts").run()
    assert at.number_input(key="fault_latency").value == pytest.approx(TIMEOUT + 2)
    assert at.number_input(key="fault_seed").label == "Fault pattern (repeatable)"  # no "dice seed" to explain
    at.number_input(key="fault_seed").set_value(3).run()
    button(at, "Apply").click().run()
    assert "Fault drill on (Timeouts)" in texts(at)  # another seed is the same drill

    at.slider(key="fault_drop").set_value(20).run()
    button(at, "Apply").click().run()
    assert "Fault drill on (Custom)" in texts(at)
    assert at.session_state[ui.FAULTS_KEY].drop_rate == pytest.approx(0.2)


def test_error_rates_over_100_percent_are_refused_and_the_drill_stays(drill_app):
    at = settings_page(drill_app)
    at.selectbox(key="fault_preset").set_value("Broken bodies").run()
    button(at, "Apply").click().run()
    before = at.session_state[ui.FAULTS_KEY]
    at.slider(key="fault_rate_500").set_value(60).run()
    at.slider(key="fault_rate_503").set_value(60).run()
    button(at, "Apply").click().run()
    assert not at.exception
    assert any("add up to more than 100%" in e.value for e in at.error)
    assert at.session_state[ui.FAULTS_KEY] is before


def test_all_zero_controls_apply_as_no_drill(drill_app):
    at = settings_page(drill_app)
    button(at, "Apply").click().run()
    assert ui.FAULTS_KEY not in at.session_state
    assert "no drill is on" in texts(at)


def test_the_connection_check_meets_the_drill(drill_app):
    at = settings_page(drill_app)
    at.session_state[ui.FAULTS_KEY] = Faults(error_rates={502: 1.0})
    button(at, "Check the connection").click().run()
    assert_usable(at)
    [message] = errors(at)
    assert "HTTP 502" in message


def test_live_mode_offers_no_drill_and_ignores_one(app, fake_api):
    app.session_state[ui.FAULTS_KEY] = Faults(error_rates={500: 1.0})  # set earlier, say
    app.run()
    assert "Fault drill on" not in texts(app.sidebar)
    button(app, "Preview storefront").click().run()
    assert not app.exception
    assert not errors(app)  # the live API is never degraded on purpose
    app.switch_page("pages/settings.py").run()
    assert "Fault injection is only for the built-in simulator" in texts(app)
    assert not [b for b in app.button if b.label == "Apply"]


# --------------------------------------------------------------------------- one session's drill only


def test_a_drill_applies_to_its_own_browser_session_only(drill_app):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    drilled = open_page(drill_app, "pages/storefront.py")
    drilled.session_state[ui.FAULTS_KEY] = Faults(error_rates={500: 1.0})
    button(drilled, "Preview storefront").click().run()
    assert errors(drilled)

    colleague = AppTest.from_file(APP, default_timeout=60)  # another browser session, same server
    colleague.run()
    assert "Fault drill on" not in texts(colleague.sidebar)
    button(colleague, "Preview storefront").click().run()
    assert not colleague.exception
    assert not errors(colleague)
