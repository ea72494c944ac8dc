"""The quantities evidence states: its clauses with their numbers, and the unit and period each number is in.

"8 hours a week" is a number of hours counted per week; "每季度创造 120 万美元" is counted per quarter; a bare figure
after "2-3 months for SMB," carries the unit said before it; "2017 年" is a calendar year, not a duration. Quantities
written in words ("three years", "三年", "half", "三分之一", "twice", "翻一番") must be stated by the evidence too, in
words or in digits ("3 years", 50%, "two years later" from 2015 to 2017).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from advisor.text.numbers import NumberMention, extract_numbers, is_year

# where evidence and claims are cut into clauses that each state one figure
PIECE = re.compile(r"[;:，；：、]\s*|,(?!\d{3})\s*|\s+and\s+|\s+while\s+|(?<=[^\x00-\x7f])[和而]")
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
# a rate's period named before it in its clause: "annual turnover of 30%", "季度离职率为 7.5%", "全年的离职率就是"
_RATE_PERIOD = re.compile(
    r"\b(?:(?P<year>annual(?:ised|ized)?|yearly)|(?P<quarter>quarterly)|(?P<month>monthly)|(?P<week>weekly))\b"
    r"|(?P<zh_year>全年|年化|年度|每年)|(?P<zh_quarter>季度)|(?P<zh_month>月度|每个?月)",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\b(?:once|twice)\s+(?:a|per)\s+(?P<once>week|month|quarter|year)\b|\b(?:every|each)\s+(?P<every>week|month|quarter)\b"
    r"|\b(?P<ly>weekly|monthly|quarterly)\b|每个?(?P<zh>周|月|季度)(?=[^\d\s])",
    re.IGNORECASE,
)
_FREQUENCY_NAMES = {"weekly": "week", "monthly": "month", "quarterly": "quarter", "周": "week", "月": "month", "季度": "quarter"}  # fmt: skip
_SET_ASIDE = re.compile(
    r"(?:rather\s+than|instead\s+of|not|而不是|不是|而非)\s*(?:at\s+|on\s+|in\s+)?$", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[,;，；。：:]")
_ZH_TIME = {"小时": "hour", "天": "day", "周": "week", "月": "month", "季度": "quarter", "年": "year"}


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
    elif mention.kind == "percent":
        name = _rate_period(_CLAUSE_END.split(text[: mention.start])[-1])
    if unit_name == "year" and is_year(mention):
        unit_name = None  # 2017 年: a date
    return unit_name, _ZH_TIME.get(name, name) if name else None


def frequencies(text: str) -> set[str]:
    """How often a text says a thing is done ("once a quarter", "monthly", "每季度"), leaving out the ones it sets
    aside ("rather than every month", "而不是每月")."""
    found = set()
    for match in _FREQUENCY.finditer(text):
        if not _SET_ASIDE.search(text[max(0, match.start() - 16) : match.start()]):
            name = next(v for v in match.groupdict().values() if v).lower()
            found.add(_FREQUENCY_NAMES.get(name, name))
    return found


def _rate_period(text: str) -> str | None:
    found = list(_RATE_PERIOD.finditer(text))
    return next(k.removeprefix("zh_") for k, v in found[-1].groupdict().items() if v) if found else None


@dataclass(frozen=True)
class Clause:
    """A piece of an evidence sentence with the numbers it states (offsets within the piece)."""

    text: str
    numbers: tuple[NumberMention, ...]
    # the sentence up to this piece: a piece with no subject of its own takes the one named before it
    before: str


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


_SPELLED_EN = {
    w: i for i, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"), 1)
}  # fmt: skip
ZH_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}
_SPELLED = re.compile(
    r"\b(?P<en>" + "|".join(_SPELLED_EN) + r")\s+(?P<eu>hour|day|week|month|quarter|year)s?\b"
    r"|(?<!第)(?P<zh>[一二两三四五六七八九十])\s*(?P<zu>个?小时|天|周|个月|个季度|季度|年)",
    re.IGNORECASE,
)
# fractions and multiples: half, a third, two thirds, twice, double, 一半, 三分之一, 两倍, 翻一番
_PROPORTION = re.compile(
    r"(?<!and a )\b(?P<half>half|halved)\b|\b(?:a|one)\s+(?P<third>third)\b(?!\s+(?:of\s+the\s+)?(?:reason|step|way))"
    r"|\b(?P<two_thirds>two[\s-]thirds)\b|\b(?P<twice>twice|double[sd]?)\b|\b(?P<triple>triple[sd]?)\b"
    r"|\b(?P<en_times>two|three|four|five|six|seven|eight|nine|ten|\d+(?:\.\d+)?)\s+times\b"
    r"|(?P<zh_half>一半)|(?P<den>[二三四五六七八九十])分之(?P<num>[一二三四五六七八九])|(?P<times>[两三四五六七八九十])倍"
    r"|(?P<doubling>翻一番|翻倍)",
    re.IGNORECASE,
)
_BOUND = re.compile(
    r"(?:(?P<above>more\s+than|over|above|超过|多于)|(?P<below>less\s+than|fewer\s+than|under|below|不到|不足|少于)"
    r"|(?P<about>about|around|roughly|nearly|almost|approximately|大约|约|近|将近|接近))\s*(?:a\s+|the\s+)?\S{0,3}$",
    re.IGNORECASE,
)
_BOUND_RANGE = 0.25  # "more than half" is up to 75%, "about half" within 6 points of it
_PROPORTION_VALUES = {"half": 0.5, "zh_half": 0.5, "third": 1 / 3, "two_thirds": 2 / 3, "twice": 2.0, "doubling": 2.0, "triple": 3.0}  # fmt: skip
Worded = tuple[Literal["unsupported", "contradicted"], str]


def spelled(text: str) -> set[tuple[int, str]]:
    """The time quantities a text writes in words: (3, "year") for "three years" and "三年"."""
    found = set()
    for match in _SPELLED.finditer(text):
        if match.group("en"):
            found.add((_SPELLED_EN[match.group("en").lower()], match.group("eu").lower()))
        else:
            found.add((ZH_DIGITS[match.group("zh")], _ZH_TIME[match.group("zu").lstrip("个")]))
    return found


def proportions(text: str) -> set[tuple[float, str]]:
    """The fractions and multiples a text writes in words, each with how it is bounded: (0.5, "") for "half" and
    一半, (0.5, "above") for "more than half" and 超过一半, (2.0, "") for "twice" and 两倍."""
    found = set()
    for match in _PROPORTION.finditer(text):
        if match.group("den"):
            value = ZH_DIGITS[match.group("num")] / ZH_DIGITS[match.group("den")]
        elif match.group("times"):
            value = float(ZH_DIGITS[match.group("times")])
        elif match.group("en_times"):
            times = match.group("en_times").lower()
            value = float(_SPELLED_EN.get(times) or times)
        else:
            value = next(
                _PROPORTION_VALUES[k] for k, v in match.groupdict().items() if v and k in _PROPORTION_VALUES
            )
        bound = _BOUND.search(text[max(0, match.start() - 20) : match.start()])
        found.add((value, next((k for k, v in bound.groupdict().items() if v), "") if bound else ""))
    return found


def _within(percent: float, share: float, bound: str) -> bool:
    """Whether a stated percentage (as a share) is what "half", "more than half" or "about half" says."""
    if bound == "above":
        return share < percent <= share + _BOUND_RANGE
    if bound == "below":
        return share - _BOUND_RANGE <= percent < share
    return abs(percent - share) <= (_BOUND_RANGE / 4 if bound == "about" else 0.01)


def _ratio_of(value: float, numbers: Sequence[NumberMention]) -> bool:
    """Whether two figures of one kind in the evidence stand in that proportion (`6-9 months` against `2-3`: three
    times; `$1.5M` against `$300K`: five times; a tenure of 3 years against 1.5: half), within 5%."""
    pairs = (
        (a.value, b.value) for a in numbers for b in numbers if a.kind == b.kind and b.value and a is not b
    )
    return any(abs(a / b - value) <= 0.05 * value for a, b in pairs)


def worded_problem(claim: str, evidence: str) -> Worded | None:
    """Why a quantity the claim writes in words is not one the evidence states, if it is not."""
    numbers = extract_numbers(evidence)
    years = [m.value for m in numbers if is_year(m)]
    stated = spelled(evidence)
    for value, unit in sorted(spelled(claim)):
        in_digits = any(m.value == value and unit_of(evidence, m)[0] == unit for m in numbers)
        elapsed = unit == "year" and any(abs(a - b) == value for a in years for b in years)
        if (value, unit) not in stated and not in_digits and not elapsed:
            return "contradicted", f"quantity:{value} {unit}"
    theirs = proportions(evidence)
    percents = [m.value / 100 for m in numbers if m.kind == "percent"]
    for share, bound in sorted(proportions(claim)):
        said = (
            any(abs(share - v) < 0.01 for v, _ in theirs)
            or any(_within(p, share, bound) for p in percents)
            or _ratio_of(share, [m for m in numbers if not is_year(m)])
        )
        if not said:
            return ("contradicted" if theirs or percents else "unsupported"), f"proportion:{share:g}"
    return None
