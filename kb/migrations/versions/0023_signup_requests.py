"""sign-ups wait for their address to be confirmed in a table: the mailed link holds only a random token

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create signup_request."""
    op.create_table(
        'signup_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signup_request')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_signup_request_token_hash')),
    )
    op.create_index(op.f('ix_signup_request_email'), 'signup_request', ['email'], unique=False)


def downgrade() -> None:
    """Drop it (links not yet opened stop working)."""
    op.drop_index(op.f('ix_signup_request_email'), table_name='signup_request')
    op.drop_table('signup_request')
