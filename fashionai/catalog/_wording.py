"""The words of the catalog's warnings and errors: counts with their nouns, quoted examples."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["EXAMPLES", "counted", "listing", "quoted", "shortened"]

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
