"""Helpers of the history page's tests (its fixtures, `studio`, `catalog` and `store`, are in conftest.py)."""

from __future__ import annotations

from datetime import datetime, timezone

from streamlit.testing.v1 import AppTest

from fashionai.history import Snapshot
from tests.history_helpers import snap as history_snap

PAGE = "pages/history.py"
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def open_history(at: AppTest, **query) -> AppTest:
    """Open the history page, as a link with `query` would (AppTest starts on the default page)."""
    at.run()
    at.query_params.update(query)
    return at.switch_page(PAGE).run()


def uploader(at: AppTest):
    [found] = [element for element in at.get("file_uploader") if element.key == "history_import"]
    return found


def snap(catalog, **changes) -> Snapshot:
    """A categoryView snapshot of the catalog's first category (its first 12 products, reversed), at NOW."""
    category = catalog.categories[0]
    values = dict(recorded_at=NOW, item_id=category, products=tuple(catalog.category_ids(category)[:12][::-1]),
                  elapsed=0.02)
    return history_snap(**(values | changes))


def texts(at: AppTest, kind: str) -> str:
    return "\n".join(str(element.value) for element in at.get(kind))
