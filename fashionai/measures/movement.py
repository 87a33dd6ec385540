"""How each product moved since the list before: the badges a storefront card wears (↑3, ↓2, new).

    moves = movements(current_ids, previous_ids)   # {"p7": Move("up", 3), "p9": Move("new"), ...}
    moves["p7"].label                              # "↑3"

The walk and the storefront preview compare a category's answer with this session's
previous visit of the category, or, on a first visit, with the store's own order.
A product in both lists moved up, down or stayed; one absent from the list before is new.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from fashionai.measures.ranking import Rankings

__all__ = ["DOWN", "MOVE_WORDS", "NEW", "SAME", "UP", "Move", "movements"]

UP, DOWN, NEW, SAME = "up", "down", "new", "same"

MOVE_WORDS = {
    UP: "moved up {steps} since {against}",
    DOWN: "moved down {steps} since {against}",
    NEW: "not in {against}",
    SAME: "in the same place as in {against}",
}
"""A card's tooltip for its badge: `{steps}` places, `{against}` names the list before."""


class Move(NamedTuple):
    """One product's move: `change` (UP, DOWN, NEW, SAME) and by how many places (0 for NEW, SAME)."""

    change: str
    steps: int = 0

    @property
    def label(self) -> str:
        """The badge: ``↑3``, ``↓2``, ``new``, ``=``."""
        return {UP: f"↑{self.steps}", DOWN: f"↓{self.steps}", NEW: "new"}.get(self.change, "=")

    def words(self, against: str) -> str:
        """The badge in words, e.g. "moved up 3 places since the previous visit"."""
        places = f"{self.steps} place" + ("" if self.steps == 1 else "s")
        return MOVE_WORDS[self.change].format(steps=places, against=against)


def movements(current: Sequence[str], previous: Sequence[str]) -> dict[str, Move]:
    """Each product of `current` (ids best first) with its move from `previous`; a repeated id
    counts at its first place. Products only in `previous` are not listed."""
    changes = Rankings({"before": previous, "now": current}).changes("before", "now")
    changes = changes[changes["change"] != "dropped"]
    moves: dict[str, Move] = {}
    for product_id, change, delta in zip(changes["product_id"], changes["change"], changes["delta"], strict=True):
        steps = 0 if change in (NEW, SAME) else abs(int(delta))
        moves[str(product_id)] = Move(str(change), steps)
    return moves
