"""Snapshots as a JSON file, to pass a history on: the export, and the import's checks.

    text = snapshots_to_json(store.query(Filters(session_id="sess-1")))
    snapshots_from_json(text)   # every field checked; HistoryImportError names what is wrong and where

An export is ``{"format", "version", "exported_at", "snapshots": [...]}`` in UTF-8 JSON.
`snapshots_from_json` checks a file completely before returning anything, so an import of
a bad file changes nothing. The checks take whatever the studio records (any text, any
length: the file's size is the bound) and refuse wrong structure. What an import keeps of
the checked snapshots (none already there, too old or beyond the history's limits) is
the store's part: `HistoryStore.import_json`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from fashionai.api.collections import NO_ACTIVE_SLICE
from fashionai.domain import SNAPSHOT_ID, Backend, EventType
from fashionai.history.model import HistoryImportError, Snapshot, clean_name, utc

EXPORT_FORMAT = "fashionai-studio/snapshots"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 50_000_000
MAX_IMPORT_SNAPSHOTS = 100_000
MAX_PRODUCTS = 1_000_000
"""Ranked ids an imported snapshot may hold: a category answer can hold a whole large category."""

_ERROR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


def snapshot_to_dict(snapshot: Snapshot) -> dict[str, Any]:
    """One snapshot as the export file holds it (times in UTC, ending with Z)."""
    return {
        "id": snapshot.id,
        "recorded_at": snapshot.recorded_at.isoformat().replace("+00:00", "Z"),
        "backend": snapshot.backend,
        "endpoint": snapshot.endpoint,
        "event_type": snapshot.event_type,
        "session_id": snapshot.session_id,
        "user_id": snapshot.user_id,
        "item_id": snapshot.item_id,
        "products": list(snapshot.products),
        "elapsed": snapshot.elapsed,
        "attempts": snapshot.attempts,
        "status_code": snapshot.status_code,
        "error": snapshot.error,
        **({} if snapshot.total_items is None else {"total_items": snapshot.total_items,
                                                    "total_pages": snapshot.total_pages}),
        **({} if snapshot.slice_id is None else {"slice": {"id": snapshot.slice_id, "name": snapshot.slice_name,
                                                           "inactive": list(snapshot.inactive or ())}}),
    }


def snapshots_to_json(snapshots: Iterable[Snapshot], *, exported_at: datetime | None = None,
                      names: Mapping[str, str] | None = None) -> str:
    """An export file: ``{"format", "version", "exported_at", "snapshots": [...]}``, UTF-8 JSON, and
    ``"names": {id: name}`` for those of the snapshots that have a name (a studio before names ignores it)."""
    snapshots = list(snapshots)
    payload: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utc(exported_at or datetime.now(timezone.utc)).isoformat().replace("+00:00", "Z"),
        "snapshots": [snapshot_to_dict(s) for s in snapshots],
    }
    named = {s.id: names[s.id] for s in snapshots if names and names.get(s.id)}
    if named:
        payload["names"] = named
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def snapshots_from_json(data: str | bytes) -> list[Snapshot]:
    """The snapshots of an export file, every field checked. Raises HistoryImportError."""
    return read_export(data)[0]


def read_export(data: str | bytes) -> tuple[list[Snapshot], dict[str, str]]:
    """The snapshots of an export file and their names (id -> name), every field checked. Raises
    HistoryImportError."""
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise HistoryImportError(f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise HistoryImportError("the file is not UTF-8 text: it is not a snapshot export") from err
    elif len(data) > MAX_IMPORT_BYTES:
        raise HistoryImportError(f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB")
    try:
        payload = json.loads(data)
    except (json.JSONDecodeError, RecursionError) as err:
        where = f" (line {err.lineno}, column {err.colno})" if isinstance(err, json.JSONDecodeError) else ""
        raise HistoryImportError(f"the file is not valid JSON{where}") from err
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise HistoryImportError(
            f'the file is not a snapshot export of the studio (it needs "format": "{EXPORT_FORMAT}")')
    version = payload.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise HistoryImportError('the file\'s "version" must be a whole number')
    if version > EXPORT_VERSION:
        raise HistoryImportError(
            f"the file was made by a newer version of the studio (format version {version}; this one reads "
            f"{EXPORT_VERSION}). Update the studio to import it")
    items = payload.get("snapshots")
    if not isinstance(items, list):
        raise HistoryImportError('the file has no "snapshots" list')
    if len(items) > MAX_IMPORT_SNAPSHOTS:
        raise HistoryImportError(f"the file holds {len(items):,} snapshots; at most {MAX_IMPORT_SNAPSHOTS:,} "
                                 "can be imported at once")
    snapshots, problems = [], []
    for number, item in enumerate(items, start=1):
        try:
            snapshots.append(_checked_snapshot(item))
        except HistoryImportError as err:
            problems.append(f"snapshot #{number}: {err}")
            if len(problems) == 5:
                break
    if problems:
        more = " (and maybe more)" if len(problems) == 5 else ""
        raise HistoryImportError("; ".join(problems) + more)
    return snapshots, _checked_names(payload.get("names"), {s.id for s in snapshots})


def _checked_names(names: object, ids: set[str]) -> dict[str, str]:
    """The file's snapshot names, of its own snapshots (others are left out)."""
    if names is None:
        return {}
    if not isinstance(names, dict):
        raise HistoryImportError('"names" must be an object of snapshot ids and their names')
    checked = {}
    for snapshot_id, name in names.items():
        if snapshot_id not in ids:
            continue
        try:
            if not isinstance(name, str) or not _is_text(name):
                raise ValueError("it is not text")
            checked[snapshot_id] = clean_name(name)
        except ValueError as err:
            raise HistoryImportError(f'the name of snapshot {snapshot_id} cannot be kept: {err}') from err
    return {i: name for i, name in checked.items() if name}


def _checked_snapshot(item: object) -> Snapshot:
    if not isinstance(item, dict):
        raise HistoryImportError("it is not an object")

    def text(name: str, *, optional: bool) -> str | None:
        """Any text the studio may have recorded (a tab, a non-breaking or zero-width space, any length)."""
        value = item.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise HistoryImportError(f'"{name}" must be text' + (" or null" if optional else ""))
        if not _is_text(value):
            raise HistoryImportError(f'"{name}" holds a character that is not text (a lone UTF-16 surrogate)')
        return value

    snapshot_id = text("id", optional=False) or ""
    if not SNAPSHOT_ID.match(snapshot_id):
        raise HistoryImportError('"id" must be 32 lowercase hexadecimal digits')
    try:
        moment = text("recorded_at", optional=False) or ""
        if len(moment) > 40:
            raise ValueError("too long for a time")
        recorded_at = datetime.fromisoformat(moment)
    except ValueError as err:
        raise HistoryImportError('"recorded_at" must be a time like "2026-04-17T10:30:00Z"') from err
    if recorded_at.tzinfo is None:
        raise HistoryImportError('"recorded_at" must say its time zone (end it with Z for UTC)')
    backend = item.get("backend")
    if backend not in tuple(Backend):
        raise HistoryImportError(f'"backend" must be one of {", ".join(Backend)}')
    event_type = item.get("event_type")
    if event_type not in tuple(EventType):
        raise HistoryImportError(f'"event_type" must be one of {", ".join(EventType)}')
    endpoint = text("endpoint", optional=False) or ""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        raise HistoryImportError('"endpoint" must be an http(s) address without a user name or password')
    products = item.get("products")
    if not isinstance(products, list) or len(products) > MAX_PRODUCTS:
        raise HistoryImportError(f'"products" must be a list of at most {MAX_PRODUCTS:,} product ids')
    for position, pid in enumerate(products, start=1):
        if not isinstance(pid, str) or not pid.strip() or not _is_text(pid):  # the client's own rule for an id
            raise HistoryImportError(f'product #{position} in "products" is not a product id (non-empty text)')
    elapsed = item.get("elapsed")
    if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)) or not (
            math.isfinite(elapsed) and 0 <= elapsed < 86_400):
        raise HistoryImportError('"elapsed" must be a number of seconds')
    attempts = item.get("attempts", 1)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not 1 <= attempts <= 100:
        raise HistoryImportError('"attempts" must be a whole number from 1 to 100')
    status = item.get("status_code")
    if status is not None and (isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599):
        raise HistoryImportError('"status_code" must be an HTTP status (100 to 599) or null')
    error = item.get("error")
    if error is not None and (not isinstance(error, str) or not _ERROR_NAME.match(error)):
        raise HistoryImportError('"error" must be an error class name such as "RateLimitError", or null')
    totals = [item.get(name) for name in ("total_items", "total_pages")]
    if totals != [None, None] and (event_type != EventType.SEARCH or any(
            isinstance(total, bool) or not isinstance(total, int) or total < 0 for total in totals)):
        raise HistoryImportError('"total_items" and "total_pages" belong to a search and must be whole numbers '
                                 "of at least 0, both or neither")
    slice_id, slice_name, inactive = _checked_slice(item.get("slice"), event_type, status)
    return Snapshot(
        id=snapshot_id,
        recorded_at=recorded_at,
        backend=backend,
        endpoint=endpoint,
        event_type=event_type,
        session_id=text("session_id", optional=True),
        user_id=text("user_id", optional=True),
        item_id=text("item_id", optional=True),
        products=tuple(products),
        elapsed=float(elapsed),
        attempts=attempts,
        status_code=status,
        error=error,
        total_items=totals[0],
        total_pages=totals[1],
        slice_id=slice_id,
        slice_name=slice_name,
        inactive=inactive,
    )


def _checked_slice(value: Any, event_type: str, status: int | None
                   ) -> tuple[str | None, str | None, tuple[str, ...] | None]:
    """A collection answer's slice as the file holds it (``{"id", "name", "inactive": [ids]}``): its id, name and
    inactive ids; (None, None, None) when the file has none (an export made before slices were kept)."""
    if value is None:
        return None, None, None
    if event_type != EventType.COLLECTION or status == NO_ACTIVE_SLICE:
        raise HistoryImportError('"slice" belongs to a collection answer that has a slice')
    if not isinstance(value, dict):
        raise HistoryImportError('"slice" must be an object with "id", "name" and "inactive"')
    slice_id, name, inactive = value.get("id"), value.get("name"), value.get("inactive")
    if not isinstance(slice_id, str) or not slice_id.strip() or not _is_text(slice_id):
        raise HistoryImportError('the "id" of "slice" must be a slice id (non-empty text)')
    if not isinstance(name, str) or not _is_text(name):
        raise HistoryImportError('the "name" of "slice" must be text')
    if not isinstance(inactive, list) or len(inactive) > MAX_PRODUCTS or any(
            not isinstance(pid, str) or not pid.strip() or not _is_text(pid) for pid in inactive):
        raise HistoryImportError('the "inactive" of "slice" must be a list of product ids (non-empty text)')
    return slice_id, name, tuple(inactive)


def _is_text(value: str) -> bool:
    """Whether `value` can be stored as text: UTF-8 holds it (a lone surrogate from a JSON escape it cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refuse_nul(snapshots: Iterable[Snapshot]) -> None:
    """PostgreSQL text cannot hold the NUL character: say which snapshot holds one, before adding any."""
    for snapshot in snapshots:
        texts = (snapshot.endpoint, snapshot.session_id, snapshot.user_id, snapshot.item_id, *snapshot.products,
                 snapshot.slice_id, snapshot.slice_name, *(snapshot.inactive or ()))
        if any(text and "\x00" in text for text in texts):
            raise HistoryImportError(
                f"snapshot {snapshot.id} holds the NUL character (\\u0000), which a PostgreSQL history cannot "
                "store (a SQLite history can)")
