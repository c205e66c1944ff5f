"""Mails waiting to be sent: written in the transaction that decides them, removed once delivered."""

from datetime import datetime

from sqlalchemy import Column, DateTime, LargeBinary, Text
from sqlmodel import Field, SQLModel

from kb.models.base import created_at_field


class QueuedMail(SQLModel, table=True):
    """One message to one recipient, until the mail server accepted it.

    ``next_attempt_at`` is also a claim: the request that queued it sends it right after its commit and holds
    it meanwhile; a failed delivery waits longer after each attempt (``kb.mail.retry_due`` sends it again).
    """

    __tablename__ = "mail_queue"

    id: int | None = Field(default=None, primary_key=True)
    recipient: str = Field(max_length=320)
    subject: str = Field(sa_column=Column(Text, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    reply_to: str | None = Field(default=None, max_length=320)
    # JSON list of [file name, MIME type, base64 content]
    attachments: bytes = Field(default=b"[]", sa_column=Column(LargeBinary, nullable=False))
    attempts: int = 0
    last_error: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    next_attempt_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    created_at: datetime = created_at_field()
