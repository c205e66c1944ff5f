"""The search outbox, the version of each search document and the content revision, written in the data's own
transaction."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from kb.models.base import created_at_field


class IndexChange(SQLModel, table=True):
    """A search document (kind, object id) to re-read from the database and write to the index.

    ``version`` is the document's version (``IndexVersion``) after the change that wrote this row:
    the row may go once the index holds that version or a newer one.
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
