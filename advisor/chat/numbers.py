"""Numbers in prose, and whether each traces to the evidence: one definition for grounding and for the evals.

A number traces when the evidence states the same quantity up to the precision the sentence wrote it with:
14.2% matches 14.2, 0.142 and "14.2 percent"; a 27.3% metric matches 27% and 27.3%; $115k matches 115,000.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Kind = Literal["percent", "ratio", "money", "plain"]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = {
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
                mentions.append(NumberMention(match.group(0), b / a, "ratio", decimals))
            continue
        value, decimals = _parse(match.group("num"))
        scale = (match.group("scale") or "").strip()
        if scale:
            value *= _SCALE[scale]
            decimals = 0 if _SCALE[scale] >= 10**decimals else decimals
        kind: Kind = "plain"
        if match.group("pct") or match.group("pre"):
            kind = "percent"
        elif match.group("cur"):
            kind = "money"
        mentions.append(NumberMention(match.group(0).strip(), value, kind, decimals))
    return mentions


def _candidates(mention: NumberMention) -> set[float]:
    """The values an evidence mention can legitimately be restated as."""
    values = {mention.value}
    if mention.kind == "percent":
        values.add(mention.value / 100)
    elif mention.kind in ("plain", "ratio") and 0 < mention.value <= 1:
        values.add(mention.value * 100)
    return values


def _close(written: NumberMention, value: float) -> bool:
    # a value written with d decimals covers everything that rounds to it, either way at the half
    tolerance = 0.5 * 10 ** (-written.decimals) + 1e-9
    if written.value >= 1000 and written.kind != "percent":
        tolerance = max(tolerance, written.value * 0.005)  # "$98k" restates $97,960
    return abs(written.value - value) <= tolerance


def number_traces(number: NumberMention | str, evidence_texts: Iterable[str]) -> bool:
    """Whether a number (a mention or its text) states a quantity found in any of the evidence texts."""
    written = number if isinstance(number, NumberMention) else extract_numbers(number)[0]
    for text in evidence_texts:
        for mention in extract_numbers(text):
            if any(_close(written, value) for value in _candidates(mention)):
                return True
    return False


def untraceable_numbers(text: str, evidence_texts: Iterable[str]) -> list[NumberMention]:
    """The numbers of a text that no evidence text states."""
    evidence = list(evidence_texts)
    return [mention for mention in extract_numbers(text) if not number_traces(mention, evidence)]
