"""Helpers of the history page's tests (its fixtures, `studio`, `catalog` and `store`, are in conftest.py)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from streamlit.testing.v1 import AppTest

from fashionai.history import Snapshot

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
    category = catalog.categories[0]
    values = dict(id=uuid.uuid4().hex, recorded_at=NOW, backend="simulator",
                  endpoint="http://simulator.local/api/v1/products/protected/recommendation",
                  event_type="categoryView", session_id="sess-1", user_id=None, item_id=category,
                  products=tuple(catalog.category_ids(category)[:12][::-1]), elapsed=0.02)
    return Snapshot(**(values | changes))


def texts(at: AppTest, kind: str) -> str:
    return "\n".join(str(element.value) for element in at.get(kind))
