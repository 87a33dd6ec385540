"""Whether a result on screen still answers the current choice: what changed since it was made, in plain words.

    made_with = {"session": "sess-1", "user": None, "category": "Dresses", "catalog": "3f2a…"}
    now = {"session": "sess-2", "user": None, "category": "Dresses", "catalog": "3f2a…"}
    what_changed(made_with, now)   # ["the session is now sess-2 (it was made for sess-1)"]
    stale_message("storefront", made_with, now)
    # "This storefront was made for session sess-1 and category Dresses; now the session is sess-2. ..."

A page passes what its result was made with and what its widgets and the sidebar say now, under the
keys of `INPUTS`; a key missing from either side is not compared. Blank and None are the same (no user).
A catalog is named by its fingerprint, so its words say only that another one is in use.
"""

from __future__ import annotations

from collections.abc import Mapping

INPUTS = {"session": "session", "user": "user", "catalog": "catalog", "category": "category",
          "product": "main piece"}
"""The inputs a result can be made with, and their words."""
CATALOG = "catalog"


def _value(value: str | None) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _shown(value: str | None, limit: int = 80) -> str:
    return "none" if value is None else (value if len(value) <= limit else value[: limit - 1] + "…")


def changed_inputs(made_with: Mapping[str, str | None], now: Mapping[str, str | None]) -> list[str]:
    """The keys (of `INPUTS`, in its order) present on both sides whose values differ."""
    return [key for key in INPUTS if key in made_with and key in now
            and _value(made_with[key]) != _value(now[key])]


def what_changed(made_with: Mapping[str, str | None], now: Mapping[str, str | None]) -> list[str]:
    """One phrase for each input that differs, e.g. "the session is now sess-2 (it was made for sess-1)"."""
    phrases = []
    for key in changed_inputs(made_with, now):
        if key == CATALOG:
            phrases.append("another catalog is in use")
            continue
        before, after = _value(made_with[key]), _value(now[key])
        if after is None:
            phrases.append(f"no {INPUTS[key]} is chosen now (it was made for {_shown(before)})")
        elif before is None:
            phrases.append(f"the {INPUTS[key]} is now {_shown(after)} (it was made without one)")
        else:
            phrases.append(f"the {INPUTS[key]} is now {_shown(after)} (it was made for {_shown(before)})")
    return phrases


def made_for(made_with: Mapping[str, str | None]) -> str:
    """"session sess-1, user u-9 and category Dresses": what a result was made for (the catalog left out)."""
    parts = [f"{INPUTS[key]} {_shown(_value(made_with[key]))}" for key in INPUTS
             if key != CATALOG and key in made_with and _value(made_with[key]) is not None]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "other choices"


def stale_message(what: str, made_with: Mapping[str, str | None], now: Mapping[str, str | None]) -> str | None:
    """A sentence saying `what` ("storefront") on screen was made for other choices than today's, or None.
    Plain text (the caller escapes it for Markdown)."""
    changes = what_changed(made_with, now)
    if not changes:
        return None
    return (f"This {what} was made for {made_for(made_with)}; " + "; ".join(changes)
            + ". What is on screen still shows the earlier choice: run it again for the new one.")
