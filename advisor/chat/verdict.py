"""The verdict a yes/no comparison question gets first, before the figures that decide it.

"Do enterprise reps ramp faster than SMB reps?" is answered "No: SMB reps ramp faster than enterprise reps [S6]."
The question's comparison is read as a claim's is (`advisor.chat.relations`), and each evidence unit is asked
whether it compares the two subjects the same way or the other (its own comparison, or the figures it gives each:
2-3 against 6-9 months). The verdict comes only when some unit decides it and none decides the other way; it restates
the question as a statement, its two subjects swapped for a no, and cites the unit that decided it. The pipeline
owns this reasoning; the model never has to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.chat.relations import Comparison, compared, comparisons, figures
from advisor.chat.subjects import subject_span, without_subjects
from advisor.text.tokens import key_terms, overlap

_YES_NO = {
    "en": re.compile(
        r"^\s*(?P<aux>do|does|is|are|will|would|can|could|should)\s+(?P<rest>[^?]+?)\s*\?\s*$", re.IGNORECASE
    ),
    "zh": re.compile(r"^\s*(?:是不是|是否)?(?P<rest>[^？?]+?)(?:吗|么|嘛|是不是|没有)?\s*[？?]\s*$"),
}
_ZH_ASKS = re.compile(r"吗|么|嘛|是不是|是否")
_COMPARATIVE = re.compile(r"\b\w+(?:er|ier)\b|\bmore\b|\bless\b|\bfewer\b", re.IGNORECASE)
_GENERIC = frozenset(("rep", "sale", "seller", "team", "销售", "团队"))
# words the sources use for one quantity: a question on turnover is answered by a figure for attrition
_ALIKE = (frozenset(("turnover", "attrition")), frozenset(("流失", "离职")))
_BE = frozenset(("is", "are"))
_MODALS = frozenset(("will", "would", "can", "could", "should"))
_ANSWER = {"en": ("Yes: {}.", "No: {}."), "zh": ("是的，{}。", "不是，{}。")}
_ONE_SIDED = {
    "en": "The sources cannot settle this: they give a figure for {} but none for {}.",
    "zh": "资料无法直接回答：只给出了{}的数据，没有{}的。",  # Latin names stand apart from Chinese
}


@dataclass(frozen=True)
class Verdict:
    """The verdict sentence and the indexes of the evidence units that decide it."""

    text: str
    units: tuple[int, ...]


def verdict(question: str, units: Sequence[str], *, lang: str) -> Verdict | None:
    """The verdict on a yes/no comparison question from the evidence units, or None (see the module docstring)."""
    key = "zh" if lang == "zh" else "en"
    asked = _YES_NO[key].match(question)
    if not asked or (key == "zh" and not _ZH_ASKS.search(question)):
        return None
    found = comparisons(question, lang=lang)
    if len(found) != 1:
        return None
    topic = _topic(question)
    votes = [compared(question, unit, lang=lang) if overlap(topic, unit) else 0 for unit in units]
    if 1 in votes and -1 in votes:
        return None
    if not any(votes):
        return _one_sided(question, units, topic, found[0], key)
    deciders = tuple(i for i, vote in enumerate(votes) if vote)
    yes = votes[deciders[0]] == 1
    rest = asked.group("rest")
    if not yes:
        rest = _swapped(rest, found[0].a, found[0].b)
    statement = rest if key == "zh" else _statement(asked.group("aux").lower(), rest)
    if statement is None:
        return None
    return Verdict(_ANSWER[key][0 if yes else 1].format(statement), deciders)


def _one_sided(
    question: str, units: Sequence[str], topic: list[str], asked: Comparison, key: str
) -> Verdict | None:
    """What the sources lack, when the units on the question's topic give a figure to one subject and none to the
    other ("Is SDR turnover higher than AE turnover?" against SDR attrition of 34%): the gap is the answer."""
    given = {i: figures(unit, asked.dimension).keys() & {asked.a, asked.b} for i, unit in enumerate(units)}
    given = {i: names for i, names in given.items() if names and overlap(topic, units[i])}
    named = set().union(*given.values()) if given else set()
    if len(named) != 1:
        return None
    (has,) = named
    lacks = asked.b if has == asked.a else asked.a
    first, second = subject_span(question, has), subject_span(question, lacks)
    if first is None or second is None:
        return None
    names = [question[a:b] for a, b in (first, second)]
    if key == "zh":
        names = [f" {name} " if name.isascii() else name for name in names]
    return Verdict(_ONE_SIDED[key].format(*names), tuple(sorted(given)))


def _topic(question: str) -> list[str]:
    """What the question compares its subjects on ("quota", "爬坡"): its terms without the subjects' names and
    the words every answer shares, with the sources' other words for them (`_ALIKE`); a unit that compares the
    subjects on something else does not vote."""
    terms = [t for t in key_terms(without_subjects(question)) if t not in _GENERIC]
    return terms + [a for t in terms for alike in _ALIKE if t in alike for a in sorted(alike - {t})]


def _swapped(text: str, a: str, b: str) -> str:
    """The text with the names of two subjects swapped ("enterprise ... SMB" to "SMB ... enterprise")."""
    first, second = subject_span(text, a), subject_span(text, b)
    if first is None or second is None or first[1] > second[0]:
        return text
    name_a, name_b = text[first[0] : first[1]], text[second[0] : second[1]]
    return text[: first[0]] + name_b + text[first[1] : second[0]] + name_a + text[second[1] :]


def _statement(aux: str, rest: str) -> str | None:
    """An English question's statement: "Does an AE ramp faster" reads "an AE ramps faster"; "Is X longer" reads
    "X is longer"; "Can X close bigger deals" reads "X can close bigger deals"."""
    comparative = _COMPARATIVE.search(rest)
    if comparative is None:
        return None
    before, after = rest[: comparative.start()].rstrip(), rest[comparative.start() :]
    if aux in _BE:
        return f"{before} {aux} {after}"
    words = before.split()
    if not words:
        return None
    if aux in _MODALS:
        words.insert(len(words) - 1, aux)
    elif aux == "does":
        words[-1] = _third_person(words[-1])
    return " ".join(words) + " " + after


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "o")):
        return verb + "es"
    if len(verb) > 1 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"
