"""The README's Layout names every module of fashionai/ once, under its room, with its job (and nothing that is
not there): where a change goes is read from that list."""

from __future__ import annotations

import re
from collections import Counter

from tests import ROOT


def _layout_entries() -> Counter:
    """(room, module) for each module the Layout's tree names ("" for the top of fashionai/)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Layout")
    block = text[text.index("```", start) + 3:text.index("```", text.index("```", start) + 3)]
    entries: Counter = Counter()
    room = None
    for line in block.splitlines():
        if match := re.match(r"^  (\S+)/\s", line):
            room = match.group(1)
        elif match := re.match(r"^  (\S+\.py)\s", line):
            entries["", match.group(1)] += 1
            room = None
        elif room and (match := re.match(r"^    (\S+\.py)[;:]?\s", line)):
            entries[room, match.group(1)] += 1
            entries.update((room, name) for name in re.findall(r";\s*(\w+\.py):", line))
    return entries


def test_the_layout_names_every_module_once():
    modules = {("", path.name) if path.parent.name == "fashionai" else (path.parent.name, path.name)
               for path in (ROOT / "fashionai").glob("**/*.py")
               if len(path.relative_to(ROOT / "fashionai").parts) == 1
               or (len(path.relative_to(ROOT / "fashionai").parts) == 2 and path.name != "__init__.py")}
    entries = _layout_entries()
    assert sorted(modules - set(entries)) == [], "modules the README's Layout does not name"
    assert sorted(set(entries) - modules) == [], "names in the README's Layout that are not modules"
    assert [entry for entry, count in entries.items() if count > 1] == []
