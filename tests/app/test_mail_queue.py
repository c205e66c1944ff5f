"""Mails wait in the database until the mail server takes them: an outage loses none, none is sent twice."""

from __future__ import annotations

import threading
import time

from sqlalchemy import update
from sqlmodel import select

from kb import mail
from kb.db import new_session
from kb.mail import sent_mails
from kb.models import QueuedMail
from kb.models.base import utcnow
from tests.conftest import post_form
from tests.pg import free_port


def _queued(app) -> list[QueuedMail]:
    with new_session(app) as session:
        return list(session.exec(select(QueuedMail)))


def _due_now(app) -> None:
    with new_session(app) as session:  # as if the wait had passed
        session.execute(update(QueuedMail).values(next_attempt_at=utcnow()))
        session.commit()


def test_a_mail_server_outage_keeps_the_mail_until_it_can_be_sent(app, client, session, make):
    make.user("etudiant", email="nadia@exemple.fr")
    session.commit()
    app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())  # nobody listens
    answer = post_form(client, "/compte/mot-de-passe-oublie", {"email": "nadia@exemple.fr"}, follow_redirects=True)
    assert answer.status_code == 200 and "Si un compte existe" in answer.get_data(as_text=True)
    [waiting] = _queued(app)
    assert (waiting.recipient, waiting.attempts) == ("nadia@exemple.fr", 1)
    assert "ConnectionRefusedError" in waiting.last_error
    assert waiting.next_attempt_at.replace(tzinfo=None) > utcnow().replace(tzinfo=None)  # SQLite reads naive UTC
    assert client.get("/healthz").get_json()["mail_queue"] == 1

    app.config["MAIL_BACKEND"] = "file"  # the server is back
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "Courriels envoyés : 0 ; encore en attente : 1" in result.output  # not due yet: it waits its turn
    _due_now(app)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "Courriels envoyés : 1 ; encore en attente : 0" in result.output
    [sent] = sent_mails(app)
    assert sent["To"] == "nadia@exemple.fr" and "/compte/reinitialiser/" in sent.get_content()
    assert _queued(app) == []


def test_attachments_survive_the_queue(app):
    with app.app_context(), new_session(app) as session:
        mail.queue(session, mail.Mail(to="a@exemple.fr", subject="Convocation", body="Ci-joint.",
                                      attachments=(("atelier.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n"),)))
        session.commit()  # outside a request: nobody sends it now
    _due_now(app)
    assert mail.retry_due(app) == 1
    [sent] = sent_mails(app)
    [attached] = list(sent.iter_attachments())
    assert attached.get_filename() == "atelier.ics" and attached.get_content() == "BEGIN:VCALENDAR\r\n"


def test_a_rolled_back_change_queues_no_mail(app):
    with app.app_context(), new_session(app) as session:
        mail.queue(session, mail.Mail(to="a@exemple.fr", subject="Jamais", body="."))
        session.rollback()
        session.commit()
    assert _queued(app) == []


def test_two_processes_retrying_at_once_send_a_mail_once(any_app, monkeypatch):
    app = any_app
    with app.app_context(), new_session(app) as session:
        for n in range(3):
            mail.queue(session, mail.Mail(to=f"p{n}@exemple.fr", subject="Relance", body="."))
        session.commit()
    _due_now(app)
    real, calls = mail.deliver, []

    def slow(app_, message):
        calls.append(message.to)
        time.sleep(0.1)  # while one sends, the other looks for due mails
        return real(app_, message)

    monkeypatch.setattr(mail, "deliver", slow)
    threads = [threading.Thread(target=mail.retry_due, args=(app,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(calls) == ["p0@exemple.fr", "p1@exemple.fr", "p2@exemple.fr"]
    assert _queued(app) == [] and len(sent_mails(app)) == 3


def test_a_mail_that_cannot_be_written_is_dropped_not_retried_forever(app):
    with app.app_context(), new_session(app) as session:
        mail.queue(session, mail.Mail(to="a@exemple.fr", subject="Objet\nBcc: tous@exemple.fr", body="."))
        session.commit()
    _due_now(app)
    assert mail.retry_due(app) == 0
    assert _queued(app) == [] and sent_mails(app) == []


def test_the_claim_of_a_queued_mail_starts_at_the_commit(app, monkeypatch):
    """A transaction longer than the claim (an import) must not commit its mails already due for others to send."""
    from datetime import timedelta

    with app.app_context(), new_session(app) as session:
        mail.queue(session, mail.Mail(to="a@exemple.fr", subject="Import terminé", body="."))
        monkeypatch.setattr(mail, "utcnow", lambda: utcnow() + timedelta(minutes=30))  # the import ran long
        session.commit()
        monkeypatch.undo()
    [row] = _queued(app)
    assert row.next_attempt_at.replace(tzinfo=None) > (utcnow() + timedelta(minutes=25)).replace(tzinfo=None)
    assert mail.retry_due(app) == 0  # not due: the process that committed it sends it
