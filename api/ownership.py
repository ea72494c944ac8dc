"""Who owns which conversation and uploaded org: lists are per principal, and another principal's item is a 404.

Items nobody claimed (made by the CLI, the eval runner or before ownership existed) are listed for nobody; their
unguessable id alone still opens them, as it always did; so does the id of an item a program made with the API key,
which it may hand to a person's browser. What a browser session or a signed-in user made opens for them alone.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Boolean, DateTime, String, Text, delete, false, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from advisor.config import Settings
from advisor.db import Base, session
from advisor.errors import NotFoundError
from api.deps import Principal

Kind = Literal["conversation", "org", "scenario", "plan"]


class OwnedItem(Base):
    """One conversation or org and the principal it belongs to, with the name its owner gave it."""

    __tablename__ = "web_owned_items"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    options: Mapped[str] = mapped_column(
        Text, default="{}"
    )  # JSON: the owner's view of it (an org's filters)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # shared with the team: every signed-in user may open and list it; only the owner renames or deletes it
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


def claim(settings: Settings, kind: Kind, item_id: str, principal: Principal, *, name: str = "") -> None:
    """Record that `principal` owns the item (first claim wins: a later claimant is refused with a 404)."""
    with session(settings) as db:
        row = db.get(OwnedItem, (kind, item_id))
        if row is None:
            db.add(
                OwnedItem(
                    kind=kind,
                    item_id=item_id,
                    owner=principal.owner,
                    name=name[:200],
                    created_at=datetime.now(UTC),
                )
            )
        elif row.owner != principal.owner and not _team_sees(row, principal):
            raise not_found(kind, item_id)


def _team_sees(row: OwnedItem, principal: Principal) -> bool:
    return bool(row.shared) and principal.kind == "user"


def readable(owner: str | None, principal: Principal) -> bool:
    """Whether the principal may open an item by its id: their own, nobody's, or made through the API by id."""
    return owner is None or owner == principal.owner or owner.startswith("api_key:")


def check(settings: Settings, kind: Kind, item_id: str, principal: Principal) -> None:
    """NotFoundError when the item belongs to another signed-in user or browser session."""
    with session(settings) as db:
        row = db.get(OwnedItem, (kind, item_id))
    if row is not None and not (readable(row.owner, principal) or _team_sees(row, principal)):
        raise not_found(kind, item_id)


def check_owner(settings: Settings, kind: Kind, item_id: str, principal: Principal) -> None:
    """NotFoundError unless the principal owns the item (for changes: renaming, deleting)."""
    with session(settings) as db:
        row = db.get(OwnedItem, (kind, item_id))
    if row is None or row.owner != principal.owner:
        raise not_found(kind, item_id)


def owner_of(settings: Settings, kind: Kind, item_id: str) -> str | None:
    """Who owns an item (None when nobody claimed it)."""
    with session(settings) as db:
        row = db.get(OwnedItem, (kind, item_id))
    return row.owner if row is not None else None


def name_of(settings: Settings, kind: Kind, item_id: str) -> str:
    """The name the owner gave an item (empty when none)."""
    with session(settings) as db:
        row = db.get(OwnedItem, (kind, item_id))
    return row.name if row is not None else ""


def owned(settings: Settings, kind: Kind, principal: Principal) -> dict[str, str]:
    """The principal's items of one kind: id -> the name they gave it (empty when not renamed), newest first."""
    visible = [OwnedItem.owner == principal.owner]
    if principal.kind == "user":
        visible.append(OwnedItem.shared.is_(True))  # and what teammates shared
    with session(settings) as db:
        rows = db.scalars(
            select(OwnedItem)
            .where(OwnedItem.kind == kind, or_(*visible))
            .order_by(OwnedItem.created_at.desc())
        )
        return {row.item_id: row.name for row in rows}


def rename(settings: Settings, kind: Kind, item_id: str, principal: Principal, name: str) -> None:
    """Give an owned item a name of the owner's choosing."""
    check_owner(settings, kind, item_id, principal)
    with session(settings) as db:
        row = db.get(OwnedItem, (kind, item_id))
        assert row is not None
        row.name = name.strip()[:200]


def share(settings: Settings, kind: Kind, item_id: str, principal: Principal, *, shared: bool) -> None:
    """Share an owned item with every signed-in user of the team, or make it private again."""
    check_owner(settings, kind, item_id, principal)
    with session(settings) as db:
        row = db.get(OwnedItem, (kind, item_id))
        assert row is not None
        row.shared = shared


def options(settings: Settings, kind: Kind, item_id: str) -> dict[str, Any]:
    """The owner's stored choices for an item (empty when none or unowned)."""
    with session(settings) as db:
        row = db.get(OwnedItem, (kind, item_id))
    return json.loads(row.options or "{}") if row is not None else {}


def set_options(
    settings: Settings, kind: Kind, item_id: str, principal: Principal, values: dict[str, Any]
) -> None:
    """Store the owner's choices for an item (claiming it when nobody owns it yet)."""
    claim(settings, kind, item_id, principal)
    with session(settings) as db:
        row = db.get(OwnedItem, (kind, item_id))
        assert row is not None
        row.options = json.dumps(values, ensure_ascii=False, default=str)


def release(settings: Settings, kind: Kind, item_id: str) -> None:
    """Forget who owned a deleted item."""
    with session(settings) as db:
        db.execute(delete(OwnedItem).where(OwnedItem.kind == kind, OwnedItem.item_id == item_id))


def not_found(kind: Kind, item_id: str) -> NotFoundError:
    """The error for an item that is missing or someone else's (the two look the same from outside)."""
    what = kind
    return NotFoundError(
        f"No {what} {item_id!r} in this session; it may belong to someone else or be deleted."
    )
