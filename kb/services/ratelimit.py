"""Sliding-window rate limits kept in the database, so every worker process counts the same events."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import delete
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


def hit(session: Session, bucket: str, key: str) -> None:
    """Count one event for ``key``; events older than a day are purged on the way."""
    session.add(RateEvent(bucket=bucket, key=key))
    session.exec(delete(RateEvent).where(RateEvent.created_at < utcnow() - timedelta(days=2)))
    session.flush()


def clear(session: Session, bucket: str, key: str) -> None:
    """Forget ``key``'s events in a bucket (after a successful login)."""
    session.exec(delete(RateEvent).where(RateEvent.bucket == bucket, RateEvent.key == key))

