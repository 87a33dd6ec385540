"""A finished call handed to the client's on_exchange observer (`fashionai.api.client`), as an `Exchange`.

It runs in the calling thread, once a call (after any retries), success or failure. An observer that
fails (the history, say) is logged, the token blanked, and never breaks the call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

from fashionai.api import redaction
from fashionai.api._status import one_line
from fashionai.api.models import Exchange, RequestRecord, SliceSeen


def hand_over(
    on_exchange: Callable[[Exchange], None],
    exchange_id: str,
    record: RequestRecord,
    attempts: int,
    elapsed: float,
    status_code: int | None,
    products: tuple[str, ...],
    error: str | None = None,
    totals: tuple[int, int] | None = None,
    slice_seen: SliceSeen | None = None,
    *,
    redactor: redaction.Redactor,
    log: logging.Logger,
) -> None:
    """Hand the finished call to `on_exchange`; its failure is said on `log` (the client's), never raised."""
    exchange = Exchange(
        id=exchange_id,
        request=record,
        status_code=status_code,
        products=products,
        error=error,
        elapsed=elapsed,
        attempts=attempts,
        timestamp=datetime.now(timezone.utc),
        totals=totals,
        slice_seen=slice_seen,
    )
    try:
        on_exchange(exchange)
    except Exception as err:  # noqa: BLE001 - an observer (the history, say) must never break a call
        log.warning(
            "The exchange observer failed for %s %s: %s: %s", record.method, record.url,
            type(err).__name__, one_line(redactor.redact(str(err))),
        )
