"""The language of a question or an answer: English or Chinese (the knowledge base's definition, reused)."""

from __future__ import annotations

from typing import Literal, cast

from advisor.kb.lang import detect_lang, han_share

Lang = Literal["en", "zh"]


def detect_language(text: str) -> Lang:
    """`zh` when a real share of the letters are Chinese characters, else `en`."""
    return cast(Lang, detect_lang(text))


def is_language(text: str, lang: str) -> bool:
    """Whether a model's output is written in the expected language (mostly Han for zh, almost none for en)."""
    share = han_share(text)
    return share >= 0.3 if lang == "zh" else share <= 0.1
