"""Stored files (uploaded rosters, org profiles) kept in the state database, so every web worker on every machine
reads the same bytes; keys are paths such as `orgs/<id>/roster.csv`."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from advisor.config import Settings
from advisor.db import Base, session
from advisor.errors import NotFoundError

_KEY = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*$")


class StoredFile(Base):
    """One file's bytes."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _checked(key: str) -> str:
    if not _KEY.match(key) or ".." in key.split("/"):
        raise ValueError(f"Not a stored-file key: {key!r}")
    return key


def put_file(settings: Settings, key: str, data: bytes) -> None:
    """Store (or replace) the bytes under `key`."""
    with session(settings) as db:
        db.merge(StoredFile(key=_checked(key), data=data, size=len(data), created_at=datetime.now(UTC)))


def get_file(settings: Settings, key: str) -> bytes:
    """The bytes under `key`; NotFoundError when nothing is stored there."""
    with session(settings) as db:
        row = db.get(StoredFile, _checked(key))
        if row is None:
            raise NotFoundError(f"The stored file {key} is missing; upload it again.")
        return row.data


def list_files(settings: Settings, prefix: str) -> list[str]:
    """Keys under a folder-like prefix (`orgs/<id>/`), sorted."""
    with session(settings) as db:
        return list(
            db.scalars(
                select(StoredFile.key)
                .where(StoredFile.key.startswith(prefix, autoescape=True))
                .order_by(StoredFile.key)
            )
        )


def delete_files(settings: Settings, prefix: str) -> int:
    """Remove every file under a folder-like prefix; how many were removed."""
    if not prefix.endswith("/"):
        raise ValueError(f"Delete by folder prefix ending in '/': {prefix!r}")
    with session(settings) as db:
        result = db.execute(delete(StoredFile).where(StoredFile.key.startswith(prefix, autoescape=True)))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
