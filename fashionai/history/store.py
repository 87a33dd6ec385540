"""Where the history is kept: `HistoryStore`, snapshots in SQLite or PostgreSQL, with their retention.

One code path (SQLAlchemy Core, the SQL in `fashionai.history._sql`) for the two stores:

- SQLite, the default: one file, created with its folder on first use, in WAL mode with
  a busy timeout, so the many browser sessions of one server (threads) write at once.
  Every write transaction starts with its write (reads happen before, apart), so a
  waiting writer never has to give up on a stale read.
- PostgreSQL, for a team with several app servers: ``postgresql://user:pw@host/db``
  (driven by psycopg 3; ``postgres://`` and ``postgresql+psycopg://`` work too).

Where it lives and what it keeps are settings (`fashionai.config.resolve_history_config`).

Retention: snapshots older than ``max_age_days`` (default 90) and beyond the newest
``max_count`` (default 100,000) are deleted when the store is first used and every
`RETENTION_EVERY` records after that; 0 means no limit. An admin's choice on the Team page, kept in the same
database (`fashionai.team.retention`), wins over these two (`HistoryStore.retention`). A snapshot dated more than
`FUTURE_TOLERANCE` ahead of the clock (a clock that was wrong) counts as the oldest, so
it can never push real snapshots out.

`HistoryStore.import_json` adds an export file's snapshots (`fashionai.history.transfer`
checks the file whole first) and never costs a snapshot already there.

A history that cannot be used raises `HistoryUnavailable`, whose message says why in
plain words (a damaged file, a read-only file, a folder that cannot be made, a database
that does not answer). A read-only SQLite file (or an address ending ``?mode=ro``) is
read, and saving is off (`HistoryStore.read_only`).

Times are UTC: stored without a zone, returned as aware datetimes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.engine import URL

from fashionai.config import DEFAULT_MAX_AGE_DAYS, DEFAULT_MAX_COUNT, HistoryError
from fashionai.database import naive_utc, says_read_only
from fashionai.history._database import HistoryDatabase, guarded
from fashionai.history._sql import (
    FILTER_COLUMNS,
    NEWEST_FIRST,
    batches,
    conditions,
    create_schema,
    delete_snapshots,
    drop_orphan_names,
    insert_new,
    insert_snapshots,
    owner_rows,
    owners_table,
    read_names,
    read_owners,
    read_summaries,
    row_snapshot,
    snapshot_select,
    slices_table,
    snapshots_table,
    summary_select,
    totals_table,
    write_names,
)
from fashionai.history.model import (
    FUTURE_TOLERANCE,
    READ_ONLY,
    Filters,
    HistoryUnavailable,
    ImportResult,
    Snapshot,
    SnapshotSummary,
    clean_name,
    utc,
)
from fashionai.history.transfer import MAX_IMPORT_SNAPSHOTS, read_export, refuse_nul, snapshots_to_json
from fashionai.team.retention import Retention, read_retention

log = logging.getLogger(__name__)

RETENTION_EVERY = 200
"""Records between two automatic retention runs (per process)."""
DEFAULT_LIMIT = 500
"""Snapshots `HistoryStore.query` and `summaries` return unless asked for another number."""

_T = snapshots_table.c


class HistoryStore(HistoryDatabase):
    """Snapshots in SQLite or PostgreSQL. Thread-safe: one store serves every browser session.

    Every method raises HistoryUnavailable when the database cannot be used; the store
    tries again on the next call (a database back up, a folder made again).
    """

    def __init__(
        self,
        url: str | URL,
        *,
        max_age_days: float | None = DEFAULT_MAX_AGE_DAYS,
        max_count: int | None = DEFAULT_MAX_COUNT,
        retention_every: int = RETENTION_EVERY,
    ) -> None:
        super().__init__(url)
        self.max_age_days = max_age_days or None
        self.max_count = max_count or None
        self._retention_every = max(1, retention_every)
        self._since_retention = 0
        self._totals = True  # a search's totals are read (a read-only history made before searches has none)
        self._slices = True  # a collection's slice is read (a read-only history made before slices has none)

    def __repr__(self) -> str:
        return f"HistoryStore({self.display_url!r})"

    @guarded
    def engine(self) -> sa.Engine:
        """The history's engine, its tables made, for a room that keeps its own tables in the same
        database (audits): the same file or server, the same connection settings."""
        self._ensure()
        return self._engine

    @guarded
    def retention(self) -> Retention:
        """What the history keeps now: the team's choice (Team page) where an admin made one, else the store's own
        limits (the deployment's settings)."""
        self._ensure(retention=False)
        return read_retention(self._engine, Retention(self.max_age_days, self.max_count))

    # --- writing

    @guarded
    def record(self, snapshot: Snapshot, *, also: Callable[[sa.Connection], None] | None = None,
               owner: str | None = None) -> Snapshot:
        """Save one snapshot (its own short transaction); now and then apply the retention.

        `owner`: who made it (the person's e-mail; "local" without sign-in), kept beside it. `also`, if given,
        runs in the same transaction after the snapshot's insert (a room keeping its own rows beside it, such
        as an audit's link to the snapshot)."""
        self._ensure()
        self._refuse_if_read_only()
        with self._engine.begin() as conn:
            insert_snapshots(conn, [snapshot])
            if rows := owner_rows([snapshot.id], owner):
                conn.execute(sa.insert(owners_table), rows)
            if also is not None:
                also(conn)
        with self._lock:
            self._since_retention += 1
            due = self._since_retention >= self._retention_every
            if due:
                self._since_retention = 0
        if due:
            self.apply_retention()
        return snapshot

    @guarded
    def apply_retention(
        self, max_age_days: float | None = None, max_count: int | None = None, *, now: datetime | None = None
    ) -> int:
        """Delete snapshots older than max_age_days and beyond the newest max_count; return how many.

        Without arguments the history's `retention` applies (the team's, else the store's own limits); 0 or None
        means no limit. A
        snapshot dated beyond FUTURE_TOLERANCE ahead of `now` (a clock that was wrong)
        counts as the oldest: it goes before any snapshot with a possible time.
        """
        self._ensure(retention=False)
        if self.read_only:
            return 0
        kept_days, kept_count = self.retention().limits() if max_age_days is None or max_count is None else (0, 0)
        max_age_days = kept_days if max_age_days is None else (max_age_days or None)
        max_count = kept_count if max_count is None else (max_count or None)
        now_naive = naive_utc(now or datetime.now(timezone.utc))
        deleted = 0
        if max_age_days is not None:
            cutoff = now_naive - timedelta(days=max_age_days)
            with self._engine.begin() as conn:
                deleted += conn.execute(sa.delete(snapshots_table).where(_T.recorded_at < cutoff)).rowcount
        if max_count is not None:
            impossible = sa.case((_T.recorded_at > now_naive + FUTURE_TOLERANCE, 1), else_=0)
            beyond = sa.select(_T.id).order_by(impossible, *NEWEST_FIRST).offset(int(max_count))
            with self._engine.begin() as conn:  # one statement: safe against concurrent writers
                deleted += conn.execute(sa.delete(snapshots_table).where(_T.id.in_(beyond))).rowcount
        if deleted:
            drop_orphan_names(self._engine)  # the names of snapshots gone go with them
            log.info("History retention removed %d snapshots from %s", deleted, self.display_url)
        return deleted

    @guarded
    def delete(self, ids: Iterable[str]) -> int:
        """Delete these snapshots (with their names and owners); how many the history held. An audit run that
        linked one counts it among its missing answers, as when the retention drops it."""
        self._ensure()
        self._refuse_if_read_only()
        return delete_snapshots(self._engine, ids)

    @guarded
    def set_name(self, snapshot_id: str, name: str | None) -> str:
        """Give a snapshot a name ("before the winter campaign"), or take it away (blank); the name kept.
        ValueError for a name too long; HistoryUnavailable when the history cannot be written."""
        text = clean_name(name)
        self._ensure()
        self._refuse_if_read_only()
        write_names(self._engine, {str(snapshot_id): text})
        return text

    @guarded
    def import_json(self, data: str | bytes, *, now: datetime | None = None, owner: str | None = None) -> ImportResult:
        """Add the snapshots of an export file; all are checked before any is added.

        Never costs a snapshot already there. Left out and counted: snapshots already in
        the history (same id), older than it keeps, dated beyond FUTURE_TOLERANCE ahead of
        this server's clock, and those beyond its retention's count (the newest that fit are added).
        The file's snapshot names are kept for its snapshots that have none here.
        The snapshots added are `owner`'s (who imported them), when given.
        Raises HistoryImportError for a bad file, HistoryUnavailable when it cannot be saved.
        """
        incoming, names = read_export(data)
        self._ensure()
        self._refuse_if_read_only()
        now = utc(now or datetime.now(timezone.utc))
        possible = [s for s in incoming if s.recorded_at <= now + FUTURE_TOLERANCE]
        in_future, incoming = len(incoming) - len(possible), possible
        too_old = 0
        kept_days, kept_count = self.retention().limits()
        if kept_days is not None:
            cutoff = now - timedelta(days=kept_days)
            kept = [s for s in incoming if s.recorded_at >= cutoff]
            too_old, incoming = len(incoming) - len(kept), kept
        unique: dict[str, Snapshot] = {}
        for snapshot in incoming:
            unique.setdefault(snapshot.id, snapshot)
        if self.dialect == "postgresql":
            refuse_nul(list(unique.values()))
        there = {summary.id for summary in self.get_summaries(unique)} if owner else set()
        added, over_limit = insert_new(self._engine, list(unique.values()), kept_count)
        if owner and added:  # the importer made the snapshots new here (those that fit)
            new = [s.id for s in self.get_summaries(i for i in unique if i not in there)]
            with self._engine.begin() as conn:
                if rows := owner_rows(new, owner):
                    conn.execute(sa.insert(owners_table), rows)
        if names:  # the file's names, for those of its snapshots here that have none yet
            here = {s.id for s in self.get_summaries(names)}
            named = read_names(self._engine, here)
            write_names(self._engine, {i: name for i, name in names.items() if i in here and i not in named})
        return ImportResult(added=added, already_there=len(incoming) - added - over_limit, too_old=too_old,
                            in_future=in_future, over_limit=over_limit)

    # --- reading

    @guarded
    def query(self, filters: Filters | None = None, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> list[Snapshot]:
        """The snapshots that match, newest first."""
        self._ensure()
        statement = (snapshot_select(totals=self._totals, slices=self._slices).where(*conditions(filters or Filters()))
                     .order_by(*NEWEST_FIRST).limit(max(0, int(limit))).offset(max(0, int(offset))))
        with self._engine.connect() as conn:
            return [row_snapshot(row) for row in conn.execute(statement)]

    @guarded
    def summaries(self, filters: Filters | None = None, *, limit: int = DEFAULT_LIMIT,
                  offset: int = 0) -> list[SnapshotSummary]:
        """What `query` returns, as summaries: the ranked ids are not read (their count and the first few)."""
        self._ensure()
        statement = (summary_select(totals=self._totals).where(*conditions(filters or Filters()))
                     .order_by(*NEWEST_FIRST).limit(max(0, int(limit))).offset(max(0, int(offset))))
        return self._summaries(statement)

    @guarded
    def get_summaries(self, ids: Iterable[str]) -> list[SnapshotSummary]:
        """What `get` returns, as summaries: the ranked ids are not read (their count and the first few)."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        if not wanted:
            return []
        self._ensure()
        found = {summary.id: summary for batch in batches(wanted)
                 for summary in self._summaries(summary_select(totals=self._totals).where(_T.id.in_(batch)))}
        return [found[i] for i in wanted if i in found]

    def _summaries(self, statement: sa.Select) -> list[SnapshotSummary]:
        with self._engine.connect() as conn:
            return read_summaries(conn, statement)

    @guarded
    def names(self, ids: Iterable[str]) -> dict[str, str]:
        """Snapshot id -> name, for those of `ids` that have one (a read-only history made before names: none)."""
        return self._read_later_table(read_names, ids)

    @guarded
    def owners(self, ids: Iterable[str]) -> dict[str, str]:
        """Snapshot id -> who made it (an e-mail, "local"), for those of `ids` whose maker was recorded (a
        read-only history made before owners: none)."""
        return self._read_later_table(read_owners, ids)

    def _read_later_table(self, read: Callable[[sa.Engine, Iterable[str]], dict[str, str]],
                          ids: Iterable[str]) -> dict[str, str]:
        """`read` of a table added since the first histories (names, owners), for `ids`: {} from a read-only file
        made before that table (it has none, and cannot be given one)."""
        self._ensure()
        try:
            return read(self._engine, ids)
        except sa.exc.OperationalError:
            if not self.read_only:
                raise
            return {}

    @guarded
    def count(self, filters: Filters | None = None) -> int:
        self._ensure()
        statement = sa.select(sa.func.count()).select_from(snapshots_table).where(*conditions(filters or Filters()))
        with self._engine.connect() as conn:
            return int(conn.execute(statement).scalar_one())

    @guarded
    def get(self, ids: Iterable[str]) -> list[Snapshot]:
        """The snapshots with these ids, in the order asked; ids not in the history are left out."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        if not wanted:
            return []
        self._ensure()
        found: dict[str, Snapshot] = {}
        with self._engine.connect() as conn:
            for batch in batches(wanted):
                found |= {row.id: row_snapshot(row) for row in
                          conn.execute(snapshot_select(totals=self._totals, slices=self._slices).where(_T.id.in_(batch)))}
        return [found[i] for i in wanted if i in found]

    @guarded
    def distinct(self, column: str, *, limit: int = 1000) -> list[str]:
        """The values of a filter column (FILTER_COLUMNS), most recently seen first."""
        if column not in FILTER_COLUMNS:
            raise ValueError(f"column must be one of {FILTER_COLUMNS}, not {column!r}")
        self._ensure()
        target = snapshots_table.c[column]
        statement = (sa.select(target).where(target.is_not(None)).group_by(target)
                     .order_by(sa.func.max(_T.recorded_at).desc(), target).limit(limit))
        with self._engine.connect() as conn:
            return [str(value) for value in conn.execute(statement).scalars()]

    def export_json(self, filters: Filters | None = None, *, ids: Iterable[str] | None = None,
                    limit: int = MAX_IMPORT_SNAPSHOTS) -> str:
        """The chosen snapshots (by ids, else by filters) as an export file."""
        chosen = self.get(ids) if ids is not None else self.query(filters, limit=limit)
        return snapshots_to_json(chosen, names=self.names(s.id for s in chosen))

    # --- plumbing

    def _ensure(self, *, retention: bool = True) -> None:
        """Create the file, folder and table on first use, then apply the retention once.

        A SQLite file that can only be read is opened read-only (`read_only`): nothing is created.
        """
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            if self.path is not None and not self._read_only_asked:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as err:
                    raise self._unavailable(err) from err
            if self.dialect == "sqlite" and self._read_only_asked:
                self._open_read_only()
            else:
                try:
                    create_schema(self._engine)
                except sa.exc.OperationalError as err:
                    if self.dialect == "sqlite" and says_read_only(err):
                        self._open_read_only()
                    else:  # another server created it at the same moment, or a real failure (said again)
                        create_schema(self._engine)
                except sa.exc.SQLAlchemyError:  # another server created it at the same moment
                    create_schema(self._engine)
            self._ready = True
        if retention and not self.read_only:
            try:
                self.apply_retention()
            except HistoryError as err:  # retention is housekeeping: never block a read or write
                log.warning("History retention failed on %s: %s", self.display_url, err)

    def _open_read_only(self) -> None:
        """Read the SQLite file without writing to it: SQLite's read-only mode, else (a WAL file in a
        folder where SQLite cannot make its shared-memory file) as an immutable file."""
        self._engine.dispose()
        for immutable in (False, True):
            engine = self._sqlite_engine(read_only=True, immutable=immutable)
            try:
                with engine.connect() as conn:
                    has_table = sa.inspect(conn).has_table(snapshots_table.name)
                    self._totals = sa.inspect(conn).has_table(totals_table.name)
                    self._slices = sa.inspect(conn).has_table(slices_table.name)
            except sa.exc.OperationalError as err:
                engine.dispose()
                if immutable or not (says_read_only(err) or "unable to open" in str(err).lower()):
                    raise
                continue
            self._engine, self.read_only = engine, True
            if not has_table:
                raise HistoryUnavailable(
                    f"The history file {self.path} can only be read, and it holds no history yet, so saving is "
                    "off. Make the file and its folder writable by the studio, or point FASHIONAI_HISTORY_URL "
                    "at a folder it can write to.", READ_ONLY)
            log.warning("The history %s is read-only: saving is off", self.display_url)
            return
