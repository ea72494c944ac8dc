"""Script and language detection: which characters are CJK, and whether a text is Chinese or English."""

from __future__ import annotations

import re
from typing import Literal, cast

Lang = Literal["en", "zh"]

# CJK Unified Ideographs with extension A and the compatibility block: the characters of Chinese prose.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width and ideographic punctuation that sits between Chinese characters.
CJK_PUNCT = (
    "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018\u2019\u201c\u201d\u2026"
)

HAN_RE = re.compile(f"[{HAN}]")
HAN_RUN = re.compile(f"[{HAN}]+")
_LATIN_RE = re.compile(r"[A-Za-z]")
# Chinese is chosen from this share of Han characters among letters: Chinese prose quotes many Latin acronyms
# (B2B, SDR, KPI), so a simple majority would misfile it.
ZH_SHARE = 0.3
# an English answer may quote a Chinese term or two, no more
EN_MAX_SHARE = 0.1


def is_han(char: str) -> bool:
    """Whether one character is a Chinese ideograph."""
    return bool(HAN_RE.match(char))


def han_count(text: str) -> int:
    """How many Chinese ideographs a text holds."""
    return len(HAN_RE.findall(text))


def han_share(text: str) -> float:
    """Share of Han characters among the letters of a text (0 when it has no letters)."""
    han = han_count(text)
    latin = len(_LATIN_RE.findall(text))
    return han / (han + latin) if han + latin else 0.0


def detect_lang(text: str) -> Lang:
    """`zh` when Chinese characters make up a real share of the letters, else `en`."""
    return cast(Lang, "zh" if han_share(text) >= ZH_SHARE else "en")


def is_language(text: str, lang: str) -> bool:
    """Whether a text is written in the expected language (mostly Han for zh, almost none for en)."""
    share = han_share(text)
    return share >= ZH_SHARE if lang == "zh" else share <= EN_MAX_SHARE
