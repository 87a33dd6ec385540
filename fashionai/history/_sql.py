"""The history's table and its SQL, the same for SQLite and PostgreSQL (SQLAlchemy Core).

The table (`snapshots_table`), a snapshot as a row and back, the conditions a `Filters`
makes, the summaries' statement (the first ids read off the start of the stored list,
not the whole list), creating the schema. The store (`fashionai.history.store`) runs them,
on the engines of `fashionai.database`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from fashionai.database import naive_utc, naive_utc_now
from fashionai.history.model import FIRST_PRODUCTS, Filters, Snapshot, SnapshotSummary

metadata = sa.MetaData()
snapshots_table = sa.Table(
    "fashionai_snapshots",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("recorded_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("backend", sa.String(16), nullable=False),
    sa.Column("endpoint", sa.Text, nullable=False),
    sa.Column("event_type", sa.String(32), nullable=False),
    sa.Column("session_id", sa.Text),
    sa.Column("user_id", sa.Text),
    sa.Column("item_id", sa.Text),
    sa.Column("products", sa.Text, nullable=False),  # a JSON array of ids, best first
    sa.Column("product_count", sa.Integer, nullable=False),
    sa.Column("elapsed", sa.Float, nullable=False),  # seconds
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("status_code", sa.Integer),
    sa.Column("error", sa.String(100)),
    sa.Index("ix_fashionai_snapshots_recorded_at", "recorded_at"),
    sa.Index("ix_fashionai_snapshots_session", "session_id", "recorded_at"),
    sa.Index("ix_fashionai_snapshots_item", "item_id", "recorded_at"),
)
names_table = sa.Table(
    "fashionai_snapshot_names",  # a table of its own: the snapshots' table is never altered
    metadata,
    sa.Column("snapshot_id", sa.String(32), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("named_at", sa.DateTime(timezone=False), nullable=False),  # UTC
)
totals_table = sa.Table(
    "fashionai_search_totals",  # a site search's totals, beside its snapshot: the snapshots' table is never altered
    metadata,
    sa.Column("snapshot_id", sa.String(32), primary_key=True),
    sa.Column("total_items", sa.Integer, nullable=False),
    sa.Column("total_pages", sa.Integer, nullable=False),
)
_TOTALS = totals_table.c
slices_table = sa.Table(
    "fashionai_collection_slices",  # a collection answer's slice, beside its snapshot (answers saved before: none)
    metadata,
    sa.Column("snapshot_id", sa.String(32), primary_key=True),
    sa.Column("slice_id", sa.Text, nullable=False),
    sa.Column("slice_name", sa.Text, nullable=False),
    sa.Column("inactive", sa.Text, nullable=False),  # a JSON array of the slice's inactive product ids
)
_SLICES = slices_table.c
owners_table = sa.Table(
    "fashionai_snapshot_owners",  # a table of its own too: who made each snapshot (issue 23)
    metadata,
    sa.Column("snapshot_id", sa.String(32), primary_key=True),
    sa.Column("owner", sa.String(320), nullable=False),  # the person's e-mail; "local" without sign-in
    sa.Index("ix_fashionai_snapshot_owners_owner", "owner", "snapshot_id"),
)
_T = snapshots_table.c
_O = owners_table.c
NEWEST_FIRST = (_T.recorded_at.desc(), _T.id.desc())
"""The history's order: newest first, ties broken by id."""
MAX_GET = 100
"""Snapshot ids looked up in one query (an IN list the database takes comfortably)."""
FILTER_COLUMNS = ("session_id", "user_id", "item_id", "event_type", "backend")
"""The columns `Filters` matches exactly, and `HistoryStore.distinct` lists."""


def snapshot_row(snapshot: Snapshot) -> dict[str, Any]:
    """The table's row for `snapshot` (its ids as a JSON array)."""
    return {
        "id": snapshot.id,
        "recorded_at": naive_utc(snapshot.recorded_at),
        "backend": snapshot.backend,
        "endpoint": snapshot.endpoint,
        "event_type": snapshot.event_type,
        "session_id": snapshot.session_id,
        "user_id": snapshot.user_id,
        "item_id": snapshot.item_id,
        "products": json.dumps(list(snapshot.products), ensure_ascii=False, separators=(",", ":")),
        "product_count": len(snapshot.products),
        "elapsed": snapshot.elapsed,
        "attempts": snapshot.attempts,
        "status_code": snapshot.status_code,
        "error": snapshot.error,
    }


def totals_rows(snapshots: Iterable[Snapshot]) -> list[dict[str, Any]]:
    """The totals' table rows of those of `snapshots` that have totals (site searches)."""
    return [{"snapshot_id": s.id, "total_items": s.total_items, "total_pages": s.total_pages}
            for s in snapshots if s.total_items is not None and s.total_pages is not None]


def slice_rows(snapshots: Iterable[Snapshot]) -> list[dict[str, Any]]:
    """The slices' table rows of those of `snapshots` that keep a collection's slice."""
    return [{"snapshot_id": s.id, "slice_id": s.slice_id, "slice_name": s.slice_name,
             "inactive": json.dumps(list(s.inactive or ()), ensure_ascii=False, separators=(",", ":"))}
            for s in snapshots if s.slice_id is not None]


def insert_snapshots(conn: sa.Connection, snapshots: list[Snapshot]) -> None:
    """Insert the snapshots, and the totals and slices of those that have them, in `conn`'s transaction."""
    conn.execute(sa.insert(snapshots_table), [snapshot_row(s) for s in snapshots])
    if totals := totals_rows(snapshots):
        conn.execute(sa.insert(totals_table), totals)
    if slices := slice_rows(snapshots):
        conn.execute(sa.insert(slices_table), slices)


def snapshot_select(*, totals: bool = True, slices: bool = True) -> sa.Select:
    """A SELECT of whole snapshots (to add WHERE and ORDER to), with a search's totals unless `totals` is False
    and a collection's slice unless `slices` is False (a read-only history made before them has no such table)."""
    columns: list[Any] = [snapshots_table]
    joined: sa.FromClause = snapshots_table
    if totals:
        columns += [_TOTALS.total_items, _TOTALS.total_pages]
        joined = joined.outerjoin(totals_table, _TOTALS.snapshot_id == _T.id)
    if slices:
        columns += [_SLICES.slice_id, _SLICES.slice_name, _SLICES.inactive]
        joined = joined.outerjoin(slices_table, _SLICES.snapshot_id == _T.id)
    return sa.select(*columns).select_from(joined)


def row_snapshot(row: sa.Row) -> Snapshot:
    """The snapshot a whole row of the table holds."""
    values = row._asdict()
    values.pop("product_count", None)
    values["products"] = tuple(json.loads(values["products"]))
    if values.get("inactive") is not None:
        values["inactive"] = tuple(json.loads(values["inactive"]))
    return Snapshot(**values)


def batches(ids: list[str]) -> Iterator[list[str]]:
    """`ids` in lists of at most MAX_GET, one query each."""
    return (ids[start:start + MAX_GET] for start in range(0, len(ids), MAX_GET))


def conditions(filters: Filters) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions that select what `filters` asks for."""
    where = []
    for name in FILTER_COLUMNS:
        value = getattr(filters, name)
        if value is not None:
            where.append(snapshots_table.c[name] == value)
    if filters.since is not None:
        where.append(_T.recorded_at >= naive_utc(filters.since))
    if filters.until is not None:
        where.append(_T.recorded_at < naive_utc(filters.until))
    if filters.ok is not None:
        where.append(_T.error.is_(None) if filters.ok else _T.error.is_not(None))
    if filters.owner is not None:
        where.append(_T.id.in_(sa.select(_O.snapshot_id).where(_O.owner == filters.owner)))
    return where


# --------------------------------------------------------------------------- summaries


_HEAD_CHARS = 4_000
"""Characters of the stored id list a summary reads: enough for the first ids, unless they are very long."""
_SUMMARY_COLUMNS = [column for column in snapshots_table.c if column.name != "products"]
_DECODER = json.JSONDecoder()


def summary_select(*, totals: bool = True) -> sa.Select:
    """A SELECT of summaries: every column but the ids, the start of the id list and, unless `totals` is False,
    a search's totals (to add WHERE and ORDER to)."""
    head = sa.func.substr(_T.products, 1, _HEAD_CHARS).label("products_head")
    if not totals:
        return sa.select(*_SUMMARY_COLUMNS, head)
    return sa.select(*_SUMMARY_COLUMNS, _TOTALS.total_items, _TOTALS.total_pages, head).select_from(
        snapshots_table.outerjoin(totals_table, _TOTALS.snapshot_id == _T.id))


def read_summaries(conn: sa.Connection, statement: sa.Select) -> list[SnapshotSummary]:
    """The summaries `statement` (a `summary_select`) selects; whole id lists are read only where
    the first ids are longer than the start read."""
    rows = conn.execute(statement).all()
    firsts = [first_ids(row.products_head, min(FIRST_PRODUCTS, row.product_count)) for row in rows]
    cut = [row.id for row, first in zip(rows, firsts, strict=True) if first is None]  # first ids longer than the head
    whole = {row.id: row.products for row in
             conn.execute(sa.select(_T.id, _T.products).where(_T.id.in_(cut)))} if cut else {}
    return [_summary(row, first if first is not None else tuple(json.loads(whole[row.id])[:FIRST_PRODUCTS]))
            for row, first in zip(rows, firsts, strict=True)]


def _summary(row: sa.Row, first: tuple[str, ...]) -> SnapshotSummary:
    values = row._asdict()
    values.pop("products_head", None)
    return SnapshotSummary(**values, first_products=first)


def first_ids(head: str, count: int) -> tuple[str, ...] | None:
    """The first `count` ids of a JSON array of ids cut anywhere (`head`); None if it holds fewer whole."""
    ids: list[str] = []
    position = head.find("[") + 1
    try:
        while len(ids) < count:
            while head[position] in " \t\r\n,":
                position += 1
            value, position = _DECODER.raw_decode(head, position)
            ids.append(str(value))
    except (IndexError, ValueError):  # the cut came first
        return None
    return tuple(ids)


# --------------------------------------------------------------------------- the database


def create_schema(engine: sa.Engine) -> None:
    """The tables and indexes, unless they exist (safe when another server creates them at once): a history
    made before snapshots had names (or owners) gets their table beside its snapshots, which stay as they are."""
    with engine.begin() as conn:
        conn.execute(sa.schema.CreateTable(snapshots_table, if_not_exists=True))
        for index in snapshots_table.indexes:
            conn.execute(sa.schema.CreateIndex(index, if_not_exists=True))
        conn.execute(sa.schema.CreateTable(names_table, if_not_exists=True))
        conn.execute(sa.schema.CreateTable(totals_table, if_not_exists=True))
        conn.execute(sa.schema.CreateTable(slices_table, if_not_exists=True))
        conn.execute(sa.schema.CreateTable(owners_table, if_not_exists=True))
        for index in owners_table.indexes:
            conn.execute(sa.schema.CreateIndex(index, if_not_exists=True))


# --------------------------------------------------------------------------- writing many, and names


def insert_new(engine: sa.Engine, snapshots: list[Snapshot], max_count: int | None) -> tuple[int, int]:
    """Insert the snapshots whose ids are not stored yet, as many as `max_count` leaves room for
    (the newest first): (how many were added, how many had no room). Reads, then writes in a
    transaction of its own (so a SQLite writer never holds a stale read)."""
    present: set[str] = set()
    with engine.connect() as conn:
        for start in range(0, len(snapshots), 500):
            ids = [s.id for s in snapshots[start:start + 500]]
            present.update(conn.execute(sa.select(_T.id).where(_T.id.in_(ids))).scalars())
        stored = (int(conn.execute(sa.select(sa.func.count()).select_from(snapshots_table)).scalar_one())
                  if max_count is not None else 0)
    new = [s for s in snapshots if s.id not in present]
    over_limit = 0
    if max_count is not None and len(new) > max_count - stored:
        room = max(0, max_count - stored)
        new = sorted(new, key=lambda s: (s.recorded_at, s.id), reverse=True)
        new, over_limit = new[:room], len(new) - room
    if not new:
        return 0, over_limit
    try:
        with engine.begin() as conn:
            insert_snapshots(conn, new)
        return len(new), over_limit
    except sa.exc.IntegrityError:  # another import added some meanwhile: one at a time
        added = 0
        for snapshot in new:
            try:
                with engine.begin() as conn:
                    insert_snapshots(conn, [snapshot])
                added += 1
            except sa.exc.IntegrityError:
                pass
        return added, over_limit


def write_names(engine: sa.Engine, names: dict[str, str]) -> None:
    """Set these snapshots' names (cleaned already; "" takes one away), in one transaction: delete, then
    insert, the same on SQLite and PostgreSQL."""
    now = naive_utc_now()
    ids = list(names)
    with engine.begin() as conn:
        for batch in batches(ids):
            conn.execute(sa.delete(names_table).where(names_table.c.snapshot_id.in_(batch)))
        rows = [{"snapshot_id": i, "name": name, "named_at": now} for i, name in names.items() if name]
        if rows:
            conn.execute(sa.insert(names_table), rows)


def read_names(engine: sa.Engine, ids: Iterable[str]) -> dict[str, str]:
    """Snapshot id -> name, for those of `ids` that have one."""
    return _by_snapshot(engine, names_table.c.name, ids)


def _by_snapshot(engine: sa.Engine, column: sa.Column, ids: Iterable[str]) -> dict[str, str]:
    """Snapshot id -> `column`'s value (of a table keyed by snapshot_id), for those of `ids` that have a row."""
    key = column.table.c.snapshot_id
    wanted = list(dict.fromkeys(str(i) for i in ids))
    found: dict[str, str] = {}
    with engine.connect() as conn:
        for batch in batches(wanted):
            found |= {str(i): str(value) for i, value in conn.execute(sa.select(key, column).where(key.in_(batch)))}
    return found


def drop_orphan_names(engine: sa.Engine) -> None:
    """Forget the names, owners, a search's totals and a collection's slice of snapshots no longer in the history (retention removed them)."""
    with engine.begin() as conn:
        conn.execute(sa.delete(names_table).where(names_table.c.snapshot_id.not_in(sa.select(_T.id))))
        conn.execute(sa.delete(owners_table).where(_O.snapshot_id.not_in(sa.select(_T.id))))
        conn.execute(sa.delete(totals_table).where(_TOTALS.snapshot_id.not_in(sa.select(_T.id))))
        conn.execute(sa.delete(slices_table).where(_SLICES.snapshot_id.not_in(sa.select(_T.id))))


def delete_snapshots(engine: sa.Engine, ids: Iterable[str]) -> int:
    """Delete these snapshots, with their names, owners, search totals and slices, in one transaction; how many were there."""
    wanted = list(dict.fromkeys(str(i) for i in ids))
    deleted = 0
    with engine.begin() as conn:
        for batch in batches(wanted):
            conn.execute(sa.delete(names_table).where(names_table.c.snapshot_id.in_(batch)))
            conn.execute(sa.delete(owners_table).where(_O.snapshot_id.in_(batch)))
            conn.execute(sa.delete(totals_table).where(_TOTALS.snapshot_id.in_(batch)))
            conn.execute(sa.delete(slices_table).where(_SLICES.snapshot_id.in_(batch)))
            deleted += conn.execute(sa.delete(snapshots_table).where(_T.id.in_(batch))).rowcount
    return deleted


def owner_rows(ids: Iterable[str], owner: str | None) -> list[dict[str, str]]:
    """The owners' table's rows saying `owner` made these snapshots (none without an owner)."""
    owner = str(owner or "").strip().lower()
    return [{"snapshot_id": str(i), "owner": owner} for i in ids] if owner else []


def read_owners(engine: sa.Engine, ids: Iterable[str]) -> dict[str, str]:
    """Snapshot id -> who made it (an e-mail, "local"), for those of `ids` whose maker was recorded."""
    return _by_snapshot(engine, _O.owner, ids)
