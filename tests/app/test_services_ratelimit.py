"""Rate limits kept in the database: how many attempts a window allows and how long a person must wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from kb.models import RateEvent
from kb.services import ratelimit
from kb.services.ratelimit import RateLimited

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """Freeze the limiter's clock at NOW."""
    monkeypatch.setattr(ratelimit, "utcnow", lambda: NOW)


def events(session, bucket: str, key: str, *minutes_ago: float) -> None:
    session.add_all([RateEvent(bucket=bucket, key=key, created_at=NOW - timedelta(minutes=m)) for m in minutes_ago])
    session.flush()


def left(session) -> list[tuple[str, str]]:
    return sorted((e.bucket, e.key) for e in session.exec(select(RateEvent)))


def test_attempts_within_the_allowance_pass(session, clock):
    events(session, "login-email", "nadia@example.org", 1, 2, 3, 4)  # 5 allowed in 15 minutes
    ratelimit.check(session, "login-email", "nadia@example.org")
    events(session, "login-email", "other@example.org", 1, 2, 3, 4, 5)
    ratelimit.check(session, "login-email", "nadia@example.org")  # counted per key
    events(session, "login-ip", "nadia@example.org", 1, 2, 3, 4, 5)
    ratelimit.check(session, "login-email", "nadia@example.org")  # and per bucket


def test_the_last_allowed_attempt_says_how_long_to_wait(session, clock):
    events(session, "login-email", "nadia@example.org", 2, 4, 6, 8, 10, 14)  # recorded in any order
    with pytest.raises(RateLimited) as limited:
        ratelimit.check(session, "login-email", "nadia@example.org", field="email")
    # the window frees up when the fifth most recent attempt (10 minutes ago) leaves it
    assert (limited.value.minutes, limited.value.field) == (5, "email")
    assert limited.value.message == "Trop de tentatives. Réessayez dans 5 minutes."


def test_attempts_older_than_the_window_do_not_count(session, clock):
    events(session, "login-email", "nadia@example.org", 15.01, 16, 20, 30, 60)
    ratelimit.check(session, "login-email", "nadia@example.org")
    events(session, "login-email", "nadia@example.org", 15)  # exactly at the window's start: still counted
    events(session, "login-email", "nadia@example.org", 1, 2, 3, 4)
    with pytest.raises(RateLimited) as limited:
        ratelimit.check(session, "login-email", "nadia@example.org")
    assert limited.value.minutes == 1 and limited.value.message == "Trop de tentatives. Réessayez dans 1 minute."


@pytest.mark.parametrize(("seconds_left", "message"), [
    (1, "Réessayez dans 1 minute."), (59, "Réessayez dans 1 minute."), (60, "Réessayez dans 1 minute."),
    (61, "Réessayez dans 2 minutes."), (300, "Réessayez dans 5 minutes."),
])
def test_the_wait_is_rounded_up_to_whole_minutes(session, clock, seconds_left, message):
    window = timedelta(hours=1)  # "reset-email": 3 attempts an hour
    events(session, "reset-email", "nadia@example.org", *[(window.total_seconds() - seconds_left) / 60] * 3)
    with pytest.raises(RateLimited) as limited:
        ratelimit.check(session, "reset-email", "nadia@example.org")
    assert limited.value.message == f"Trop de tentatives. {message}"


def test_a_hit_counts_one_attempt_and_purges_what_is_older_than_two_days(session, clock):
    events(session, "report", "ip:1", 2 * 24 * 60 + 1, 2 * 24 * 60 + 60 * 12)
    events(session, "message", "u:3", 2 * 24 * 60, 24 * 60)
    ratelimit.hit(session, "login-ip", "ip:2")
    assert left(session) == [("login-ip", "ip:2"), ("message", "u:3"), ("message", "u:3")]


def test_a_hit_is_counted_by_the_next_check(session):
    for _ in range(3):
        ratelimit.check(session, "reset-email", "nadia@example.org")
        ratelimit.hit(session, "reset-email", "nadia@example.org")
    with pytest.raises(RateLimited) as limited:
        ratelimit.check(session, "reset-email", "nadia@example.org")
    assert limited.value.minutes == 60


def test_clearing_forgets_one_key_in_one_bucket(session, clock):
    events(session, "login-email", "nadia@example.org", 1, 2)
    events(session, "login-email", "other@example.org", 1)
    events(session, "login-ip", "nadia@example.org", 1)
    ratelimit.clear(session, "login-email", "nadia@example.org")
    assert left(session) == [("login-email", "other@example.org"), ("login-ip", "nadia@example.org")]


def test_a_parallel_burst_cannot_slip_past_a_limit(any_app):
    """Twenty attempts of one key at once, each in its own connection and transaction, holding it a moment before
    committing (as a request does): no more pass than the bucket allows, on SQLite and on PostgreSQL."""
    import threading
    import time

    from kb.db import new_session

    limit = ratelimit.LIMITS["login-email"][0]
    start, passed, refused, errors = threading.Barrier(20), [], [], []

    def attempt(n: int) -> None:
        try:
            with any_app.app_context(), new_session(any_app) as session:
                start.wait()
                try:
                    ratelimit.take(session, "login-email", "rafale@exemple.fr", field="email")
                except RateLimited:
                    session.rollback()
                    refused.append(n)
                    return
                time.sleep(0.05)  # the rest of the request, its transaction still open
                session.commit()
                passed.append(n)
        except Exception as exc:  # noqa: BLE001 - reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert 1 <= len(passed) <= limit and len(passed) + len(refused) == 20
    with any_app.app_context(), new_session(any_app) as session:
        assert len(session.exec(select(RateEvent).where(RateEvent.key == "rafale@exemple.fr")).all()) == len(passed)
