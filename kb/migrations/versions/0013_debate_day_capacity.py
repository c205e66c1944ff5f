"""debate day capacity: places for the people who register themselves

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 21:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the capacity (none for existing days)."""
    with op.batch_alter_table("debate_day", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop the capacity."""
    with op.batch_alter_table("debate_day", schema=None) as batch_op:
        batch_op.drop_column("capacity")
