"""Who answered is said with one label table (fashionai.domain.BACKEND_LABELS) on every surface."""

import ast

import pytest

from fashionai.config import resolve_settings
from fashionai.domain import BACKEND_LABELS, Backend, backend_label
from tests import ROOT
from tests.source_helpers import APP_SOURCES, nodes

LABELS = tuple(BACKEND_LABELS.values())


def test_every_backend_has_one_label_and_stored_values_stay_readable():
    assert set(BACKEND_LABELS) == set(Backend)
    assert backend_label("simulator") == backend_label(Backend.SIMULATOR) == BACKEND_LABELS[Backend.SIMULATOR]
    assert backend_label("live") == BACKEND_LABELS[Backend.LIVE]
    assert backend_label("staging") == "staging"  # a value no Backend knows is shown as stored


def test_settings_history_audits_and_the_cli_say_the_same_label():
    from fashionai.history import snapshots_frame
    from fashionai.saved.view import snapshot_caption
    from tests.history_helpers import snap

    for backend, token in ((Backend.SIMULATOR, {}), (Backend.LIVE, {"FASHIONAI_APP_TOKEN": "tok-" + "x" * 24})):
        label = BACKEND_LABELS[backend]
        assert resolve_settings(token, {}).backend_label == label
        snapshot = snap(backend=str(backend))
        assert f" · {label} · " in snapshot_caption(snapshot)
        assert snapshots_frame([snapshot])["backend"].tolist() == [label]


@pytest.mark.parametrize("label", ["Live API", "Simulator", "Built-in simulator", "Live Fashion.AI API"])
def test_no_backend_label_is_typed_outside_the_table(label):
    """A label is a string of its own only in domain.py (prose that mentions the simulator is not a label,
    nor is __all__ naming the class Simulator)."""
    found = []
    for path in APP_SOURCES:
        exported = {id(node) for assign in nodes(path) if isinstance(assign, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "__all__" for t in assign.targets)
                    for node in ast.walk(assign.value)}  # __all__ names the class Simulator
        for node in nodes(path):
            if id(node) in exported:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() == label:
                found.append(path.relative_to(ROOT).as_posix())
    assert found == (["fashionai/domain.py"] if label in LABELS else [])
