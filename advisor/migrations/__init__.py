"""Schema migrations: Alembic revisions in `versions/`, applied on start-up by `advisor.db.get_engine`.

Several workers may start at once: PostgreSQL serialises them with an advisory lock held for the upgrade's
transaction, SQLite with a lock file beside the database. To change a model, add a revision:
`python -m advisor.migrations revision "what changed"` writes one from the difference between the models and the
latest revision; read it, then commit it with the model.
"""

from __future__ import annotations

import fcntl
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text

SCRIPT_DIR = Path(__file__).resolve().parent
_PG_LOCK_KEY = 7_316_852_004  # any constant shared by every worker of the deployment
# Every module that declares tables: what autogenerate and the schema test compare against the revisions.
TABLE_MODULES = (
    "advisor.db",
    "advisor.users",
    "advisor.audit",
    "advisor.filestore",
    "advisor.counters",
    "advisor.chat.memory",
    "advisor.org.store",
    "api.ownership",
    "api.feedback",
)


def import_models() -> None:
    """Import every table module, so `Base.metadata` holds the whole schema."""
    for name in TABLE_MODULES:
        importlib.import_module(name)


def _config(connection: Connection | None = None) -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_DIR))
    config.attributes["connection"] = connection
    return config


@contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine, *, lock_path: Path | None = None, revision: str = "heads") -> None:
    """Bring the database to `revision` (the latest of every branch by default); a no-op when it is there already."""
    from alembic import command

    with _file_lock(lock_path), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(_config(connection), revision)  # type: ignore[arg-type]


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database is at (empty before any migration ran)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> set[str]:
    """The latest revision of each branch in `versions/` (one, unless two changes were written in parallel)."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory(str(SCRIPT_DIR)).get_heads())


def missing_from_schema(engine: Engine) -> list[str]:
    """Tables and columns the imported models declare but the database lacks, as `table` or `table.column`."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from advisor.db import Base

    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    missing = []
    for diff in diffs:
        if isinstance(diff, tuple) and diff[0] == "add_table":
            missing.append(diff[1].name)
        elif isinstance(diff, tuple) and diff[0] == "add_column":
            missing.append(f"{diff[2]}.{diff[3].name}")
    return sorted(missing)


def check_models(engine: Engine) -> None:
    """StateError naming what the models declare that no revision creates, with the command that writes it."""
    from advisor.db import StateError

    missing = missing_from_schema(engine)
    if missing:
        raise StateError(
            f"The models declare {', '.join(missing)} but no migration creates them: run "
            '`python -m advisor.migrations revision "what changed"` and commit the new file in '
            "advisor/migrations/versions/."
        )
