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
- latency past the caller's timeout (an in-process transport passes its timeout to
  `Simulator.handle`): recorded, as by a slow server; the caller gets no answer.

`PRESETS` are the named drills the studio's settings page offers.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

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

    @property
    def active(self) -> bool:
        """Whether any fault is on (the seed alone changes nothing)."""
        return bool(
            self.latency or any(self.error_rates.values()) or self.rate_limit_burst
            or self.broken_body_rate or self.drop_rate
        )

    def settings(self) -> dict[str, Any]:
        """The settings as keyword arguments: ``Faults(**faults.settings())`` is an equal, fresh copy."""
        with self._lock:
            return {f.name: dict(getattr(self, f.name)) if f.name == "error_rates" else getattr(self, f.name)
                    for f in fields(self) if f.init}

    def describe(self) -> str:
        """The faults in a few words, e.g. "3 s latency · HTTP 500 10%", or "no faults"."""
        parts = []
        if self.latency:
            parts.append(f"{self.latency:g} s latency")
        rates = [f"{int(status)} {_percent(rate)}" for status, rate in sorted(self.error_rates.items()) if rate]
        if rates:
            parts.append("HTTP " + ", ".join(rates))
        if self.rate_limit_burst:
            nth = "every request" if self.rate_limit_burst == 1 else f"every {_ordinal(self.rate_limit_burst)} request"
            parts.append(f"429 on {nth}")
        if self.rate_limit_burst or any(rate for status, rate in self.error_rates.items()
                                        if int(status) in RETRY_AFTER_STATUSES):
            parts.append(f"Retry-After {self.retry_after:g} s")
        if self.broken_body_rate:
            parts.append(f"{_percent(self.broken_body_rate)} broken bodies")
        if self.drop_rate:
            parts.append(f"{_percent(self.drop_rate)} dropped connections")
        return " · ".join(parts) or "no faults"

    def update(self, **changes: object) -> None:
        """Change settings at runtime, atomically (a new `seed` restarts the dice)."""
        names = {f.name for f in fields(self) if f.init}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown fault settings: {sorted(unknown)}")
        with self._lock:
            old = {name: getattr(self, name) for name in changes}
            for name, value in changes.items():
                setattr(self, name, dict(value) if name == "error_rates" and isinstance(value, Mapping) else value)
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


def _percent(rate: float) -> str:
    return f"{rate * 100:.3g}%"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --------------------------------------------------------------------------- presets

PAST_TIMEOUT_MARGIN = 2.0  # seconds past the caller's timeout that the "Timeouts" drill answers


@dataclass(frozen=True)
class Preset:
    """A named drill: fault settings and what a merchandiser should expect to see."""

    name: str
    description: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    past_timeout: bool = False  # latency just past the caller's timeout (which is only known at use)

    def faults(self, *, timeout: float, seed: int = 0) -> Faults:
        """Fresh `Faults` for this drill; `timeout` is the client's, in seconds."""
        settings: dict[str, Any] = {name: dict(value) if name == "error_rates" else value
                                    for name, value in self.settings.items()}
        settings["seed"] = seed
        if self.past_timeout:
            settings["latency"] = timeout + PAST_TIMEOUT_MARGIN
        return Faults(**settings)


OFF = "Off"
PRESETS: dict[str, Preset] = {preset.name: preset for preset in (
    Preset(OFF, "No faults: the simulator answers at once and always well."),
    Preset("Slow API", "Every answer takes 3 s longer. Within the timeout, so pages work, slowly.",
           {"latency": 3.0}),
    Preset("Timeouts", "Every answer takes longer than the studio waits (its timeout): calls fail with a "
           "timeout message. The simulator still records each event, as a slow server would, so events "
           "are not sent again.", past_timeout=True),
    Preset("Flaky 5xx", "About one call in three fails: HTTP 500 (the event was recorded, not retried), 502 "
           "(not recorded, not retried) or 503 (not recorded: retried after its Retry-After of 1 s).",
           {"error_rates": {500: 0.1, 502: 0.1, 503: 0.1}, "retry_after": 1.0}),
    Preset("Rate-limited", "Every 3rd request is answered 429 with Retry-After 2 s. The event was not "
           "recorded, so the studio waits and sends it again: pages work, some calls 2 s slower.",
           {"rate_limit_burst": 3, "retry_after": 2.0}),
    Preset("Broken bodies", "Half the answers are HTTP 200 with a web page (HTML) or JSON cut off halfway. "
           "The event was recorded, so it is not sent again.", {"broken_body_rate": 0.5}),
    Preset("Dropped connections", "Half the connections close before the answer arrives, after the event "
           "was recorded: events are not sent again; the best sellers (not an event) are.",
           {"drop_rate": 0.5}),
    Preset("Chaos", "A bit of everything: 0.5 s latency, 10% HTTP 500, 10% HTTP 503, every 7th request "
           "rate-limited, 10% broken bodies and 10% dropped connections.",
           {"latency": 0.5, "error_rates": {500: 0.1, 503: 0.1}, "rate_limit_burst": 7, "retry_after": 1.0,
            "broken_body_rate": 0.1, "drop_rate": 0.1}),
)}


# --------------------------------------------------------------------------- the drill form

CUSTOM = "Custom"
"""What a drill is called when its faults are no preset's."""
DRILL_STATUSES = (500, 502, 503, 504)
"""The injected statuses a drill form offers, each with its own rate."""


@dataclass(frozen=True)
class DrillForm:
    """Fault settings as a form holds them: rates in whole percent, an error rate for each of DRILL_STATUSES.

    ``DrillForm.of(faults)`` fills a form from faults; ``form.faults()`` makes the faults a filled
    form asks for.
    """

    latency: float = 0.0
    rate_limit_burst: int = 0
    retry_after: float = 1.0
    broken_percent: int = 0
    drop_percent: int = 0
    seed: int = 0
    error_percents: Mapping[int, int] = field(default_factory=dict)  # status -> percent

    @classmethod
    def of(cls, faults: Faults) -> DrillForm:
        return cls(latency=float(faults.latency), rate_limit_burst=int(faults.rate_limit_burst),
                   retry_after=float(faults.retry_after), broken_percent=round(faults.broken_body_rate * 100),
                   drop_percent=round(faults.drop_rate * 100), seed=int(faults.seed),
                   error_percents={status: round(faults.error_rates.get(status, 0.0) * 100)
                                   for status in DRILL_STATUSES})

    def faults(self) -> Faults:
        """The faults this form asks for; ValueError, said for a person, when its error rates pass 100%."""
        rates = {status: percent / 100 for status, percent in self.error_percents.items() if percent}
        if sum(rates.values()) > 1:
            raise ValueError("The error rates add up to more than 100%: lower some, then apply.")
        return Faults(latency=float(self.latency), error_rates=rates, rate_limit_burst=int(self.rate_limit_burst),
                      retry_after=float(self.retry_after), broken_body_rate=self.broken_percent / 100,
                      drop_rate=self.drop_percent / 100, seed=int(self.seed))


def drill_name(faults: Faults, preset: str, *, timeout: float) -> str:
    """What a drill applied from a form is called: the chosen preset's name while the faults are that
    preset's (any seed), else CUSTOM (an edited preset, or no fault at all)."""
    same = {**faults.settings(), "seed": 0} == PRESETS[preset].faults(timeout=timeout).settings()
    return preset if same and faults.active else CUSTOM
