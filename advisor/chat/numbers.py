"""Whether each number of a sentence traces to the evidence: one definition for grounding and for the evals.

A number traces when the evidence states the same quantity up to the precision the sentence wrote it with:
14.2% matches 14.2, 0.142 and "14.2 percent"; a 27.3% metric matches 27% and 27.3%; $115k matches 115,000; a year
(2017) matches only itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from advisor.text.numbers import NumberMention, extract_numbers, is_year

__all__ = ["NumberMention", "extract_numbers", "number_traces", "untraceable_numbers"]


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
    if written.value >= 1000 and written.kind != "percent" and not is_year(written):
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
