"""Claim-level verification: a sentence stands only when the evidence it cites entails each of its claims.

Deterministic, on top of grounding's support score. A sentence is cut into claims (its clauses: "..., and ...",
"; ", "，而 ..."), and each claim is checked against the sentences of its cited evidence:

- support: some evidence sentence supports the claim (`advisor.chat.support`, at `CLAIM_THRESHOLDS`);
- polarity and quantifiers, against the part of that evidence sentence that speaks of the claim: negation (not,
  never, rarely, 不, 很少) agrees; an exclusive or universal word (only, always, 只, 总是) is stated there too; an
  antonym there (short/long, more/fewer, above/below, 高/低) and not the word itself contradicts the claim;
- comparatives: a correlation ("the longer the ramp, the higher the cost", "longer ramps mean higher costs",
  "爬坡期越长，成本越高") has a direction, the product of its two sides' signs (longer/higher/more/faster/increases
  +1, shorter/lower/fewer/slower/reduces -1); a claim whose direction is the opposite of every correlation the
  evidence sentence states is contradicted, whatever other words the sentence holds;
- comparisons between two subjects ("enterprise reps ramp faster than SMB reps", "大企业的爬坡期比中小企业短"): a
  claim comparing two roles or segments the other way from the evidence's own comparison of them, or from the time
  figures it gives each ("2-3 months for SMB, ... 6-9 for enterprise"), is contradicted; a speed is a duration the
  other way round;
- direction: a move ("from A to B") or a cause ("A drives B", "A导致B") whose ends the evidence states the other way
  round is contradicted;
- numbers in context: each number matches an evidence number of the same value, in an evidence clause about the same
  subject (the role next to it: SDR, AE, inside, field, ...) and the same quantity (a clause about another quantity
  that states a different figure fits the claim's words better: the figures were swapped), with the same time unit
  and period; spelled quantities ("three years", "三年") and ordinals ("fourth", "第四") must be stated too;
- sources: a source the sentence names (a capitalised name, a Latin name in Chinese prose, a 《title》) is named by
  the evidence.

The verdict is `supported`, `unsupported` (the evidence does not say it) or `contradicted` (the evidence says
otherwise), with the reason. Labelled drafts in both languages measure it: `evals/suites/claims.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from langchain_core.embeddings import Embeddings

from advisor.chat.numbers import number_traces
from advisor.chat.support import support_matrix
from advisor.text.lang import HAN
from advisor.text.numbers import NumberMention, extract_numbers
from advisor.text.sentences import split_sentences, strip_citations
from advisor.text.tokens import key_terms, overlap

Verdict = Literal["supported", "unsupported", "contradicted"]
# a claim (a clause) is shorter than a sentence and scores lower against its evidence
CLAIM_THRESHOLDS = {"en": 0.45, "zh": 0.3}
# evidence sentences this close to the best support are read as the claim's evidence too
CANDIDATE_MARGIN = 0.1
# an evidence sentence sharing this much of a claim's wording may contradict it
RELATED_OVERLAP = {"en": 0.34, "zh": 0.25}
# a clause stating another figure of the sentence that fits the claim's words this much better: swapped figures
SWAP_MARGIN = 0.25
# support this high: the claim restates its best evidence sentence, which then says all of it
RESTATED = 0.9
# a merely related sentence's negation counts only in a clause sharing this much of the claim's wording
NEGATION_OVERLAP = 0.5
_CLAUSE = re.compile(r",\s+(?:and|while|but|whereas|since|because|so)\s+|;\s+|[，,；;]\s*(?:而|但)")
_CHUNK = re.compile(r"[,;:，；：、]\s*|\s+and\s+|\s+while\s+|(?<=[^\x00-\x7f])[和而]")
_WORD = re.compile(rf"[A-Za-z][A-Za-z'-]*|[{HAN}]")

# bounds are not negations: "no more than 10" says what "at most 10" says; "not only" is handled as a quantifier
_BOUNDS = re.compile(
    r"\b(?:no|not)\s+(?:more|fewer|less|longer|later)\s+than\b|\bnot\s+(?:exceed|over)\b|\bnot\s+only\b"
    r"|不超过|不到|不少于|不低于|不高于|不只|不仅",
    re.IGNORECASE,
)
_NOT_ONLY = re.compile(r"\bnot\s+only\b|不只|不仅", re.IGNORECASE)
_NEGATION = {
    "en": re.compile(
        r"\b(?:not|no|never|none|nor|cannot|can't|don't|doesn't|isn't|aren't|won't|rarely|seldom|hardly)\b",
        re.IGNORECASE,
    ),
    "zh": re.compile(r"不(?!足|够|一致|同|宜|断|少|力|良|佳|错)|没有|从不|从未|很少|几乎没|无法|并非|未"),
}
# an exclusive or universal claim needs the evidence to say as much ("only a handful" is a small number, not "only")
_STRONG = {
    "en": re.compile(
        r"\b(?:only(?!\s+(?:a\s+few|a\s+handful|a\s+small|one\s+of))|solely|exclusively|always|never)\b",
        re.IGNORECASE,
    ),
    "zh": re.compile(r"只|仅|唯一|总是|一律|从不"),
}
_ANTONYMS_EN = [
    ({"more", "higher", "greater", "larger", "bigger", "most", "much", "many"}, {"fewer", "less", "lower", "smaller", "least", "little"}),
    ({"high"}, {"low"}),
    ({"above", "over", "exceeds", "outside"}, {"below", "under", "within"}),
    ({"short", "shorter"}, {"long", "longer"}),
    ({"cheap", "cheapest", "cheaper"}, {"expensive", "costly", "much"}),  # "costs too much"
    ({"rise", "risen", "rose", "rising", "grew", "grown", "increase", "increased", "up"}, {"fall", "fallen", "fell", "falling", "drop", "dropped", "decline", "declined", "decrease", "decreased", "down"}),
    ({"consistent"}, {"inconsistent"}),
    ({"first"}, {"last"}),
    ({"easy", "easier"}, {"hard", "harder", "difficult"}),
    ({"wide", "wider"}, {"narrow", "narrower"}),
    ({"fast", "faster", "quick", "quicker", "quickly", "sooner"}, {"slow", "slower", "slowly", "later"}),
    ({"raise", "raises", "raised", "boost", "boosts", "lift", "lifts", "increases"}, {"reduce", "reduces", "reduced", "cut", "cuts", "lowers", "decreases"}),
]  # fmt: skip
_ANTONYMS_ZH = [
    ({"高"}, {"低"}),
    ({"更多", "较多", "增多"}, {"更少", "较少", "减少"}),
    ({"长"}, {"短"}),
    ({"增加", "上升", "提高"}, {"减少", "下降", "降低"}),
    ({"容易"}, {"难"}),
    ({"快"}, {"慢"}),
    ({"增长", "加大", "拉长", "延长"}, {"缩短", "缩小", "压低"}),
]
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
_ENTITIES = {
    "sdr": r"\bsdrs?\b|sales development rep(?:resentative)?s?|销售开发",
    "ae": r"\baes?\b|account executives?",
    "account_manager": r"account managers?|客户经理",
    "inside": r"\binside\b|内部",
    "field": r"\bfield\b|\boutside reps?\b|现场|外部销售",
    "smb": r"\bsmb\b|small business|中小企业",
    "mid_market": r"mid-market|中型市场",
    "enterprise": r"\benterprise\b|大企业",
}
_ENTITY = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _ENTITIES.items()}
_TIME_UNITS = {
    "hour": r"hours?|小时", "day": r"days?|天", "week": r"weeks?|周|星期", "month": r"months?|个月|月",
    "quarter": r"quarters?|季度", "year": r"years?|年",
}  # fmt: skip
_UNITS = {**_TIME_UNITS, "people": r"(?:direct\s+)?reports?|reps?|people|persons?|salespeople|sellers|人|名"}
_UNIT_AFTER = re.compile(
    r"^\s*(?:-\s*)?(?:" + "|".join(f"(?P<{u}>{p})" for u, p in _UNITS.items()) + r")(?![A-Za-z])",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    r"^[^.;,，。；]{0,30}?(?:\b(?:a|per|each|every)\s+(?P<en>hour|day|week|month|quarter|year)\b"
    r"|每(?P<zh>小时|天|周|月|季度|年))",
    re.IGNORECASE,
)
_SPELLED_EN = {
    w: i for i, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"), 1)
}  # fmt: skip
_SPELLED_ZH = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}
_SPELLED = re.compile(
    r"\b(?P<en>" + "|".join(_SPELLED_EN) + r")\s+(?P<eu>hours?|days?|weeks?|months?|quarters?|years?)\b"
    r"|(?<!第)(?P<zh>[一二两三四五六七八九十])\s*(?P<zu>个?小时|天|周|个月|个季度|年)",
    re.IGNORECASE,
)
_ORDINAL_EN = {
    w: i for i, w in enumerate(("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"), 1)
}  # fmt: skip
_ORDINAL = re.compile(
    r"\b(?P<en>" + "|".join(_ORDINAL_EN) + r")\b|第(?P<zh>[一二三四五六七八九十])", re.IGNORECASE
)
_NAME_SKIP = frozenset(
    ("sdr", "sdrs", "ae", "aes", "kpi", "kpis", "crm", "smb", "b2b", "b2c", "ceo", "cro", "vp", "vps", "saas", "roi",
     "okr", "okrs", "i", "you", "your", "our", "we", "the", "a", "an", "in", "on", "for", "with", "when", "to", "of",
     "and", "or", "but", "if", "as", "at", "by", "from", "this", "that", "these", "those", "it", "its", "most",
     "each", "every", "some", "many")
)  # fmt: skip
_NAME = re.compile(r"\b[A-Z][A-Za-z&.]*[A-Za-z](?:\s+(?:of\s+|/\s+)?[A-Z][A-Za-z&.]*[A-Za-z])*")
_LEADING_NAME_VERB = re.compile(
    r"^\s*\w+\s+(?:reports?|reported|found|finds|puts|says|said|estimates?|recommends?|shows?|showed)\b"
)
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z&.]*(?:\s+[A-Za-z][A-Za-z&.]*)*")
_TITLE = re.compile(r"《([^》]+)》")


@dataclass(frozen=True)
class ClaimCheck:
    """The verdict on one drafted sentence, and the reason when it is not supported."""

    verdict: Verdict
    reason: str = ""
    claim: str = ""

    @property
    def supported(self) -> bool:
        """Whether the sentence may stand."""
        return self.verdict == "supported"


def split_claims(sentence: str) -> list[str]:
    """The claims of a sentence: its clauses, each long enough to say something on its own."""
    parts = [p.strip(" ,，") for p in _CLAUSE.split(sentence) if p and p.strip(" ,，")]
    claims: list[str] = []
    for part in parts:
        if claims and len(key_terms(part)) < 2:
            claims[-1] = f"{claims[-1]} {part}"  # a fragment ("so it falls") belongs to the claim before it
        else:
            claims.append(part)
    return claims or [sentence]


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _antonym_clash(claim: str, part: str, sentence: str, *, lang: str) -> str | None:
    """The claim's word whose antonym the relevant part of the evidence states (the sentence never the word)."""
    if lang == "zh":
        for left, right in _ANTONYMS_ZH:
            for mine, theirs in ((left, right), (right, left)):
                said = [w for w in mine if w in claim]
                if said and any(w in part for w in theirs) and not any(w in sentence for w in mine):
                    return said[0]
        return None
    claim_words, part_words, sentence_words = _words(claim), _words(part), _words(sentence)
    for left, right in _ANTONYMS_EN:
        for mine, theirs in ((left, right), (right, left)):
            said = sorted(claim_words & mine)
            if said and part_words & theirs and not sentence_words & mine:
                return said[0]
    return None


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


# "from the most loaded territories to the least loaded ones", "从负担最重的区域调到负担最轻的区域"
_FROM_TO = {
    "en": re.compile(r"\bfrom\s+(?P<a>[^,;.]{1,40}?)\s+to\s+(?P<b>[^,;.]{1,40})", re.IGNORECASE),
    "zh": re.compile(
        r"从(?P<a>[^，,。；;从]{1,15}?)(?:调到|转到|移到|转给|交给|调给|到)(?P<b>[^，,。；;]{1,15})"
    ),
}
# "long ramps drive turnover cost", "爬坡期长导致流失成本高"
_CAUSE = {
    "en": re.compile(
        r"(?P<a>\b[^,;.]{3,40}?)\s+(?:causes?|caused|drives?|drove|leads?\s+to|led\s+to|results?\s+in)\s+"
        r"(?P<b>[^,;.]{3,40})",
        re.IGNORECASE,
    ),
    "zh": re.compile(r"(?P<a>[^，,。；;]{2,12}?)(?:导致|造成|引起|引发)(?P<b>[^，,。；;]{2,12})"),
}
# a Chinese attribute with its direction: 工作量大, 潜力小, 成本高 (the two characters before the direction)
_ATTRIBUTE_ZH = re.compile(
    rf"(?P<noun>(?:(?!越)[{HAN}]){{2}})(?P<sign>[大小高低多少长短])(?=[、，,的。；;\s]|$)"
)


def _ends(match: re.Match[str]) -> tuple[str, str]:
    return match.group("a").strip(), match.group("b").strip()


def _reversed_direction(claim: str, sentence: str, *, lang: str) -> bool:
    """Whether the claim moves something the other way ("from A to B" where the evidence says from B to A) or
    turns a cause round ("turnover drives long ramps" where the evidence says long ramps drive turnover cost)."""
    key = "zh" if lang == "zh" else "en"
    return any(_reversed_ends(pattern, claim, sentence) for pattern in (_FROM_TO[key], _CAUSE[key]))


def _reversed_ends(pattern: re.Pattern[str], claim: str, sentence: str) -> bool:
    theirs = [_ends(m) for m in pattern.finditer(sentence)]
    for mine in (_ends(m) for m in pattern.finditer(claim)):
        ma, mb = _superlatives(mine[0]), _superlatives(mine[1])
        for a, b in theirs:
            ta, tb = _superlatives(a), _superlatives(b)
            if ma & tb and mb & ta and not ma & ta:
                return True  # the ends are told apart by their superlatives: most loaded, least loaded
            same = overlap(key_terms(mine[0]), a) + overlap(key_terms(mine[1]), b)
            swapped = overlap(key_terms(mine[0]), b) + overlap(key_terms(mine[1]), a)
            if swapped >= same + 1.0:
                return True
    return False


_SUPERLATIVE = re.compile(r"\b(?:most|least|\w{3,}est)\b|最[^\s，,。的]", re.IGNORECASE)


def _superlatives(text: str) -> set[str]:
    return {m.group(0).lower() for m in _SUPERLATIVE.finditer(text)}


def _swapped_attribute(claim: str, sentence: str, *, lang: str) -> str | None:
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
    + r")\b(?:\s+(?P<adverb>quickly|slowly|fast))?(?:\s+[\w-]+){0,3}?\s+than\s+",
    re.IGNORECASE,
)
_THAN_ZH = re.compile(r"比")
# after the subject 比 names: a few words ("的爬坡期"), then the direction (更长, 快, 低)
_THAN_ZH_WORD = re.compile(r"^[^，。；,;]{0,6}?(?:更|还|要)?(?P<word>便宜|[长短久快慢高多大低少小贵])")
_CLAUSE_STOP = re.compile(r"[,;:.，。；：]")


@dataclass(frozen=True)
class _Comparison:
    """That `a` has more of `dimension` than `b` (`sign` +1) or less (-1); a speed is kept as a duration."""

    a: str
    b: str
    dimension: str
    sign: int


def _comparison(a: str, b: str, dimension: str, sign: int) -> _Comparison:
    return _Comparison(a, b, "time", -sign) if dimension == "speed" else _Comparison(a, b, dimension, sign)


def _comparisons(text: str, *, lang: str) -> list[_Comparison]:
    """The comparisons between two roles or segments a text states ("enterprise ramps take longer than SMB ones",
    "大企业的爬坡期比中小企业长")."""
    found = []
    for match in (_THAN_ZH if lang == "zh" else _THAN_EN).finditer(text):
        head = _CLAUSE_STOP.split(text[: match.start()])[-1]
        tail = _CLAUSE_STOP.split(text[match.end() :])[0]
        a, b = _entity_near(head, len(head), len(head)), _leading_entity(tail)
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


def _leading_entity(text: str) -> tuple[str, int] | None:
    """The role or segment a text opens with (within its first few words), and where its name ends."""
    starts = [
        (m.start(), -m.end(), name)
        for name, p in _ENTITY.items()
        if (m := p.search(text)) and m.start() <= 12
    ]
    if not starts:
        return None
    _start, end, name = min(starts)
    return name, -end


def _durations(sentence: str) -> dict[str, float]:
    """The mean time figure a sentence gives each role or segment ("2-3 months for SMB, 6-9 for enterprise")."""
    spans: dict[str, list[float]] = {}
    units = set()
    for chunk in _chunks([sentence]):
        unit = next(
            (u for u in (_unit(chunk.text, m)[0] for m in chunk.numbers) if u), None
        ) or _carried_unit(chunk)
        entity = _entity_near(chunk.text, 0, len(chunk.text)) if chunk.numbers else None
        if entity and unit in _TIME_UNITS:
            units.add(unit)
            spans.setdefault(entity, []).extend(m.value for m in chunk.numbers)
    return {e: sum(v) / len(v) for e, v in spans.items()} if len(units) == 1 else {}


def _order(durations: dict[str, float], a: str, b: str) -> int:
    """+1 when the sentence gives `a` the longer time, -1 the shorter, 0 when it does not give both."""
    if a not in durations or b not in durations:
        return 0
    return (durations[a] > durations[b]) - (durations[a] < durations[b])


def _reversed_comparison(claim: str, sentence: str, *, lang: str) -> bool:
    """Whether the claim compares two subjects the other way from the evidence sentence: its own comparison of
    them, or the time figures it gives each ("2-3 months for SMB, 6-9 for enterprise")."""
    mine = _comparisons(claim, lang=lang)
    if not mine:
        return False
    theirs = _comparisons(sentence, lang=lang)
    durations = _durations(sentence)
    for c in mine:
        opposite = (_Comparison(c.a, c.b, c.dimension, -c.sign), _Comparison(c.b, c.a, c.dimension, c.sign))
        if any(t in opposite for t in theirs):
            return True
        if c.dimension == "time" and _order(durations, c.a, c.b) == -c.sign:
            return True
    return False


def _relevant_part(claim: str, sentence: str, *, share: float = 0.2) -> str:
    """The clauses of an evidence sentence that share wording with the claim (by default the whole sentence when
    none does)."""
    terms = key_terms(claim)
    parts = [p for p in _CHUNK.split(sentence) if p and p.strip()]
    related = [p for p in parts if overlap(terms, p) >= share]
    return " ".join(related) if related or share > 0.2 else sentence


def _entities(text: str) -> set[str]:
    return {name for name, pattern in _ENTITY.items() if pattern.search(text)}


def _contradiction(
    claim: str, sentence: str, *, lang: str, whole: bool = False, strict: bool = False
) -> tuple[Verdict, str] | None:
    """What in an evidence sentence says otherwise: a negation or an antonym in the clauses about the claim (an
    antonym anywhere in the sentence when it is the claim's best support: `whole`; a negation only in clauses that
    share most of the claim's wording when the sentence is merely related: `strict`)."""
    claim, sentence = _BOUNDS.sub(" ", claim), _BOUNDS.sub(" ", sentence)
    if _reversed_correlation(claim, sentence, lang=lang):
        return "contradicted", "comparative"
    if _reversed_direction(claim, sentence, lang=lang):
        return "contradicted", "reversed"
    if _reversed_comparison(claim, sentence, lang=lang):
        return "contradicted", "comparison"
    # a correlation both state in the same direction may flip both sides ("the shorter the ramp, the lower the
    # cost" restates "the longer, the higher"): its antonyms then agree
    agreed = bool(correlations(claim, lang=lang) and correlations(sentence, lang=lang))
    swapped = None if agreed else _swapped_attribute(claim, sentence, lang=lang)
    if swapped:
        return "contradicted", f"antonym:{swapped}"
    part = _relevant_part(claim, sentence)
    negated = _relevant_part(claim, sentence, share=NEGATION_OVERLAP) if strict else part
    if _NEGATION[lang].search(negated) and not _NEGATION[lang].search(claim):
        return "contradicted", "polarity"
    word = None if agreed else _antonym_clash(claim, sentence if whole else part, sentence, lang=lang)
    if word:
        return "contradicted", f"antonym:{word}"
    if _rather_than(claim, part):
        return "contradicted", "reversed"
    return None


def _unstated(claim: str, sentence: str, *, lang: str) -> tuple[Verdict, str] | None:
    """What the claim asserts that the sentence does not state: a negation, "only", an ordinal, a role, a source."""
    claim, sentence = _BOUNDS.sub(" ", claim), _BOUNDS.sub(" ", sentence)
    # the negation must be where the sentence speaks of the claim ("training, or none at all, exhausts new reps"
    # does not say "training rarely exhausts new reps")
    spoken = _relevant_part(claim, sentence)
    if _NEGATION[lang].search(claim) and not _NEGATION[lang].search(spoken):
        return "contradicted", "polarity"
    claimed = {m.group(0).lower() for m in _STRONG[lang].finditer(claim)}
    if claimed & {"only", "只", "仅"} and _NOT_ONLY.search(sentence):
        return "contradicted", "not_only"
    if claimed and not claimed & {m.group(0).lower() for m in _STRONG[lang].finditer(sentence)}:
        return "unsupported", f"quantifier:{sorted(claimed)[0]}"
    stated = _ordinals(sentence)
    for ordinal in sorted(_ordinals(claim) - stated):
        return ("contradicted" if stated else "unsupported"), f"ordinal:{ordinal}"
    missing = sorted(_entities(claim) - _entities(sentence))
    if missing:
        return "contradicted", f"subject:{missing[0]}"
    names = [n for n in _names(claim, lang=lang) if n.lower() not in sentence.lower()]
    if names:
        return "unsupported", f"source:{names[0]}"
    return None


_RATHER = re.compile(r"(\w+(?:\s\w+)?)\s+rather than\s+(\w+(?:\s\w+)?)", re.IGNORECASE)


def _rather_than(claim: str, evidence: str) -> bool:
    """Whether the claim prefers what the evidence sets aside ("size rather than volume" against the reverse)."""
    mine, theirs = _RATHER.search(claim), _RATHER.search(evidence)
    if not mine or not theirs:
        return False
    return mine.group(1).split()[-1].lower() == theirs.group(2).split()[-1].lower()


def _entity_near(text: str, start: int, end: int) -> str | None:
    """The role or segment named closest to a span of text."""
    best: tuple[int, str] | None = None
    for name, pattern in _ENTITY.items():
        for match in pattern.finditer(text):
            distance = match.start() - end if match.start() >= end else start - match.end()
            if best is None or max(distance, 0) < best[0]:
                best = (max(distance, 0), name)
    return None if best is None else best[1]


def _unit(text: str, mention: NumberMention) -> tuple[str | None, str | None]:
    """The time unit written after a number ("8 hours") and the period it is counted over ("a week", "每月")."""
    after = text[mention.end :]
    unit = _UNIT_AFTER.match(after)
    unit_name = next((u for u in _UNITS if unit and unit.group(u)), None)
    before = text[max(0, mention.start - 4) : mention.start]
    period = _PERIOD.match(after)
    zh_period = re.search(r"每(小时|天|周|月|季度|年)", before)
    period_name = None
    if period:
        period_name = (period.group("en") or period.group("zh") or "").lower()
    elif zh_period:
        period_name = zh_period.group(1)
    return unit_name, _canon_period(period_name)


def _canon_period(period: str | None) -> str | None:
    zh = {"小时": "hour", "天": "day", "周": "week", "月": "month", "季度": "quarter", "年": "year"}
    return zh.get(period, period) if period else None


@dataclass(frozen=True)
class _Chunk:
    text: str
    numbers: tuple[NumberMention, ...]
    before: (
        str  # the sentence up to this clause: a clause with no role of its own takes the one named before it
    )


def _chunks(sentences: Sequence[str]) -> list[_Chunk]:
    """Evidence clauses, each with the numbers it states (offsets within the clause)."""
    chunks = []
    for sentence in sentences:
        done = 0
        for match in [*_CHUNK.finditer(sentence), None]:
            end = match.start() if match else len(sentence)
            part = sentence[done:end]
            if part.strip():
                chunks.append(_Chunk(part, tuple(extract_numbers(part)), sentence[:done]))
            done = match.end() if match else done
    return chunks


def _carried_unit(chunk: _Chunk) -> str | None:
    """The time unit of the last number before this clause in its sentence, which a bare figure inherits."""
    units = [_unit(chunk.before, m)[0] for m in extract_numbers(chunk.before)]
    last = next((u for u in reversed(units) if u), None)
    return last if last in _TIME_UNITS else None


def _role_of(chunk: _Chunk, mention: NumberMention) -> str | None:
    near = _entity_near(chunk.text, mention.start, mention.end)
    if near is None and chunk.before:
        near = _entity_near(chunk.before, len(chunk.before), len(chunk.before))
    return near


def _number_problem(claim: str, chunks: Sequence[_Chunk]) -> tuple[Verdict, str] | None:
    """Why a number of the claim is not the evidence's figure for the same subject and quantity, if it is not."""
    stated = extract_numbers(claim)
    for part in (p for p in _CHUNK.split(claim) if p and p.strip()):
        terms = key_terms(re.sub(r"\d+(?:\.\d+)?", " ", part))
        for mention in extract_numbers(part):
            matches = [
                (chunk, found)
                for chunk in chunks
                for found in chunk.numbers
                if number_traces(mention, [found.raw])
            ]
            if not matches:
                return "contradicted", f"number:{mention.raw}"
            entity = _entity_near(part, mention.start, mention.end)
            unit, period = _unit(part, mention)
            fits = []
            for chunk, found in matches:
                their_unit, their_period = _unit(chunk.text, found)
                if (
                    their_unit is None
                ):  # "2-3 months for SMB, 4-6 for mid-market": the unit said once carries on
                    their_unit = _carried_unit(chunk)
                if entity and _role_of(chunk, found) != entity:
                    continue
                # a time unit must be the evidence's; a count of people may restate a bare figure
                if unit and unit != their_unit and not (unit == "people" and their_unit is None):
                    continue
                if period and their_period and period != their_period:
                    continue
                fits.append(chunk)
            if not fits:
                return "contradicted", f"number_context:{mention.raw}"
            fit = max(overlap(terms, chunk.text) for chunk in fits)
            # swapped figures: another figure the sentence states belongs to a clause that fits these words better
            swapped = [
                chunk
                for chunk in chunks
                if all(c is not chunk for c in fits)
                and any(
                    n.kind == mention.kind and any(number_traces(o, [n.raw]) for o in stated if o != mention)
                    for n in chunk.numbers
                )
                and overlap(terms, chunk.text) - fit >= SWAP_MARGIN
            ]
            if swapped and len(extract_numbers(part)) == 1:
                return "contradicted", f"swapped:{mention.raw}"
    return None


def _spelled(text: str) -> set[tuple[int, str]]:
    found = set()
    for match in _SPELLED.finditer(text):
        if match.group("en"):
            found.add((_SPELLED_EN[match.group("en").lower()], match.group("eu").lower().rstrip("s")))
        else:
            unit = match.group("zu").lstrip("个")
            found.add((_SPELLED_ZH[match.group("zh")], unit))
    return found


def _ordinals(text: str) -> set[int]:
    return {
        _ORDINAL_EN[m.group("en").lower()] if m.group("en") else _SPELLED_ZH[m.group("zh")]
        for m in _ORDINAL.finditer(text)
    }


def _names(claim: str, *, lang: str) -> list[str]:
    """Sources and names a claim states: capitalised words (the first word of the claim only when it is the subject
    of "reports", "found"...), or in Chinese prose its Latin names and 《titles》."""
    if lang == "zh":
        latin = [m.group(0) for m in _LATIN_NAME.finditer(claim)]
        return [n for n in latin if n.lower() not in _NAME_SKIP] + _TITLE.findall(claim)
    names: list[str] = []
    for match in _NAME.finditer(claim):
        words = re.split(r"\s+(?:of\s+|/\s+)?", match.group(0))
        if match.start() == 0 and not _LEADING_NAME_VERB.match(claim):
            words = words[1:]  # the first word of a sentence is capitalised whatever it is
        names.extend(w for w in words if w.lower() not in _NAME_SKIP)
    return names


def _claim_problem(
    claim: str, close: Sequence[str], related: Sequence[str], *, lang: str, quoted: bool, restated: bool
) -> tuple[Verdict, str] | None:
    """The claim against its evidence: one of the `close` sentences (the best support) states all it asserts and
    contradicts none of it, and, unless the claim restates it, no `related` sentence (sharing its wording, about
    the same roles) contradicts it; a claim quoted from a close sentence stands."""
    if quoted:
        return None  # a quotation is entailed by its source
    problems = [
        _contradiction(claim, s, lang=lang, whole=True) or _unstated(claim, s, lang=lang) for s in close
    ]
    if all(problems):
        return next(p for p in problems if p)
    if restated:
        return None
    roles = _entities(claim)
    for sentence in related:
        if roles and not roles & _entities(sentence) and _entities(sentence):
            continue  # it speaks of other roles
        problem = _contradiction(claim, sentence, lang=lang, strict=True)
        if problem:
            return problem
    return None


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def check_claims(sentence: str, evidence: Sequence[str], *, lang: str, embedder: Embeddings) -> ClaimCheck:
    """Whether the evidence entails every claim of a sentence (see the module docstring)."""
    text = strip_citations(sentence).strip()
    units = [s.text for item in evidence for s in split_sentences(item)] or list(evidence)
    joined = " ".join(evidence)
    spelled = _spelled(joined)
    for value, unit in _spelled(text):
        digits = any(
            m.value == value and (_unit(joined, m)[0] or "").startswith(unit[:2])
            for m in extract_numbers(joined)
        )
        if (value, unit) not in spelled and not digits:
            return ClaimCheck("contradicted", f"quantity:{value} {unit}", text)
    problem = _number_problem(text, _chunks(units))
    if problem:
        return ClaimCheck(problem[0], problem[1], text)
    threshold = CLAIM_THRESHOLDS.get(lang, CLAIM_THRESHOLDS["en"])
    claims = split_claims(text)
    scores = support_matrix(claims, units, lang=lang, embedder=embedder)
    for row, claim in enumerate(claims):
        best = float(scores[row].max()) if units else 0.0
        if best < threshold:
            return ClaimCheck("unsupported", "no_support", claim)
        ranked = [j for j in scores[row].argsort()[::-1] if scores[row, j] >= threshold]
        close = [units[j] for j in ranked if scores[row, j] >= best - CANDIDATE_MARGIN]
        terms = key_terms(claim)
        related = [unit for unit in units if overlap(terms, unit) >= RELATED_OVERLAP.get(lang, 0.34)]
        quoted = any(_plain(claim) in _plain(unit) for unit in close)
        problem = _claim_problem(claim, close, related, lang=lang, quoted=quoted, restated=best >= RESTATED)
        if problem:
            return ClaimCheck(problem[0], problem[1], claim)
    return ClaimCheck("supported")
