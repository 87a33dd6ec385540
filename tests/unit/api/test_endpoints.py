"""The vendor's calls are declared once (`fashionai/api/endpoints.py`) and every reader follows the table."""

from __future__ import annotations

import ast
from itertools import pairwise
from pathlib import Path

import pytest

from fashionai.api.endpoints import ENDPOINTS, endpoint_of_event, sends_body, snapshot_view
from fashionai.domain import TRACKING_EVENTS, EventType
from fashionai.simulator.engine import HANDLERS
from fashionai.simulator.wire import Route, route_of
from tests.source_helpers import nodes, parsed

PACKAGE = Path(__file__).resolve().parents[3] / "fashionai"
TABLE = PACKAGE / "api" / "endpoints.py"


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and functions (prose, not code)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = parsed(path)
    prose = _docstrings(tree)
    bodies = [body for node in nodes(path) if isinstance(body := getattr(node, "body", None), list)]
    for body in bodies:  # a string right after an assignment documents it
        for before, after in pairwise(body):
            if isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr) \
                    and isinstance(after.value, ast.Constant):
                prose.add(id(after.value))
    return [(node.lineno, node.value) for node in nodes(path)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose]


def test_each_path_is_written_only_in_the_table():
    marks = {row.name: row.prefix.rstrip("/") for row in ENDPOINTS.values()}
    written = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == TABLE:
            continue
        for line, text in _strings(path):
            written += [f"{path.relative_to(PACKAGE)}:{line} {name}" for name, mark in marks.items() if mark in text]
    assert written == []
    table = [text for _, text in _strings(TABLE)]
    for row in ENDPOINTS.values():
        assert table.count(row.path) == 1, row.name


def test_every_row_is_routed_by_the_simulator():
    assert set(HANDLERS) == set(ENDPOINTS)
    for row in ENDPOINTS.values():
        values = tuple(f"v{i}@x" for i, _ in enumerate(row.params))
        path = row.path.format(**{name: value.replace("@", "%40") for name, value in zip(row.params, values, strict=True)})
        assert route_of(row.method, "/api/v1" + path) == Route(row.name, values)
        other = "GET" if row.method == "POST" else "POST"
        assert (route_of(other, "/api/v1" + path) or Route("")).name != row.name


def test_every_row_is_known_to_the_client():
    tree = ast.parse((PACKAGE / "api" / "client.py").read_text(encoding="utf-8"))
    named = {node.slice.value for node in ast.walk(tree)
             if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "ENDPOINTS"
             and isinstance(node.slice, ast.Constant)}
    assert named == set(ENDPOINTS)


def test_every_event_belongs_to_one_row():
    rows = [row.name for row in ENDPOINTS.values() for _ in row.events]
    assert sorted(event for row in ENDPOINTS.values() for event in row.events) == sorted(EventType)
    assert len(rows) == len(EventType)
    assert tuple(event for row in ENDPOINTS.values() if row.tracking for event in row.events) == TRACKING_EVENTS
    assert endpoint_of_event("noSuchEvent") is None


@pytest.mark.parametrize(("event", "body", "view"), [
    (EventType.CATEGORY_VIEW, True, "storefront"),
    (EventType.PRODUCT_VIEW, True, "products"),
    (EventType.SHOP_THE_LOOK, True, "look"),
    (EventType.CUSTOM_SHELF, True, "products"),
    (EventType.SIMILAR, True, "products"),
    (EventType.SALES_RANKING, False, "products"),
    (EventType.COLLECTION, False, "slice"),
    (EventType.SEARCH, True, "search"),
    (EventType.DETAILED_SEARCH, True, "products"),
    ("noSuchEvent", True, "products"),
])
def test_how_a_saved_answer_is_rebuilt_and_opened(event, body, view):
    assert sends_body(event) is body
    assert snapshot_view(event) == view


def test_only_reads_are_sent_again():
    for row in ENDPOINTS.values():
        assert row.idempotent is (row.method == "GET"), row.name
        assert row.answer in {"products", "slice", "profile", "search", "detailed"}
