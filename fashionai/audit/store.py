"""Where audits are kept: plans, runs, their shoppers and calls, in the history's own database.

    store = AuditStore(history)                         # SQLite or PostgreSQL, the history's engine
    store.save_plan(plan); store.plans(); store.plan("Weekly")
    run = store.create_run(resolved, backend="simulator", catalog_fingerprint=..., catalog_name=...)
    store.record(run.id, call, snapshot)                # the answer into the history, linked to its run
    store.done_steps(run.id)                            # {shopper: calls done}, -1 the reference calls
    store.answers(run.id)                               # streamed, (shopper, step) order
    store.claim(run.id, owner)                          # this runner, alone, may run it (else RunTaken)

Four tables of their own beside the history's (created if missing): the plans by name,
the runs (an `AuditRun` a row), the shoppers of each run, and each run's calls, linked
to the snapshot that holds the answer. An answer itself is a history snapshot like any
other, so the history's retention may drop it: `answers` then skips it and
`missing_answers` counts it. A run's scorecard is stored with the run when it stops,
so it outlives its snapshots. Deleting a run keeps its snapshots in the history.

At most one runner runs a run, in any process on any server: it claims the run in one
conditional UPDATE (the run has no owner, or its owner's heartbeat is older than
HEARTBEAT_LIMIT), beats the heartbeat while it works and lets go when it stops. A
finished run stays finished. Columns added since a database was made are added to it.

Every database failure raises the history's `HistoryUnavailable`, in plain words.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from fashionai.audit.model import HEARTBEAT_LIMIT, Answer, AuditRun, Call, RunStatus
from fashionai.audit.plan import AuditPlan, PlanError, ResolvedPlan, plan_from_json, plan_to_json
from fashionai.database import add_missing_columns, create_tables, guard_database, naive_utc, naive_utc_now, utc
from fashionai.history import HistoryStore, Snapshot, snapshots_table, totals_table

PAGE = 1_000
"""Answers read in one query while streaming a run's answers."""
REFERENCE_KEY, REFERENCE_LABEL = "reference", "Best sellers (reference)"

metadata = sa.MetaData()
plans_table = sa.Table(
    "fashionai_audit_plans", metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("saved_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("plan_json", sa.Text, nullable=False),
    sa.Column("owner", sa.String(320)),  # who saved it last (a person's e-mail, "local"); added later
)
runs_table = sa.Table(
    "fashionai_audit_runs", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("plan_name", sa.String(200), nullable=False),
    sa.Column("plan_json", sa.Text, nullable=False),
    sa.Column("backend", sa.String(16), nullable=False),
    sa.Column("catalog_fingerprint", sa.String(128), nullable=False),
    sa.Column("catalog_name", sa.Text, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("updated_at", sa.DateTime(timezone=False), nullable=False),  # UTC
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("total_calls", sa.Integer, nullable=False),
    sa.Column("done_calls", sa.Integer, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("scorecard_json", sa.Text),
    sa.Column("owner", sa.String(300)),  # added later: see _add_missing_columns
    sa.Column("heartbeat", sa.DateTime(timezone=False)),  # UTC
    sa.Column("claimed_at", sa.DateTime(timezone=False)),  # UTC
    sa.Column("started_by", sa.String(320)),  # the person's e-mail ("local" without sign-in); None before 2026-12
    sa.Index("ix_fashionai_audit_runs_plan", "plan_name", "started_at"),
)
shoppers_table = sa.Table(
    "fashionai_audit_shoppers", metadata,
    sa.Column("run_id", sa.String(32), primary_key=True),
    sa.Column("idx", sa.Integer, primary_key=True),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("session_id", sa.Text),
    sa.Column("user_id", sa.Text),
    sa.Column("twin_of", sa.Text),
)
calls_table = sa.Table(
    "fashionai_audit_calls", metadata,
    sa.Column("run_id", sa.String(32), primary_key=True),
    sa.Column("shopper", sa.Integer, primary_key=True),  # -1: a reference call
    sa.Column("step", sa.Integer, primary_key=True),
    sa.Column("event_type", sa.String(32), nullable=False),
    sa.Column("item_id", sa.Text, nullable=False),
    sa.Column("category", sa.Text, nullable=False),
    sa.Column("purpose", sa.String(16), nullable=False),
    sa.Column("snapshot_id", sa.String(32), nullable=False),
)
_R, _S, _C, _H = runs_table.c, shoppers_table.c, calls_table.c, snapshots_table.c
_LATER_COLUMNS = {runs_table: ("owner", "heartbeat", "claimed_at", "started_by"), plans_table: ("owner",)}
"""Columns added after the tables were first made: a database made before gets them (nullable, empty)."""


class RunTaken(PlanError):
    """A run another runner holds (its heartbeat is alive), or one that is finished: said in plain words."""

    def __init__(self, run: AuditRun) -> None:
        self.run = run
        if run.status == RunStatus.DONE:
            super().__init__(f"The audit run {run.short_id} is finished: there is nothing left to resume.")
            return
        since = f" since {run.claimed_at:%Y-%m-%d %H:%M:%S} UTC" if run.claimed_at else ""
        beat = f"{run.heartbeat:%H:%M:%S} UTC" if run.heartbeat else "unknown"
        super().__init__(
            f"This run is already being run by {run.owner_words}{since} (last sign of life {beat}). "
            f"Watch it there; it can be resumed here once it has stopped (or gave no sign of life for "
            f"{HEARTBEAT_LIMIT:.0f} seconds).")


@dataclass(frozen=True)
class SavedPlan:
    """A plan as the store lists it."""

    name: str
    saved_at: datetime  # UTC
    plan: AuditPlan
    owner: str | None = None  # who saved it (a person's e-mail, "local"); None: saved before owners were kept


_now = naive_utc_now

_guarded = guard_database(lambda store, err: store.history.unavailable(err))
"""A method whose database failures become the plain-words error (the next use starts again)."""


def _run(row: sa.Row | dict[str, Any]) -> AuditRun:
    values = dict(row) if isinstance(row, dict) else row._asdict()
    values["started_at"], values["updated_at"] = utc(values["started_at"]), utc(values["updated_at"])
    for name in ("heartbeat", "claimed_at"):
        values[name] = utc(values[name]) if values.get(name) is not None else None
    return AuditRun(**values)


class AuditStore:
    """Audits kept beside the history, in its database. Thread-safe."""

    def __init__(self, history: HistoryStore) -> None:
        self.history = history
        self._lock = threading.Lock()
        self._ready = False

    def _engine(self) -> sa.Engine:
        engine = self.history.engine()
        if not self._ready:
            with self._lock:
                if not self._ready:
                    create_tables(engine, metadata)
                    _add_missing_columns(engine)
                    self._ready = True
        return engine

    # --- plans

    @_guarded
    def save_plan(self, plan: AuditPlan, *, owner: str | None = None) -> None:
        """Keep `plan` under its name (replacing a plan of that name), saved by `owner`."""
        with self._engine().begin() as conn:
            conn.execute(sa.delete(plans_table).where(plans_table.c.name == plan.name))
            conn.execute(sa.insert(plans_table), [{"name": plan.name, "saved_at": _now(),
                                                   "plan_json": plan_to_json(plan), "owner": owner or None}])

    @_guarded
    def plans(self) -> list[SavedPlan]:
        """The saved plans, by name (a plan that can no longer be read is left out)."""
        with self._engine().connect() as conn:
            rows = conn.execute(sa.select(plans_table).order_by(plans_table.c.name)).all()
        saved = []
        for row in rows:
            try:
                saved.append(SavedPlan(row.name, utc(row.saved_at), plan_from_json(row.plan_json), row.owner))
            except ValueError:
                continue
        return saved

    @_guarded
    def plan(self, name: str) -> AuditPlan | None:
        with self._engine().connect() as conn:
            text = conn.execute(sa.select(plans_table.c.plan_json).where(plans_table.c.name == name)).scalar()
        return None if text is None else plan_from_json(text)

    @_guarded
    def delete_plan(self, name: str) -> None:
        with self._engine().begin() as conn:
            conn.execute(sa.delete(plans_table).where(plans_table.c.name == name))

    # --- runs

    @_guarded
    def create_run(self, resolved: ResolvedPlan, *, backend: str, catalog_fingerprint: str,
                   catalog_name: str, owner: str | None = None, started_by: str | None = None) -> AuditRun:
        """A new run of `resolved` (its id is the resolved plan's), with its shoppers; status running,
        held by `owner` when given (as `claim` would); `started_by` is the person's e-mail."""
        now = _now()
        row = {"id": resolved.run_id, "plan_name": resolved.plan.name, "plan_json": plan_to_json(resolved.plan),
               "backend": str(backend), "catalog_fingerprint": str(catalog_fingerprint),
               "catalog_name": str(catalog_name or ""), "started_at": now, "updated_at": now,
               "status": RunStatus.RUNNING.value, "total_calls": resolved.total_calls, "done_calls": 0,
               "message": "", "scorecard_json": None, "owner": owner,
               "heartbeat": now if owner else None, "claimed_at": now if owner else None,
               "started_by": started_by}
        shoppers = [{"run_id": resolved.run_id, "idx": s.index, "key": s.key, "label": s.label,
                     "session_id": s.session_id, "user_id": s.user_id, "twin_of": s.twin_of}
                    for s in resolved.shoppers]
        with self._engine().begin() as conn:
            conn.execute(sa.insert(runs_table), [row])
            for start in range(0, len(shoppers), 500):
                conn.execute(sa.insert(shoppers_table), shoppers[start:start + 500])
        return _run(row)

    @_guarded
    def record(self, run_id: str, call: Call, snapshot: Snapshot, *, owner: str | None = None) -> bool:
        """Keep `snapshot` in the history (as `owner`'s: who started the run), linked to `call` of run `run_id`,
        and count it done, in one transaction; False (nothing kept) when that call of the run is already recorded."""
        engine = self._engine()
        key = (_C.run_id == run_id) & (_C.shopper == call.shopper) & (_C.step == call.step)
        with engine.connect() as conn:
            if conn.execute(sa.select(_C.snapshot_id).where(key)).first() is not None:
                return False

        def link(conn: sa.Connection) -> None:
            conn.execute(sa.insert(calls_table), [{
                "run_id": run_id, "shopper": call.shopper, "step": call.step, "event_type": str(call.event_type),
                "item_id": call.item_id, "category": call.category, "purpose": str(call.purpose),
                "snapshot_id": snapshot.id}])
            conn.execute(sa.update(runs_table).where(_R.id == run_id)
                         .values(done_calls=_R.done_calls + 1, updated_at=_now()))

        self.history.record(snapshot, also=link, owner=owner)
        return True

    @_guarded
    def done_steps(self, run_id: str) -> dict[int, int]:
        """Calls recorded so far, by shopper index (-1: the reference calls)."""
        statement = (sa.select(_C.shopper, sa.func.count()).where(_C.run_id == run_id).group_by(_C.shopper))
        with self._engine().connect() as conn:
            return {int(shopper): int(count) for shopper, count in conn.execute(statement)}

    @_guarded
    def claim(self, run_id: str, owner: str, *, now: datetime | None = None) -> AuditRun:
        """Hold the run for `owner` (and mark it running), in one conditional UPDATE, so that of two
        processes claiming it at once exactly one gets it. It is free when no one holds it, its holder
        gave no sign of life for HEARTBEAT_LIMIT seconds, or `owner` holds it already. RunTaken (in plain
        words) when another holds it or it is finished; KeyError for a run that is not there."""
        now = naive_utc(now) if now is not None else _now()
        free = (_R.owner.is_(None) | _R.heartbeat.is_(None) | (_R.owner == owner)
                | (_R.heartbeat < now - timedelta(seconds=HEARTBEAT_LIMIT)))
        with self._engine().begin() as conn:
            claimed = conn.execute(
                sa.update(runs_table).where(_R.id == run_id, _R.status != RunStatus.DONE.value, free)
                .values(owner=owner, heartbeat=now, claimed_at=now, status=RunStatus.RUNNING.value, message="",
                        updated_at=now)).rowcount
            row = conn.execute(sa.select(runs_table).where(_R.id == run_id)).first()
        if row is None:
            raise KeyError(run_id)
        if claimed != 1:
            raise RunTaken(_run(row))
        return _run(row)

    @_guarded
    def beat(self, run_id: str, owner: str) -> bool:
        """The owner's sign of life; False when `owner` no longer holds the run (another took it over)."""
        with self._engine().begin() as conn:
            return conn.execute(sa.update(runs_table).where(_R.id == run_id, _R.owner == owner)
                                .values(heartbeat=_now())).rowcount == 1

    @_guarded
    def set_status(self, run_id: str, status: str, *, message: str = "", scorecard_json: str | None = None,
                   owner: str | None = None, release: bool = False) -> AuditRun:
        """Say where the run stands (PAUSED is kept as RUNNING: a pause is progress, not a state);
        a scorecard given is stored with it. With `owner`, only while that owner holds the run; `release`
        lets go of it. A finished run stays finished. The run as stored; KeyError for a run that is not there."""
        stored = RunStatus.RUNNING if status == RunStatus.PAUSED else RunStatus(status)
        values: dict[str, Any] = {"status": stored.value, "message": str(message or ""), "updated_at": _now()}
        if scorecard_json is not None:
            values["scorecard_json"] = scorecard_json
        if release:
            values.update(owner=None, heartbeat=None, claimed_at=None)
        where = [_R.id == run_id]
        if stored != RunStatus.DONE:
            where.append(_R.status != RunStatus.DONE.value)
        if owner is not None:
            where.append(_R.owner == owner)
        with self._engine().begin() as conn:
            conn.execute(sa.update(runs_table).where(*where).values(**values))
            row = conn.execute(sa.select(runs_table).where(_R.id == run_id)).first()
        if row is None:
            raise KeyError(run_id)
        return _run(row)

    @_guarded
    def runs(self, *, plan_name: str | None = None, started_by: str | None = None,
             limit: int = 200) -> list[AuditRun]:
        """The runs, newest first (of one plan, and of one person's e-mail, when named)."""
        statement = sa.select(runs_table).order_by(_R.started_at.desc(), _R.id.desc()).limit(max(0, int(limit)))
        if plan_name is not None:
            statement = statement.where(_R.plan_name == plan_name)
        if started_by is not None:
            statement = statement.where(_R.started_by == started_by)
        with self._engine().connect() as conn:
            return [_run(row) for row in conn.execute(statement)]

    @_guarded
    def run(self, run_id: str) -> AuditRun | None:
        """The run with this id, or the only one whose id starts with it; None when none is (or several are)."""
        text = str(run_id or "").strip().lower()
        if not re.fullmatch(r"[0-9a-f]{1,32}", text):
            return None
        with self._engine().connect() as conn:
            rows = conn.execute(sa.select(runs_table).where(_R.id.like(text + "%")).limit(2)).all()
        exact = [row for row in rows if row.id == text]
        if exact:
            return _run(exact[0])
        return _run(rows[0]) if len(rows) == 1 else None

    @_guarded
    def delete_run(self, run_id: str) -> None:
        """Forget a run: its calls, shoppers and record (its snapshots stay in the history)."""
        with self._engine().begin() as conn:
            conn.execute(sa.delete(calls_table).where(_C.run_id == run_id))
            conn.execute(sa.delete(shoppers_table).where(_S.run_id == run_id))
            conn.execute(sa.delete(runs_table).where(_R.id == run_id))

    # --- answers

    def answers(self, run_id: str) -> Iterator[Answer]:
        """The run's answers in (shopper, step) order, read a page at a time (never all at once);
        a call whose snapshot the history no longer holds is left out (`missing_answers`)."""
        after = (-2, -1)
        while True:
            page = self._answers_page(run_id, after)
            yield from page
            if len(page) < PAGE:
                return
            after = (page[-1].shopper, page[-1].step)

    @_guarded
    def _answers_page(self, run_id: str, after: tuple[int, int]) -> list[Answer]:
        shopper, step = after
        statement = (
            sa.select(_C.shopper, _C.step, _C.event_type, _C.item_id, _C.category, _C.purpose, _C.snapshot_id,
                      _S.key, _S.label, _S.session_id, _S.user_id, _S.twin_of,
                      _H.products, _H.elapsed, _H.status_code, _H.error, totals_table.c.total_items)
            .select_from(calls_table.join(snapshots_table, _H.id == _C.snapshot_id)
                         .outerjoin(totals_table, totals_table.c.snapshot_id == _H.id)
                         .outerjoin(shoppers_table, (_S.run_id == _C.run_id) & (_S.idx == _C.shopper)))
            .where(_C.run_id == run_id, (_C.shopper > shopper) | ((_C.shopper == shopper) & (_C.step > step)))
            .order_by(_C.shopper, _C.step).limit(PAGE))
        with self._engine().connect() as conn:
            rows = conn.execute(statement).all()
        return [Answer(
            shopper=row.shopper, shopper_key=row.key or REFERENCE_KEY, shopper_label=row.label or REFERENCE_LABEL,
            session_id=row.session_id, user_id=row.user_id, twin_of=row.twin_of, step=row.step,
            event_type=row.event_type, item_id=row.item_id, category=row.category, purpose=row.purpose,
            products=tuple(str(p) for p in json.loads(row.products)), elapsed=float(row.elapsed),
            ok=row.error is None, status_code=row.status_code, error=row.error, snapshot_id=row.snapshot_id,
            total_items=row.total_items,
        ) for row in rows]

    @_guarded
    def missing_answers(self, run_id: str) -> int:
        """Calls of the run whose snapshot the history's retention dropped."""
        statement = (sa.select(sa.func.count()).select_from(
            calls_table.outerjoin(snapshots_table, _H.id == _C.snapshot_id))
            .where(_C.run_id == run_id, _H.id.is_(None)))
        with self._engine().connect() as conn:
            return int(conn.execute(statement).scalar_one())



def _add_missing_columns(engine: sa.Engine) -> None:
    """Columns of `_LATER_COLUMNS` a database made before them lacks, added (nullable: its rows keep working)."""
    for table, names in _LATER_COLUMNS.items():
        add_missing_columns(engine, table, names)
