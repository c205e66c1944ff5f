"""tools library: files in versions with their extracted text, links to workshop sessions, how a tool was
co-built, its licence, who proposed it and its publication state

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 22:36:52.968350
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create tool_file and tool_session; existing tools stay published."""
    op.create_table('tool_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tool_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('mimetype', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('storage_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tool_id'], ['tool.id'], name=op.f('fk_tool_file_tool_id_tool'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_tool_file_uploaded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tool_file')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_tool_file_storage_key')),
    sa.UniqueConstraint('tool_id', 'version', name='uq_tool_file_version')
    )
    with op.batch_alter_table('tool_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tool_file_tool_id'), ['tool_id'], unique=False)

    op.create_table('tool_session',
    sa.Column('tool_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['workshop_session.id'], name=op.f('fk_tool_session_session_id_workshop_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tool_id'], ['tool.id'], name=op.f('fk_tool_session_tool_id_tool'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tool_id', 'session_id', name=op.f('pk_tool_session'))
    )
    with op.batch_alter_table('tool', schema=None) as batch_op:
        batch_op.add_column(sa.Column('co_building', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('partners', sqlmodel.sql.sqltypes.AutoString(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('licence', sqlmodel.sql.sqltypes.AutoString(length=30), server_default='cc-by-sa', nullable=False))
        batch_op.add_column(sa.Column('publication_status', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='publiee', nullable=False))
        batch_op.add_column(sa.Column('proposed_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tool_publication_status'), ['publication_status'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_tool_proposed_by_id_user_account'), 'user_account', ['proposed_by_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table('tool', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tool_proposed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tool_publication_status'))
        batch_op.drop_column('proposed_by_id')
        batch_op.drop_column('publication_status')
        batch_op.drop_column('licence')
        batch_op.drop_column('partners')
        batch_op.drop_column('co_building')

    op.drop_table('tool_session')
    with op.batch_alter_table('tool_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tool_file_tool_id'))

    op.drop_table('tool_file')
