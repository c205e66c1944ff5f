"""Sliding-window rate limits kept in the database, so every worker process counts the same events."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import delete, func, text
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.models import RateEvent
from kb.models.base import utcnow

# bucket -> (events allowed, window)
LIMITS = {
    "login-email": (5, timedelta(minutes=15)),
    "login-ip": (20, timedelta(minutes=15)),
    "reset-email": (3, timedelta(hours=1)),
    "reset-ip": (10, timedelta(hours=1)),
    "signup-ip": (10, timedelta(hours=1)),
    "report": (10, timedelta(hours=1)),
    "message": (5, timedelta(days=1)),
    "password-check": (5, timedelta(minutes=15)),
}


class RateLimited(DomainError):
    """Too many attempts: the French message says how long to wait."""

    def __init__(self, minutes: int, field: str | None = None):
        unit = "minute" if minutes <= 1 else "minutes"
        super().__init__(f"Trop de tentatives. Réessayez dans {minutes} {unit}.", field=field)
        self.minutes = minutes


def check(session: Session, bucket: str, key: str, field: str | None = None) -> None:
    """Raise RateLimited when ``key`` used up the bucket's allowance in the current window."""
    limit, window = LIMITS[bucket]
    since = utcnow() - window
    times = session.exec(select(RateEvent.created_at).where(
        RateEvent.bucket == bucket, RateEvent.key == key, RateEvent.created_at >= since)
        .order_by(RateEvent.created_at)).all()
    if len(times) >= limit:
        oldest = times[-limit]
        if oldest.tzinfo is None:  # SQLite returns naive UTC datetimes
            oldest = oldest.replace(tzinfo=since.tzinfo)
        wait = (oldest + window - utcnow()).total_seconds()
        raise RateLimited(max(1, math.ceil(wait / 60)), field=field)


def hit(session: Session, bucket: str, key: str) -> RateEvent:
    """Count one event for ``key``; events older than a day are purged on the way."""
    event = RateEvent(bucket=bucket, key=key)
    session.add(event)
    session.exec(delete(RateEvent).where(RateEvent.created_at < utcnow() - timedelta(days=2)))
    session.flush()
    return event


def take(session: Session, bucket: str, key: str, field: str | None = None) -> RateEvent:
    """Count this attempt first, then raise RateLimited if it goes beyond the allowance; returns its event.

    Inserting before counting is what holds under a parallel burst: on SQLite the insert takes the database's
    write lock until the commit, on PostgreSQL a transaction-level advisory lock on (bucket, key) does, so two
    attempts of one key are counted one after the other and each sees the other's event. A refused attempt is
    not counted (the caller rolls back), so waiting the time said is enough.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"ratelimit:{bucket}:{key}"})
    event = hit(session, bucket, key)
    limit, window = LIMITS[bucket]
    since = utcnow() - window
    counted = session.exec(select(func.count()).select_from(RateEvent).where(
        RateEvent.bucket == bucket, RateEvent.key == key, RateEvent.created_at >= since)).one()
    if counted > limit:
        session.exec(delete(RateEvent).where(RateEvent.id == event.id))
        check(session, bucket, key, field=field)  # says how long to wait, from the events that stay
        raise RateLimited(1, field=field)  # an event expired meanwhile: a minute is enough
    return event


def forget(session: Session, event: RateEvent) -> None:
    """Take back one counted attempt (it succeeded, and only failures count)."""
    session.exec(delete(RateEvent).where(RateEvent.id == event.id))


def clear(session: Session, bucket: str, key: str) -> None:
    """Forget ``key``'s events in a bucket (after a successful login)."""
    session.exec(delete(RateEvent).where(RateEvent.bucket == bucket, RateEvent.key == key))

