"""Numbers in prose: every percentage, ratio, money amount and plain number, with the precision it was written in.

Scales in both languages: 115k, $1.2M, 3 billion, 12万, 1.5亿; percentages as 14.2%, 14.2 percent, 百分之14, and
ratios as 1:2.5 (each mention keeps its offsets, so a claim check can read the words around it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["percent", "ratio", "money", "plain"]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SCALES = {
    "k": 1e3, "K": 1e3, "thousand": 1e3, "M": 1e6, "million": 1e6, "mn": 1e6, "bn": 1e9, "billion": 1e9,
    "B": 1e9, "万": 1e4, "亿": 1e8,
}  # fmt: skip
_MENTION = re.compile(
    r"(?P<ratio>(?<![\w.])(?P<ra>" + _NUM + r")\s*:\s*(?P<rb>" + _NUM + r")(?![\w]))"
    r"|(?P<pre>百分之)?(?P<cur>[$€£¥￥])?(?<![A-Za-z\d.,])(?P<num>" + _NUM + r")"
    r"(?P<scale>\s?(?:thousand|million|billion)\b|(?:k|K|M|B|bn|mn)(?![A-Za-z])|[万亿])?"
    r"(?P<pct>\s?(?:%|％|percent\b|per\s?cent\b|pp\b|percentage points?\b))?"
    r"(?P<tail>(?:x|×|st|nd|rd|th|s)(?![A-Za-z])|×)?"
    r"(?![A-Za-z\d])"
)


@dataclass(frozen=True)
class NumberMention:
    """A quantity written in text: its value, kind, and how many decimals it was written with."""

    raw: str
    value: float
    kind: Kind
    decimals: int
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    def __str__(self) -> str:
        return self.raw


def _parse(number: str) -> tuple[float, int]:
    plain = number.replace(",", "")
    return float(plain), len(plain.split(".")[1]) if "." in plain else 0


def extract_numbers(text: str) -> list[NumberMention]:
    """Every number, percentage, ratio and money amount in a text, in order."""
    mentions = []
    for match in _MENTION.finditer(text):
        if match.group("ratio"):
            a, _ = _parse(match.group("ra"))
            b, decimals = _parse(match.group("rb"))
            if a:  # "1:2.5" is 2.5 of the second per one of the first
                mentions.append(NumberMention(match.group(0), b / a, "ratio", decimals, *match.span()))
            continue
        value, decimals = _parse(match.group("num"))
        scale = (match.group("scale") or "").strip()
        if scale:
            value *= SCALES[scale]
            decimals = 0 if SCALES[scale] >= 10**decimals else decimals
        kind: Kind = "plain"
        if match.group("pct") or match.group("pre"):
            kind = "percent"
        elif match.group("cur"):
            kind = "money"
        mentions.append(NumberMention(match.group(0).strip(), value, kind, decimals, *match.span()))
    return mentions


def is_year(mention: NumberMention) -> bool:
    """Whether a number is a calendar year (2017), which is restated exactly or not at all."""
    return mention.kind == "plain" and mention.raw.isdigit() and 1900 <= mention.value <= 2100


# quantities written in words: "within a year", "half of all reps", "twice as long", 一年内, 两倍, 三分之一, 一半
_WORDED = re.compile(
    r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|half a)\s+"
    r"(?:years?|months?|weeks?|quarters?|days?)\b|\b(?:half|twice|double|triple|a third|a quarter)\b"
    r"|[一二两三四五六七八九十半]+(?:年|个月|个季度|季度|周|天|倍|成)|[一二三四五六七八九十]分之[一二三四五六七八九十]|一半",
    re.IGNORECASE,
)


def states_quantity(text: str) -> bool:
    """Whether a text states a quantity, in digits (`extract_numbers`) or in words ("within a year", 两倍, 一半)."""
    return bool(extract_numbers(text)) or _WORDED.search(text) is not None
