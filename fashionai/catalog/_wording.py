"""The words of the catalog's warnings and errors: counts with their nouns, quoted examples."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["EXAMPLES", "EXTRA_KIND_WORDS", "counted", "extra_file_hint", "listing", "negative_stock", "quoted",
           "shortened", "too_large_stock"]

EXAMPLES = 3
"""How many examples a warning quotes."""


def counted(number: int, one: str, many: str, *, count: bool = True) -> str:
    """ "1 row has" / "2 rows have"; without the number when `count` is False."""
    words = one if number == 1 else many
    return f"{number} {words}" if count else words


def shortened(text: str, length: int = 40) -> str:
    """The start of a long text, with an ellipsis when cut."""
    return text if len(text) <= length else text[:length] + "…"


def quoted(values: Iterable[object]) -> str:
    """The first EXAMPLES values, each quoted, separated by commas."""
    return ", ".join(repr(str(value)) for value in list(values)[:EXAMPLES])


def listing(names: Iterable[str]) -> str:
    """Every name, quoted, separated by commas; "(none)" when there is none."""
    return ", ".join(repr(name) for name in names) or "(none)"


EXTRA_KIND_WORDS = {
    "image_url": ("an images file", "a file name and a link", "a product id and an image address"),
    "stock": ("a stock file", "a file name and a stock quantity", "a product id and a stock quantity"),
    "price": ("a prices file", "a file name and a price", "a product id and a price"),
    "size_stock": ("a stock-per-size file", "a file name, a size and its stock",
                   "a product id, a size and its stock"),
}
"""Each field an extra file brings: what such a file is called, and what it holds (ids as file
names, ids as product ids)."""


def extra_file_hint(field: str, file_names: bool) -> str:
    """What to say of a file that looks like an extra file rather than a products file."""
    called, by_file, by_id = EXTRA_KIND_WORDS[field]
    return (f"This file has no column of product names or categories: it looks like {called} "
            f"({by_file if file_names else by_id}). Upload the products file as the catalog and attach "
            "this one under Extra files.")


def too_large_stock(count: int, limit: int) -> str:
    """What to add to "N stock values could not be read" when `count` of them are beyond `limit`."""
    if not count:
        return ""
    return (f": {counted(count, 'is a quantity', 'are quantities')} beyond {limit:,} units, too large "
            "to be a real stock")


def negative_stock(count: int, source: str, examples: Iterable[object]) -> str:
    """What to say of `count` stock values below zero in column `source`: what they count as."""
    return (f"{counted(count, 'stock quantity is', 'stock quantities are')} negative in column {source!r} "
            f"(e.g. {quoted(examples)}); {counted(count, 'it counts', 'they count', count=False)} as out of "
            "stock (no units).")
