"""The composed answer: a lead sentence that answers the question, then the reasons or steps as a short cited list.

The pipeline, not the model, owns the structure. Candidates are the evidence's own sentences (answer units), so each
is supported and its numbers trace by construction; sentences that read badly alone are left out (table rows,
headings, lead-ins ending in a colon, cross-references, worked examples, an opening pronoun pointing back). Each is
scored by its support for the question, plus a bonus when its section's role is one the question's intent wants
(causes for "why", actions for "how", figures for "how many"...) and a little of its passage's retrieval relevance.
With an org loaded, the user's own numbers and findings lead; a question about the org then takes the guidance's
actions as its list. Chinese answers are composed the same way from Chinese units.

The lead is chosen apart from the list, because it must answer the question itself: it comes from a section whose
role holds that kind of answer (`LEAD_ROLES`: a figure question's lead from figures and states a number, a
definition's from a definition, a how-question's from actions), from the document the question is most about (its
title shares the question's terms, or it lists a question like it), and it matches the question's own wording with
words of one notion folded together (`advisor.text.tokens.concept_terms`: 理想/最好/应该, ideal/good/healthy). A
should-we question leads with a conditional recommendation ("Move ... when ..., keep ... for ...") when the evidence
has one. Only when no unit of a fitting role exists does the lead come from any section. A yes/no comparison
question ("Do enterprise reps ramp faster than SMB reps?") opens with its verdict (`advisor.chat.verdict`), then the
unit that decided it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from advisor.chat.evidence import Evidence, EvidencePack
from advisor.chat.grounding import GroundedSentence, GroundedText
from advisor.chat.intent import Intent
from advisor.chat.support import support_matrix
from advisor.chat.verdict import verdict
from advisor.text.numbers import extract_numbers, is_year, states_quantity
from advisor.text.sentences import sentence_units
from advisor.text.tokens import concept_overlap, concept_terms, key_terms, overlap

# roles each intent draws on, best first; the first earns the full bonus, the others part of it
ROLES: dict[str, tuple[str, ...]] = {
    "causes": ("causes", "overview", "caveats"),
    "actions": ("actions", "checklist", "overview"),
    "decision": ("overview", "caveats", "actions", "figures"),
    "figure": ("figures", "definition", "overview"),
    "definition": ("definition", "overview", "figures"),
    "comparison": ("overview", "figures", "caveats", "definition"),
    "my_org": ("actions", "checklist", "causes"),
}
# roles the lead may come from, per intent, best first (see the module docstring)
LEAD_ROLES: dict[str, tuple[str, ...]] = {
    "causes": ("causes", "overview"),
    "actions": ("actions", "checklist", "overview"),
    "decision": ("actions", "overview", "caveats"),
    "figure": ("figures", "overview", "definition"),
    "definition": ("definition", "overview"),
    "comparison": ("overview", "definition", "figures", "causes"),
    "my_org": ("actions", "checklist", "causes"),
}
# a recommendation that says when: what a should-we question needs first
CONDITIONAL = {
    "en": re.compile(r"\b(?:when|if|unless|where|while|once)\b", re.IGNORECASE),
    "zh": re.compile(r"时[，,]|如果|若|除非|只要|适合|前提"),
}
LEAD_ROLE_BONUS = 0.3
TITLE_WEIGHT = 0.3  # the document the question names in its title is the one it is about
WORDING_WEIGHT = 0.4  # the lead shares the question's own wording (notions folded)
CONDITIONAL_BONUS = 0.3
ROLE_BONUS = 0.25
RELEVANCE_WEIGHT = 0.1
ASKED_WEIGHT = 0.2  # a document that lists the question as one it answers is the likeliest to answer it
NUMBER_BONUS = 0.1  # a figure question is answered by a sentence with a number in it
# list items after the lead, per intent: reasons and steps make a list, a figure or a definition needs little more
ITEMS: dict[str, int] = {"causes": 4, "actions": 4, "my_org": 3, "decision": 3, "comparison": 3, "figure": 2,
                         "definition": 2}  # fmt: skip
_MIN_CHARS = {"en": 30, "zh": 12}
_SAME_FACT = 0.6
SAME_FIGURES = 4  # a sentence quoting a pair of figures to explain them says more than the pair
DANGLING = {
    "en": re.compile(r"^(?:They|Them|This|These|Those|That|It|Its|Such|Here|Thus|Hence|Both|Either)\b"),
    "zh": re.compile(r"^(?:这|那些|它|此|其(?!他|余|实)|该(?!公司|指标)|上述|以上)"),
}
CROSS_REFERENCE = re.compile(
    r"^see\b|\bsee (?:above|below)\b|\bfor the (?:wider picture|formulas?)\b|\bfurther reading\b|^related\b"
    r"|参见|详见|见《|如上|上文|下文|前文",
    re.IGNORECASE,
)
_EXAMPLE = re.compile(r"^(?:example|e\.g\.|for example|worked example)\b|^例如|^举例|^示例", re.IGNORECASE)


@dataclass(frozen=True)
class _Unit:
    evidence: Evidence
    text: str
    position: int


def readable(sentence: str, *, lang: str, intent: str = "actions") -> bool:
    """Whether a sentence reads well on its own in an answer (see the module docstring)."""
    text = sentence.strip()
    return (
        len(text) >= _MIN_CHARS.get(lang, 30)
        and "|" not in text
        and not text.startswith("#")
        and not text.rstrip().endswith((":", "：", "?", "？", ";", "；", ",", "，"))
        and DANGLING["zh" if lang == "zh" else "en"].match(text) is None
        and CROSS_REFERENCE.search(text) is None
        and (intent == "definition" or _EXAMPLE.match(text) is None)
    )


def _units(pack: EvidencePack, *, lang: str, intent: str, avoid: frozenset[str]) -> list[_Unit]:
    units = []
    for item in pack:
        if item.kind == "metric" or item.role == "example" and intent != "definition":
            continue
        for position, text in enumerate(sentence_units(item.text)):
            if readable(text, lang=lang, intent=intent) and text.strip() not in avoid:
                units.append(_Unit(item, text, position))
    return units


def _bonus(unit: _Unit, intent: str) -> float:
    roles = ROLES.get(intent, ())
    bonus = 0.0
    if unit.evidence.role in roles:
        bonus = ROLE_BONUS if roles.index(unit.evidence.role) == 0 else ROLE_BONUS / 2
    if intent == "figure" and extract_numbers(unit.text):
        bonus += NUMBER_BONUS
    return bonus + RELEVANCE_WEIGHT * unit.evidence.score + ASKED_WEIGHT * unit.evidence.asked


def _org_sentences(pack: EvidencePack, question: str) -> list[GroundedSentence]:
    """The user's own numbers: each metric's value and finding (its readable sentences, not the arithmetic), the
    metric the question names first ("our SDR to AE ratio" leads with `sdr_ae_ratio`, not with turnover)."""
    terms = key_terms(question)
    metrics = [item for item in pack if item.kind == "metric"]
    metrics.sort(key=lambda item: -overlap(terms, f"{item.id[2:].replace('_', ' ')} {item.text}"))
    sentences: list[GroundedSentence] = []
    for item in metrics:
        kept = [s for s in sentence_units(item.text) if not s.startswith(("Formula:", "公式"))][:2]
        sentences.extend(GroundedSentence(text, (item.id,)) for text in kept)
    return sentences


def _doc_asked(units: list[_Unit]) -> dict[str, float]:
    """Per document, how close the question is to one it lists (the retriever marks one chunk per document)."""
    asked: dict[str, float] = {}
    for unit in units:
        doc = unit.evidence.doc_id
        asked[doc] = max(asked.get(doc, 0.0), unit.evidence.asked)
    return asked


def _lead(question: str, units: list[_Unit], support: list[float], *, intent: str, lang: str) -> int | None:
    """The unit that answers the question itself (see the module docstring), or None when none fits."""
    roles = LEAD_ROLES.get(intent, ())
    fitting = [i for i, unit in enumerate(units) if unit.evidence.role in roles]
    if intent == "figure":
        fitting = [i for i in fitting if states_quantity(units[i].text)] or [
            i for i, unit in enumerate(units) if states_quantity(unit.text)
        ]
    if not fitting:
        return None
    terms = concept_terms(question)
    asked = _doc_asked(units)
    conditional = CONDITIONAL["zh" if lang == "zh" else "en"]

    def score(i: int) -> float:
        unit = units[i]
        value = support[i] + WORDING_WEIGHT * concept_overlap(terms, unit.text)
        value += TITLE_WEIGHT * concept_overlap(terms, unit.evidence.title)
        value += ASKED_WEIGHT * asked.get(unit.evidence.doc_id, 0.0)
        value += (
            LEAD_ROLE_BONUS * (1 - roles.index(unit.evidence.role) / len(roles))
            if unit.evidence.role in roles
            else 0
        )
        if intent == "decision" and conditional.search(unit.text):
            value += CONDITIONAL_BONUS
        return value + RELEVANCE_WEIGHT * unit.evidence.score

    return max(fitting, key=score)


def compose(
    question: str,
    pack: EvidencePack,
    *,
    intent: Intent,
    lang: str,
    embedder: Embeddings,
    avoid: frozenset[str] = frozenset(),
) -> GroundedText:
    """A lead and a short list of cited units answering the question (empty when nothing in the pack reads well);
    `avoid` lists sentences never to quote (uploaded figures a curated passage contradicts)."""
    lead = _org_sentences(pack, question)
    avoid = frozenset(text.strip() for text in avoid)
    units = _units(pack, lang=lang, intent=intent, avoid=avoid)
    if not units:
        return GroundedText(sentences=lead, lang=lang)
    support = support_matrix([question], [u.text for u in units], lang=lang, embedder=embedder)[0]
    scores = [float(support[i]) + _bonus(unit, intent) for i, unit in enumerate(units)]
    order = sorted(range(len(units)), key=lambda i: -scores[i])
    chosen: list[int] = []
    wanted = 1 + ITEMS.get(intent, 3)
    decided = None if lead else verdict(question, [u.text for u in units], lang=lang)
    first: int | None = None
    if decided:  # of the units that decide it, the one closest to the question
        first = max(decided.units, key=lambda i: scores[i])
    elif not lead:
        first = _lead(question, units, [float(v) for v in support], intent=intent, lang=lang)
    if first is not None:
        chosen.append(first)
    for i in order:
        if i in chosen:
            continue
        if any(_same_fact(units[i].text, units[j].text) for j in chosen):
            continue  # two documents often restate one fact (an article and the benchmarks table): say it once
        chosen.append(i)
        if len(chosen) == wanted:
            break
    if intent == "figure" and first is None:  # a question about a figure is answered by a figure first
        chosen.sort(key=lambda i: not extract_numbers(units[i].text))
    picked = [GroundedSentence(units[i].text, (units[i].evidence.id,)) for i in chosen]
    if lead:  # the user's numbers lead; the guidance follows as the list
        return GroundedText(sentences=lead + [_as_item(s) for s in picked[: wanted - 1]], lang=lang)
    if decided:  # the verdict, then the unit that decided it
        picked.insert(0, GroundedSentence(decided.text, picked[0].citations))
        return GroundedText(sentences=picked[:2] + [_as_item(s) for s in picked[2:]], lang=lang)
    return GroundedText(sentences=picked[:1] + [_as_item(s) for s in picked[1:]], lang=lang)


def _same_fact(text: str, chosen: str) -> bool:
    """Whether a unit restates a chosen one: mostly the same words, or a run of figures (`SAME_FIGURES` or more,
    years aside) the chosen one states too ("2-3 months in SMB, 4-6 in mid-market, 6-9 in enterprise", in an
    article and again in the benchmarks table)."""
    if overlap(key_terms(text), chosen) >= _SAME_FACT:
        return True
    mine, theirs = (Counter(m.value for m in extract_numbers(t) if not is_year(m)) for t in (text, chosen))
    return mine.total() >= SAME_FIGURES and not mine - theirs


def _as_item(sentence: GroundedSentence) -> GroundedSentence:
    return GroundedSentence(sentence.text, sentence.citations, sentence.action, item=True)
