"""State storage: one SQLAlchemy engine per database URL (SQLite under ADVISOR_HOME by default)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session

from advisor.config import Settings


class Base(DeclarativeBase):
    """Declarative base shared by every table of the product's state."""


_engines: dict[str, Engine] = {}
_tables_created: dict[str, int] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer under several web workers
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine(settings: Settings) -> Engine:
    """The engine for the settings' state database, created once; tables registered since are created too."""
    url = settings.state_url
    with _lock:
        if url not in _engines:
            if url.startswith("sqlite:///"):
                settings.home.mkdir(parents=True, exist_ok=True)
                engine = create_engine(url, connect_args={"check_same_thread": False})
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            _engines[url] = engine
        if _tables_created.get(url) != len(Base.metadata.tables):
            # table modules are imported lazily by the features that use them
            Base.metadata.create_all(_engines[url])
            _tables_created[url] = len(Base.metadata.tables)
        return _engines[url]


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
