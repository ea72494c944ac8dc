"""State storage: one SQLAlchemy engine per database URL (SQLite under ADVISOR_HOME by default, or PostgreSQL).

The schema belongs to the Alembic revisions in `advisor/migrations/`, applied when a process first opens the
database; the models only describe it. A model that declares something no revision creates is reported at once
with the command that writes the missing revision, instead of failing later on a missing column.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, String, create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from advisor.config import Settings
from advisor.errors import ConfigError


class Base(DeclarativeBase):
    """Declarative base shared by every table of the product's state."""


class StateError(ConfigError):
    """The state database cannot be used as it is (unreachable, or its schema does not match the code)."""


class SharedSecret(Base):
    """A random secret every worker reads from the database (for example the key that signs page sessions)."""

    __tablename__ = "shared_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


_engines: dict[str, Engine] = {}
_checked_tables: dict[str, int] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer under several web workers
    cursor.execute("PRAGMA busy_timeout=10000")  # writers from other workers wait instead of failing at once
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def is_sqlite(url: str) -> bool:
    """Whether a database URL names SQLite."""
    return url.startswith("sqlite")


def _create_engine(settings: Settings) -> Engine:
    url = settings.state_url
    if is_sqlite(url):
        settings.home.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise StateError(
            f"No driver for {url.split('://')[0]}: install it (`pip install 'psycopg[binary]'` for "
            "postgresql+psycopg://) or fix ADVISOR_DATABASE_URL."
        ) from exc


def get_engine(settings: Settings) -> Engine:
    """The engine for the settings' state database, migrated to the latest revision on first use."""
    from advisor.migrations import check_models, upgrade

    url = settings.state_url
    with _lock:
        if url not in _engines:
            engine = _create_engine(settings)
            upgrade(engine, lock_path=settings.home / "state.migrate.lock" if is_sqlite(url) else None)
            _engines[url] = engine
        if _checked_tables.get(url) != len(Base.metadata.tables):
            # model modules are imported lazily by the features that use them; check each newcomer once
            check_models(_engines[url])
            _checked_tables[url] = len(Base.metadata.tables)
        return _engines[url]


def dispose_engines() -> None:
    """Close every pooled connection (tests and forked workers start afresh)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _checked_tables.clear()


@contextmanager
def session(settings: Settings) -> Iterator[Session]:
    """A transactional session: committed on success, rolled back on error."""
    with Session(get_engine(settings), expire_on_commit=False) as db:
        try:
            yield db
            db.commit()
        except Exception:
            db.rollback()
            raise


def shared_secret(settings: Settings, name: str) -> str:
    """The named secret, created once for the whole deployment (the first worker to ask writes it)."""
    with session(settings) as db:
        row = db.get(SharedSecret, name)
        if row is not None:
            return row.value
    try:
        with session(settings) as db:
            db.add(SharedSecret(name=name, value=secrets.token_hex(32), created_at=datetime.now(UTC)))
    except IntegrityError:
        pass  # another worker wrote it first; everyone uses that one
    with session(settings) as db:
        row = db.get(SharedSecret, name)
        assert row is not None
        return row.value
