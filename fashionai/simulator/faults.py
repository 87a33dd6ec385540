"""Injected failures: latency, error statuses, rate limits, broken bodies, dropped connections.

Every fault is off by default. A `Faults` can be changed while a server runs
(``faults.update(drop_rate=0.2)``); each request takes one consistent `Decision`
from it under its lock, and the randomness comes from its own seeded
`random.Random`, so the same sequence of requests meets the same faults.

What the simulator records when a fault strikes (see `Simulator.handle`):

- 429 (rate limit) and every injected status other than 500 and 504: rejected
  before processing, the event is NOT recorded (a gateway turned it away).
- 500 and 504: the server recorded the event and then failed (or timed out).
- broken body: recorded; the answer was mangled on the way back.
- dropped connection: recorded; the connection died before the answer was sent.
  This is the case a retrying client must fear: the visit already counted.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field, fields

RECORDED_STATUSES = frozenset({500, 504})  # injected after the event was recorded
RETRY_AFTER_STATUSES = frozenset({429, 503})  # answered with a Retry-After header


@dataclass(frozen=True)
class Decision:
    """What happens to one request."""

    latency: float = 0.0
    status: int | None = None  # an injected error status
    retry_after: float | None = None  # set with 429 and 503
    broken_body: str | None = None  # "html" or "truncated"
    drop: bool = False

    @property
    def rejects_before_processing(self) -> bool:
        return self.status is not None and self.status not in RECORDED_STATUSES


@dataclass
class Faults:
    """Fault settings; all off by default.

    latency: seconds added to every request.
    error_rates: probability per injected status, e.g. ``{500: 0.1, 503: 0.1}``.
    rate_limit_burst: every Nth request is answered 429 (0 = never).
    retry_after: whole seconds sent in the ``Retry-After`` header of a 429 or 503.
    broken_body_rate: probability of a 200 with an HTML page or truncated JSON.
    drop_rate: probability that the connection closes without an answer.
    seed: seed of the fault dice.
    """

    latency: float = 0.0
    error_rates: dict[int, float] = field(default_factory=dict)
    rate_limit_burst: int = 0
    retry_after: float = 1.0
    broken_body_rate: float = 0.0
    drop_rate: float = 0.0
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False, compare=False)
    _lock: threading.Lock = field(init=False, repr=False, compare=False, default_factory=threading.Lock)
    _requests: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        self._validate()
        self._rng = random.Random(self.seed)

    def _validate(self) -> None:
        if self.latency < 0 or self.retry_after < 0 or self.rate_limit_burst < 0:
            raise ValueError("latency, retry_after and rate_limit_burst must not be negative")
        rates = [*self.error_rates.values(), self.broken_body_rate, self.drop_rate]
        if any(not 0 <= rate <= 1 for rate in rates) or sum(self.error_rates.values()) > 1:
            raise ValueError("rates must be probabilities, and error_rates must add up to at most 1")
        if any(not 100 <= int(status) <= 599 for status in self.error_rates):
            raise ValueError("error_rates keys must be HTTP statuses")

    def update(self, **changes: object) -> None:
        """Change settings at runtime, atomically (a new `seed` restarts the dice)."""
        names = {f.name for f in fields(self) if f.init}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown fault settings: {sorted(unknown)}")
        with self._lock:
            old = {name: getattr(self, name) for name in changes}
            for name, value in changes.items():
                setattr(self, name, dict(value) if name == "error_rates" else value)
            try:
                self._validate()
            except ValueError:
                for name, value in old.items():
                    setattr(self, name, value)
                raise
            if "seed" in changes:
                self._rng = random.Random(self.seed)

    def decide(self) -> Decision:
        """Draw the fate of the next request (always four draws, to keep the dice aligned)."""
        with self._lock:
            self._requests += 1
            u_status, u_broken, u_kind, u_drop = (self._rng.random() for _ in range(4))
            if self.rate_limit_burst and self._requests % self.rate_limit_burst == 0:
                return Decision(self.latency, 429, retry_after=self.retry_after)
            status, cumulative = None, 0.0
            for code, rate in sorted(self.error_rates.items()):
                cumulative += rate
                if u_status < cumulative:
                    status = int(code)
                    break
            return Decision(
                latency=self.latency,
                status=status,
                retry_after=self.retry_after if status in RETRY_AFTER_STATUSES else None,
                broken_body=("html" if u_kind < 0.5 else "truncated")
                if status is None and u_broken < self.broken_body_rate else None,
                drop=status is None and u_drop < self.drop_rate,
            )
