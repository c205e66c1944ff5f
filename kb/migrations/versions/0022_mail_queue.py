"""mails wait in the database until the mail server accepted them

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create mail_queue."""
    op.create_table(
        'mail_queue',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('reply_to', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column('attachments', sa.LargeBinary(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), server_default='', nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_queue')),
    )
    op.create_index(op.f('ix_mail_queue_next_attempt_at'), 'mail_queue', ['next_attempt_at'], unique=False)


def downgrade() -> None:
    """Drop it (mails still waiting are lost: send them first with `observatoire mail send`)."""
    op.drop_index(op.f('ix_mail_queue_next_attempt_at'), table_name='mail_queue')
    op.drop_table('mail_queue')
