"""Baseline: the tables `create_all` made before migrations existed (conversations, turns, uploaded orgs).

Each table is created only when missing, so a database from before migrations (which created tables lazily, as
features were first used) is brought to this revision without touching its rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create whichever baseline tables are missing."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "chat_conversations" not in existing:
        op.create_table(
            "chat_conversations",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("title", sa.String(200), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        )
    if "chat_turns" not in existing:
        op.create_table(
            "chat_turns",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column(
                "conversation_id",
                sa.String(64),
                sa.ForeignKey("chat_conversations.id", ondelete="CASCADE"),
                nullable=False,
            ),
            sa.Column("question", sa.Text, nullable=False),
            sa.Column("standalone", sa.Text, nullable=False),
            sa.Column("answer", sa.Text, nullable=False),
            sa.Column("answer_json", sa.Text, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        )
        op.create_index("ix_chat_turns_conversation_id", "chat_turns", ["conversation_id"])
    if "org_uploads" not in existing:
        op.create_table(
            "org_uploads",
            sa.Column("id", sa.String(32), primary_key=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("filename", sa.String(200), nullable=False),
            sa.Column("status", sa.String(20), nullable=False),
            sa.Column("mapping", sa.Text, nullable=False),
            sa.Column("dayfirst", sa.Boolean, nullable=False),
            sa.Column("has_profile", sa.Boolean, nullable=False),
            sa.Column("rows", sa.Integer, nullable=False),
            sa.Column("issues", sa.Integer, nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("message", sa.Text, nullable=False),
        )


def downgrade() -> None:
    """Drop the baseline tables."""
    op.drop_table("chat_turns")
    op.drop_table("chat_conversations")
    op.drop_table("org_uploads")
