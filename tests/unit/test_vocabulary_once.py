"""The studio's vocabulary is said once (fashionai.domain) and imported where it is used: the currency shown
by default, and a comparison's default K and p. Scanned in fashionai/ and pages/ (never tests)."""

import ast
from itertools import pairwise
from pathlib import Path

import pytest

from fashionai.domain import DEFAULT_CURRENCY, DEFAULT_K, DEFAULT_P
from tests import ROOT
from tests.source_helpers import APP_SOURCES, parsed



def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    for node in ast.walk(tree):  # a constant's docstring, the string after an assignment
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for before, after in pairwise(body):
                if isinstance(before, (ast.Assign, ast.AnnAssign)) and isinstance(after, ast.Expr) \
                        and isinstance(after.value, ast.Constant):
                    found.add(id(after.value))
    return found


def _trees() -> list[tuple[Path, ast.AST]]:
    """Every module of the studio parsed (once a process: tests/source_helpers.py), read when a test runs, not
    when the module is collected."""
    return [(path, parsed(path)) for path in APP_SOURCES]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT).as_posix()}:{getattr(node, 'lineno', '?')}"


def test_the_default_currency_is_typed_once():
    """"R$" as a value (a string of its own, or the symbol an f-string writes) only in domain.py; prose that
    mentions prices written with R$ (docstrings, a message about a file's format) is no currency setting."""
    found = []
    for path, tree in _trees():
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                    and node.value.strip() == DEFAULT_CURRENCY:
                found.append(_where(path, node))
    assert [where.partition(":")[0] for where in found] == ["fashionai/domain.py"], found


def _k_like(name: str | None) -> bool:
    return bool(name) and (name in ("k", "K", "top_k") or name.endswith("_k"))


def _p_like(name: str | None) -> bool:
    return bool(name) and (name == "p" or name.endswith(("_p", "_P")))


def _literal_default(name: str | None, value: ast.AST | None) -> bool:
    if not isinstance(value, ast.Constant) or isinstance(value.value, bool):
        return False
    return (_k_like(name) and value.value == DEFAULT_K) or (_p_like(name) and value.value == DEFAULT_P)


def _literal_defaults(path: Path, tree: ast.AST) -> list[str]:
    """Where `tree` types K = 10 or p = 0.9: a parameter's default, a field's, a keyword argument, a
    fallback (``data.get("k", 10)``) or a constant's value."""
    found = []
    for node in ast.walk(tree):
        pairs: list[tuple[str | None, ast.AST | None]] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            positional = [*node.args.posonlyargs, *node.args.args]
            pairs += zip([a.arg for a in positional[len(positional) - len(node.args.defaults):]], node.args.defaults, strict=True)
            pairs += [(a.arg, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            pairs.append((node.target.id, node.value))
        elif isinstance(node, ast.Assign):
            pairs += [(t.id, node.value) for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.Call):
            pairs += [(kw.arg, kw.value) for kw in node.keywords]
            if len(node.args) >= 2 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                pairs.append((node.args[0].value, node.args[1]))
        found += [_where(path, node) for name, value in pairs if _literal_default(name, value)]
    return found


def test_no_literal_default_k_or_p_is_left():
    """K = 10 and p = 0.9 are DEFAULT_K and DEFAULT_P, imported wherever they are the default."""
    assert [where for path, tree in _trees() for where in _literal_defaults(path, tree)] == []


@pytest.mark.parametrize("source, expected", [
    ("def f(k=10): pass", 1), ("def f(*, p: float = 0.9): pass", 1), ("x = d.get('k', 10)", 1),
    ("STABILITY_P = 0.9", 1), ("f(k=10, p=0.9)", 2), ("st.session_state.setdefault('journey_k', 10)", 1),
    ("class Plan:\n    k: int = 10", 1),
    ("def f(k=DEFAULT_K, p=DEFAULT_P): pass", 0), ("timeout = 10", 0), ("x = 0.9", 0), ("f(k=5)", 0),
])
def test_the_scan_sees_each_way_of_typing_them(source, expected):
    assert len(_literal_defaults(ROOT / "x.py", ast.parse(source))) == expected
