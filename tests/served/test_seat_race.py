"""Races on seminar registrations against the real server: the last seat, and invoice numbers.

Each worker is its own process with its own database connection: only the database can keep them from
both taking the seat. The test leaves one free seat, then fires simultaneous bulletins at several
workers and checks that exactly one trainee got it and the others wait in line, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text

from tests.served.conftest import client_session, form_token

RACERS = 12


def _one_free_seat(url: str) -> tuple[int, int, int]:
    """Leave one free seat in a session open for booking; returns (seminar id, session, seats)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        seminar_id = conn.execute(text("SELECT id FROM seminar ORDER BY year DESC, id DESC")).scalar()
        firsts = conn.execute(text("SELECT option, min(day) FROM seminar_day WHERE seminar_id = :s GROUP BY option"),
                              {"s": seminar_id}).all()
        option = min(o for o, first in firsts if date.fromisoformat(str(first)) > date.today() + timedelta(days=1))
        where = {"s": seminar_id, "o": option}
        conn.execute(text("DELETE FROM seminar_seat WHERE seminar_id = :s AND option = :o AND trainee_id IS NULL "
                          "AND number > (SELECT min(number) FROM seminar_seat WHERE seminar_id = :s AND option = :o "
                          "AND trainee_id IS NULL)"), where)
        seats = conn.execute(text("SELECT count(*) FROM seminar_seat WHERE seminar_id = :s AND option = :o"),
                             where).scalar()
        free = conn.execute(text("SELECT count(*) FROM seminar_seat WHERE seminar_id = :s AND option = :o "
                                 "AND trainee_id IS NULL"), where).scalar()
    engine.dispose()
    assert free == 1
    return seminar_id, option, seats


def _race(base: str, seminar_id: int, option: int) -> list[int]:
    url = f"{base}/seminaire/{seminar_id}/bulletin"
    clients = [client_session() for _ in range(RACERS)]
    tokens = [form_token(http, url) for http in clients]
    start = threading.Barrier(RACERS)
    codes: list[int] = [0] * RACERS

    def book(n: int) -> None:
        data = {"csrf_token": tokens[n], "option": str(option), "organisation_name": f"Structure {n}",
                "email": f"structure{n}@exemple.fr", "signer_name": "Claire Fabre",
                "signed_on": date.today().isoformat(), "stagiaire-0-last_name": f"Course{n:02d}",
                "stagiaire-0-first_name": "Léa"}
        start.wait()
        codes[n] = clients[n].post(url, data=data, allow_redirects=False, timeout=60).status_code

    threads = [threading.Thread(target=book, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def _outcome(url: str, seminar_id: int, option: int, seats: int) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        states = [row[0] for row in conn.execute(text(
            "SELECT t.state FROM trainee t JOIN registration r ON r.id = t.registration_id "
            "WHERE r.seminar_id = :s AND t.last_name LIKE 'Course%' ORDER BY t.id"), {"s": seminar_id})]
        where = {"s": seminar_id, "o": option}
        held = conn.execute(text("SELECT count(*) FROM seminar_seat WHERE seminar_id = :s AND option = :o "
                                 "AND trainee_id IS NOT NULL"), where).scalar()
        seated = conn.execute(text(
            "SELECT count(*) FROM trainee t JOIN registration r ON r.id = t.registration_id "
            "WHERE r.seminar_id = :s AND r.option = :o AND t.state = 'place'"), where).scalar()
    engine.dispose()
    assert held == seated == seats  # every seat held once, by a trainee who knows it; none beyond the capacity
    return states


def _check(server, url: str) -> None:
    seminar_id, option, seats = _one_free_seat(url)
    codes = _race(server.url, seminar_id, option)
    assert codes == [302] * RACERS, server.log()[-3000:]
    states = _outcome(url, seminar_id, option, seats)
    assert len(states) == RACERS
    assert states.count("place") == 1 and states.count("attente") == RACERS - 1
    assert not re.search(r'" 5\d\d ', server.log()) and "Traceback" not in server.log()


@pytest.mark.sqlite
def test_the_last_seat_goes_to_one_employer_only_on_sqlite(served, tmp_path):
    server = served(workers=4)
    _check(server, f"sqlite:///{tmp_path / 'instance' / 'observatoire.sqlite3'}")


def test_the_last_seat_goes_to_one_employer_only_on_postgresql(served, pg_demo):
    url, _name = pg_demo
    server = served(database_url=url, workers=4)
    _check(server, url)


ADMIN = ("admin@demo.observatoire-isic.fr", "demo-admin-2012")


def _confirm_all_at_once(server, url: str) -> None:
    """The team confirms every received registration from several clients at once: invoice numbers stay 1..n."""
    from tests.served.conftest import sign_in

    engine = create_engine(url)
    with engine.connect() as conn:
        waiting = [row[0] for row in conn.execute(text("SELECT id FROM registration WHERE status = 'recue' "
                                                       "ORDER BY id"))]
        before = conn.execute(text("SELECT count(*) FROM invoice WHERE kind = 'facture' AND year = :y"),
                              {"y": date.today().year}).scalar()
    assert len(waiting) >= 4
    clients = [client_session() for _ in waiting]
    for http in clients:
        sign_in(http, server.url, *ADMIN)
    tokens = [form_token(http, f"{server.url}/seminaire/inscriptions/{rid}") for http, rid in zip(clients, waiting, strict=True)]
    start = threading.Barrier(len(waiting))
    codes: list[int] = [0] * len(waiting)

    def confirm(n: int) -> None:
        start.wait()
        codes[n] = clients[n].post(f"{server.url}/seminaire/inscriptions/{waiting[n]}/statut",
                                   data={"csrf_token": tokens[n], "status": "confirmee"},
                                   allow_redirects=False, timeout=60).status_code

    threads = [threading.Thread(target=confirm, args=(n,)) for n in range(len(waiting))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [302] * len(waiting), server.log()[-3000:]
    with engine.connect() as conn:
        numbers = sorted(row[0] for row in conn.execute(text(
            "SELECT number FROM invoice WHERE kind = 'facture' AND year = :y"), {"y": date.today().year}))
    engine.dispose()
    issued = len(numbers) - before
    assert issued >= 1 and numbers == list(range(1, len(numbers) + 1))  # no gap, no number given twice
    assert "Traceback" not in server.log()


@pytest.mark.sqlite
def test_invoice_numbers_stay_gapless_under_concurrent_confirmations_on_sqlite(served, tmp_path):
    server = served(workers=4)
    _confirm_all_at_once(server, f"sqlite:///{tmp_path / 'instance' / 'observatoire.sqlite3'}")


def test_invoice_numbers_stay_gapless_under_concurrent_confirmations_on_postgresql(served, pg_demo):
    url, _name = pg_demo
    server = served(database_url=url, workers=4)
    _confirm_all_at_once(server, url)
