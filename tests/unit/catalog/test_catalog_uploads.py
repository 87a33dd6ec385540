"""Uploaded catalogs in server memory: bounded by bytes, least recently used let go first, freed with
their session (fashionai.catalog.uploads; the page side in test_page_catalog.py)."""

from __future__ import annotations

import gc
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import pytest

from fashionai.catalog import CatalogError, load_catalog
from fashionai.catalog import uploads
from fashionai.catalog.uploads import UploadStore, upload_key


def csv(rows: int, tag: str = "P") -> bytes:
    return ("id,name,stock\n" + "".join(f"{tag}{i},product {i},{i % 5}\n" for i in range(rows))).encode()


@pytest.fixture
def loads(monkeypatch) -> list[str]:
    """Names of the files parsed, in order."""
    seen: list[str] = []

    def counting(data, **kwargs):
        seen.append(kwargs.get("name"))
        return load_catalog(data, **kwargs)

    monkeypatch.setattr("fashionai.catalog.uploads.load_catalog", counting)
    return seen


def test_a_catalog_knows_its_memory():
    small, big = load_catalog(csv(10)), load_catalog(csv(10_000))
    assert 0 < small.nbytes < big.nbytes
    assert big.nbytes >= big.products.memory_usage(deep=True).sum()


def test_the_store_holds_at_most_its_budget_letting_the_least_recently_used_go(loads):
    size = load_catalog(csv(2000, "A")).nbytes
    store = UploadStore(budget=int(size * 2.5))  # room for two of these, not three
    a = store.open(csv(2000, "A"), name="a.csv")
    b = store.open(csv(2000, "B"), name="b.csv")
    a.catalog()  # a used last: b is now the least recently used
    c = store.open(csv(2000, "C"), name="c.csv")

    assert store.held_bytes <= store.budget and len(store) == 2
    assert (a.loaded, b.loaded, c.loaded) == (True, False, True)
    assert loads == ["a.csv", "b.csv", "c.csv"]

    again = b.catalog()  # b's session still has its bytes: parsed again, nothing lost
    assert list(again.products.index[:2]) == ["B0", "B1"]
    assert loads[-1] == "b.csv" and a.loaded is False  # a is now the oldest
    assert store.held_bytes <= store.budget


def test_one_catalog_bigger_than_the_budget_is_held_for_its_session_alone():
    store = UploadStore(budget=1)
    small = store.open(csv(5, "S"))
    big = store.open(csv(500, "B"))
    assert big.loaded and not small.loaded and len(store) == 1


def test_the_same_content_is_parsed_once_and_shared(loads):
    store = UploadStore()
    first = store.open(csv(20), name="one.csv")
    second = store.open(csv(20), name="two.csv")
    assert second.catalog() is first.catalog()
    assert loads == ["one.csv"]
    remapped = store.open(csv(20), columns={"name": None}, name="one.csv")
    assert remapped.key != first.key and "name" not in remapped.catalog().mapping
    assert first.key == upload_key(csv(20)) == first.catalog().fingerprint  # one key: the catalog's fingerprint


def test_an_upload_dropped_frees_its_catalog():
    """A session's state is dropped when the session ends: with it goes its Upload, and the Catalog."""
    store = UploadStore()
    upload = store.open(csv(100))
    catalog = weakref.ref(upload.catalog())
    products = weakref.ref(upload.catalog().products)
    del upload
    gc.collect()
    assert catalog() is None and products() is None
    assert len(store) == 0 and store.held_bytes == 0


def test_a_catalog_stays_while_another_session_holds_it():
    store = UploadStore()
    mine, theirs = store.open(csv(100)), store.open(csv(100))
    catalog = weakref.ref(mine.catalog())
    del mine
    gc.collect()
    assert catalog() is theirs.catalog() and len(store) == 1
    del theirs
    gc.collect()
    assert catalog() is None and len(store) == 0


def test_an_unusable_file_holds_nothing():
    store = UploadStore()
    with pytest.raises(CatalogError):
        store.open(b"id,name\n")
    gc.collect()
    assert len(store) == 0 and not store._holders


def test_a_closed_sessions_upload_is_released_and_its_memory_handed_back():
    """Freed catalogs stayed in the process's heap (420 MB after the last tab closed): letting go of one
    hands the memory back. Calls the hook a session's end runs, rather than waiting for Streamlit."""
    returned: list[None] = []
    store = UploadStore(release_memory=lambda: returned.append(None))
    upload = store.open(csv(100))
    catalog = weakref.ref(upload.catalog())
    assert store.holds(upload.key) and returned == []

    upload.release()  # what runs when Streamlit drops the session's state (its Upload)

    assert not store.holds(upload.key) and len(store) == 0 and store.held_bytes == 0
    assert catalog() is None  # nothing else held it: freed at once, no collection needed
    assert returned == [None]
    upload.release()  # once only: a second call (or the finalizer later) changes nothing
    del upload
    gc.collect()
    assert returned == [None] and not store._holders


def test_a_catalog_let_go_for_the_budget_hands_its_memory_back():
    returned: list[None] = []
    size = load_catalog(csv(2000, "A")).nbytes
    store = UploadStore(budget=int(size * 1.5), release_memory=lambda: returned.append(None))
    first = store.open(csv(2000, "A"))
    second = store.open(csv(2000, "B"))
    assert not first.loaded and second.loaded and returned == [None]


def test_by_default_the_memory_goes_back_on_the_loaders_thread(monkeypatch):
    """A finalizer may run on Streamlit's event loop: the heap walk is the loader thread's work."""
    threads: list[str] = []
    monkeypatch.setattr(uploads, "release_freed_memory", lambda: threads.append(threading.current_thread().name))
    store = UploadStore()
    upload = store.open(csv(10))
    upload.release()
    uploads.WORKERS.submit(lambda: None).result()  # what was queued before it has run
    assert len(threads) == 1 and threads[0].startswith("fashionai-catalog")


def test_a_catalog_let_go_while_the_interpreter_exits_hands_nothing_back_and_raises_nothing(monkeypatch):
    """A catalog's finalizer that ran after the loader's threads stopped (at the end of a test run) printed
    "RuntimeError: cannot schedule new futures after shutdown" with a traceback: now it does nothing."""
    stopped = ThreadPoolExecutor(max_workers=1)
    stopped.shutdown()
    monkeypatch.setattr(uploads, "WORKERS", stopped)
    uploads.release_in_background()  # no exception
