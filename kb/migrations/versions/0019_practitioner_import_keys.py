"""practitioners remember where they were imported from: source, external id

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 01:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add practitioner.source and external_id (NULL for people typed in the app)."""
    with op.batch_alter_table('practitioner') as batch:
        batch.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
        batch.add_column(sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.create_index('uq_practitioner_source_external', 'practitioner', ['source', 'external_id'], unique=True)


def downgrade() -> None:
    """Drop them."""
    op.drop_index('uq_practitioner_source_external', table_name='practitioner')
    with op.batch_alter_table('practitioner') as batch:
        batch.drop_column('external_id')
        batch.drop_column('source')
