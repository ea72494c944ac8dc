"""Model backends by name: the built-ins are entry points, the same hook an extension package uses.

A backend package declares `[project.entry-points."advisor.chat_backends"] name = "module:Class"` (or
`advisor.embedding_backends`); code, tests included, may also `register()` a class at run time. Names are known
without importing any backend, so settings validate `ADVISOR_CHAT_BACKEND` cheaply.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points
from typing import Any, Literal

from advisor.errors import ModelError

Kind = Literal["chat", "embedding"]
GROUPS: dict[Kind, str] = {"chat": "advisor.chat_backends", "embedding": "advisor.embedding_backends"}
_registered: dict[Kind, dict[str, Any]] = {"chat": {}, "embedding": {}}


@lru_cache(maxsize=2)
def _entry_points(kind: Kind) -> dict[str, Any]:
    return {point.name: point for point in entry_points(group=GROUPS[kind])}


def register(kind: Kind, name: str, backend: Any) -> None:
    """Make `backend` (a class with `uses` and `create(settings)`) selectable by name."""
    _registered[kind][name] = backend


def unregister(kind: Kind, name: str) -> None:
    """Remove a backend registered at run time (entry points stay)."""
    _registered[kind].pop(name, None)


def registered(kind: Kind) -> dict[str, Any]:
    """The run-time registrations of one kind (looked up before entry points); `register` adds to it."""
    return _registered[kind]


def names(kind: Kind) -> list[str]:
    """Every selectable backend name of one kind."""
    return sorted(set(_registered[kind]) | set(_entry_points(kind)))


def backend(kind: Kind, name: str) -> Any:
    """The backend class registered under `name`; `ModelError` naming the choices when there is none."""
    if name in _registered[kind]:
        return _registered[kind][name]
    point = _entry_points(kind).get(name)
    if point is None:
        raise ModelError(f"Unknown {kind} backend `{name}`; choose one of {', '.join(names(kind))}.")
    return point.load()
