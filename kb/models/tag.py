"""Tags: managed vocabularies of publics and themes (label, definition, synonyms), and trainers' workshop tags."""

from __future__ import annotations

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

TERM_STATUSES = {"validee": "Validé", "proposee": "Proposé, en attente"}


class ActionTag(SQLModel, table=True):
    """A tag on a field action."""

    __tablename__ = "action_tag"

    action_id: int = Field(foreign_key="field_action.id", primary_key=True, ondelete="CASCADE")
    # Indexed on its own too: counting a term's actions starts from the term, not from the action.
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE", index=True)


class Tag(SQLModel, table=True):
    """A term of one kind: theme (thème), public, or workshop (atelier, set by trainers).

    Authors pick publics and themes from the validated terms; a term they type that the list does not
    know (by label or synonym) is proposed and waits for a trainer, who validates it, merges it into
    another or deletes it."""

    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("kind", "slug", name="uq_tag_kind_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    name: str = Field(max_length=100)
    slug: str = Field(max_length=100)
    definition: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # Other ways to say it, one per line: typed in a form, they pick this term; searched, they find its actions.
    synonyms: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    status: str = Field(default="validee", max_length=20, sa_column_kwargs={"server_default": "validee"})
    proposed_by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")

    @property
    def synonym_list(self) -> list[str]:
        """The synonyms, one per item."""
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]

    @property
    def validated(self) -> bool:
        """Whether trainers accepted the term (a proposal is not offered in filters and facets)."""
        return self.status == "validee"


class TagAlias(SQLModel, table=True):
    """The URL name of a term merged into another: links to it lead to the term it became."""

    __tablename__ = "tag_alias"
    __table_args__ = (UniqueConstraint("kind", "slug", name="uq_tag_alias_kind_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    slug: str = Field(max_length=100)
    tag_id: int = Field(foreign_key="tag.id", index=True, ondelete="CASCADE")
