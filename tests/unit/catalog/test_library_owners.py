"""Who added each catalog the library keeps (issue 23), on SQLite and on PostgreSQL when FASHIONAI_TEST_POSTGRES_URL
names a server: kept with the catalog, the first adder's when another adds it again, listed by owner; a library made
before owners were kept gets the column and its catalogs keep working."""

from __future__ import annotations

import sqlite3

import pytest

from fashionai.catalog import load_catalog
from fashionai.catalog.library import CatalogLibrary
from tests import history_helpers

store_url = history_helpers.store_url  # the fixture: each test once per database


def small(index: int):
    text = "id,name,category,stock\n" + "".join(f"P{index}-{n},product {n},Cat{n % 3},{n}\n" for n in range(20))
    return load_catalog(text.encode("utf-8"), name=f"c{index}.csv")


@pytest.fixture
def library(store_url):
    opened = CatalogLibrary(store_url, max_bytes=None, max_count=None)
    yield opened
    opened.close()


def test_a_catalog_is_its_first_adders_and_the_list_filters_by_owner(library):
    first, second = small(1), small(2)
    library.add(first, name="Summer", owner="Ana@Store.com")
    library.add(second, name="Winter", owner="bo@store.com")
    again = library.add(first, name="Summer", owner="bo@store.com")
    assert not again.new and again.kept.owner == "ana@store.com"
    assert [e.name for e in library.list(owner="ana@store.com")] == ["Summer"]
    assert [e.name for e in library.list(owner="bo@store.com")] == ["Winter"]
    assert {e.name: e.owner for e in library.list()} == {"Summer": "ana@store.com", "Winter": "bo@store.com"}
    library.add(small(3), name="Nobody's")
    assert library.entry(small(3).fingerprint).owner is None


def test_a_library_made_before_owners_gets_the_column_and_keeps_its_catalogs(tmp_path):
    path = tmp_path / "history.db"
    with sqlite3.connect(path) as conn:  # the catalogs' table as an earlier version made it
        conn.execute("CREATE TABLE fashionai_catalogs (fingerprint VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, "
                     "file_name TEXT NOT NULL, mapping TEXT NOT NULL, added_at DATETIME NOT NULL, last_used_at "
                     "DATETIME NOT NULL, size_bytes BIGINT NOT NULL, health TEXT NOT NULL)")
        conn.execute("INSERT INTO fashionai_catalogs VALUES ('" + "f" * 64 + "', 'Old', 'old.csv', '{}', "
                     "'2026-04-17 12:00:00', '2026-04-17 12:00:00', 10, '{\"products\": 3}')")
    library = CatalogLibrary(path.as_posix())
    assert [(e.name, e.owner) for e in library.list()] == [("Old", None)]
    library.add(small(1), name="New", owner="local")
    assert [e.name for e in library.list(owner="local")] == ["New"]
    library.close()
