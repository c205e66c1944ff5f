"""Outgoing mail: queued by services on the database session, sent after the request's commit.

Backends (``KB_MAIL_BACKEND``): ``smtp`` (``KB_SMTP_*`` settings), ``file`` (one ``.eml`` per
message in ``KB_MAIL_DIR``, the default for development and tests) and ``log``. A mail is never
sent for a change that was rolled back, and a failing SMTP server never loses the committed data.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlmodel import Session

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


def queue(session: Session, mail: Mail) -> None:
    """Send ``mail`` once the session's transaction is committed (services call this, never SMTP)."""
    session.info.setdefault("mails", []).append(mail)


def _forget(session, previous_transaction) -> None:
    if previous_transaction.parent is not None:  # a savepoint rolled back: the outer transaction may still commit
        return
    session.info.pop("mails", None)


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


def deliver(app: Flask, mail: Mail) -> None:
    """Send one message with the configured backend; failures are logged, not raised."""
    backend = app.config["MAIL_BACKEND"]
    try:
        msg = _message(app, mail)  # refuses header injection (a line break in a subject) with ValueError
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
    except (OSError, ValueError, smtplib.SMTPException):
        log.exception("Could not send mail %r to %s", mail.subject, mail.to)


def send_queued(app: Flask, session: Session) -> None:
    """Deliver the mails queued on a committed session."""
    for mail in session.info.pop("mails", []):
        deliver(app, mail)


def sent_mails(app: Flask) -> list[EmailMessage]:
    """Messages written by the file backend, oldest first (tests and local checks)."""
    from email import policy
    from email.parser import BytesParser

    folder = Path(app.config["MAIL_DIR"])
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.is_dir() else []
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in files]


def init_app(app: Flask) -> None:
    """Forget the mails of rolled-back sessions."""
    if not event.contains(Session, "after_soft_rollback", _forget):
        event.listen(Session, "after_soft_rollback", _forget)
