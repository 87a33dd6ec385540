"""Find product ids in a catalog fast, without a Python string per product.

pandas' own index over a million ids either builds a Python object per id (slow to
build, ~100 bytes each) or, looked up, touches scattered objects (a few microseconds a
lookup). Instead each id's UTF-8 bytes are hashed with numpy, straight from the arrow
buffers, and the hashes are sorted with each row's position in their low bits: one
sort finds repeated ids, and a binary search finds any id. A hash never decides alone:
every candidate is checked against the id itself.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


def hash_ids(ids: pa.Array) -> np.ndarray:
    """A uint64 hash of each string of `ids` (no nulls), from its length and its bytes
    taken eight at a time; the same string hashes the same in any array."""
    offsets, data = string_buffers(ids)
    starts, lengths = offsets[:-1], np.diff(offsets)
    if len(ids) and lengths.min() == lengths.max():  # one width, as codes often have
        width = int(lengths[0])
        hashes = lengths.view(np.uint64) if lengths.dtype == np.int64 else lengths.astype(np.uint64)
        hashes *= _MULTIPLIER  # in the lengths' own memory: they are all `width`
        text = data[offsets[0]: offsets[-1]].reshape(len(ids), width)
        if width and width % 8 == 0:  # whole words: read in place
            block = text
        else:
            block = np.zeros((len(ids), max(-(-width // 8), 1) * 8), dtype=np.uint8)
            block[:, :width] = text
        with np.errstate(over="ignore"):
            for eight_bytes in block.view("<u8").T:
                _mix(hashes, eight_bytes)
        return hashes
    hashes = lengths.astype(np.uint64)
    hashes *= _MULTIPLIER
    padded = np.zeros(len(data) + 8, dtype=np.uint8)  # room to read 8 bytes anywhere
    padded[: len(data)] = data
    words = np.ndarray((len(data) + 1,), dtype="<u8", buffer=padded, strides=(1,))
    rows: Any = slice(None)  # every row, then (from the 2nd word) an array of the rows still this long
    with np.errstate(over="ignore"):
        for word in range(0, max(int(lengths.max(initial=0)), 1), 8):
            if word:  # only the ids still this long: the work follows the bytes, not the longest id
                rows = np.flatnonzero(lengths > word) if word == 8 else rows[lengths[rows] > word]
            chunk = words[starts[rows] + word]
            chunk &= _LOW_BYTES[np.minimum(lengths[rows] - word, 8)]
            if word:
                mixed = hashes[rows]
                _mix(mixed, chunk)
                hashes[rows] = mixed
            else:
                _mix(hashes, chunk)
    return hashes


def _mix(hashes: np.ndarray, word: np.ndarray) -> None:
    """Fold a word into each hash, in place."""
    hashes ^= word
    hashes *= _MIX
    hashes ^= hashes >> np.uint64(31)


def string_buffers(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (one more than the values) and the bytes of a string array."""
    _, offsets, data = text.buffers()
    kind = np.int64 if pa.types.is_large_string(text.type) else np.int32
    offsets = np.frombuffer(offsets, dtype=kind)[text.offset: text.offset + len(text) + 1]
    return offsets, np.frombuffer(data, dtype=np.uint8) if data else np.empty(0, np.uint8)


class IdLookup:
    """Rows of ids: finds repeated ids and looks ids up.

    Holds one sorted uint64 key per row, the id's hash in the high bits and the row
    in the low `shift` bits, and where each bucket of keys sharing their top bits
    starts (about one key a bucket), so a lookup reads one or two places in memory.
    """

    def __init__(self, ids: pa.Array, keys: np.ndarray, shift: np.uint64):
        self.ids, self._keys, self._shift = ids, keys, shift
        self._bucket_bits = np.uint64(64 - max(len(keys).bit_length() - 1, 1))

    # What only a lookup reads is made by the first one, not by the load, which needs only `repeats`
    # (a few milliseconds for a million ids). Made twice at worst, by two first lookups at once: the same values.
    @cached_property
    def _longest(self) -> int:
        """The longest id, in bytes."""
        return int(np.diff(string_buffers(self.ids)[0]).max(initial=0))

    @cached_property
    def _starts(self) -> np.ndarray:
        """Where each bucket's keys start (and, last, where the keys end)."""
        sizes = np.bincount(self._bucket(self._keys), minlength=1 << (64 - int(self._bucket_bits)))
        return np.concatenate([[0], np.cumsum(sizes)])

    @classmethod
    def of(cls, ids: pa.Array) -> IdLookup:
        """The lookup of `ids` (strings without nulls)."""
        shift = np.uint64(max(int(len(ids) - 1).bit_length(), 1))
        keys = hash_ids(ids)
        keys &= ~((np.uint64(1) << shift) - np.uint64(1))  # in place: a million ids' keys are 8 MB a copy
        keys |= np.arange(len(ids), dtype=np.uint64)
        keys.sort()  # by hash, then by row
        return cls(ids, keys, shift)

    def repeats(self) -> np.ndarray | None:
        """A mask of the rows whose id appeared in an earlier row; None when none does."""
        keys = self._keys  # sorted: two keys share their hash when they differ only in the row's bits
        pair = np.flatnonzero(np.bitwise_xor(keys[1:], keys[:-1]) < (np.uint64(1) << self._shift))
        if not len(pair):
            return None
        later, earlier = self._row(self._keys[pair + 1]), self._row(self._keys[pair])
        same = pc.equal(self.ids.take(later), self.ids.take(earlier)).to_numpy(
            zero_copy_only=False)
        if same.all():
            repeated = np.zeros(len(self.ids), dtype=bool)
            repeated[later] = True
        else:  # two different ids share a hash: compare the ids themselves
            exact = pd.Index(self.ids.to_numpy(zero_copy_only=False), dtype=object)
            repeated = exact.duplicated(keep="first")
        return repeated if repeated.any() else None

    @property
    def nbytes(self) -> int:
        """The memory of the lookup: its keys, bucket starts (counted before the first lookup makes them)
        and the ids' arrow buffers."""
        starts = ((1 << (64 - int(self._bucket_bits))) + 1) * np.dtype(np.int64).itemsize
        return self._keys.nbytes + starts + self.ids.nbytes

    def without(self, repeated: np.ndarray) -> IdLookup:
        """The lookup of the ids left once the `repeated` rows are dropped."""
        kept = self._keys[~repeated[self._row(self._keys)]]
        rows = self._row(kept)
        moved = rows - np.cumsum(repeated, dtype=np.uint64)[rows]  # rows dropped above
        return IdLookup(self.ids.filter(pa.array(~repeated)), self._hash_part(kept) | moved,
                        self._shift)

    def positions(self, wanted: list[str] | pa.Array) -> np.ndarray:
        """The row of each of `wanted`, -1 where it is not there. An id longer than every id
        here is not there: it is never hashed, so one huge id costs no more than a short one."""
        query = wanted if isinstance(wanted, pa.Array) else pa.array(wanted, pa.large_string())
        positions = np.full(len(wanted), -1, dtype=np.int64)
        offsets, _ = string_buffers(query)
        fits = np.diff(offsets) <= self._longest
        if not fits.all():
            inside = np.flatnonzero(fits)
            positions[inside] = self.positions(query.take(pa.array(inside)))
            return positions
        hashes = self._hash_part(hash_ids(query))
        bucket = self._bucket(hashes)
        first, end = self._starts[bucket], self._starts[bucket + 1]
        # Every key of each bucket whose hash matches is a candidate; their ids are then compared in one go,
        # not once a step: the steps are as many as the deepest bucket (about a dozen for a million ids).
        wanted_at, keys_at = [], []
        reading, step = np.flatnonzero(first < end), 0
        while len(reading):
            keys = self._keys[first[reading] + step]
            match = self._hash_part(keys) == hashes[reading]
            wanted_at.append(reading[match])
            keys_at.append(keys[match])
            step += 1
            reading = reading[first[reading] + step < end[reading]]
        candidate = np.concatenate(wanted_at) if wanted_at else np.empty(0, np.int64)
        rows = self._row(np.concatenate(keys_at)).astype(np.int64) if keys_at else np.empty(0, np.int64)
        found = pc.equal(self.ids.take(rows), query.take(candidate)).to_numpy(zero_copy_only=False)
        candidate, rows = candidate[found], rows[found]
        answered, earliest = np.unique(candidate, return_index=True)  # an id's first row, as the keys sort
        positions[answered] = rows[earliest]
        return positions

    def _bucket(self, keys: np.ndarray) -> np.ndarray:
        return (keys >> self._bucket_bits).view(np.int64)  # below 2**63 after the shift: the same values

    def _hash_part(self, keys: np.ndarray) -> np.ndarray:
        return keys >> self._shift << self._shift

    def _row(self, keys: np.ndarray) -> np.ndarray:
        return keys & ((np.uint64(1) << self._shift) - np.uint64(1))
