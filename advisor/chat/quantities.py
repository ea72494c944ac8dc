"""The quantities evidence states: its clauses with their numbers, and the unit and period each number is in.

"8 hours a week" is a number of hours counted per week; "每季度创造 120 万美元" is counted per quarter; a bare figure
after "2-3 months for SMB," carries the unit said before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.text.numbers import NumberMention, extract_numbers

# where evidence and claims are cut into clauses that each state one figure
PIECE = re.compile(r"[,;:，；：、]\s*|\s+and\s+|\s+while\s+|(?<=[^\x00-\x7f])[和而]")
TIME_UNITS = {
    "hour": r"hours?|小时", "day": r"days?|天", "week": r"weeks?|周|星期", "month": r"months?|个月|月",
    "quarter": r"quarters?|季度", "year": r"years?|年",
}  # fmt: skip
_UNITS = {**TIME_UNITS, "people": r"(?:direct\s+)?reports?|reps?|people|persons?|salespeople|sellers|人|名"}
_UNIT_AFTER = re.compile(
    r"^\s*(?:-\s*)?(?:" + "|".join(f"(?P<{u}>{p})" for u, p in _UNITS.items()) + r")(?![A-Za-z])",
    re.IGNORECASE,
)
_PERIOD_AFTER = re.compile(
    r"^[^.;,，。；]{0,30}?(?:\b(?:a|per|each|every)\s+(?P<en>hour|day|week|month|quarter|year)\b"
    r"|每个?(?P<zh>小时|天|周|月|季度|年))",
    re.IGNORECASE,
)
# 每个月创造 120 万美元: a Chinese period may stand before the number, a verb away, in the same clause
_PERIOD_BEFORE = re.compile(r"每个?(小时|天|周|月|季度|年)(?=[^，,。；;]{0,6}$)")
_ZH_PERIODS = {"小时": "hour", "天": "day", "周": "week", "月": "month", "季度": "quarter", "年": "year"}


def unit_of(text: str, mention: NumberMention) -> tuple[str | None, str | None]:
    """The unit written after a number ("8 hours", "6 reps") and the period it is counted over ("a week", "每月")."""
    after = text[mention.end :]
    unit = _UNIT_AFTER.match(after)
    unit_name = next((u for u in _UNITS if unit and unit.group(u)), None)
    period = _PERIOD_AFTER.match(after)
    before = _PERIOD_BEFORE.search(text[max(0, mention.start - 12) : mention.start])
    name = None
    if period:
        name = (period.group("en") or period.group("zh") or "").lower()
    elif before:
        name = before.group(1)
    return unit_name, _ZH_PERIODS.get(name, name) if name else None


@dataclass(frozen=True)
class Clause:
    """A piece of an evidence sentence with the numbers it states (offsets within the piece)."""

    text: str
    numbers: tuple[NumberMention, ...]
    before: (
        str  # the sentence up to this piece: a piece with no subject of its own takes the one named before it
    )


def clauses(sentences: Sequence[str]) -> list[Clause]:
    """The pieces of the sentences, each with its numbers."""
    found = []
    for sentence in sentences:
        done = 0
        for match in [*PIECE.finditer(sentence), None]:
            end = match.start() if match else len(sentence)
            part = sentence[done:end]
            if part.strip():
                found.append(Clause(part, tuple(extract_numbers(part)), sentence[:done]))
            done = match.end() if match else done
    return found


def carried_unit(clause: Clause) -> str | None:
    """The time unit of the last number before this piece in its sentence, which a bare figure inherits."""
    units = [unit_of(clause.before, m)[0] for m in extract_numbers(clause.before)]
    last = next((u for u in reversed(units) if u), None)
    return last if last in TIME_UNITS else None


def time_unit(clause: Clause, mention: NumberMention) -> str | None:
    """The time unit of a number of the piece: its own, or the one carried from before it."""
    unit = unit_of(clause.text, mention)[0]
    return unit if unit in TIME_UNITS else (carried_unit(clause) if unit is None else None)
