"""Which language a text is written in: English or Chinese, by the share of CJK characters among letters."""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["en", "zh"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# a Chinese question often carries English terms ("SDR", "KPI"), so a modest CJK share already means Chinese
_ZH_SHARE = 0.2


def cjk_share(text: str) -> float:
    """Share of CJK characters among CJK and Latin letters (0 when the text has neither)."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def detect_language(text: str) -> Lang:
    """`zh` when a fair share of the letters are Chinese characters, else `en`."""
    return "zh" if cjk_share(text) >= _ZH_SHARE else "en"


def is_language(text: str, lang: str) -> bool:
    """Whether a model's output is written in the expected language (mostly CJK for zh, mostly Latin for en)."""
    share = cjk_share(text)
    return share >= 0.3 if lang == "zh" else share <= 0.1
