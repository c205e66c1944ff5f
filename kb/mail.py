"""Outgoing mail: queued by services in the database session, sent after the request's commit.

Backends (``KB_MAIL_BACKEND``): ``smtp`` (``KB_SMTP_*`` settings), ``file`` (one ``.eml`` per
message in ``KB_MAIL_DIR``, the default for development and tests) and ``log``. A mail is never
sent for a change that was rolled back, and a failing SMTP server loses neither the committed data
nor the mail: each one is a ``QueuedMail`` row written in the same transaction, deleted once the
server accepted it; a failed one is tried again later (``retry_due``: after commits, at start-up and
by ``observatoire mail send``), waiting longer after each failure.
"""

from __future__ import annotations

import base64
import json
import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, event, func, select, update
from sqlmodel import Session

from kb.models import QueuedMail
from kb.models.base import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    """A plain-text message to one recipient, with files attached if any."""

    to: str
    subject: str
    body: str
    reply_to: str | None = None
    # (file name, MIME type such as "text/calendar", content) of each attached file
    attachments: tuple[tuple[str, str, bytes], ...] = ()


# Time a request holds the mails it queued (it sends them right after its commit), and the waits after failures.
CLAIM = timedelta(minutes=10)
PERMANENT = "permanent: "  # a failure no later attempt can change (the message itself is wrong)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6))


def queue(session: Session, mail: Mail) -> None:
    """Send ``mail`` once the session's transaction is committed (services call this, never SMTP)."""
    row = QueuedMail(recipient=mail.to, subject=mail.subject, body=mail.body, reply_to=mail.reply_to,
                     attachments=json.dumps([[name, kind, base64.b64encode(data).decode()]
                                             for name, kind, data in mail.attachments]).encode(),
                     next_attempt_at=utcnow() + CLAIM)  # set again at commit (_claim_at_commit)
    session.add(row)
    session.info.setdefault("mails", []).append(mail)
    session.info.setdefault("mail_rows", []).append(row)


def discard_queued(session: Session) -> int:
    """Forget the mails this session queued (invented data: the demo); returns how many."""
    session.info.pop("mails", None)
    rows = session.info.pop("mail_rows", [])
    for row in rows:
        if row in session.new:
            session.expunge(row)
        else:
            session.delete(row)
    session.flush()
    return len(rows)


def _claim_at_commit(session) -> None:
    """The claim of the mails a transaction queued starts when they become visible: a long transaction (an
    import) must not commit them already due, for another process to send while this one does."""
    for row in session.info.get("mail_rows", ()):
        row.next_attempt_at = utcnow() + CLAIM


def _mail_of(row: QueuedMail) -> Mail:
    return Mail(to=row.recipient, subject=row.subject, body=row.body, reply_to=row.reply_to,
                attachments=tuple((name, kind, base64.b64decode(data)) for name, kind, data in json.loads(row.attachments)))


def _forget(session, previous_transaction) -> None:
    if previous_transaction.parent is not None:  # a savepoint rolled back: the outer transaction may still commit
        return
    session.info.pop("mails", None)
    session.info.pop("mail_rows", None)


def _message(app: Flask, mail: Mail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = app.config["MAIL_FROM"]
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="observatoire-isic.local")
    if mail.reply_to:
        msg["Reply-To"] = mail.reply_to
    msg.set_content(mail.body)
    for filename, mimetype, content in mail.attachments:
        maintype, subtype = mimetype.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def deliver(app: Flask, mail: Mail) -> str | None:
    """Send one message with the configured backend; returns None, or why it failed (logged, not raised)."""
    backend = app.config["MAIL_BACKEND"]
    try:
        msg = _message(app, mail)  # refuses header injection (a line break in a subject) with ValueError
    except ValueError as exc:  # no later attempt can send it: dropped, loudly
        log.error("Mail %r to %s cannot be written, dropped: %s", mail.subject, mail.to, exc)
        return f"{PERMANENT}{exc}"[:2000]
    try:
        if backend == "smtp":
            with smtplib.SMTP(app.config["SMTP_HOST"], app.config["SMTP_PORT"], timeout=20) as smtp:
                if app.config["SMTP_STARTTLS"]:
                    smtp.starttls()
                if app.config["SMTP_USER"]:
                    smtp.login(app.config["SMTP_USER"], app.config["SMTP_PASSWORD"])
                smtp.send_message(msg)
        elif backend == "file":
            folder = Path(app.config["MAIL_DIR"])
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(msg))
        else:
            log.info("Mail to %s: %s\n%s", mail.to, mail.subject, mail.body)
    except (OSError, ValueError, smtplib.SMTPException) as exc:
        log.exception("Could not send mail %r to %s, kept to try again", mail.subject, mail.to)
        return f"{type(exc).__name__}: {exc}"[:2000]
    return None


def _sent(app: Flask, row_id: int, attempts: int, error: str | None) -> None:
    """Forget a delivered mail, or set when to try a failed one again."""
    from kb.db import new_session

    with new_session(app) as session:
        if error is None or error.startswith(PERMANENT):
            session.execute(delete(QueuedMail).where(QueuedMail.id == row_id))
        else:
            wait = BACKOFF[min(attempts, len(BACKOFF) - 1)]
            session.execute(update(QueuedMail).where(QueuedMail.id == row_id).values(
                attempts=attempts + 1, last_error=error, next_attempt_at=utcnow() + wait))
        session.commit()


def send_queued(app: Flask, session: Session) -> None:
    """Deliver the mails queued on a committed session (they are its to send: nobody else claims them yet)."""
    session.info.pop("mails", None)
    for row in session.info.pop("mail_rows", []):
        try:
            _sent(app, row.id, row.attempts, deliver(app, _mail_of(row)))
        except Exception:  # the row stays queued: retry_due sends it once its claim expires
            log.exception("mail %s left in the queue", row.id)


def retry_due(app: Flask, limit: int = 50) -> int:
    """Send the queued mails whose time has come, each claimed first (two processes never send one twice);
    returns how many were delivered."""
    from kb.db import new_session

    delivered = 0
    with new_session(app) as session:
        due = session.execute(select(QueuedMail.id).where(QueuedMail.next_attempt_at <= utcnow())
                              .order_by(QueuedMail.next_attempt_at).limit(limit)).scalars().all()
    for row_id in due:
        with new_session(app) as session:
            claimed = session.execute(update(QueuedMail).where(
                QueuedMail.id == row_id, QueuedMail.next_attempt_at <= utcnow()).values(
                next_attempt_at=utcnow() + CLAIM)).rowcount
            session.commit()
            row = session.get(QueuedMail, row_id) if claimed else None
            if row is None:
                continue
            mail, attempts = _mail_of(row), row.attempts
        error = deliver(app, mail)
        _sent(app, row_id, attempts, error)
        delivered += error is None
    return delivered


def waiting(session: Session) -> int:
    """How many mails wait for the mail server (`/healthz`, `/metrics`)."""
    return session.execute(select(func.count()).select_from(QueuedMail)).scalar_one()


def sent_mails(app: Flask) -> list[EmailMessage]:
    """Messages written by the file backend, oldest first (tests and local checks)."""
    from email import policy
    from email.parser import BytesParser

    folder = Path(app.config["MAIL_DIR"])
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.is_dir() else []
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in files]


@click.group("mail")
def mail_cli() -> None:
    """Courriels : envoyer ceux qui attendent."""


@mail_cli.command("send")
@with_appcontext
def send_command() -> None:
    """Envoyer les courriels en attente dont l'heure est venue (après une panne du serveur de courrier)."""
    from kb.db import new_session

    app = current_app._get_current_object()
    total = 0
    while sent := retry_due(app):
        total += sent
        click.echo(f"  {total} courriel(s) envoyé(s)…", err=True)
    with new_session(app) as session:
        left = waiting(session)
    click.echo(f"Courriels envoyés : {total} ; encore en attente : {left}.", err=True)


def _retry_after_commit(app: Flask) -> None:
    try:
        retry_due(app, limit=5)
    except Exception:  # after the user's commit: never an error page
        log.exception("queued mails not retried")


def init_app(app: Flask) -> None:
    """Forget the mails of rolled-back sessions; retry queued ones after commits; the `mail` commands."""
    if not event.contains(Session, "after_soft_rollback", _forget):
        event.listen(Session, "after_soft_rollback", _forget)
    if not event.contains(Session, "before_commit", _claim_at_commit):
        event.listen(Session, "before_commit", _claim_at_commit)
    app.extensions.setdefault("kb_after_commit", []).append(_retry_after_commit)
    app.cli.add_command(mail_cli)
