"""Looking product ids up without a Python object per id, hash collisions included."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from fashionai.catalog import _ids
from fashionai.catalog._ids import IdLookup, hash_ids


def test_the_same_id_hashes_the_same_in_any_array():
    ids = ["000123", "12345678901234567890", "77", "", "x" * 100]
    alone = [hash_ids(pa.array([value]))[0] for value in ids]
    together = hash_ids(pa.array(ids, pa.large_string()))
    sliced = hash_ids(pa.array(["pad", *ids], pa.string()).slice(1))
    assert list(together) == alone == list(sliced)
    assert len(set(alone)) == len(ids)


@pytest.mark.parametrize("width", [0, 3, 8, 11, 16])
def test_ids_of_one_width_hash_as_any_other(width):
    same_width = ["a" * width, "b" * width, "é" * (width // 2) + "c" * (width % 2)]
    mixed = [*same_width, "x" * (width + 1)]
    assert list(hash_ids(pa.array(same_width))) == list(hash_ids(pa.array(mixed)))[:3]


def test_lookup_finds_rows_and_misses():
    lookup = IdLookup.of(pa.array(["b", "a", "c"], pa.large_string()))
    assert lookup.repeats() is None
    assert lookup.positions(["c", "zz", "b", "c"]).tolist() == [2, -1, 0, 2]
    assert lookup.positions([]).tolist() == []


def test_repeats_keep_the_first_row():
    lookup = IdLookup.of(pa.array(["a", "b", "a", "c", "b", "a"], pa.large_string()))
    repeated = lookup.repeats()
    assert repeated.tolist() == [False, False, True, False, True, True]
    kept = lookup.without(repeated)
    assert kept.ids.to_pylist() == ["a", "b", "c"]
    assert kept.positions(["c", "a", "b", "d"]).tolist() == [2, 0, 1, -1]


@pytest.fixture
def one_hash_for_all(monkeypatch):
    """Every id hashes alike, as two ids of a huge catalog might."""
    monkeypatch.setattr(_ids, "hash_ids", lambda ids: np.full(len(ids), 42, dtype=np.uint64))


@pytest.mark.usefixtures("one_hash_for_all")
def test_ids_sharing_a_hash_are_still_told_apart():
    lookup = IdLookup.of(pa.array(["a", "b", "a", "c"], pa.large_string()))
    repeated = lookup.repeats()
    assert repeated.tolist() == [False, False, True, False]
    kept = lookup.without(repeated)
    assert kept.positions(["c", "b", "a", "zz"]).tolist() == [2, 1, 0, -1]


@pytest.mark.parametrize("shared_hash", [False, True])
def test_an_id_still_repeated_is_found_at_its_first_row(shared_hash, request):
    if shared_hash:
        request.getfixturevalue("one_hash_for_all")
    lookup = IdLookup.of(pa.array(["b", "a", "c", "a", "b"], pa.large_string()))
    assert lookup.positions(["a", "b", "c", "zz", "a"]).tolist() == [1, 0, 2, -1, 1]


def test_the_lookups_memory_counts_its_bucket_starts_before_and_after_the_first_lookup():
    ids = pa.array([f"P{i:05d}" for i in range(5000)], pa.large_string())
    lookup = IdLookup.of(ids)
    counted = lookup.nbytes
    assert "_starts" not in vars(lookup)  # made by the first lookup, not by the load nor by counting
    assert lookup.positions(["P00042", "nope"]).tolist() == [42, -1]
    assert counted == lookup.nbytes == lookup._keys.nbytes + lookup._starts.nbytes + ids.nbytes
