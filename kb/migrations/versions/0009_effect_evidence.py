"""effect evidence: how an effect is known, by whom, when, and the indicator before and after

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the evidence columns (existing effects: evidence not given)."""
    with op.batch_alter_table("effect", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence_kind", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("observer", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("observed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("value_before", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("value_after", sa.Float(), nullable=True))


def downgrade() -> None:
    """Drop the evidence columns."""
    with op.batch_alter_table("effect", schema=None) as batch_op:
        for name in ("value_after", "value_before", "observed_on", "observer", "evidence_kind"):
            batch_op.drop_column(name)
