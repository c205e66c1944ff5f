"""managed vocabularies: a term's definition, synonyms and status, and the aliases merged terms leave behind

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Existing tags become validated terms without definition or synonyms."""
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("definition", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("synonyms", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("status", sa.String(length=20), nullable=False, server_default="validee"))
        batch_op.add_column(sa.Column("proposed_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_tag_proposed_by_id_user_account"), "user_account",
                                    ["proposed_by_id"], ["id"], ondelete="SET NULL")
    op.create_table(
        "tag_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], name=op.f("fk_tag_alias_tag_id_tag"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_alias")),
        sa.UniqueConstraint("kind", "slug", name="uq_tag_alias_kind_slug"),
    )
    op.create_index(op.f("ix_tag_alias_tag_id"), "tag_alias", ["tag_id"], unique=False)


def downgrade() -> None:
    """Drop the aliases and the term columns."""
    op.drop_index(op.f("ix_tag_alias_tag_id"), table_name="tag_alias")
    op.drop_table("tag_alias")
    with op.batch_alter_table("tag", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tag_proposed_by_id_user_account"), type_="foreignkey")
        for name in ("proposed_by_id", "status", "synonyms", "definition"):
            batch_op.drop_column(name)
