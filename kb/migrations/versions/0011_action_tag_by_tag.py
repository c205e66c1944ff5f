"""action_tag by tag: an index to go from a term to its actions (vocabulary counts, facets, filters)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 19:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Index the tag side of the link table (its primary key starts with the action)."""
    op.create_index(op.f("ix_action_tag_tag_id"), "action_tag", ["tag_id"], unique=False)


def downgrade() -> None:
    """Drop the index."""
    op.drop_index(op.f("ix_action_tag_tag_id"), table_name="action_tag")
