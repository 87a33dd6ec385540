"""A comparison's views kept: `Comparison.memo` builds a value once per key for the lanes, and
`remeasure` gives back the same Comparison for a view asked for again."""

from __future__ import annotations

import pytest

from fashionai.compare import compared as comparison_module
from fashionai.compare.fetch import compare_lanes
from fashionai.compare.lanes import native_lane, session_lane
from tests.comparison_helpers import API, small_catalog


@pytest.fixture(scope="module")
def catalog():
    """The comparison's small catalog (tests/comparison_helpers.py)."""
    return small_catalog()


@pytest.fixture
def compared(catalog):
    api = API(answers={"s": ["04", "01", "05", "zz"]})
    return api, compare_lanes(api.client(), catalog, "Dresses", [native_lane(), session_lane("s")], k=3, p=0.8)


def test_a_value_is_built_once_per_key_and_shared_by_every_view(compared):
    _, comparison = compared
    built = []

    def build(name):
        built.append(name)
        return f"spec of {name}"

    assert comparison.memo(("chart", 3), lambda: build("k3")) == "spec of k3"
    assert comparison.memo(("chart", 3), lambda: build("again")) == "spec of k3"  # a hit: not built again
    wider = comparison.remeasure(k=4)
    assert wider.memo(("chart", 3), lambda: build("again")) == "spec of k3"  # kept with the lanes
    assert wider.memo(("chart", 4), lambda: build("k4")) == "spec of k4"
    assert built == ["k3", "k4"]


def test_a_view_asked_for_again_is_the_same_comparison_with_its_frames(compared):
    api, comparison = compared
    calls = len(api.requests)
    narrower = comparison.remeasure(k=2)
    pairwise = narrower.pairwise
    again = comparison.remeasure(k=4).remeasure(k=2)
    assert again is narrower and again.pairwise is pairwise  # measured once
    assert comparison.remeasure(k=2, p=0.7) is not narrower  # another view
    assert len(api.requests) == calls
    with pytest.raises(ValueError):
        comparison.remeasure(k=0)


def test_the_oldest_values_are_dropped_past_the_limit(compared, monkeypatch):
    _, comparison = compared
    monkeypatch.setattr(comparison_module, "MEMO_SIZE", 2)
    for key in ("a", "b"):
        comparison.memo((key,), lambda key=key: key)
    comparison.memo(("a",), lambda: "rebuilt")  # "a" used last: "b" is the oldest now
    comparison.memo(("c",), lambda: "c")
    assert comparison.memo(("a",), lambda: "rebuilt") == "a"
    assert comparison.memo(("b",), lambda: "rebuilt") == "rebuilt"
