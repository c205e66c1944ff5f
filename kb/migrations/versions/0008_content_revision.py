"""content revision: one counter moved by every commit that changes what pages show

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the counter (its row is written by the first commit that changes content)."""
    op.create_table(
        "content_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_revision")),
    )


def downgrade() -> None:
    """Drop the counter."""
    op.drop_table("content_revision")
