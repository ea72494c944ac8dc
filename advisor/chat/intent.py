"""What a question asks for: causes, actions, a decision, a figure, a definition, a comparison, or the user's own org.

Deterministic. Patterns in English and Chinese decide in a fixed precedence (my_org > comparison > definition >
figure > decision > causes > actions: "Why is our SDR turnover so high?" is about the user's org, "How does
enterprise ramp compare with SMB ramp?" is a comparison even though it asks for numbers). An English question no
pattern recognises goes to the intent whose example questions its embedding is closest to; a Chinese one (the
embedded model reads Chinese poorly) to `actions`, the commonest ask. Names from a loaded roster (people, teams,
territories) make a question `my_org`. Calibrated on evals/suites/intents.yaml (split dev); its test split scores
it (`tests/chat/test_intent.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.chat.support import embed
from advisor.text.lang import detect_lang

Intent = Literal["causes", "actions", "decision", "figure", "definition", "comparison", "my_org"]
INTENTS: tuple[Intent, ...] = (
    "my_org",
    "comparison",
    "definition",
    "figure",
    "decision",
    "causes",
    "actions",
)

_ORG_NOUNS = (
    r"(?:own\s+)?(?:team|teams|org|organi[sz]ation|company|roster|reps|people|sdrs?|aes?|managers?|territor(?:y|ies)|"
    r"data|sales\s+(?:team|org|force|floor)|turnover|attrition|attainment|ratio|span|tenure|inside|quota|headcount|"
    r"region|pipeline|split|mix|numbers?|metrics?)"
)
_PATTERNS: dict[str, dict[Intent, re.Pattern[str]]] = {
    "en": {
        "my_org": re.compile(
            rf"(?i:\b(?:our|my)\s+(?:\w+\s+){{0,2}}?{_ORG_NOUNS}\b|\b(?:in|on|across)\s+(?:our|my)\b)"
            r"|\b[A-Z][a-z]+'s\s+(?:team|reps|territory|region|span|people|group|direct reports)"
            r"|\bthe\s+[A-Z][a-z]+\s+(?:territory|region|team)\b",
        ),
        "comparison": re.compile(
            r"\bvs\.?\b|\bversus\b|difference between|\bdiffer\b|\bcompare[sd]?\b|\bcomparison\b|stack up"
            r"|\bbetter than\b|\btrade-?off\b|^[^:?]{1,40}\bor\b[^:?]{1,40}:",
            re.IGNORECASE,
        ),
        "definition": re.compile(
            r"\bformula\b|\bdefine\b|\bdefinition\b|what counts as|\bmean(?:s)?\b(?! by (?:a|the) (?:good|normal))"
            r"|\bstand for\b|how (?:is|are|do you|do we|do i|should we|should i)\s+(?:\w+\s+){0,4}?"
            r"(?:calculated|computed|measured|work(?:ed)? out|measure|calculate|compute)"
            r"|^what(?:'s| is| are)\s+(?:a |an |the )?(?!good|normal|typical|average|best|right|ideal)"
            r"[\w:-]+(?:\s[\w:-]+){0,3}\s*\?$|^what is the magic number",
            re.IGNORECASE,
        ),
        "figure": re.compile(
            r"\bhow (?:many|much|long|often|big|large|fast|quickly)\b|\bwhat (?:percentage|percent|share|proportion|"
            r"multiple|number)\b|\b(?:normal|typical|average|benchmark|median|good|healthy|ideal|right)\b\s+"
            r"(?:\w+\s+){0,3}?(?:rate|ratio|span|number|share|level|size|coverage|tenure|turnover|attainment|"
            r"revenue|cost|quota)|\bon average\b|\bwhat (?:\w+\s+){0,3}(?:rate|ratio|revenue|cost|multiple)\b"
            r"|\bwhat does it cost\b|\bis typical\b|\bbenchmarks?\b",
            re.IGNORECASE,
        ),
        "decision": re.compile(
            r"^(?:so\s+)?(?:should|shall|must|do (?:we|i|you) (?:even |really )?need|is it (?:worth|a good idea|wise|"
            r"okay|ok|smart|better)|would\b.*\b(?:be (?:ok|okay|fine|enough|wise)|work)|does it make sense|"
            r"can we (?:afford|skip|drop)|is (?:a|an|one)\b.*\benough)",
            re.IGNORECASE,
        ),
        "causes": re.compile(
            r"\bwhy\b|what(?:'s| is| are)? (?:driving|behind|causing)|\bwhat causes\b|\bwhat makes\b|\breasons?\b"
            r"|\broot cause|\bwhat leads\b|\b(?:main|common|usual|biggest|typical) causes\b|\bcauses of\b",
            re.IGNORECASE,
        ),
        "actions": re.compile(
            r"^how (?:can|do|should|could|would|to)\b|\bwhat (?:should|can|could|would) (?:we|i|a|you|the)\b"
            r"|\bsteps?\b|\bbest way\b|\bhow to\b|\btips\b|\bimprove\b|\breduce\b|\bfix\b|\bstop\b",
            re.IGNORECASE,
        ),
    },
    "zh": {
        "my_org": re.compile(
            r"我们的|我(?:的)?团队|我们(?:团队|公司|哪|有多少|现在的|内部销售和)|我司|本团队"
            r"|[A-Z][a-z]+\s*(?:的)?\s*(?:团队|区域|管理幅度|下属|小组)"
        ),
        "comparison": re.compile(
            r"区别|不同|相比|对比|比较(?!合适|好|健康|理想|合理|稳妥)|取舍|利弊|哪个(?:好|更|划算)|还是.{1,12}好|和.{1,15}哪个"
        ),
        "definition": re.compile(
            r"什么是|是什么意思|(?:指的?是)什么|指什么|(?:怎么|怎样|如何)(?:计算|测算|估算|推算|算|定义|衡量|判断)|公式|定义|什么算|含义"
        ),
        "figure": re.compile(
            r"多少|几个|几倍|多久|多长|多高|多大|几成|百分之|几个月|几年|几人|什么(?:水平|范围|区间|数字)|占比"
        ),
        "decision": re.compile(
            r"应该.{0,30}吗|要不要|值得.{0,20}吗|可行吗|需不需要|是不是应该|该不该|能不能|是否应|还是"
        ),
        "causes": re.compile(r"为什么|为何|原因|怎么会|导致|为啥"),
        "actions": re.compile(r"怎么|如何|怎样|办法|该做|入手|措施|建议|改进|提高|降低"),
    },
}
# example questions per intent for English questions no pattern recognises (none of them is in the labelled set)
EXAMPLES: dict[Intent, tuple[str, ...]] = {
    "causes": ("What is pushing our best people out?", "Where does early attrition come from?"),
    "actions": ("Ways to keep SDRs motivated", "Ideas for better onboarding", "Help me cut rep attrition"),
    "decision": ("Is a dedicated SDR team worth it for us?", "Go with inside sales for mid-market?"),
    "figure": ("Benchmark for annual sales turnover", "Typical SDR ramp in months"),
    "definition": ("Meaning of span of control", "Ramped capacity explained"),
    "comparison": ("Inside sales against field sales", "Pros and cons of wide and narrow spans"),
    "my_org": ("Problems in my roster", "Which of my managers is overloaded?"),
}


@dataclass(frozen=True)
class IntentDecision:
    """The intent of one question and what decided it (`pattern`, `roster`, `embedding` or `default`)."""

    intent: Intent
    by: str
    lang: str

    def __str__(self) -> str:
        return f"{self.intent} (by {self.by})"


def mentions_roster(question: str, names: Iterable[str]) -> str | None:
    """The first roster name (person, team, territory) a question mentions, matched as a whole word, or None."""
    lowered = question.lower()
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True):
        if re.search(rf"(?<![\w]){re.escape(name.lower())}(?![a-z])", lowered):
            return name
    return None


def classify(
    question: str,
    *,
    lang: str | None = None,
    embedder: Embeddings | None = None,
    roster_names: Iterable[str] = (),
    exclude: Iterable[Intent] = (),
) -> IntentDecision:
    """The intent of a question (see the module docstring for the order of the signals); `exclude` names intents
    that cannot apply (`my_org` with no org loaded: "our SDR to AE ratio" then asks for the benchmark figure)."""
    lang = lang or detect_lang(question)
    text = question.strip()
    excluded = set(exclude)
    if "my_org" not in excluded and mentions_roster(text, roster_names):
        return IntentDecision("my_org", "roster", lang)
    patterns = _PATTERNS["zh" if lang == "zh" else "en"]
    for intent in INTENTS:
        if intent not in excluded and patterns[intent].search(text):
            return IntentDecision(intent, "pattern", lang)
    if lang == "zh" or embedder is None:
        return IntentDecision("actions", "default", lang)
    examples = {intent: texts for intent, texts in EXAMPLES.items() if intent not in excluded}
    labels = [intent for intent, texts in examples.items() for _ in texts]
    vectors = embed(embedder, [text, *(e for texts in examples.values() for e in texts)])
    sims = vectors[1:] @ vectors[0]
    return IntentDecision(labels[int(np.argmax(sims))], "embedding", lang)
