"""The catalog library (fashionai.catalog.library) on SQLite, and on PostgreSQL when FASHIONAI_TEST_POSTGRES_URL
names a server (tests/history_helpers.py): exact round trips, one copy per fingerprint, limits and the order
catalogs are let go in, rename and delete, a database that cannot be used."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from fashionai.catalog import join_ranking, load_catalog
from fashionai.catalog.library import CatalogLibrary, CatalogTooLarge, LibraryUnavailable, size_words
from fashionai.catalog.sample import SAMPLE_CATALOG_PATH
from fashionai.config import LibraryError, resolve_library_config
from fashionai.history import HistoryStore
from tests.history_helpers import snap


T0 = datetime(2026, 4, 17, 12, 0, tzinfo=timezone.utc)
CSV = ("sku;nome;categoria;preço;estoque;cor\n"
       "0001;Vestido Azul;Vestidos;R$ 1.299,00;3;azul\n"
       "0002;Saia ção;Saias;89,00;0;\n"
       "0002;Repetida;Saias;1,00;1;\n"
       ";sem id;Saias;1,00;1;\n"
       "00003;Blusa;;;sim;verde\n")


def catalog_of(text: str, **columns):
    return load_catalog(text.encode("utf-8"), name="loja.csv", columns=columns or None)


def small(index: int):
    """A different small catalog for each index."""
    return catalog_of("id,name,category,stock\n" + "".join(f"P{index}-{n},product {n},Cat{n % 3},{n}\n"
                                                            for n in range(20)))


@pytest.fixture
def library(store_url):
    opened = CatalogLibrary(store_url, max_bytes=None, max_count=None)
    yield opened
    opened.close()


# --------------------------------------------------------------------------- round trip


def test_a_kept_catalog_comes_back_exactly(library):
    original = catalog_of(CSV)
    added = library.add(original, name="Loja", file_name="loja.csv", now=T0)
    assert added.new and added.kept.name == "Loja" and added.kept.file_name == "loja.csv"
    back = library.get(original.fingerprint)
    assert back is not original and back.fingerprint == original.fingerprint
    pd.testing.assert_frame_equal(back.products, original.products, check_index_type=True)
    assert back.products.index.tolist() == ["0001", "0002", "00003"]  # ids as text, leading zeros kept
    assert all(isinstance(i, str) for i in back.products.index)
    for field in ("warnings", "mapping", "source_columns", "source_name", "encoding", "delimiter",
                  "skipped_rows", "duplicate_ids", "long_ids", "stock_kind"):
        assert getattr(back, field) == getattr(original, field), field
    assert back.health() == original.health()
    assert back.categories == original.categories
    assert back.category_ids("Saias") == ["0002"]
    assert back.search("ção").index.tolist() == ["0002"]
    ranked = join_ranking(back, ["00003", "9999", "0001"])
    assert ranked["in_catalog"].tolist() == [True, False, True] and ranked["name"][0] == "Blusa"


def test_the_sample_catalog_comes_back_exactly_and_smaller(library):
    original = load_catalog(SAMPLE_CATALOG_PATH)
    kept = library.add(original, name="sample").kept
    back = library.get(original.fingerprint)
    pd.testing.assert_frame_equal(back.products, original.products, check_index_type=True)
    assert kept.size < original.nbytes / 5  # compact: compressed columns
    assert kept.products == 1200 and kept.health["categories"] == 12
    assert kept.mapping == original.mapping


def test_the_entry_says_what_the_list_shows(library):
    catalog = catalog_of(CSV, product_id="sku")
    added = library.add(catalog, name="  Loja   de   verão ", file_name="loja.csv",
                        mapping={"product_id": "sku", "color": None}, now=T0)
    entry = library.entry(catalog.fingerprint)
    assert entry == added.kept
    assert entry.name == "Loja de verão"  # spaces folded
    assert entry.mapping == {"color": None, "product_id": "sku"}
    assert entry.added_at == T0 and entry.last_used_at == T0 and entry.added_at.tzinfo is not None
    assert entry.health == {"products": 3, "categories": 2, "uncategorised": 1, "in_stock": 2, "low": 0,
                            "out": 1, "unknown_stock": 0, "prices": 2}  # stock read as yes/no
    assert entry.size > 0


def test_the_same_catalog_again_keeps_one_copy_and_marks_it_used(library):
    catalog = catalog_of(CSV)
    library.add(catalog, name="first", now=T0)
    again = library.add(catalog_of(CSV), name="second", now=T0 + timedelta(hours=1))  # same bytes: same fingerprint
    assert not again.new
    [entry] = library.list()
    assert entry.name == "first" and entry.added_at == T0 and entry.last_used_at == T0 + timedelta(hours=1)
    other_columns = catalog_of(CSV, color=None)  # the same file read with other columns: another catalog
    assert library.add(other_columns, name="no colour").new
    assert len(library.list()) == 2


def test_a_name_defaults_to_the_file_name(library):
    catalog = catalog_of(CSV)
    assert library.add(catalog).kept.name == "loja.csv"


def test_get_of_a_catalog_not_kept_is_none(library):
    assert library.get("ab" * 32) is None
    assert library.get("not a fingerprint") is None
    assert library.entry("ab" * 32) is None


def test_list_is_most_recently_used_first_and_touch_moves_one_up(library):
    for index in range(3):
        library.add(small(index), name=f"c{index}", now=T0 + timedelta(minutes=index))
    assert [e.name for e in library.list()] == ["c2", "c1", "c0"]
    assert library.touch(small(0).fingerprint, now=T0 + timedelta(hours=1))
    assert [e.name for e in library.list()] == ["c0", "c2", "c1"]
    assert not library.touch("ab" * 32)


# --------------------------------------------------------------------------- limits


def test_over_the_count_the_least_recently_used_go_first(store_url):
    library = CatalogLibrary(store_url, max_bytes=None, max_count=3)
    catalogs = [small(index) for index in range(5)]
    for index, catalog in enumerate(catalogs[:3]):
        library.add(catalog, name=f"c{index}", now=T0 + timedelta(minutes=index))
    library.touch(catalogs[0].fingerprint, now=T0 + timedelta(minutes=10))  # c0 used again: c1 is the oldest unused
    added = library.add(catalogs[3], name="c3", now=T0 + timedelta(minutes=11))
    assert [e.name for e in added.let_go] == ["c1"]
    added = library.add(catalogs[4], name="c4", now=T0 + timedelta(minutes=12))
    assert [e.name for e in added.let_go] == ["c2"]
    assert sorted(e.name for e in library.list()) == ["c0", "c3", "c4"]
    assert library.get(catalogs[1].fingerprint) is None
    library.close()


def test_over_the_bytes_enough_are_let_go_and_never_the_new_one(store_url):
    probe = CatalogLibrary(store_url, max_bytes=None, max_count=None)
    sizes = [probe.add(small(index), now=T0).kept.size for index in range(3)]
    for index in range(3):
        probe.delete(small(index).fingerprint)
    probe.close()
    library = CatalogLibrary(store_url, max_bytes=sizes[0] + sizes[1] + sizes[2] // 2, max_count=None)
    library.add(small(0), name="c0", now=T0)
    library.add(small(1), name="c1", now=T0 + timedelta(minutes=1))
    added = library.add(small(2), name="c2", now=T0 + timedelta(minutes=2))
    assert added.new and [e.name for e in added.let_go] == ["c0"]
    assert [e.name for e in library.list()] == ["c2", "c1"]
    assert library.total_bytes() <= library.max_bytes
    library.close()


def test_a_catalog_larger_than_the_whole_library_is_refused_plainly(store_url):
    library = CatalogLibrary(store_url, max_bytes=1_000, max_count=None)
    with pytest.raises(CatalogTooLarge, match=r"more than the whole catalog library may hold \(1,000 bytes\)"):
        library.add(load_catalog(SAMPLE_CATALOG_PATH), name="sample")
    assert library.list() == []
    library.close()


def test_concurrent_adds_keep_the_count_limit(store_url):
    """Eight sessions (each with its own library, as on several servers) add at once, in rounds: never more
    than the limit stays, and every add's own catalog is kept."""
    limit, threads, rounds = 3, 8, 3
    catalogs = [small(100 + i) for i in range(threads * rounds)]  # parsed and hashed before the race
    libraries = [CatalogLibrary(store_url, max_bytes=None, max_count=limit) for _ in range(threads)]
    libraries[0].list()  # the tables, made once
    try:
        for round_ in range(rounds):
            start = threading.Barrier(threads)

            def add(index: int, start: threading.Barrier = start, round_: int = round_) -> bool:
                start.wait(timeout=30)
                return libraries[index].add(catalogs[round_ * threads + index]).new

            with ThreadPoolExecutor(threads) as pool:
                added = list(pool.map(add, range(threads)))
            assert all(added)
            assert len(libraries[0].list()) == limit, f"round {round_ + 1}"
    finally:
        for library in libraries:
            library.close()


def test_the_limits_come_from_the_environment_and_secrets():
    assert resolve_library_config({}).max_bytes == 2 << 30 and resolve_library_config({}).max_count == 50
    config = resolve_library_config({"FASHIONAI_LIBRARY_MAX_BYTES": "1000"},
                                    {"fashionai": {"library_max_count": "7"}})
    assert (config.max_bytes, config.max_count) == (1000, 7)
    assert resolve_library_config({"FASHIONAI_LIBRARY_MAX_COUNT": "0"}).max_count is None  # 0: no limit
    with pytest.raises(LibraryError, match="FASHIONAI_LIBRARY_MAX_COUNT environment variable must be a whole number"):
        resolve_library_config({"FASHIONAI_LIBRARY_MAX_COUNT": "many"})


def test_size_words():
    assert size_words(None) == "no limit"
    assert size_words(2 << 30) == "2 GB"
    assert size_words(1536 * 1024) == "1.5 MB"
    assert size_words(512) == "512 bytes"


# --------------------------------------------------------------------------- rename, delete


def test_rename_and_delete(library):
    catalog = catalog_of(CSV)
    library.add(catalog, name="old")
    assert library.rename(catalog.fingerprint, "  Summer   2026 ")
    assert library.entry(catalog.fingerprint).name == "Summer 2026"
    assert library.rename(catalog.fingerprint, "   ")  # blank keeps the name
    assert library.entry(catalog.fingerprint).name == "Summer 2026"
    assert not library.rename("ab" * 32, "x")
    assert library.delete(catalog.fingerprint)
    assert library.get(catalog.fingerprint) is None and library.list() == [] and library.total_bytes() == 0
    assert not library.delete(catalog.fingerprint)
    assert library.add(catalog, name="again").new  # deleted: kept anew


def test_the_library_shares_the_history_database(store_url):
    history = HistoryStore(store_url, max_age_days=None, max_count=None)
    history.record(snap())
    library = CatalogLibrary(store_url)
    library.add(catalog_of(CSV))
    assert history.count() == 1 and len(library.list()) == 1
    history.close()
    library.close()


def test_two_libraries_on_one_database_see_each_other(store_url):
    first, second = CatalogLibrary(store_url), CatalogLibrary(store_url)
    catalog = catalog_of(CSV)
    first.add(catalog, name="shared")
    assert second.get(catalog.fingerprint).fingerprint == catalog.fingerprint
    assert not second.add(catalog).new
    first.close()
    second.close()


# --------------------------------------------------------------------------- a broken database


def test_a_damaged_file_raises_library_unavailable_in_plain_words(tmp_path):
    path = tmp_path / "history.db"
    path.write_bytes(b"this is not a database" * 100)
    library = CatalogLibrary(path.as_posix())
    with pytest.raises(LibraryUnavailable, match=r"The catalog library .* cannot be used") as caught:
        library.list()
    assert "Traceback" not in str(caught.value)
    with pytest.raises(LibraryUnavailable):
        library.add(catalog_of(CSV))


def test_a_folder_that_cannot_be_made_raises_library_unavailable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    library = CatalogLibrary((blocker / "history.db").as_posix())
    with pytest.raises(LibraryUnavailable, match="its folder cannot be made"):
        library.add(catalog_of(CSV))


def test_a_read_only_database_raises_library_unavailable(tmp_path):
    path = tmp_path / "history.db"
    sqlite3.connect(path).close()
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        library = CatalogLibrary(path.as_posix())
        try:
            library.add(catalog_of(CSV))
        except LibraryUnavailable as err:
            assert "cannot be used" in str(err)  # noqa: PT017 - pytest.raises cannot skip when root may write
        else:  # running as root: the file can be written whatever its mode
            pytest.skip("this user may write read-only files")
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)


def test_a_database_that_does_not_answer_hides_its_password():
    library = CatalogLibrary("postgresql://studio:s3cret-pw@127.0.0.1:9/db?connect_timeout=1")
    with pytest.raises(LibraryUnavailable) as caught:
        library.list()
    assert "s3cret-pw" not in str(caught.value) and "127.0.0.1" in str(caught.value)
