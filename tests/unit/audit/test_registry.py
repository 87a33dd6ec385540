"""The audit's measures are registered once (fashionai.audit.registry) and every surface reads them from there:
no other module types a measure's key, scoring computes every spec with the spec's own function, the headline
lists are the registry's, and the README's Audits section names every measure's label."""

from __future__ import annotations

import ast
import dataclasses
import re

import pytest

from fashionai.audit import registry, scorecard, view
from fashionai.audit.handover import MAIN_MEASURES
from fashionai.audit.scorecard import score_run
from tests import ROOT
from tests.source_helpers import nodes
from tests.unit.audit.scorecard_helpers import run_answers, tiny_catalog

REGISTRY = ROOT / "fashionai" / "audit" / "registry.py"
READERS = sorted([*(p for p in (ROOT / "fashionai" / "audit").glob("*.py") if p.name != "store.py"),
                  ROOT / "fashionai" / "ui" / "audit_widgets.py",
                  ROOT / "pages" / "audit.py"])
"""Where every measure key is looked for; keys that are also plain words of other rooms ("unknown",
"out_of_stock": a stock state, a collection's column; the store's "last sign of life unknown") are looked
for only here."""
OTHER_MEANINGS = {"unknown", "out_of_stock"}


@pytest.fixture
def catalog(tmp_path):
    """The tiny catalog of the scorecard's answers (not the folder's sample one)."""
    return tiny_catalog(tmp_path)


def _key_literals(paths) -> list[str]:
    found = []
    for path in paths:
        if not path.exists():
            continue
        for node in nodes(path):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in registry.MEASURE_INFO:
                found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}:{node.value}")
    return found


def test_each_measure_key_is_typed_only_in_the_registry():
    everywhere = sorted({*(ROOT / "fashionai").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"})
    outside = [w for w in _key_literals(everywhere) if w.rpartition(":")[2] not in OTHER_MEANINGS]
    outside += [w for w in _key_literals(READERS) if w.rpartition(":")[2] in OTHER_MEANINGS]
    assert [w for w in outside if not w.startswith("fashionai/audit/registry.py:")] == []
    typed = {w.rpartition(":")[2] for w in _key_literals([REGISTRY])}
    diversity_and_bias = {k for k in registry.MEASURE_KEYS if k.startswith(("diversity_", "bias_"))}
    assert typed | diversity_and_bias == set(registry.MEASURE_KEYS)  # those two made from the taste attributes


def test_the_scorecard_and_its_readers_are_the_registry():
    assert scorecard.MEASURES is registry.MEASURES and scorecard.MEASURE_INFO is registry.MEASURE_INFO
    assert scorecard.MEASURE_KEYS == registry.MEASURE_KEYS
    assert len(set(registry.MEASURE_KEYS)) == len(registry.MEASURE_KEYS)
    assert view.HEADLINE_MEASURES == registry.HEADLINE_MEASURES and view.MEASURE_BY_KEY is registry.MEASURE_INFO
    assert MAIN_MEASURES == registry.HANDOVER_MEASURES
    for spec in registry.MEASURES:
        assert spec.kind in (registry.LIST, registry.RATE)
        assert spec.needs in ("", registry.NEEDS_STOCK, registry.NEEDS_ATTRIBUTE, registry.NEEDS_TWINS,
                              registry.NEEDS_RANKING, registry.NEEDS_TASTES, registry.NEEDS_SEARCH,
                              registry.NEEDS_JUDGMENTS, registry.NEEDS_FILTERS)
        assert bool(spec.attribute) == (spec.needs == registry.NEEDS_ATTRIBUTE)


def test_every_spec_function_is_called_by_scoring(monkeypatch, catalog):
    called: set[str] = set()

    def watched(spec: registry.MeasureSpec) -> registry.MeasureSpec:
        def compute(inputs: registry.MeasureInputs) -> float | None:
            called.add(spec.key)
            return spec.compute(inputs)
        return dataclasses.replace(spec, compute=compute)

    monkeypatch.setattr(registry, "MEASURES", tuple(watched(s) for s in registry.MEASURES))
    card = score_run(run_answers(), catalog, k=2)
    assert called == set(registry.MEASURE_KEYS)
    assert set(card.overall()) == set(registry.MEASURE_KEYS)


def test_every_not_measured_reason_is_for_a_spec_that_says_it_can_be(catalog):
    card = score_run(run_answers()[:3], catalog, k=2)  # no twin: stability not measured
    assert card.not_measured
    for key in card.not_measured:
        assert registry.MEASURE_INFO[key].needs


@pytest.fixture(scope="module")
def audits_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^- \*\*Audits\*\*:(.*?)^- \*\*", text, re.DOTALL | re.MULTILINE)
    assert match, "the README has an Audits section"
    return " ".join(match.group(1).split())


@pytest.mark.parametrize("spec", registry.MEASURES, ids=lambda s: s.key)
def test_the_readme_names_every_measure(audits_section, spec):
    assert spec.label in audits_section
