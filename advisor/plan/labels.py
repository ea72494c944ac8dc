"""Per-language label catalogues for the plan: section titles, table headers and template sentences (en, zh)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from advisor.errors import InputError

CATALOGUE_DIR = Path(__file__).resolve().parent / "templates"
LANGS = ("en", "zh")


@lru_cache(maxsize=len(LANGS))
def labels(lang: str) -> dict[str, Any]:
    """The label catalogue for a language (`en` or `zh`)."""
    if lang not in LANGS:
        raise InputError(
            f"Plans are written in {' or '.join(LANGS)}, not `{lang}`; use --lang en or --lang zh."
        )
    with (CATALOGUE_DIR / f"labels.{lang}.yaml").open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


def say(lang: str, key: str, **values: Any) -> str:
    """A template sentence from the catalogue (`"group.name"`), filled with the given values."""
    node: Any = labels(lang)
    for part in key.split("."):
        node = node[part]
    return str(node).format(**values)
