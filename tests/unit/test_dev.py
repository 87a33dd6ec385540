"""dev.py: the first install shows pip's progress, and `app` passes its extra arguments to Streamlit."""

from __future__ import annotations

import importlib.util

import pytest

from tests import ROOT


@pytest.fixture
def dev(tmp_path, monkeypatch):
    """dev.py as a module, its environment in `tmp_path`: a Python that exists, no install stamp yet."""
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    python = tmp_path / "python"
    python.write_text("")
    monkeypatch.setattr(module, "PYTHON", python)
    monkeypatch.setattr(module, "STAMP", tmp_path / ".installed-from")
    return module


def test_the_first_install_shows_pips_progress_and_says_it_takes_minutes(dev, monkeypatch, capsys):
    commands = []
    monkeypatch.setattr(dev.subprocess, "run", lambda args, **kwargs: commands.append(list(args)))
    dev.ensure_env()
    [command] = commands
    assert command[1:4] == ["-m", "pip", "install"]
    assert not {"--quiet", "-q", "-qq", "--progress-bar=off"} & set(command)
    assert "off" not in command  # no "--progress-bar off" either
    out = capsys.readouterr().out
    assert "a few minutes" in out and "progress" in out
    assert dev.STAMP.read_text() == dev._fingerprint()


def test_a_later_run_installs_nothing(dev, monkeypatch):
    dev.STAMP.write_text(dev._fingerprint())
    monkeypatch.setattr(dev.subprocess, "run", lambda *a, **k: pytest.fail("installed again"))
    dev.ensure_env()


def test_app_passes_extra_arguments_to_streamlit(dev, monkeypatch):
    calls = []
    monkeypatch.setattr(dev, "ensure_env", lambda: None)
    monkeypatch.setattr(dev.os, "chdir", lambda path: None)
    monkeypatch.setattr(dev.subprocess, "call", lambda args: calls.append(list(args)) or 0)
    assert dev.main(["app", "--server.port", "8600"]) == 0
    [args] = calls
    assert args[1:4] == ["-m", "streamlit", "run"]
    assert args[4].endswith("app.py") and args[5:] == ["--server.port", "8600"]


def test_the_usage_says_how_to_pass_a_port(dev, capsys):
    assert dev.main([]) == 2
    assert "python3 dev.py app --server.port 8600" in capsys.readouterr().out
