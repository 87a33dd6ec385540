"""The settings page's drill form as Faults and back, without Streamlit (fashionai.simulator.faults.DrillForm)."""

from __future__ import annotations

import pytest

from fashionai.simulator import PRESETS, Faults
from fashionai.simulator.faults import CUSTOM, DRILL_STATUSES, OFF, DrillForm, drill_name


def test_a_filled_form_makes_the_faults_it_asks_for():
    form = DrillForm(latency=1.5, rate_limit_burst=3, retry_after=2.0, broken_percent=25, drop_percent=10, seed=7,
                     error_percents={500: 10, 502: 0, 503: 20, 504: 0})
    faults = form.faults()
    assert faults.settings() == {"latency": 1.5, "error_rates": {500: 0.1, 503: 0.2}, "rate_limit_burst": 3,
                                 "retry_after": 2.0, "broken_body_rate": 0.25, "drop_rate": 0.1, "seed": 7}
    assert 502 not in faults.error_rates  # a status at 0% is left out


def test_values_as_widgets_hand_them_become_the_right_types():
    faults = DrillForm(latency=3, rate_limit_burst=2.0, retry_after=1, seed=4.0).faults()
    assert (type(faults.latency), type(faults.rate_limit_burst), type(faults.retry_after), type(faults.seed)) == (
        float, int, float, int)


def test_error_rates_over_100_percent_are_refused_in_words():
    with pytest.raises(ValueError, match=r"^The error rates add up to more than 100%: lower some, then apply\.$"):
        DrillForm(error_percents={500: 60, 503: 45}).faults()
    assert DrillForm(error_percents={500: 60, 503: 40}).faults().error_rates == {500: 0.6, 503: 0.4}


def test_a_form_filled_from_faults_holds_percentages_for_every_drill_status():
    faults = Faults(latency=0.5, error_rates={500: 0.1, 503: 0.105}, rate_limit_burst=7, broken_body_rate=0.1,
                    drop_rate=0.333, seed=9)
    form = DrillForm.of(faults)
    assert form == DrillForm(latency=0.5, rate_limit_burst=7, retry_after=1.0, broken_percent=10, drop_percent=33,
                             seed=9, error_percents={500: 10, 502: 0, 503: 10, 504: 0})
    assert tuple(form.error_percents) == DRILL_STATUSES
    with pytest.raises(AttributeError):
        form.latency = 1.0  # frozen


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_goes_through_the_form_unchanged(name):
    faults = PRESETS[name].faults(timeout=10.0)
    assert DrillForm.of(faults).faults().settings() == faults.settings()


def test_a_drill_is_called_by_its_preset_while_unchanged_whatever_its_seed():
    assert drill_name(PRESETS["Chaos"].faults(timeout=10.0, seed=42), "Chaos", timeout=10.0) == "Chaos"
    assert drill_name(PRESETS["Timeouts"].faults(timeout=10.0), "Timeouts", timeout=10.0) == "Timeouts"
    edited = PRESETS["Slow API"].faults(timeout=10.0)
    edited.update(latency=4.0)
    assert drill_name(edited, "Slow API", timeout=10.0) == CUSTOM
    assert drill_name(PRESETS["Timeouts"].faults(timeout=10.0), "Timeouts", timeout=20.0) == CUSTOM
    assert drill_name(Faults(), OFF, timeout=10.0) == CUSTOM  # no fault at all is no drill
