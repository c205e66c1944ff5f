"""The search change log, the version of each search document and the content revision, written in the data's own
transaction; the position each index directory reached in the log."""

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from kb.models.base import created_at_field


class IndexChange(SQLModel, table=True):
    """One entry of the change log: a search document (kind, object id) to re-read and write to each index.

    ``id`` is the change's sequence number, handed out by ``IndexLogHead`` in commit order (never by the
    table's own sequence): an index that applied number N has seen every change up to N. ``version`` is the
    document's version (``IndexVersion``) after the change. Rows are pruned once every index passed them.
    """

    __tablename__ = "index_change"

    id: int | None = Field(default=None, primary_key=True)
    doc_kind: str = Field(max_length=20)
    object_id: int
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = created_at_field()


class IndexVersion(SQLModel, table=True):
    """How many committed changes touched a search document: its version, compared before each index write.

    Incremented in the transaction that changes the data (the row stays locked until it commits), so
    versions of one document follow the commit order even when ids and clocks do not. The row outlives
    the record: a deletion is a version too, and an id reused later keeps counting up.
    """

    __tablename__ = "index_version"

    doc_kind: str = Field(max_length=20, primary_key=True)
    object_id: int = Field(primary_key=True)
    version: int = 0


class ContentRevision(SQLModel, table=True):
    """How many commits changed what pages show (one row): pages kept for anonymous readers are valid while
    it stays the same (``kb.indexing.revision``)."""

    __tablename__ = "content_revision"

    id: int = Field(default=1, primary_key=True)
    value: int = 0


class IndexLogHead(SQLModel, table=True):
    """The change log's last sequence number (one row). Counted up at the end of each transaction that changes
    searchable data; its row lock, held until the commit, makes numbers follow the commit order. ``pruned_to``:
    entries up to it are gone (an index behind it compares every document instead)."""

    __tablename__ = "index_log_head"

    id: int = Field(default=1, primary_key=True)
    last_seq: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))
    pruned_to: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))
    # Which log this is: written by the migration, drawn again by a restore (indexes that followed the database
    # before it compare every document instead of trusting their position).
    log_id: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})


class IndexCursor(SQLModel, table=True):
    """How far one index directory (of one host) applied the change log: pruning waits for the slowest index
    seen lately, and ``index check`` reports each one's lag."""

    __tablename__ = "index_cursor"

    name: str = Field(primary_key=True, max_length=64)
    host: str = Field(default="", max_length=300)
    applied: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))
    updated_at: datetime = created_at_field()
