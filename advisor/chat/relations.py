"""Relations a text states between two things, and whether a claim states one the other way round.

- correlations ("the longer the ramp, the higher the cost", "longer ramps mean higher costs", "爬坡期越长，成本越高")
  have a direction, the product of their two sides' signs (longer/higher/more/faster/increases +1,
  shorter/lower/fewer/slower/reduces -1);
- comparisons between two subjects ("enterprise reps ramp faster than SMB reps", "大企业的爬坡期比中小企业短") have a
  dimension and a direction (a speed is a duration the other way round); evidence may state one by the figures it
  gives each subject: time figures for a time ("2-3 months for SMB, ... 6-9 for enterprise"), percentages for a
  size ("inside reps reach 85% of quota against 81% for field reps"), money for a cost;
- causes have a cause and an effect however they are written: "A drives / leads to B", "B because A", "because A,
  B", "A, so B", "if / when A, B", "B when A", "A导致B", "因为A，B", "B，因为A", "A，所以B", "如果A，B", "A时，B";
- moves go from one end to another ("from the most loaded territories to the least loaded ones", "从A调到B").

The ends of a cause or a move are told apart by the words only one of them has (the subjects both name say nothing
of which end is which).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.chat.quantities import clauses, time_unit
from advisor.chat.subjects import leading_subject, subject_near
from advisor.text.lang import HAN
from advisor.text.tokens import key_terms

# the direction of a comparative word: up (+1) or down (-1)
_UP_EN = (
    "more higher greater larger bigger longer faster quicker costlier dearer wider increase increases increased "
    "raise raises raised rise rises grow grows boost boosts lift lifts up"
)
_DOWN_EN = (
    "less fewer lower smaller shorter slower cheaper narrower reduce reduces reduced cut cuts decrease decreases "
    "decreased lowers fall falls drop drops shrink shrinks down"
)
_SIGN_EN = {w: 1 for w in _UP_EN.split()} | {w: -1 for w in _DOWN_EN.split()}
_SIGN_ZH = {c: 1 for c in "高长多大快强贵增升涨"} | {c: -1 for c in "低短少小慢弱便减降跌"}
_SIDE_EN = "|".join(sorted(_SIGN_EN, key=len, reverse=True))
# "the longer the ramp, the higher the cost"; "longer ramps mean (a) higher cost"; "a longer ramp raises the cost"
_CORRELATION_EN = [
    re.compile(
        rf"\bthe\s+(?P<a>{_SIDE_EN})\b[^,;.]{{0,60}}?,\s*(?:and\s+)?the\s+(?P<b>{_SIDE_EN})\b", re.IGNORECASE
    ),
    re.compile(
        rf"\b(?P<a>{_SIDE_EN})\s+(?:[\w-]+\s+){{1,3}}?(?:means?|makes?|brings?|leads? to|gives?|causes?|drives?)\s+"
        rf"(?:an?\s+|the\s+)?(?P<b>{_SIDE_EN})\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<a>longer|shorter|more|fewer|less|higher|lower|faster|slower|larger|smaller)\s+(?:[\w-]+\s+){1,3}?"
        r"(?P<b>raises?|increases?|boosts?|lifts?|reduces?|cuts?|lowers?|decreases?)\b",
        re.IGNORECASE,
    ),
]
# 越长……越高 (up to two characters between 越 and its direction: 越能做大单, 越容易变少)
_CORRELATION_ZH = re.compile(
    r"越[^越，。,；;\s]{0,2}?(?P<a>[高长多大快强贵低短少小慢弱便])[^越。；;]{0,40}?越[^越，。,；;\s]{0,3}?(?P<b>[高长多大快强贵低短少小慢弱便增减升降涨跌])"
)


def correlations(text: str, *, lang: str) -> list[int]:
    """The direction (+1 or -1) of each comparative correlation a text states (see the module docstring)."""
    if lang == "zh":
        return [_SIGN_ZH[m.group("a")] * _SIGN_ZH[m.group("b")] for m in _CORRELATION_ZH.finditer(text)]
    found = []
    for pattern in _CORRELATION_EN:
        for match in pattern.finditer(text):
            a, b = _SIGN_EN.get(match.group("a").lower()), _SIGN_EN.get(match.group("b").lower().rstrip("s"))
            b = b if b is not None else _SIGN_EN.get(match.group("b").lower())
            if a is not None and b is not None:
                found.append(a * b)
    return found


def _reversed_correlation(claim: str, sentence: str, *, lang: str) -> bool:
    """Whether the claim's correlation runs the other way from every one the evidence sentence states."""
    mine, theirs = correlations(claim, lang=lang), correlations(sentence, lang=lang)
    return bool(mine and theirs) and all(direction not in theirs for direction in mine)


# a Chinese attribute with its direction: 工作量大, 潜力小, 成本高 (the two characters before the direction)
_ATTRIBUTE_ZH = re.compile(
    rf"(?P<noun>(?:(?!越)[{HAN}]){{2}})(?P<sign>[大小高低多少长短])(?=[、，,的。；;\s]|$)"
)


# "from the most loaded territories to the least loaded ones", "从负担最重的区域调到负担最轻的区域"
_FROM_TO = {
    "en": re.compile(r"\bfrom\s+(?P<a>[^,;.]{1,40}?)\s+to\s+(?P<b>[^,;.]{1,40})", re.IGNORECASE),
    "zh": re.compile(
        r"从(?P<a>[^，,。；;从]{1,15}?)(?:调到|转到|移到|转给|交给|调给|到)(?P<b>[^，,。；;]{1,15})"
    ),
}
# a cause named first: "long ramps drive turnover cost", "爬坡期长导致流失成本高"
_CAUSE_VERB = {
    "en": re.compile(
        r"(?P<a>\b[^,;.]{3,60}?)\s+(?:causes?|caused|drives?|drove|leads?\s+to|led\s+to|results?\s+in)\s+"
        r"(?P<b>[^;.]{3,80})",
        re.IGNORECASE,
    ),
    "zh": re.compile(r"(?P<a>[^，,。；;]{2,20}?)(?:导致|造成|引起|引发)(?P<b>[^。；;]{2,30})"),
}
# a connective before the cause ("because A", "因为A") or the condition ("if A", "如果A"): at the head of a sentence
# the cause runs to the first comma and the effect follows; elsewhere the effect is what comes before it
_BECAUSE = {
    "en": re.compile(
        r"\b(?:because(?:\s+of)?|since|given\s+that|due\s+to|as\s+a\s+result\s+of|thanks\s+to|if|when|whenever)\b",
        re.IGNORECASE,
    ),
    "zh": re.compile(r"正是因为|正因为|因为|由于|如果|假如|一旦|若(?!干)|(?<![应相适正])当(?!然|前|时|地)"),
}
# a connective after the cause: "A, so B", "A，所以B", "A时，B"
_SO = {
    "en": re.compile(
        r",\s*(?:and\s+)?(?:so(?:\s+that)?|therefore|thus|hence|which\s+is\s+why|as\s+a\s+result)\b\s*",
        re.IGNORECASE,
    ),
    "zh": re.compile(r"[，,]\s*(?:所以|因此|因而|从而|于是)|(?:时|的话)[，,]\s*"),
}
_COMMA = re.compile(r"[,，]")
_LEAD = re.compile(r"^[\W_]*(?:这是|就是|是)?$")
_TRIM = " ,，:：是也才就"


def causes(text: str, *, lang: str) -> list[tuple[str, str]]:
    """The (cause, effect) pairs a text states (see the module docstring)."""
    key = "zh" if lang == "zh" else "en"
    found = [(m.group("a"), m.group("b")) for m in _CAUSE_VERB[key].finditer(text)]
    found += [(text[: m.start()], text[m.end() :]) for m in _SO[key].finditer(text)]
    for match in _BECAUSE[key].finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if _LEAD.match(before):
            comma = _COMMA.search(after)
            if comma:
                found.append((after[: comma.start()], after[comma.end() :]))
        else:
            found.append((_COMMA.split(after)[0] if key == "en" else after, before))
    pairs = ((a.strip(_TRIM), b.strip(_TRIM)) for a, b in found)
    return [(a, b) for a, b in pairs if a and b]


def _told_apart(mine: tuple[str, str], theirs: tuple[str, str]) -> int:
    """+1 when a pair's ends match another pair's in order, -1 when the other way round, 0 when the words only one
    of the other pair's ends has cannot tell them apart."""
    ta, tb = set(key_terms(theirs[0])), set(key_terms(theirs[1]))
    only = (ta - tb, tb - ta)
    ma, mb = ([t for t in key_terms(end) if t in only[0] | only[1]] for end in mine)
    if not ma or not mb:
        return 0
    same = _share(ma, only[0]) + _share(mb, only[1])
    swapped = _share(ma, only[1]) + _share(mb, only[0])
    return 1 if same >= swapped + 1.0 else -1 if swapped >= same + 1.0 else 0


def _share(terms: list[str], side: set[str]) -> float:
    return sum(t in side for t in terms) / len(terms)


def reversed_cause(claim: str, sentence: str, *, lang: str) -> bool:
    """Whether the claim turns round a cause the sentence states (gives its effect as the cause)."""
    theirs = causes(sentence, lang=lang)
    return any(_told_apart(mine, pair) == -1 for mine in causes(claim, lang=lang) for pair in theirs)


def reversed_move(claim: str, sentence: str, *, lang: str) -> bool:
    """Whether the claim moves something the other way ("from A to B" where the sentence says from B to A)."""
    pattern = _FROM_TO["zh" if lang == "zh" else "en"]
    theirs = [(m.group("a").strip(), m.group("b").strip()) for m in pattern.finditer(sentence)]
    for mine in ((m.group("a").strip(), m.group("b").strip()) for m in pattern.finditer(claim)):
        ma, mb = _superlatives(mine[0]), _superlatives(mine[1])
        for pair in theirs:
            ta, tb = _superlatives(pair[0]), _superlatives(pair[1])
            if ma & tb and mb & ta and not ma & ta:
                return True  # the ends are told apart by their superlatives: most loaded, least loaded
            if _told_apart(mine, pair) == -1:
                return True
    return False


_SUPERLATIVE = re.compile(r"\b(?:most|least|\w{3,}est)\b|最[^\s，,。的]", re.IGNORECASE)


def _superlatives(text: str) -> set[str]:
    return {m.group(0).lower() for m in _SUPERLATIVE.finditer(text)}


def swapped_attribute(claim: str, sentence: str, *, lang: str) -> str | None:
    """A Chinese attribute the claim gives the opposite direction the evidence gives it (工作量小 against 工作量大)."""
    if lang != "zh":
        return None
    stated: dict[str, set[int]] = {}
    for match in _ATTRIBUTE_ZH.finditer(sentence):
        stated.setdefault(match.group("noun"), set()).add(_SIGN_ZH[match.group("sign")])
    for match in _ATTRIBUTE_ZH.finditer(claim):
        signs = stated.get(match.group("noun"))
        if signs and _SIGN_ZH[match.group("sign")] not in signs:
            return match.group(0)
    return None


# comparisons between two subjects: a word's dimension and direction; a speed is a duration the other way round
# (an enterprise rep who ramps faster has a shorter ramp)
_COMPARE_EN = {
    **{w: ("time", 1) for w in ("longer", "later")},
    **{w: ("time", -1) for w in ("shorter", "sooner", "earlier")},
    **{w: ("speed", 1) for w in ("faster", "quicker")},
    **{w: ("speed", -1) for w in ("slower",)},
    **{w: ("size", 1) for w in ("more", "higher", "greater", "larger", "bigger")},
    **{w: ("size", -1) for w in ("fewer", "less", "lower", "smaller")},
    **{w: ("cost", 1) for w in ("costlier", "dearer")},
    **{w: ("cost", -1) for w in ("cheaper",)},
}
_COMPARE_ZH = {"长": ("time", 1), "短": ("time", -1), "久": ("time", 1), "快": ("speed", 1), "慢": ("speed", -1),
               "高": ("size", 1), "多": ("size", 1), "大": ("size", 1), "低": ("size", -1), "少": ("size", -1),
               "小": ("size", -1), "贵": ("cost", 1), "便宜": ("cost", -1)}  # fmt: skip
_THAN_EN = re.compile(
    r"\b(?P<word>"
    + "|".join(_COMPARE_EN)
    + r")\b(?:\s+(?P<adverb>quickly|slowly|fast))?(?:\s+[\w-]+){0,4}?\s+than\s+",
    re.IGNORECASE,
)
_THAN_ZH = re.compile(r"比")
# after the subject 比 names: a few words ("的爬坡期"), then the direction (更长, 快, 低)
_THAN_ZH_WORD = re.compile(r"^[^，。；,;]{0,6}?(?:更|还|要)?(?P<word>便宜|[长短久快慢高多大低少小贵])")
_CLAUSE_STOP = re.compile(r"[,;:.，。；：]")
_FIGURE_KIND = {"size": "percent", "cost": "money"}


@dataclass(frozen=True)
class Comparison:
    """That `a` has more of `dimension` than `b` (`sign` +1) or less (-1); a speed is kept as a duration."""

    a: str
    b: str
    dimension: str
    sign: int


def _comparison(a: str, b: str, dimension: str, sign: int) -> Comparison:
    return Comparison(a, b, "time", -sign) if dimension == "speed" else Comparison(a, b, dimension, sign)


def comparisons(text: str, *, lang: str) -> list[Comparison]:
    """The comparisons between two roles or segments a text states ("enterprise ramps take longer than SMB ones",
    "大企业的爬坡期比中小企业长")."""
    found = []
    for match in (_THAN_ZH if lang == "zh" else _THAN_EN).finditer(text):
        head = _CLAUSE_STOP.split(text[: match.start()])[-1]
        tail = _CLAUSE_STOP.split(text[match.end() :])[0]
        a, b = subject_near(head, len(head), len(head)), leading_subject(tail)
        if lang == "zh":
            word_at = _THAN_ZH_WORD.match(tail[b[1] :]) if b else None
            if word_at is None:
                continue
            dimension, sign = _COMPARE_ZH[word_at.group("word")]
        else:
            dimension, sign = _COMPARE_EN[match.group("word").lower()]
            adverb = match.group("adverb")
            if adverb and dimension == "size":  # "more quickly", "less slowly"
                dimension, sign = "speed", sign * (-1 if adverb.lower() == "slowly" else 1)
        if a and b and a != b[0]:
            found.append(_comparison(a, b[0], dimension, sign))
    return found


def figures(sentence: str, dimension: str) -> dict[str, float]:
    """The mean figure a sentence gives each subject for a dimension: time figures in one unit ("2-3 months for
    SMB, 6-9 for enterprise"), percentages for a size, money for a cost."""
    spans: dict[str, list[float]] = {}
    units = set()
    for clause in clauses([sentence]):
        for mention in clause.numbers:
            if dimension == "time":
                unit = time_unit(clause, mention)
                if unit is None:
                    continue
                units.add(unit)
            elif mention.kind != _FIGURE_KIND.get(dimension):
                continue
            subject = subject_near(clause.text, mention.start, mention.end)
            if subject:
                spans.setdefault(subject, []).append(mention.value)
    return {s: sum(v) / len(v) for s, v in spans.items()} if len(units) <= 1 else {}


def _order(figures: dict[str, float], a: str, b: str) -> int:
    """+1 when the figures give `a` more than `b`, -1 less, 0 when they do not give both."""
    if a not in figures or b not in figures:
        return 0
    return (figures[a] > figures[b]) - (figures[a] < figures[b])


def compared(claim: str, sentence: str, *, lang: str) -> int:
    """+1 when the sentence compares the two subjects the claim compares the same way (its own comparison of them,
    or the figures it gives each: see `figures`), -1 when the other way, 0 when it does not say."""
    theirs = comparisons(sentence, lang=lang)
    for c in comparisons(claim, lang=lang):
        same = (c, Comparison(c.b, c.a, c.dimension, -c.sign))
        opposite = (Comparison(c.a, c.b, c.dimension, -c.sign), Comparison(c.b, c.a, c.dimension, c.sign))
        if any(t in opposite for t in theirs):
            return -1
        if any(t in same for t in theirs):
            return 1
        order = _order(figures(sentence, c.dimension), c.a, c.b)
        if order:
            return order * c.sign
    return 0


def reversal(claim: str, sentence: str, *, lang: str) -> str | None:
    """How the claim states a relation of the sentence the other way round: a correlation ("comparative"), a move
    or a cause ("reversed"), a comparison of two subjects ("comparison"); None when it does not."""
    if _reversed_correlation(claim, sentence, lang=lang):
        return "comparative"
    if reversed_move(claim, sentence, lang=lang) or reversed_cause(claim, sentence, lang=lang):
        return "reversed"
    if compared(claim, sentence, lang=lang) == -1:
        return "comparison"
    return None
