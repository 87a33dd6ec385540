"""dev.py: the first install shows pip's progress, and `app` passes its extra arguments to Streamlit."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import textwrap

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
    monkeypatch.setattr(dev, "run", lambda args: calls.append(list(args)) or 0)
    assert dev.main(["app", "--server.port", "8600"]) == 0
    [args] = calls
    assert args[1:3] == ["-m", "fashionai.ui.serve"]  # streamlit run, warmed up
    assert args[3].endswith("app.py") and args[4:] == ["--server.port", "8600"]


def test_test_runs_in_parallel_stealing_work_and_prints_its_slowest_steps(dev, monkeypatch):
    calls = []
    monkeypatch.setattr(dev, "ensure_env", lambda: None)
    monkeypatch.setattr(dev.os, "chdir", lambda path: None)
    monkeypatch.setattr(dev, "run", lambda args: calls.append(list(args)) or 0)
    assert dev.main(["test", "-m", "not browser"]) == 0
    assert calls.pop()[1:] == ["-m", "pytest", "-n", "auto", "--dist", "worksteal", "--durations=25",
                               "-m", "not browser"]
    # an option given is not given twice, in any of its spellings
    for given in (["-n", "2"], ["-n2"], ["--numprocesses=2"]):
        assert dev.main(["test", *given]) == 0
        assert calls.pop()[1:] == ["-m", "pytest", "--dist", "worksteal", "--durations=25", *given]
    for given in (["--dist", "load"], ["--dist=loadfile"], ["-d"]):
        assert dev.main(["test", *given]) == 0
        assert calls.pop()[1:] == ["-m", "pytest", "-n", "auto", "--durations=25", *given]
    assert dev.main(["test", "--durations=0", "-n", "0"]) == 0
    assert calls.pop()[1:] == ["-m", "pytest", "--dist", "worksteal", "--durations=0", "-n", "0"]


def test_the_usage_says_how_to_pass_a_port(dev, capsys):
    assert dev.main([]) == 2
    assert "python3 dev.py app --server.port 8600" in capsys.readouterr().out


@pytest.mark.skipif(os.name != "posix", reason="exec replaces the process on POSIX only")
def test_a_sigterm_to_dev_py_stops_what_it_started(tmp_path):
    """`python3 dev.py app` stopped with SIGTERM (systemd, docker, `timeout`) leaves nothing serving:
    the command it runs is the process that got the signal, not a child left behind."""
    script = textwrap.dedent(f"""
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("dev_under_test", {str(ROOT / "dev.py")!r})
        dev = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(dev)
        dev.run([sys.executable, "-c", "import os, sys, time; print(os.getpid(), flush=True); time.sleep(600)"])
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        running = int(process.stdout.readline())  # the command says which process it runs in
        assert running == process.pid  # the command is dev.py's own process: no child to leave behind
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == -signal.SIGTERM
        with pytest.raises(ProcessLookupError):
            os.kill(running, 0)
    finally:
        process.kill()
        process.wait()


def test_check_runs_every_check_even_after_one_fails_and_says_which(dev, monkeypatch, capsys):
    ran = []
    monkeypatch.setattr(dev, "ensure_env", lambda: None)
    monkeypatch.setattr(dev, "CHECKS", (("first", ("-m", "one")), ("second", ("-m", "two")), ("third", ("-m", "3"))))
    monkeypatch.setattr(dev.subprocess, "call", lambda args, **kwargs: ran.append(args[1:]) or int(args[2] == "two"))
    assert dev.main(["check"]) == 1
    assert ran == [["-m", "one"], ["-m", "two"], ["-m", "3"]]
    assert "Failed: second." in capsys.readouterr().out


def test_check_passes_when_every_check_does(dev, monkeypatch, capsys):
    monkeypatch.setattr(dev, "ensure_env", lambda: None)
    monkeypatch.setattr(dev.subprocess, "call", lambda args, **kwargs: 0)
    assert dev.main(["check"]) == 0
    assert f"Passed: {', '.join(name for name, _ in dev.CHECKS)}." in capsys.readouterr().out


def test_the_checks_are_ruff_mypy_and_the_import_contract_from_the_test_extra():
    """Each check is a module of the project's Python that the test extra installs."""
    import tomllib

    extra = " ".join(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"])
    spec = importlib.util.spec_from_file_location("dev_checks", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, args in module.CHECKS:
        tool = args[1] if args[0] == "-m" else "import-linter"  # the import contract: `lint-imports` by -c
        assert tool in extra, name
    assert any("importlinter" in " ".join(args) for _, args in module.CHECKS)
