"""Audit runs made once a module and handed to each test as a copy: a run through the CLI takes seconds, and the
tests that read runs (report, check, noise) read the same few.

    with audit_shell(folder):                   # the CLI's shell for a module-scoped fixture (no test's monkeypatch)
        run_id = run_in_shell(["audit", "run", plan])
    copy_history(folder / HISTORY, tmp_path / HISTORY)   # in each test: its own copy, changed as it likes
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from fashionai.__main__ import main

HISTORY = "history.db"
"""The history's file name in a shell's folder, as the suite's fixtures name it in a test's tmp_path."""


@contextlib.contextmanager
def audit_shell(folder: Path) -> Iterator[pytest.MonkeyPatch]:
    """What `python -m fashionai audit ...` reads, as conftest.py's `shell_environment` gives a test, for a fixture
    wider than one test: `folder` as the working folder, its history there, no FASHIONAI_* setting of the
    developer's (so no token: the simulator). Undone on leaving; the patch is yielded for more."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("FASHIONAI_")]:
            patch.delenv(name)
        patch.setenv("FASHIONAI_HISTORY_URL", (folder / HISTORY).as_posix())
        patch.chdir(folder)
        yield patch


def run_in_shell(argv: list[str]) -> str:
    """`python -m fashionai` with `argv`, which must succeed: its last line of output (a run's id for `audit run`)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    assert code == 0, out.getvalue()
    return out.getvalue().strip().splitlines()[-1]


def copy_history(source: Path, target: Path) -> None:
    """A SQLite history copied whole (SQLite's backup: what its write-ahead log holds too), `target` made anew."""
    target.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(source)) as origin, contextlib.closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)
