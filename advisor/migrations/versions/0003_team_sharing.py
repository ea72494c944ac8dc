"""Items shared with the team: a flag on the web app's ownership rows (existing items stay private)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `web_owned_items.shared`, false for every existing row."""
    with op.batch_alter_table("web_owned_items") as batch_op:
        batch_op.add_column(sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    """Drop the flag."""
    with op.batch_alter_table("web_owned_items") as batch_op:
        batch_op.drop_column("shared")
