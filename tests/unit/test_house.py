"""Habits of the house that a test keeps (../STYLE.md): a wrapped error keeps its cause."""

from __future__ import annotations

import re

from tests import ROOT


def test_no_error_is_raised_from_none():
    """`raise ... from err`, never `from None`: the cause survives for whoever reads the log."""
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in sorted((ROOT / "fashionai").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bfrom None\b", line) and not line.lstrip().startswith("#")]
    assert found == []
