"""actions remember where they were imported from: source, external id

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add field_action.source and external_id (NULL for actions typed in the app)."""
    with op.batch_alter_table('field_action') as batch:
        batch.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
        batch.add_column(sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.create_index('uq_field_action_source_external', 'field_action', ['source', 'external_id'], unique=True)


def downgrade() -> None:
    """Drop them."""
    op.drop_index('uq_field_action_source_external', table_name='field_action')
    with op.batch_alter_table('field_action') as batch:
        batch.drop_column('external_id')
        batch.drop_column('source')
