"""``python -m fashionai explain``: the cost before anything is sent, the run with its sentences or its moves as
JSON, a stored experiment read again without a call, and plain refusals."""

from __future__ import annotations

import json

import pytest

from fashionai.__main__ import main
from fashionai.journeys.journey import Journey, Step, journey_to_json

pytestmark = pytest.mark.usefixtures("shell_environment")


@pytest.fixture
def shell_environment(tmp_path, monkeypatch):
    """The suite's clean environment (the simulator, a throwaway history), no call cap, run in tmp_path."""
    monkeypatch.delenv("FASHIONAI_AUDIT_MAX_CALLS", raising=False)
    monkeypatch.chdir(tmp_path)


def journey_file(tmp_path, catalog, events=2):
    category = "Tops"
    others = catalog.products[catalog.products["category"] != category].index[:events - 1]
    steps = (Step("categoryView", category), *(Step("productView", str(p)) for p in others))
    path = tmp_path / "journey.json"
    path.write_text(journey_to_json(Journey("Fan", "", category, steps)))
    return path


def snapshots(history) -> int:
    return len(history.query(limit=10_000))


def test_the_cost_is_said_and_nothing_is_sent(tmp_path, catalog, capsys, history):
    assert main(["explain", str(journey_file(tmp_path, catalog, 3)), "--cost"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "22 calls"
    assert "Leave-one-out of journey Fan · Built-in simulator: 22 calls (21 tracking events) on 6 fresh" in err
    assert snapshots(history) == 0


def test_a_run_prints_the_sentences_then_reads_again_without_a_call(tmp_path, catalog, capsys, history):
    assert main(["explain", str(journey_file(tmp_path, catalog)), "--twins", "1"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("Opened category Tops, after: 1. Opened category Tops; 2. Viewed ")
    assert any(" moved *" in line and " from " in line for line in lines[1:])
    run_id = err.strip().splitlines()[-1]
    made = snapshots(history)
    assert made == 1 + 3 + 2 * 2 + 3  # best sellers, all, without each, one twin

    assert main(["explain", "--run", run_id[:8], "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["run_id"] == run_id and data["complete"] and data["moves"]
    assert set(data["moves"][0]) >= {"event", "product_id", "rank_without", "rank_with_all", "within_noise",
                                     "sentence"}
    assert snapshots(history) == made  # read from the store: no call


@pytest.fixture
def history(tmp_path):
    """The history the command writes to (the suite's FASHIONAI_HISTORY_URL)."""
    from fashionai.history import HistoryStore

    opened = HistoryStore((tmp_path / "history.db").as_posix())
    yield opened
    opened.close()


@pytest.mark.parametrize(("argv", "words"), [
    (["explain"], "give a journey file to run, or --run RUN_ID"),
    (["explain", "missing.json"], "the journey file missing.json cannot be read"),
    (["explain", "--run", "feedbeef"], "there is no stored experiment 'feedbeef'"),
])
def test_plain_refusals(argv, words, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_a_journey_of_one_event_is_refused_in_words(tmp_path, catalog, capsys):
    assert main(["explain", str(journey_file(tmp_path, catalog, 1))]) == 2
    assert "this journey has 1 event: leaving one out needs 2 at least" in capsys.readouterr().err
