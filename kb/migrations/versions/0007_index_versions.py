"""index versions: index_version table, version of each outbox row

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the per-document version counter; outbox rows carry the version they were written for."""
    op.create_table(
        "index_version",
        sa.Column("doc_kind", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("doc_kind", "object_id", name=op.f("pk_index_version")),
    )
    with op.batch_alter_table("index_change", schema=None) as batch_op:
        # Rows written before versions existed are version 0: any indexed document covers them.
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("0")))


def downgrade() -> None:
    """Drop the versions."""
    with op.batch_alter_table("index_change", schema=None) as batch_op:
        batch_op.drop_column("version")
    op.drop_table("index_version")
