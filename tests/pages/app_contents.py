"""Where a string can hide in an AppTest run: every node of the element tree, every element drawn as the
bytes the browser would receive, everything the session state holds, and a deep search of any value."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

import pandas as pd
from google.protobuf.message import Message


def nodes(node) -> Iterator:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from nodes(child)


def holds(value, needle: str, *, seen: set[int] | None = None, depth: int = 0) -> bool:
    """Whether `needle` is anywhere in `value`: strings, bytes, containers, frames, dataclass
    fields (repr=False ones too) and object attributes, recursively."""
    seen = set() if seen is None else seen
    if depth > 12 or id(value) in seen:
        return False
    seen.add(id(value))
    walk = lambda item: holds(item, needle, seen=seen, depth=depth + 1)  # noqa: E731
    if isinstance(value, str):
        return needle in value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return needle.encode() in bytes(value)
    if value is None or isinstance(value, (bool, int, float)):
        return False
    if isinstance(value, pd.DataFrame):
        return needle in value.to_csv() or walk(list(value.columns))
    if isinstance(value, (pd.Series, pd.Index)):
        return needle in value.to_frame().to_csv()
    if isinstance(value, Message):
        return needle.encode() in value.SerializeToString()
    if isinstance(value, Mapping):
        return any(walk(key) or walk(item) for key, item in list(value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(walk(item) for item in list(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(walk(getattr(value, f.name, None)) for f in dataclasses.fields(value))
    if needle in repr(value):
        return True
    attributes = getattr(value, "__dict__", None)
    return attributes is not None and walk(attributes)


def session_values(at) -> dict:
    """Everything the session state holds: user keys, widget values, Streamlit's own keys."""
    state = at._session_state._state
    values = {}
    for key in state._keys():
        try:
            values[key] = state[key]
        except (KeyError, AttributeError):  # a widget id whose metadata is gone
            continue
    return values


def drawn(at) -> list[bytes]:
    """Every element and block the app drew, as the bytes the browser would receive."""
    return [node.proto.SerializeToString() for node in nodes(at._tree)
            if isinstance(getattr(node, "proto", None), Message)]
