"""seminar registrations: bulletins, trainees, seats (capacity enforced by the database), presence,
history, invoices and credit notes with their counters

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 21:45:11.624807
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the registration tables; seminars get a capacity, registration dates, hours and what to bring."""
    op.create_table('invoice_counter',
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'year', name=op.f('pk_invoice_counter'))
    )
    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seminar_id', sa.Integer(), nullable=False),
    sa.Column('option', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('organisation_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('director', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('postal_code', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('commune', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('commune_insee', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('fax', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('siret', sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
    sa.Column('signer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('signer_function', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('unit_price_eur', sa.Integer(), nullable=False),
    sa.Column('token_nonce', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_received_on', sa.Date(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_registration_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seminar_id'], ['seminar.id'], name=op.f('fk_registration_seminar_id_seminar'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('reference', name=op.f('uq_registration_reference'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_seminar_id'), ['seminar_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_status'), ['status'], unique=False)

    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_eur', sa.Integer(), nullable=False),
    sa.Column('amount_eur', sa.Integer(), nullable=False),
    sa.Column('lines', sa.Text(), nullable=False),
    sa.Column('credits_id', sa.Integer(), nullable=True),
    sa.Column('credited', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['credits_id'], ['invoice.id'], name=op.f('fk_invoice_credits_id_invoice')),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_invoice_registration_id_registration'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('kind', 'year', 'number', name='uq_invoice_number')
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_registration_id'), ['registration_id'], unique=False)

    op.create_table('registration_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_registration_event_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_event'))
    )
    with op.batch_alter_table('registration_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_event_registration_id'), ['registration_id'], unique=False)

    op.create_table('trainee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('function', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_trainee_registration_id_registration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainee'))
    )
    with op.batch_alter_table('trainee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainee_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainee_state'), ['state'], unique=False)

    op.create_table('seminar_presence',
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('half', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainee.id'], name=op.f('fk_seminar_presence_trainee_id_trainee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('trainee_id', 'day', 'half', name=op.f('pk_seminar_presence'))
    )
    op.create_table('seminar_seat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seminar_id', sa.Integer(), nullable=False),
    sa.Column('option', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['seminar_id'], ['seminar.id'], name=op.f('fk_seminar_seat_seminar_id_seminar'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainee.id'], name=op.f('fk_seminar_seat_trainee_id_trainee'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seminar_seat')),
    sa.UniqueConstraint('seminar_id', 'option', 'number', name='uq_seminar_seat_number'),
    sa.UniqueConstraint('trainee_id', name=op.f('uq_seminar_seat_trainee_id'))
    )
    with op.batch_alter_table('seminar_seat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seminar_seat_seminar_id'), ['seminar_id'], unique=False)

    with op.batch_alter_table('seminar', schema=None) as batch_op:
        batch_op.add_column(sa.Column('capacity', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('opens_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closes_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('hours', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False,
                                      server_default='9 h 30 – 12 h 30 et 13 h 30 – 16 h 30'))
        batch_op.add_column(sa.Column('to_bring', sa.Text(), nullable=False, server_default=''))



def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table('seminar', schema=None) as batch_op:
        batch_op.drop_column('to_bring')
        batch_op.drop_column('hours')
        batch_op.drop_column('closes_on')
        batch_op.drop_column('opens_on')
        batch_op.drop_column('capacity')

    with op.batch_alter_table('seminar_seat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seminar_seat_seminar_id'))

    op.drop_table('seminar_seat')
    op.drop_table('seminar_presence')
    with op.batch_alter_table('trainee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainee_state'))
        batch_op.drop_index(batch_op.f('ix_trainee_registration_id'))

    op.drop_table('trainee')
    with op.batch_alter_table('registration_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_event_registration_id'))

    op.drop_table('registration_event')
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_registration_id'))

    op.drop_table('invoice')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_status'))
        batch_op.drop_index(batch_op.f('ix_registration_seminar_id'))

    op.drop_table('registration')
    op.drop_table('invoice_counter')
