"""organisations remember where they were imported from: source, external id, SIRET

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 01:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add organisation.siret, source, external_id (NULL for records typed in the app)."""
    with op.batch_alter_table('organisation') as batch:
        batch.add_column(sa.Column('siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True))
        batch.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
        batch.add_column(sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.create_index(op.f('ix_organisation_siret'), 'organisation', ['siret'], unique=False)
    op.create_index('uq_organisation_source_external', 'organisation', ['source', 'external_id'], unique=True)


def downgrade() -> None:
    """Drop them."""
    op.drop_index('uq_organisation_source_external', table_name='organisation')
    op.drop_index(op.f('ix_organisation_siret'), table_name='organisation')
    with op.batch_alter_table('organisation') as batch:
        batch.drop_column('external_id')
        batch.drop_column('source')
        batch.drop_column('siret')
