#!/usr/bin/env python3
"""Run the studio or its tests in a project-local virtual environment.

    python3 dev.py app    serve the app (the embedded simulator unless a token is set)
    python3 dev.py test   run the whole test suite, one worker a core, ending with its 25 slowest steps
                          (extra arguments go to pytest)
    python3 dev.py bench  run every benchmark at a quick size, each ratio beside its goal
                          (exits 1 when one misses; extra arguments go to benchmarks/run_all.py)
    python3 dev.py check  run the house's checks (CHECKS: ruff, mypy, the import contract), each to the end;
                          exits 1 when one fails

    Extra arguments after `app` go to Streamlit: python3 dev.py app --server.port 8600

Needs only Python 3.11+. The first run creates `.venv/` beside this file and
installs the project with its test extra (a few minutes, with pip's progress
shown); later runs reinstall only when `pyproject.toml` has changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

USAGE = "\n\n".join(__doc__.split("\n\n")[1:3])
PIP_INSTALL = ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on"]
"""pip with its progress shown (not --quiet): the first install takes a few minutes."""

IMPORT_LINTER = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
"""import-linter's `lint-imports`, run by the project's Python (it has no `python -m` entry)."""
CHECKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ruff", ("-m", "ruff", "check", "--quiet", ".")),  # the rules and why: pyproject.toml, [tool.ruff.lint]
    ("mypy", ("-m", "mypy")),  # over fashionai/ ([tool.mypy]); its cache in .mypy_cache keeps a rerun to seconds
    ("import contract", ("-c", IMPORT_LINTER, "--no-logo")),  # layers, no room cycle, private modules: pyproject.toml
)
"""The house's checks, in the order run by `python3 dev.py check` (and by .ci/run before the tests): a name and
the arguments given to the project's Python."""


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script is run by whatever python3 a machine has
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating the project environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("Installing the project and its test tools (first run only: a few minutes; "
          "pip shows its progress below) ...", flush=True)
    subprocess.run([str(PYTHON), *PIP_INSTALL, "-e", f"{ROOT}[test]"], check=True)
    print("Installed. Later runs start at once.", flush=True)
    STAMP.write_text(_fingerprint())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"app", "test", "bench", "check"}:
        print(USAGE)
        return 2
    ensure_env()
    command, rest = argv[0], argv[1:]
    if command == "check":
        return check()
    if command == "app":
        args = [str(PYTHON), "-m", "fashionai.ui.serve", str(ROOT / "app.py"), *rest]  # streamlit run, warmed up
    elif command == "bench":
        args = [str(PYTHON), str(ROOT / "benchmarks" / "run_all.py"), *rest]
    else:
        args = [str(PYTHON), "-m", "pytest", *test_defaults(rest), *rest]
    os.chdir(ROOT)
    return run(args)


TEST_DEFAULTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("-n", "--numprocesses"), ("-n", "auto")),  # tests in parallel, one worker a core
    (("--dist", "-d"), ("--dist", "worksteal")),  # a worker that runs out takes tests from the other, so a slow
    # test met late does not leave one core idle to the end
    (("--durations",), ("--durations=25",)),  # every run (CI's too) ends with its 25 slowest steps
)
"""pytest's options `python3 dev.py test` adds, each unless the arguments give it already: the options it is
spelled by, then what is added."""


def test_defaults(rest: list[str]) -> list[str]:
    """The options of TEST_DEFAULTS that `rest` (the arguments after `test`) does not give itself."""
    given = [arg.split("=", 1)[0] for arg in rest]
    added: list[str] = []
    for spellings, default in TEST_DEFAULTS:
        short = [s for s in spellings if not s.startswith("--")]
        if not any(arg in spellings or any(arg.startswith(s) for s in short) for arg in given):
            added += default
    return added


def check() -> int:
    """Run every check of CHECKS from the project's folder, all of them even when one fails, and say which failed."""
    failed = []
    for name, args in CHECKS:
        print(f"-- {name}", flush=True)
        if subprocess.call([str(PYTHON), *args], cwd=ROOT) != 0:
            failed.append(name)
    print(f"Failed: {', '.join(failed)}." if failed else f"Passed: {', '.join(name for name, _ in CHECKS)}.", flush=True)
    return 1 if failed else 0


def run(args: list[str]) -> int:
    """Run the command as this very process where the system allows it (POSIX: exec), so a signal sent
    to `python3 dev.py app` (SIGTERM from systemd, docker, `timeout`, Ctrl+C) reaches Streamlit itself
    and nothing is left serving the port; elsewhere as a child whose exit code is returned."""
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(args[0], args)  # does not return
    return subprocess.call(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
