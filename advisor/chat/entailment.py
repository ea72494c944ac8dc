"""The entailment check by a capable model: one question per kept sentence, on top of the deterministic checks.

With a capable model configured (the `openai` backend with `capable_model`, or a `judge_model` on the
OpenAI-compatible server), grounding asks that model whether the evidence a sentence cites entails it
(`prompts/entail/`), at temperature 0, and drops the sentence when the reply is NOT_ENTAILED. A reply that is
neither word leaves the deterministic verdict standing (the check can only remove text, never add it). The bundled
embedded model is never a judge: it cannot check what it cannot write.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from advisor.config import Settings
from advisor.errors import ConfigError
from advisor.models import BUNDLED_CHAT, get_chat_model
from advisor.prompts import render_prompt

ENTAIL_MAX_TOKENS = 8  # one word is the whole reply
_REPLY = re.compile(r"\b(NOT[_ ]ENTAILED|ENTAILED)\b", re.IGNORECASE)


def entailment_model(settings: Settings) -> BaseChatModel | None:
    """The model that checks entailment: the configured judge, else the capable chat model on an OpenAI-compatible
    server; None with the embedded default (no check beyond the deterministic ones)."""
    if settings.judge_model and settings.openai_base_url:
        model = settings.judge_model
    elif settings.capable_model and settings.chat_backend == "openai":
        model = settings.chat_model
    else:
        return None
    if model == BUNDLED_CHAT:
        raise ConfigError(
            "The bundled tiny model cannot check entailment; set ADVISOR_JUDGE_MODEL (or ADVISOR_CHAT_MODEL with "
            "ADVISOR_CAPABLE_MODEL=true) to a stronger model served at ADVISOR_OPENAI_BASE_URL."
        )
    return get_chat_model(
        settings.model_copy(
            update={
                "chat_backend": "openai",
                "chat_model": model,
                "temperature": 0.0,
                "max_tokens": ENTAIL_MAX_TOKENS,
            }
        )  # fmt: skip
    )


def parse_entailment(reply: str) -> bool | None:
    """True for ENTAILED, False for NOT_ENTAILED, None when the reply says neither."""
    match = _REPLY.search(reply)
    if match is None:
        return None
    return not match.group(1).upper().startswith("NOT")


class EntailmentCheck:
    """Asks a capable model whether cited evidence entails a sentence; `history` keeps each (sentence, verdict)."""

    def __init__(self, model: BaseChatModel) -> None:
        self.model = model
        self.history: list[tuple[str, bool | None]] = []

    def __call__(self, sentence: str, evidence: Sequence[str]) -> bool:
        """Whether the sentence may stand: False only when the model replies NOT_ENTAILED."""
        messages = [
            SystemMessage(render_prompt("entail/system.j2")),
            HumanMessage(render_prompt("entail/user.j2", sentence=sentence, evidence=list(evidence))),
        ]
        verdict = parse_entailment(str(self.model.invoke(messages).content))
        self.history.append((sentence, verdict))
        return verdict is not False

    def __repr__(self) -> str:
        return f"EntailmentCheck({type(self.model).__name__}, {len(self.history)} checked)"
