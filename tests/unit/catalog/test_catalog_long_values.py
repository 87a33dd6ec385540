"""Hostile sizes in a catalog and in an answer: a 1 MB id, a 20 MB ranked id, a line of several MB.

Behaviour only, never timing: a file wider than any catalog is refused from its header, and a
wide one's load pays no heap walk per column; a catalog row with an id over MAX_ID_CHARS is skipped with a
warning and counted; a ranked id longer than every catalog id is unknown and never hashed;
a line too long for the reader is refused in our words, naming the line.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from fashionai.catalog import (
    MAX_COLUMNS,
    MAX_ID_CHARS,
    READ_BLOCK_BYTES,
    CatalogError,
    _frame,
    _ids,
    join_ranking,
    load,
    load_catalog,
)
from fashionai.catalog.extras import read_extra

MEGABYTE_ID = "7" * (1 << 20)


@pytest.fixture
def hashed_lengths(monkeypatch) -> list[int]:
    """The longest string of each call to hash_ids (in bytes), as the code calls it."""
    seen: list[int] = []
    original = _ids.hash_ids

    def recording(ids: pa.Array):
        offsets, _ = _ids.string_buffers(ids)
        seen.append(int((offsets[1:] - offsets[:-1]).max(initial=0)))
        return original(ids)

    monkeypatch.setattr(_ids, "hash_ids", recording)
    return seen


def test_a_row_with_a_one_megabyte_id_is_skipped_with_a_warning(hashed_lengths):
    data = f"id,name,stock\nA1,scarf,4\n{MEGABYTE_ID},hostile,9\nA2,hat,0\n".encode()
    catalog = load_catalog(data)
    assert list(catalog.products.index) == ["A1", "A2"]
    assert (catalog.long_ids, catalog.skipped_rows) == (1, 0)
    warning = next(w for w in catalog.warnings if "longer than" in w)
    assert f"1 row has a product id longer than {MAX_ID_CHARS:,} characters (column 'id')" in warning
    assert "skipped" in warning and len(warning) < 400  # quotes the id's start, not the megabyte
    assert max(hashed_lengths) <= MAX_ID_CHARS
    assert catalog.health().rows == 2


def test_an_id_of_exactly_the_limit_is_kept():
    longest = "a" * MAX_ID_CHARS
    catalog = load_catalog(f"id,name\n{longest},long\nb,short\n".encode())
    assert list(catalog.products.index) == [longest, "b"] and catalog.long_ids == 0
    assert join_ranking(catalog, [longest])["in_catalog"].tolist() == [True]


def test_a_file_whose_every_id_is_too_long_is_refused_in_plain_words():
    with pytest.raises(CatalogError, match=r"longer than 1,000 characters.*choose the column"):
        load_catalog(f"id,name\n{'x' * 2000},a\n{'y' * 2000},b\n".encode())


def test_a_huge_ranked_id_is_unknown_and_never_hashed(hashed_lengths):
    catalog = load_catalog(b"id,name\nA1,scarf\nA2,hat\nLONGEST-ID-42,coat\n")
    hashed_lengths.clear()
    huge = "A" * (20 << 20)  # 20 MB: an answer meant to stall the join

    joined = join_ranking(catalog, ["A2", huge, "A1", "missing"])

    assert joined["in_catalog"].tolist() == [True, False, True, False]
    assert joined["name"].tolist()[0] == "hat" and joined["name"].isna().tolist() == [False, True, False, True]
    assert max(hashed_lengths) <= len("LONGEST-ID-42")  # nothing longer than the catalog's longest id
    assert catalog.count_unknown([huge, "A1"]) == 1


def test_hashing_follows_the_bytes_not_the_longest_id(monkeypatch):
    """One long id among short ones: each pass over 8 more bytes touches only the ids that long."""
    touched: list[int] = []
    original = _ids._mix
    monkeypatch.setattr(_ids, "_mix", lambda hashes, word: (touched.append(len(word)), original(hashes, word)))
    ids = pa.array([*(f"{i:06d}" for i in range(1000)), "L" * 800], pa.large_string())
    _ids.hash_ids(ids)
    assert len(touched) == 100 and sum(touched) == 1000 + 1 + 99  # 100 passes; after the first, the long id alone


def test_hashes_are_unchanged_by_how_passes_pick_their_ids():
    ids = ["", "a", "12345678", "123456789", "x" * 17, "y" * 64, "z" * 65]
    together = _ids.hash_ids(pa.array(ids, pa.large_string()))
    assert list(together) == [_ids.hash_ids(pa.array([value]))[0] for value in ids]
    assert len(set(together.tolist())) == len(ids)


@pytest.mark.parametrize("quoted", [False, True])
def test_a_line_too_long_for_the_reader_is_refused_in_our_words(quoted):
    rows = "".join(f"P{i},product {i}\n" for i in range(200))
    long_value = "y" * (3 * READ_BLOCK_BYTES)
    line = f'X,"{long_value}"' if quoted else f"X,{long_value}"
    data = f"id,name\n{rows}{line}\n{rows.replace('P', 'Q')}".encode()

    with pytest.raises(CatalogError) as caught:
        load_catalog(data)

    message = str(caught.value)
    assert message.startswith("Line 202 of the file is 3.0 MB long, longer than the 1 MB a line may have")
    assert "check that the file is a product export" in message
    assert "straddl" not in message and "block" not in message


def test_a_quoted_value_spanning_lines_too_long_for_the_reader_is_refused_in_our_words():
    rows = "".join(f"P{i},product {i}\n" for i in range(200))
    spanning = ("y" * 999 + "\n") * (3 * READ_BLOCK_BYTES // 1000)  # lines of 1 kB, 3 MB in all
    data = f'id,name\n{rows}X,"{spanning}"\n{rows}'
    with pytest.raises(CatalogError, match=r"^A value in quotes spans lines adding up to more than the 1 MB"):
        load_catalog(data.encode())


def test_a_line_over_one_megabyte_but_within_the_reader_still_loads():
    """The limit is the reader's block, not a round number: a 1.1 MB name loads."""
    catalog = load_catalog(f"id,name\nA1,{'n' * 1_100_000}\nA2,hat\n".encode())
    assert list(catalog.products.index) == ["A1", "A2"]


def _wide_file(columns: int, rows: int = 50) -> bytes:
    header = ["product_id", "name", *(f"attribute {i}" for i in range(columns - 2))]
    lines = [",".join(header)] + [",".join([f"P{r}", f"product {r}", *(str(i) for i in range(columns - 2))])
                                  for r in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("reader", [load_catalog, read_extra])
def test_a_file_wider_than_any_catalog_is_refused_from_its_header_before_parsing(monkeypatch, reader):
    parsed: list[object] = []
    monkeypatch.setattr(load, "_parse", lambda *args, **kwargs: parsed.append(args))
    with pytest.raises(CatalogError) as caught:
        reader(_wide_file(4000), name="wide.csv")
    assert str(caught.value).startswith(
        f"This file has 4,000 columns; a catalog has at most {MAX_COLUMNS:,}: is it the right file?")
    assert parsed == []  # refused from the header: the file was never parsed


def test_a_header_longer_than_the_head_is_refused_with_what_the_head_holds():
    header = ",".join(f"a column with a long name number {i:05d}" for i in range(3000))  # ~130 kB
    with pytest.raises(CatalogError, match=r"^This file has more than 1,\d{3} columns; a catalog has at most"):
        load_catalog(f"{header}\n".encode())


def test_a_file_of_exactly_max_columns_loads():
    catalog = load_catalog(_wide_file(MAX_COLUMNS, rows=3))
    assert len(catalog.source_columns) == MAX_COLUMNS and len(catalog.products) == 3


def test_a_wide_file_of_small_columns_releases_memory_per_megabyte_not_per_column(monkeypatch):
    """A release walks the whole heap: one per column made a wide file's load grow with its columns squared."""
    releases: list[None] = []
    monkeypatch.setattr(_frame, "release_freed_memory", lambda: releases.append(None))
    load_catalog(_wide_file(5))
    narrow = len(releases)
    releases.clear()
    load_catalog(_wide_file(MAX_COLUMNS))
    assert len(releases) == narrow  # the same few releases, however many columns

    monkeypatch.setattr(_frame, "RELEASE_EVERY_BYTES", 1)  # a big file: every column is over the limit
    releases.clear()
    load_catalog(_wide_file(50))
    assert len(releases) > 40  # released between the conversions, so copies do not add up
