"""workshop join requests: a group's capacity, and professionals' requests that its trainers decide

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the capacity (none for existing groups) and the requests."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
    op.create_table(
        "workshop_join_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["workshop_id"], ["workshop.id"],
                                name=op.f("fk_workshop_join_request_workshop_id_workshop"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioner.id"],
                                name=op.f("fk_workshop_join_request_practitioner_id_practitioner"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["account_id"], ["user_account.id"],
                                name=op.f("fk_workshop_join_request_account_id_user_account"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"],
                                name=op.f("fk_workshop_join_request_decided_by_id_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_join_request")),
    )
    op.create_index(op.f("ix_workshop_join_request_workshop_id"), "workshop_join_request", ["workshop_id"])
    op.create_index(op.f("ix_workshop_join_request_practitioner_id"), "workshop_join_request", ["practitioner_id"])


def downgrade() -> None:
    """Drop the requests and the capacity."""
    op.drop_index(op.f("ix_workshop_join_request_practitioner_id"), table_name="workshop_join_request")
    op.drop_index(op.f("ix_workshop_join_request_workshop_id"), table_name="workshop_join_request")
    op.drop_table("workshop_join_request")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("capacity")
