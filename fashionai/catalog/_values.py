"""Read prices and stock as people write them, a whole column at a time.

Every function takes a pyarrow string column and works with pyarrow.compute only (no
Python loop over rows), trying a plain cast first: a column of plain numbers costs
one pass.

Numbers: ``129,90``, ``1.299,00``, ``1 299,00``, ``$1,299.00``, ``R$ 129,90``,
``BRL 10``, ``10 €``. The decimal separator is decided per column: a comma followed by
one, two or four-plus digits is a decimal comma, and the same for a dot; the more
common wins, and values written the other way are unreadable. With no evidence either
way (``1,234``, ``1.299``, ``15``), dots and commas between groups of three digits are
thousands separators.

Stock: quantities (read as numbers, fractions rounded up) or words (yes/no,
true/false, sim/não, in stock/out of stock, disponível/indisponível), read as 1 and 0.
A quantity beyond MAX_STOCK either way is unreadable (too large to be real); negative
quantities are kept and counted, for the loader to say they count as out of stock.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fashionai.catalog._ids import string_buffers

EXAMPLES = 3

# Currency signs and codes, and the spaces, thin spaces and apostrophes people group
# digits with: taken out before a number is read.
_DECORATION = r"(?i)[a-z]{0,3}\$|[a-z]{3}|[€£¥\s\x{a0}\x{202f}']"
_LAST_SEPARATOR = r"(?P<separator>[.,])(?P<decimals>\d+)$"
_WELL_FORMED = {
    ",": r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$",
    ".": r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$",
    None: r"^[-+]?(\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+|\d+)$",
}

MAX_STOCK = 1_000_000_000
"""The largest stock quantity (either way) read as real: a billion units of one product. Past it
a value is unreadable (a stray code, an overflow, ``10000000000000000000``), never a quantity."""

STOCK_YES = ("yes", "y", "true", "t", "sim", "s", "in stock", "instock", "available",
             "disponivel", "em estoque", "ativo", "active")
STOCK_NO = ("no", "n", "false", "f", "nao", "out of stock", "outofstock", "unavailable",
            "sold out", "indisponivel", "sem estoque", "esgotado", "inativo", "inactive")


@dataclass(frozen=True)
class Parsed:
    """A parsed column and what could not be read in it."""

    values: pa.ChunkedArray
    unreadable: int = 0
    examples: list[str] = field(default_factory=list)
    words: bool = False  # stock written as yes/no words
    rounded: int = 0  # stock quantities with a fraction, rounded up
    too_large: int = 0  # stock quantities beyond MAX_STOCK (counted in unreadable too)
    negative: int = 0  # stock quantities below zero, kept
    negative_examples: list[str] = field(default_factory=list)


def parse_numbers(column: pa.ChunkedArray) -> Parsed:
    """float64 values of a string column; blank and unreadable texts become null, ``-0`` is 0."""
    try:
        values = _finite_or_null(pc.cast(column, pa.float64()))
        if not _dots_are_thousands(column):
            return Parsed(_no_negative_zero(values))
    except pa.ArrowInvalid:
        pass
    text = blank_to_null(pc.utf8_trim_whitespace(column.combine_chunks()))
    values, unreadable = _per_distinct(text, _read_numbers)
    return Parsed(_no_negative_zero(values), *_examples(text, unreadable))


def _no_negative_zero(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """``-0`` (and ``-0,00``) as 0: a float keeps the sign, which would show as a negative price."""
    return pc.add(values, 0.0)  # -0.0 + 0.0 is 0.0; every other value is itself


def parse_stock(column: pa.ChunkedArray) -> Parsed:
    """int64 stock of a string column of quantities or yes/no words; blank is null, and so is
    a quantity beyond MAX_STOCK (counted as unreadable)."""
    try:
        values = pc.cast(column, pa.int64())
        low, high = pc.min_max(values).values()
        if high.as_py() is None or (low.as_py() >= -MAX_STOCK and high.as_py() <= MAX_STOCK):
            return Parsed(values, **_negative(column, values))
    except pa.ArrowInvalid:  # words, decorations, fractions, or beyond int64
        pass
    text = blank_to_null(pc.utf8_trim_whitespace(column.combine_chunks()))
    values, unreadable, words, rounded, too_large = _per_distinct(text, _read_stock)
    return Parsed(values, *_examples(text, unreadable), words=_count(words) > 0,
                  rounded=_count(rounded), too_large=_count(too_large), **_negative(text, values))


def _negative(text: pa.ChunkedArray, values: pa.ChunkedArray) -> dict:
    """How many stock values are below zero, and examples of them as written."""
    count, examples = _examples(text, pc.less(values, 0))
    return {"negative": count, "negative_examples": examples}


def _read_numbers(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The values of texts like "R$ 1.299,00", and which texts are unreadable."""
    digits = pc.replace_substring_regex(text, _DECORATION, "")
    last = pc.extract_regex(digits, _LAST_SEPARATOR)
    separator = pc.struct_field(last, "separator")
    decimals = pc.utf8_length(pc.struct_field(last, "decimals"))
    decimal_like = pc.not_equal(decimals, 3)  # 1.299 may be a thousand, 12.50 may not
    commas = _count(pc.and_(pc.equal(separator, ","), decimal_like))
    dots = _count(pc.and_(pc.equal(separator, "."), decimal_like))
    decimal = "," if commas > dots else "." if dots else None
    readable = pc.fill_null(pc.match_substring_regex(digits, _WELL_FORMED[decimal]), False)
    if decimal == ",":
        plain = pc.replace_substring(pc.replace_substring(digits, ".", ""), ",", ".")
    elif decimal == ".":
        plain = pc.replace_substring(digits, ",", "")
    else:
        plain = pc.replace_substring(pc.replace_substring(digits, ".", ""), ",", "")
    values = pc.cast(pc.if_else(readable, plain, None), pa.float64())
    return values, pc.and_(pc.is_valid(text), pc.invert(readable))


def _read_stock(text: pa.Array) -> tuple[pa.Array, ...]:
    """Stock of texts of quantities or words; which are unreadable, which are words,
    which quantities were rounded up, which are beyond MAX_STOCK (unreadable too)."""
    folded = fold(text)
    yes = pc.is_in(folded, pa.array(STOCK_YES))
    no = pc.is_in(folded, pa.array(STOCK_NO))
    words = pc.or_(yes, no)
    numbers, unreadable = _read_numbers(pc.if_else(words, None, text))
    whole = pc.ceil(numbers)
    too_large = pc.fill_null(pc.greater(pc.abs(whole), MAX_STOCK), False)
    whole = pc.if_else(too_large, None, whole)
    values = pc.if_else(yes, 1, pc.if_else(no, 0, pc.cast(whole, pa.int64())))
    return values, pc.or_(unreadable, too_large), words, pc.not_equal(whole, numbers), too_large


def _per_distinct(text: pa.Array, read: Callable[[pa.Array], tuple[pa.Array, ...]]
                  ) -> tuple[pa.Array, ...]:
    """`read(text)`, reading each distinct text once: prices and stock words repeat."""
    encoded = pc.dictionary_encode(text)
    if len(encoded.dictionary) > len(text) // 2:
        return read(text)
    return tuple(result.take(encoded.indices) for result in read(encoded.dictionary))


def clean_text(text: pa.Array) -> pa.Array:
    """Values trimmed of surrounding white space, blank ones null; cheap when already so."""
    offsets, data = string_buffers(text)
    starts, ends = offsets[:-1], offsets[1:]
    if text.null_count:
        filled = ends > starts  # null slots are empty too
        no_blank = np.count_nonzero(~filled) == text.null_count
        starts, ends = starts[filled], ends[filled]
    else:  # the common case, without a mask to build and apply: half the time
        no_blank = bool((ends > starts).all())
    if no_blank:
        edges = np.concatenate([data[starts], data[ends - 1]])
        if not ((edges <= 0x20) | (edges >= 0x80)).any():  # no space, control or non-ASCII
            return text
    return blank_to_null(pc.utf8_trim_whitespace(text))


def blank_to_null(text: pa.ChunkedArray) -> pa.ChunkedArray:
    blank = pc.equal(text, "")
    return pc.if_else(blank, None, text) if pc.any(blank).as_py() else text


def fold(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """Lower case without accents: "Calça" -> "calca"."""
    decomposed = pc.utf8_normalize(text, "NFKD")
    return pc.utf8_lower(pc.replace_substring_regex(decomposed, r"\p{Mn}", ""))


def fold_str(text: str) -> str:
    """``fold`` for one Python string."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _dots_are_thousands(column: pa.ChunkedArray) -> bool:
    """Whether every dot in a column of plain numbers has three digits after it, as in
    Brazil's 1.299 (one thousand two hundred ninety-nine). Stops at the first dot that
    has not, which for decimal dots is in the first chunk."""
    dotted = False
    for chunk in column.chunks:
        offsets, data = string_buffers(chunk)
        text = data[offsets[0]: offsets[-1]]
        dots = np.flatnonzero(text == ord("."))
        if not len(dots):
            continue
        ends = np.zeros(len(text) + 5, dtype=bool)
        ends[offsets[1:] - offsets[0]] = True  # where a value ends
        if not (ends[dots + 4] & ~(ends[dots + 1] | ends[dots + 2] | ends[dots + 3])).all():
            return False
        dotted = True
    return dotted


def _finite_or_null(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """"nan" and "inf" parse as floats; they are no price."""
    finite = pc.is_finite(values)
    return values if pc.all(finite).as_py() is not False else pc.if_else(finite, values, None)


def _count(mask: pa.ChunkedArray) -> int:
    return pc.sum(mask).as_py() or 0


def _examples(text: pa.ChunkedArray, mask: pa.ChunkedArray) -> tuple[int, list[str]]:
    count = _count(mask)
    if not count:
        return 0, []
    bad = pc.unique(pc.filter(text, mask))
    return count, bad.slice(0, EXAMPLES).to_pylist()
