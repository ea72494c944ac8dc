"""Accounts for a team deployment: users with a role, passwords and API tokens, both hashed at rest.

Passwords are stored as scrypt hashes with a per-user salt; API tokens (`adv_` + 256 random bits) as their SHA-256,
so a copy of the database gives neither away. A token is shown once, when it is issued.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import DateTime, ForeignKey, String, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from advisor.config import Settings
from advisor.db import Base, session
from advisor.errors import InputError, NotFoundError

Role = Literal["admin", "member"]
ROLES: tuple[Role, ...] = ("admin", "member")
TOKEN_PREFIX = "adv_"
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,80}$")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def _now() -> datetime:
    return datetime.now(UTC)


class UserRow(Base):
    """One account."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class TokenRow(Base):
    """One API token of a user, stored as its SHA-256."""

    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


@dataclass(frozen=True)
class User:
    """An account as callers see it (no hashes)."""

    id: str
    name: str
    role: Role
    created_at: datetime
    tokens: int = 0

    @property
    def is_admin(self) -> bool:
        """Whether the user may manage accounts and read the audit log."""
        return self.role == "admin"

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


def _public(row: UserRow, tokens: int = 0) -> User:
    return User(row.id, row.name, row.role, row.created_at, tokens)  # type: ignore[arg-type]


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """An scrypt hash with its parameters and salt, as one string."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def password_matches(stored: str, password: str) -> bool:
    """Whether `password` hashes to `stored` (constant-time comparison)."""
    try:
        _scheme, n, r, p, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def token_hash(token: str) -> str:
    """How a token is stored and looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


def _check_new(name: str, role: str, password: str) -> None:
    if not _NAME.match(name):
        raise InputError(f"User name {name!r}: use 1-80 letters, digits or . _ @ - (no spaces).")
    if role not in ROLES:
        raise InputError(f"Role {role!r}: choose one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD:
        raise InputError(f"The password for {name} is too short: use at least {MIN_PASSWORD} characters.")


def add_user(settings: Settings, *, name: str, password: str, role: Role = "member") -> User:
    """Create an account; InputError when the name is taken or the values are unusable."""
    _check_new(name, role, password)
    row = UserRow(id=secrets.token_hex(8), name=name, role=role, password_hash=hash_password(password))
    try:
        with session(settings) as db:
            db.add(row)
    except IntegrityError as exc:
        raise InputError(
            f"A user named {name} exists already; pick another name or remove it first."
        ) from exc
    return _public(row)


def list_users(settings: Settings) -> list[User]:
    """Every account with its number of tokens, by name."""
    with session(settings) as db:
        counts = dict(db.execute(select(TokenRow.user_id, func.count()).group_by(TokenRow.user_id)).all())
        return [
            _public(row, counts.get(row.id, 0)) for row in db.scalars(select(UserRow).order_by(UserRow.name))
        ]


def _row_named(db: object, name: str) -> UserRow:
    row = db.scalar(select(UserRow).where(UserRow.name == name))  # type: ignore[attr-defined]
    if row is None:
        raise NotFoundError(f"No user named {name}; `advisor users list` shows the accounts.")
    return row  # type: ignore[no-any-return]


def remove_user(settings: Settings, *, name: str) -> User:
    """Delete an account and its tokens (what it owns stays, reachable by nobody but an admin's database)."""
    with session(settings) as db:
        row = _row_named(db, name)
        db.execute(delete(TokenRow).where(TokenRow.user_id == row.id))
        db.delete(row)
        return _public(row)


def get_user(settings: Settings, user_id: str) -> User | None:
    """The account with this id, if it still exists."""
    with session(settings) as db:
        row = db.get(UserRow, user_id)
        return None if row is None else _public(row)


def has_users(settings: Settings) -> bool:
    """Whether any account exists (then the deployment signs people in)."""
    with session(settings) as db:
        return db.scalar(select(UserRow.id).limit(1)) is not None


def authenticate(settings: Settings, *, name: str, password: str) -> User | None:
    """The user whose name and password these are, else None (the same work is done for unknown names)."""
    with session(settings) as db:
        row = db.scalar(select(UserRow).where(UserRow.name == name))
    if row is None:
        password_matches(hash_password("x" * MIN_PASSWORD, salt=b"\0" * 16), password)  # equal timing
        return None
    return _public(row) if password_matches(row.password_hash, password) else None


def issue_token(settings: Settings, *, name: str, label: str = "") -> str:
    """A new API token for the named user; only its hash is kept, so this is the one time it is seen."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with session(settings) as db:
        row = _row_named(db, name)
        db.add(TokenRow(token_hash=token_hash(token), user_id=row.id, label=label[:80]))
    return token


def user_for_token(settings: Settings, token: str) -> User | None:
    """The user an API token belongs to, else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    with session(settings) as db:
        row = db.get(TokenRow, token_hash(token))
        user = None if row is None else db.get(UserRow, row.user_id)
        return None if user is None else _public(user)
