"""Habits of the house that a test keeps (../STYLE.md): a wrapped error keeps its cause."""

from __future__ import annotations

import ast
import re

from tests import ROOT


def test_no_error_is_raised_from_none():
    """`raise ... from err`, never `from None`: the cause survives for whoever reads the log."""
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in sorted((ROOT / "fashionai").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bfrom None\b", line) and not line.lstrip().startswith("#")]
    assert found == []


def raises_without_cause(source: str) -> list[int]:
    """Lines where an `except` block raises a new error without `from`: the error it handles is then lost as
    the cause (a bare `raise`, which re-raises it, is fine)."""
    found = []

    def visit(node: ast.AST, in_handler: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                visit(child, False)  # a function defined in the block runs later, outside it
            elif isinstance(child, ast.ExceptHandler):
                visit(child, True)
            else:
                if in_handler and isinstance(child, ast.Raise) and child.exc is not None and child.cause is None:
                    found.append(child.lineno)
                visit(child, in_handler)

    visit(ast.parse(source), False)
    return found


def test_an_error_raised_while_handling_another_names_it_as_its_cause():
    """`raise ... from err` throughout fashionai/ (ruff's B904 says the same in `python3 dev.py check`)."""
    found = [f"{path.relative_to(ROOT)}:{line}"
             for path in sorted((ROOT / "fashionai").rglob("*.py"))
             for line in raises_without_cause(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_cause_check_sees_a_raise_without_from_and_only_that():
    source = ("try:\n    x()\nexcept ValueError as err:\n    raise TypeError('a')\n"  # line 4: no cause
              "try:\n    x()\nexcept ValueError as err:\n    raise TypeError('b') from err\n"
              "try:\n    x()\nexcept ValueError:\n    raise\n"
              "try:\n    x()\nexcept ValueError:\n    def later():\n        raise TypeError('c')\n"
              "raise TypeError('d')\n")
    assert raises_without_cause(source) == [4]
