"""Library objects as JSON-ready dicts, for routes that pass them through unchanged."""

from __future__ import annotations

import dataclasses
from typing import Any


def to_jsonable(item: Any) -> dict[str, Any]:
    """A dataclass, an object with `to_dict`, or a mapping, as a dict (tuples become lists)."""
    if hasattr(item, "to_dict"):
        data = item.to_dict()
    elif dataclasses.is_dataclass(item) and not isinstance(item, type):
        data = dataclasses.asdict(item)
    else:
        data = dict(item)
    return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}
