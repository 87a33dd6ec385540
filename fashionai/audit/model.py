"""What an audit is made of, shared by its plan, its run, its store and its scorecard.

    Shopper      one shopper of a run: a key stable across runs, a session, warm-up steps
    Call         one call of a run: which shopper, which step of it, what it asks
    RunStatus    where a run stands (running, cancelled, done, ...)
    AuditRun     one run as the store lists it
    Progress     where a working run stands, for a progress bar
    Answer       one answer of a run as the scorecard reads it (from the run's snapshots)
    MeasureInfo  one measure of the scorecard: its key, label, one-line meaning, direction

Every fact of an audit said once: the synthetic session prefix, the placements, the
limits of a plan (`MAX_*`), who runs a run and how its heartbeat is read (`HEARTBEAT_*`).
"""

from __future__ import annotations

import os
import re
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum

from fashionai.domain import CALL_LABELS, EventType
from fashionai.journeys.journey import Step
from fashionai.team import who_words

AUDIT_SESSION_PREFIX = "fai-audit-"
"""Every synthetic session of an audit starts with this, so that Fashion.AI's reports can tell them from shoppers."""

PLACEMENTS = (EventType.CATEGORY_VIEW, EventType.CUSTOM_SHELF, EventType.PRODUCT_VIEW)
"""What an audit can ask for each shopper: the category pages always, the home shelf and product pages optionally."""
PLACEMENT_LABELS = {**{placement: CALL_LABELS[placement] for placement in PLACEMENTS},
                    EventType.SALES_RANKING: f"{CALL_LABELS[EventType.SALES_RANKING]} (reference)"}

MAX_SYNTHETIC = 500
"""The most synthetic personas a plan may ask for."""
MAX_PASTED = 2_000
"""The most pasted sessions a plan may hold."""
MAX_PRODUCT_SAMPLE = 20
"""The most products per category a plan's product pages sample."""
MAX_CONCURRENCY = 16
"""The most calls an audit has in flight at once."""
RATE_RANGE = (0.1, 500.0)
"""Requests per second an audit may be configured to (the client-side rate limit)."""
MAX_TWINS = 50
"""The most personas a plan runs twice (on two fresh sessions) to measure stability."""
HEARTBEAT_EVERY = 5.0
"""Seconds between two heartbeats of a working run: its runner writes the time into the run's row."""
HEARTBEAT_LIMIT = 30.0
"""Seconds without a heartbeat after which a run is taken as stopped: then (and only then) anyone may resume it."""


def this_process() -> str:
    """This process as a run's owner names it: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def new_owner() -> str:
    """The owner a runner claims a run as: this process and a random token of the runner's own
    ("host:pid:token"), so that two runners of one process never hold the same run either."""
    return f"{this_process()}:{uuid.uuid4().hex[:12]}"


class Purpose(StrEnum):
    """Why a call is in a run: it warms a persona up, it is measured, or it is the reference best sellers."""

    WARMUP = "warmup"
    MEASURE = "measure"
    REFERENCE = "reference"


class RunStatus(StrEnum):
    RUNNING = "running"  # a runner is working on it (or was, and stopped without saying: see AuditRun.stale)
    PAUSED = "paused"  # waiting out a 429's Retry-After (reported as progress; stored as running)
    CANCELLED = "cancelled"  # stopped by the user; can be resumed
    FAILED = "failed"  # stopped by an error it cannot go on after (a rejected token, a history down); can be resumed
    DONE = "done"  # every call made


RUN_STATUS_LABELS = {
    RunStatus.RUNNING: "Running",
    RunStatus.PAUSED: "Paused by Fashion.AI (429)",
    RunStatus.CANCELLED: "Cancelled (can be resumed)",
    RunStatus.FAILED: "Stopped by an error (can be resumed)",
    RunStatus.DONE: "Finished",
}
ELSEWHERE_LABEL = "Running (on another server/process)"
"""A run whose heartbeat is alive and whose runner is not in this process."""
STALLED_LABEL = "Stopped without finishing (can be resumed)"
"""A run stored as running whose heartbeat stopped (its process ended without saying)."""


@dataclass(frozen=True)
class Shopper:
    """One shopper of a run.

    `key` names the shopper the same way in every run of a plan ("persona:Sporty shopper",
    "session:abc", "persona:Sporty shopper#twin"), so two runs can be matched shopper by
    shopper. `session_id` is the session the run uses (synthetic ones start with
    AUDIT_SESSION_PREFIX). `warmup` are the steps sent before anything is measured.
    `twin_of` is the key of the shopper this one repeats on a fresh session (stability).
    """

    index: int
    key: str
    label: str
    session_id: str
    user_id: str | None = None
    warmup: tuple[Step, ...] = ()
    twin_of: str | None = None
    synthetic_session: bool = True


@dataclass(frozen=True)
class Call:
    """One call of a run: the `step`-th call of shopper `shopper` (a reference call has shopper -1)."""

    shopper: int
    step: int
    event_type: str  # an EventType: a tracking event, or SALES_RANKING for a reference call
    item_id: str  # the category or product id; "" for customShelf
    purpose: Purpose
    category: str  # the category the answer is scored under ("" for the home shelf)


_STORED_PAIR = re.compile(r"""^\((['"])(.*)\1, (?:True|False)\)$""")
"""A catalog's name as runs started from the audit page stored it until 2026-12: the (name, own) pair's repr."""


@dataclass(frozen=True)
class AuditRun:
    """One run as the store lists it."""

    id: str  # 32 hex digits
    plan_name: str
    plan_json: str
    backend: str  # a Backend
    catalog_fingerprint: str
    catalog_name: str
    started_at: datetime  # UTC
    updated_at: datetime  # UTC: the last answer stored or status change
    status: str  # a RunStatus
    total_calls: int
    done_calls: int
    message: str = ""  # why it stopped, in plain words, when it did not finish
    scorecard_json: str | None = None  # stored when the run stops: kept after the snapshots are gone
    owner: str | None = None  # "host:pid:token" of the runner working on it (new_owner), None when none is
    heartbeat: datetime | None = None  # UTC: the owner's last sign of life (every HEARTBEAT_EVERY seconds)
    claimed_at: datetime | None = None  # UTC: since when the owner holds it
    started_by: str | None = None  # the e-mail of the person who started it ("local" without sign-in); None: unknown

    def __post_init__(self) -> None:
        if (stored := _STORED_PAIR.match(self.catalog_name or "")) is not None:  # read as the name it holds
            object.__setattr__(self, "catalog_name", stored.group(2))

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def finished(self) -> bool:
        return self.status == RunStatus.DONE

    def working(self, now: datetime | None = None) -> bool:
        """A runner holds the run and gave a sign of life less than HEARTBEAT_LIMIT ago."""
        if self.owner is None or self.heartbeat is None:
            return False
        return ((now or datetime.now(timezone.utc)) - self.heartbeat).total_seconds() < HEARTBEAT_LIMIT

    @property
    def here(self) -> bool:
        """Its owner is a runner of this process."""
        return self.owner is not None and self.owner.startswith(this_process() + ":")

    @property
    def owner_words(self) -> str:
        """Who holds it, in words: "process 4242 on host-a"."""
        host, _, rest = (self.owner or "").partition(":")
        return f"process {rest.partition(':')[0] or '?'} on {host or 'an unknown server'}"

    @property
    def resumable(self) -> bool:
        return self.status in (RunStatus.CANCELLED, RunStatus.FAILED, RunStatus.RUNNING) and (
            self.done_calls < self.total_calls) and not self.working()

    @property
    def status_label(self) -> str:
        """Its state in words, read with its heartbeat: running here, elsewhere, or stopped without saying."""
        if self.status == RunStatus.RUNNING and not self.working():
            return STALLED_LABEL
        if self.status == RunStatus.RUNNING and not self.here:
            return ELSEWHERE_LABEL
        return RUN_STATUS_LABELS.get(self.status, self.status)

    @property
    def started_by_words(self) -> str:
        """Who started it: an e-mail, "local user" without sign-in, "unknown" for a run from before."""
        return who_words(self.started_by)

    @property
    def label(self) -> str:
        return (f"{self.started_at:%Y-%m-%d %H:%M} UTC · {self.plan_name} · {self.short_id} · "
                f"{self.started_by_words} · {self.status_label}")


@dataclass(frozen=True)
class Progress:
    """Where a run stands, for a progress bar."""

    done: int
    total: int
    errors: int  # failed answers stored by this runner
    status: str  # a RunStatus; PAUSED while a 429's pause lasts
    paused_seconds: float  # left of the pause
    eta_seconds: float | None  # at the rate achieved so far; None before the first answer
    calls_per_second: float
    message: str = ""

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True)
class Answer:
    """One answer of a run, as the scorecard reads it: whose, to what, what came back, how fast."""

    shopper: int  # -1 for a reference call
    shopper_key: str
    shopper_label: str
    session_id: str | None
    user_id: str | None
    twin_of: str | None
    step: int
    event_type: str
    item_id: str
    category: str
    purpose: str  # a Purpose
    products: tuple[str, ...]
    elapsed: float  # seconds
    ok: bool
    status_code: int | None = None
    error: str | None = None
    snapshot_id: str | None = None


@dataclass(frozen=True)
class MeasureInfo:
    """One measure of the scorecard: `better` is "higher", "lower" or "" (neither: read it against the store)."""

    key: str
    label: str
    meaning: str
    better: str
    unit: str = "share"  # "share" (0..1, shown as %), "ratio" (0..1), "ms"
    help: str = field(default="", compare=False)  # the technical definition
