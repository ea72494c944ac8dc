"""Interface text in English and Chinese: YAML catalogues beside the plan's, and the rule that picks the language.

Words the interface shares with the plans (metric names, roles, channels, severities) come from the plan catalogues
(`advisor.plan.labels`), so a metric is called the same on the dashboard and in the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import yaml
from starlette.requests import Request

LANGUAGES = ("en", "zh")
LANG_COOKIE = "lang"

LOCALES_DIR = Path(__file__).resolve().parent / "locales"


@lru_cache(maxsize=len(LANGUAGES))
def messages(lang: str) -> dict[str, str]:
    """The interface catalogue of one language (`api/locales/<lang>.yaml`), read the way plan catalogues are."""
    with (LOCALES_DIR / f"{lang}.yaml").open(encoding="utf-8") as handle:
        return {str(key): str(value) for key, value in yaml.safe_load(handle).items()}


class _Catalogues(dict[str, dict[str, str]]):
    """Both catalogues by language, read on first use (nothing is read at import)."""

    def __missing__(self, lang: str) -> dict[str, str]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        self[lang] = messages(lang)
        return self[lang]


MESSAGES = _Catalogues()


def _from_accept_language(header: str) -> str | None:
    """The first supported language in an Accept-Language header, honouring q-values."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()[:2]))
    for _quality, _position, code in sorted(ranked):
        if code in LANGUAGES:
            return code
    return None


def pick_language(request: Request) -> str:
    """Interface language: `?lang=`, else the `lang` cookie, else Accept-Language, else English."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return _from_accept_language(request.headers.get("accept-language", "")) or "en"


def translator(lang: str) -> Callable[..., str]:
    """A `t(key, **values)` function for templates; unknown keys fall back to English, then to the key itself."""
    catalogue = MESSAGES[lang if lang in LANGUAGES else "en"]

    def t(key: str, **values: object) -> str:
        text = catalogue.get(key) or MESSAGES["en"].get(key, key)
        return text.format(**values) if values else text

    return t


def value_name(dimension: str, value: object, lang: str) -> str:
    """A roster value (role, channel, segment, severity) as people read it, from the plan catalogue."""
    from advisor.plan.labels import value_label

    return value_label(dimension, str(value), lang)
