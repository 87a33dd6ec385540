"""The words written on the charts, kept short and apart (no Streamlit, no altair).

    distinct_short_names(names, 22)   # "Basics Men'…shirt Navy", "Basics Men'…hirt Black": never alike
    key_table(rows, "lane", lanes)    # key, name, product_id: the letters a bump or drift chart draws
    lane_lines(lanes, 18)             # a lane's name wrapped onto lines, never cut (up to `LANE_LINES`)

A product in a bump or drift chart is lettered ("A", "B", ... "AA": ranks are numbers) in the order the chart
meets it; the key table names each letter's product in full, on the page (`ui.chart_widgets.chart_key`) and in a deck
or report (`key_lines`).
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from string import ascii_uppercase

import pandas as pd

__all__ = ["LANE_LINES", "LANE_TAG_LENGTH", "NAME_LENGTH", "distinct_short_names", "key_lines", "key_table",
           "lane_lines", "lane_tags", "product_key", "product_keys", "short_name"]

NAME_LENGTH, LANE_TAG_LENGTH = 32, 14
"""Characters of a product's name beside a line, and of a lane's name in a tag ("A · Sporty sho…")."""
LANE_LINES = 4
"""The most lines a lane's (or step's) name wraps onto."""


def short_name(text: str, limit: int = NAME_LENGTH) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def distinct_short_names(names: pd.Series, limit: int = NAME_LENGTH) -> pd.Series:
    """`names` (indexed by product id) shortened to `limit` characters so that no two products read the same.

    A name is cut at its end (`short_name`); where that makes two different names alike ("Basics Men's Crew T-s…"
    twice), their middle is cut instead, keeping the end that tells them apart ("Basics Men's…T-shirt Navy"); two
    products with the same name are told apart by their ids ("Straw bag · p12")."""
    ids = [str(pid) for pid in names.index]
    full = [" ".join(str(text).split()) for text in names]
    shorts = [short_name(text, limit) for text in full]
    tail = (limit - 1) // 2
    for short, count in Counter(shorts).items():
        alike = [i for i, other in enumerate(shorts) if other == short] if count > 1 else []
        if len({full[i] for i in alike}) > 1:  # different names cut alike: keep both ends
            for i in alike:
                text = full[i]
                if len(text) > limit:
                    shorts[i] = text[:limit - 1 - tail].rstrip() + "…" + text[-tail:].lstrip()
    counts = Counter(shorts)  # still alike (the same name, or a middle that differs): the id says which
    shorts = [short if counts[short] == 1 else short_name(text, max(8, limit - len(pid) - 3)) + " · " + pid
              for short, text, pid in zip(shorts, full, ids, strict=True)]
    return pd.Series(shorts, index=names.index, dtype="str")


def product_key(number: int) -> str:
    """The key of the `number`th product (0 first): A, B, ..., Z, AA, AB, ... (letters: the ranks are numbers)."""
    key = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, len(ascii_uppercase))
        key = ascii_uppercase[rest] + key
    return key


def product_keys(data: pd.DataFrame, x: str, x_order: list[str]) -> pd.Series:
    """Each product's key, by product id: lettered in the order the chart meets them, the first x's from the top,
    then those first shown at the second x, and so on."""
    position = data[x].map({value: i for i, value in enumerate(x_order)})
    first = (data.assign(_position=position).sort_values(["_position", "rank"], kind="stable")
             .drop_duplicates("product_id")["product_id"])
    return pd.Series([product_key(i) for i in range(len(first))], index=pd.Index(first, dtype="str"), dtype="str")


def key_table(data: pd.DataFrame, x: str, x_order: list[str]) -> pd.DataFrame:
    """The key of the chart drawn from `data`: key, name (in full) and product_id, one row a product, in key
    order."""
    keys = product_keys(data, x, x_order)
    names = data.drop_duplicates("product_id").set_index("product_id")["name"]
    return pd.DataFrame({"key": keys.to_numpy(), "name": names.reindex(keys.index).astype("str").to_numpy(),
                         "product_id": keys.index.astype("str")}).astype("str")


def key_lines(key: pd.DataFrame, per_line: int = 5) -> tuple[str, ...]:
    """The key as sentences for a deck or report: "A: Linen wrap dress (p1) · B: Straw bag (p2) · ...", `per_line`
    products a sentence."""
    entries = [f"{row['key']}: {row['name']}" + (f" ({row['product_id']})" if row["name"] != row["product_id"] else "")
               for row in key.to_dict("records")]
    return tuple(" · ".join(entries[start:start + per_line]) for start in range(0, len(entries), per_line))


def lane_tags(names: Sequence[str], limit: int = LANE_TAG_LENGTH) -> dict[str, str]:
    """A short tag for each lane name, "A · Sporty sho…", lettered in order (the history page's
    "A · ..." labels, already lettered, are only shortened)."""
    tags = {}
    for letter, name in zip(ascii_uppercase, names, strict=False):
        name = str(name)
        lettered = len(name) > 4 and name[0] in ascii_uppercase and name[1:4] == " · "
        tags[name] = short_name(name, limit + 4) if lettered else f"{letter} · {short_name(name, limit)}"
    return tags


def lane_lines(names: Sequence[str], width: int) -> dict[str, list[str]]:
    """Each lane's (or step's) name wrapped onto at most `LANE_LINES` lines of `width` characters (the last line
    shortened only past that); a word longer than `width` keeps a line of its own, whole."""
    wrapped = {}
    for name in names:
        lines = textwrap.wrap(str(name), width, break_on_hyphens=False, break_long_words=False) or [str(name)]
        if len(lines) > LANE_LINES:
            lines = [*lines[:LANE_LINES - 1], short_name(" ".join(lines[LANE_LINES - 1:]), width)]
        wrapped[str(name)] = lines
    return wrapped
