"""Times as the stores keep them: UTC, stored without a zone, handed out as aware datetimes."""

from __future__ import annotations

from datetime import datetime, timezone


def utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (a naive one is taken as UTC). TypeError for anything else."""
    if not isinstance(moment, datetime):
        raise TypeError(f"a time must be a datetime, not {type(moment).__name__}")
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def naive_utc(moment: datetime) -> datetime:
    """`moment` in UTC without its zone: how the tables store times."""
    return utc(moment).replace(tzinfo=None)


def naive_utc_now() -> datetime:
    """Now, in UTC without its zone."""
    return naive_utc(datetime.now(timezone.utc))
