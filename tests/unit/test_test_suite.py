"""The test suite's own house rules (README, "Tests"): no test module imports another (what tests share sits in
a helper module or a conftest.py), and test files are named after what they test."""

from __future__ import annotations

import ast
from pathlib import Path

from tests import ROOT

TESTS = ROOT / "tests"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imported_modules(path: Path, source: str | None = None) -> set[str]:
    """Every module `path` imports, at any depth of the file (a function's own imports too), as dotted names;
    `from package import name` counts as `package.name`, which may be a module."""
    package = module_name(path).rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(source if source is not None else path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def all_test_modules() -> dict[str, Path]:
    return {module_name(path): path for path in TESTS.rglob("test_*.py")}


def test_no_test_module_imports_another():
    """A test module imported by another runs its module-level code twice under two names, shares fixtures by
    accident, and cannot move or be renamed alone; shared helpers go to a helper module or a conftest.py."""
    modules = all_test_modules()
    assert len(modules) > 100  # the scan sees the suite
    imports = [f"{module_name(path)} imports {name}" for path in sorted(TESTS.rglob("*.py"))
               for name in sorted(imported_modules(path)) if name in modules]
    assert imports == []


def test_the_scan_sees_every_form_of_import():
    source = ("from tests.unit.api.test_client import BASE\n"
              "from tests.pages import test_page_compare as compare_tests\n"
              "import tests.unit.walk.test_steps\n"
              "def late():\n    from .test_fanout import x\n")
    found = imported_modules(TESTS / "unit" / "compare" / "test_probe.py", source) & set(all_test_modules())
    assert found == {"tests.unit.api.test_client", "tests.pages.test_page_compare", "tests.unit.walk.test_steps",
                     "tests.unit.compare.test_fanout"}


def test_every_test_file_is_in_a_room():
    """A test_*.py is in tests/unit/ (or a room of it), tests/pages/ or tests/browser/; pytest collects any
    test_*.py, so a helper module is never named so."""
    for path in TESTS.rglob("*.py"):
        if path.name.startswith("test_"):
            assert path.parent.name in {"unit", "pages", "browser"} or path.parent.parent.name == "unit", path


def test_unit_rooms_mirror_fashionai():
    """tests/unit/<room>/ tests fashionai/<room>/ (the modules beside the packages are tested in tests/unit/)."""
    rooms = [path.name for path in (TESTS / "unit").iterdir() if path.is_dir() and (path / "__init__.py").exists()]
    assert rooms and [room for room in rooms if not (ROOT / "fashionai" / room / "__init__.py").exists()] == []


def test_a_page_test_is_named_after_its_page():
    """tests/pages/test_page_<page>[_<aspect>].py drives pages/<page>.py; a check across pages is
    tests/pages/test_<concern>.py (and test_pages.py opens every page)."""
    pages = {path.stem for path in (ROOT / "pages").glob("*.py")}
    wrong = [path.name for path in (TESTS / "pages").glob("test_page_*.py")
             if not any(path.stem == f"test_page_{page}" or path.stem.startswith(f"test_page_{page}_")
                        for page in pages)]
    assert wrong == []


def fixtures_defined(source: str) -> list[str]:
    """The names of the functions `source` decorates as pytest fixtures (`@pytest.fixture`, with or without
    arguments, or `@fixture`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name == "fixture":
                    found.append(node.name)
    return found


def test_fixtures_live_in_a_conftest_or_the_test_module_that_uses_them():
    """A fixture in a helper module is taken by naming it in each module (`catalog = helpers.catalog`): pytest
    finds a conftest.py's by itself, one folder at a time (README, "Tests")."""
    helpers = [f"{path.relative_to(ROOT)}: {', '.join(names)}" for path in sorted(TESTS.rglob("*.py"))
               if path.name != "conftest.py" and not path.name.startswith("test_")
               and (names := fixtures_defined(path.read_text(encoding="utf-8")))]
    assert helpers == []


def test_the_fixture_scan_sees_every_form_of_the_decorator():
    source = ("import pytest\nfrom pytest import fixture\n@pytest.fixture\ndef a(): ...\n"
              "@pytest.fixture(scope='module')\ndef b(): ...\n@fixture\ndef c(): ...\ndef plain(): ...\n")
    assert fixtures_defined(source) == ["a", "b", "c"]
