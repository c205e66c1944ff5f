"""The search outbox: one row per document to refresh, written in the data's own transaction."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from kb.models.base import created_at_field


class IndexChange(SQLModel, table=True):
    """A search document (kind, object id) to re-read from the database and write to the index."""

    __tablename__ = "index_change"

    id: int | None = Field(default=None, primary_key=True)
    doc_kind: str = Field(max_length=20)
    object_id: int
    created_at: datetime = created_at_field()
