"""the search outbox becomes a change log every index follows: its head, each index's position

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 07:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create index_log_head (one row, numbered after the outbox's last row) and index_cursor."""
    op.create_table(
        'index_log_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('last_seq', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('pruned_to', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('log_id', sqlmodel.sql.sqltypes.AutoString(length=32), server_default='', nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_index_log_head')),
    )
    # Which log this is: an index that followed another one (a database restored from a backup) starts again.
    op.execute("INSERT INTO index_log_head (id, last_seq, pruned_to, log_id) "
               f"SELECT 1, COALESCE(MAX(id), 0), 0, '{uuid.uuid4().hex}' FROM index_change")
    op.create_table(
        'index_cursor',
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('applied', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_index_cursor')),
    )


def downgrade() -> None:
    """Drop them (the outbox's rows stay: an older app drains them)."""
    op.drop_table('index_cursor')
    op.drop_table('index_log_head')
