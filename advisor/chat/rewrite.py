"""Follow-up questions made standalone, so retrieval sees what "it" and "that" refer to.

With the embedded model the rewrite is deterministic: a short follow-up, or one that leans on a pronoun, carries the
previous question's key terms. A capable model (settings.capable_model) rewrites it with `prompts/rewrite/`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from advisor.chat.memory import Turn
from advisor.prompts import render_prompt
from advisor.text.lang import detect_lang, han_count
from advisor.text.tokens import content_words

_PRONOUN_EN = re.compile(
    r"\b(?:it|its|that|this|they|them|their|those|these|there|same|one|ones)\b"
    r"|^\s*(?:and|also|what about|how about|why|so|then|or)\b",
    re.IGNORECASE,
)
_PRONOUN_ZH = re.compile(r"它们?|这[个些种样]|那[个些种样么]|他们|她们|^\s*(?:还有|那|而且|为什么|怎么办)")
_SHORT_WORDS = 6
_SHORT_HAN = 10


def is_follow_up(question: str) -> bool:
    """Whether a question probably depends on the conversation: short, or leaning on a pronoun."""
    if detect_lang(question) == "zh":
        han = han_count(question)
        return han <= _SHORT_HAN or _PRONOUN_ZH.search(question) is not None
    return len(question.split()) <= _SHORT_WORDS or _PRONOUN_EN.search(question) is not None


def carry_terms(question: str, previous: str) -> str:
    """The question with the previous question's key terms appended (the deterministic rewrite)."""
    if detect_lang(previous) == "zh" or detect_lang(question) == "zh":
        return f"{question}（{previous}）"
    present = {w.lower() for w in content_words(question)}
    carried = [w for w in content_words(previous) if w.lower() not in present]
    return f"{question} ({' '.join(carried)})" if carried else question


def model_rewrite(question: str, history: Sequence[Turn], *, model: BaseChatModel) -> str | None:
    """The model's standalone version of a follow-up, or None when its output is unusable."""
    lang = detect_lang(question)
    messages = [
        SystemMessage(render_prompt("rewrite/system.j2")),
        HumanMessage(render_prompt("rewrite/user.j2", history=history, question=question)),
    ]
    text = str(model.invoke(messages).content).strip().splitlines()
    candidate = text[0].strip().strip('"') if text else ""
    if not candidate or len(candidate) > 4 * len(question) + 200 or detect_lang(candidate) != lang:
        return None
    return candidate


def standalone_question(question: str, history: Sequence[Turn], *, model: BaseChatModel | None = None) -> str:
    """The question as it should be retrieved for, given the conversation so far."""
    if not history or not is_follow_up(question):
        return question
    if model is not None:
        rewritten = model_rewrite(question, history, model=model)
        if rewritten:
            return rewritten
    return carry_terms(question, history[-1].standalone)
