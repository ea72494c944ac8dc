"""Script and language detection: which characters are CJK, and whether a text is Chinese or English."""

from __future__ import annotations

import re

# CJK Unified Ideographs with extension A and the compatibility block: the characters of Chinese prose.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width and ideographic punctuation that sits between Chinese characters.
CJK_PUNCT = (
    "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018\u2019\u201c\u201d\u2026"
)

_HAN_RE = re.compile(f"[{HAN}]")
_LATIN_RE = re.compile(r"[A-Za-z]")
# Chinese is chosen from this share of Han characters among letters: Chinese prose quotes many Latin acronyms
# (B2B, SDR, KPI), so a simple majority would misfile it.
ZH_SHARE = 0.3


def is_han(char: str) -> bool:
    """Whether one character is a Chinese ideograph."""
    return bool(_HAN_RE.match(char))


def han_share(text: str) -> float:
    """Share of Han characters among the letters of a text (0 when it has no letters)."""
    han = len(_HAN_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    return han / (han + latin) if han + latin else 0.0


def detect_lang(text: str) -> str:
    """`zh` when Chinese characters make up a real share of the letters, else `en`."""
    return "zh" if han_share(text) >= ZH_SHARE else "en"
