"""les cahiers de l'observatoire: numbered publications with ordered sections and a frozen snapshot; when an
action's authors agreed to its publication in them

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create cahier and cahier_section; add field_action.cahiers_consent_at (no action has agreed yet)."""
    op.create_table('cahier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('editorial', sa.Text(), nullable=False),
    sa.Column('credits', sa.Text(), nullable=False),
    sa.Column('licence', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('identifier', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_cahier_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_cahier_published_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cahier')),
    sa.UniqueConstraint('identifier', name=op.f('uq_cahier_identifier')),
    sa.UniqueConstraint('number', name=op.f('uq_cahier_number'))
    )
    op.create_index(op.f('ix_cahier_status'), 'cahier', ['status'], unique=False)
    op.create_table('cahier_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cahier_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=True),
    sa.Column('figure', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('heading', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['cahier_id'], ['cahier.id'], name=op.f('fk_cahier_section_cahier_id_cahier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cahier_section')),
    sa.UniqueConstraint('cahier_id', 'position', name='uq_cahier_section_position')
    )
    op.create_index(op.f('ix_cahier_section_cahier_id'), 'cahier_section', ['cahier_id'], unique=False)
    op.add_column('field_action', sa.Column('cahiers_consent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop the cahiers and the consent column."""
    with op.batch_alter_table('field_action') as batch:
        batch.drop_column('cahiers_consent_at')
    op.drop_index(op.f('ix_cahier_section_cahier_id'), table_name='cahier_section')
    op.drop_table('cahier_section')
    op.drop_index(op.f('ix_cahier_status'), table_name='cahier')
    op.drop_table('cahier')
