"""Alembic environment: runs on the connection `advisor.migrations.upgrade` hands it (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

from advisor.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them; batch mode does that for it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
