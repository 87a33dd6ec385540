"""The project's own source files parsed once a process: the house's scans (a label, a setting, a measure key or
a vendor's path typed in one place only) each walk every module of fashionai/, and parsing and walking them
again for each test and each parameter was seconds a scan.

    for path in APP_SOURCES:
        for node in nodes(path):        # ast.walk(parsed(path)), kept
            ...

A tree is shared by every test of the process: read it, never change it.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from tests import ROOT

APP_SOURCES = tuple(sorted([*(ROOT / "fashionai").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]))
"""Every module of the studio (fashionai/, the pages, the frame), in path order."""


@functools.cache
def parsed(path: Path) -> ast.Module:
    """The module at `path` parsed, once a process."""
    return ast.parse(path.read_text(encoding="utf-8"))


@functools.cache
def nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of the module at `path`, in ast.walk's order (the same node objects as `parsed(path)`'s)."""
    return tuple(ast.walk(parsed(path)))
