"""Optional judge scores (faithfulness, relevance) from an OpenAI-compatible model, run several times for a spread.

The deterministic scores decide the gate; a judge adds a reading of prose quality when a team has a strong model to
spare. The bundled tiny model is never a judge: it cannot grade what it cannot write.
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

JUDGE_SCORES = ("faithfulness", "relevance")
# sampled, so that repeated runs show how much the judge's own verdict wanders
JUDGE_TEMPERATURE = 0.7
_REPLY = re.compile(r"score\s*[:=]?\s*\**\s*([1-5])\b", re.IGNORECASE)


def get_judge(settings: Settings) -> BaseChatModel | None:
    """The configured judge model on the OpenAI-compatible server, or None when no judge is configured."""
    if not settings.judge_model or not settings.openai_base_url:
        return None
    if settings.judge_model == BUNDLED_CHAT:
        raise ConfigError(
            "The bundled tiny model cannot act as a judge; set ADVISOR_JUDGE_MODEL to a stronger model served at "
            "ADVISOR_OPENAI_BASE_URL, or unset it to skip judge scores."
        )
    judge_settings = settings.model_copy(
        update={"chat_backend": "openai", "chat_model": settings.judge_model, "temperature": JUDGE_TEMPERATURE,
                "max_tokens": 80}
    )  # fmt: skip
    return get_chat_model(judge_settings)


def parse_verdict(reply: str) -> float | None:
    """A judge reply's `score: N` (1..5) as 0..1, or None when the reply has no score."""
    match = _REPLY.search(reply)
    return (int(match.group(1)) - 1) / 4 if match else None


def judge_answer(
    judge: BaseChatModel,
    *,
    question: str,
    answer: str,
    evidence: Sequence[str],
    must_refuse: bool,
    runs: int,
    seed: int,
) -> dict[str, list[float]]:
    """Each judge score of one answer, once per run (replies without a score are left out)."""
    system = SystemMessage(render_prompt("judge/system.en.j2"))
    verdicts: dict[str, list[float]] = {}
    for name in JUDGE_SCORES:
        prompt = render_prompt(
            f"judge/{name}.en.j2",
            question=question,
            answer=answer,
            evidence=list(evidence),
            must_refuse=must_refuse,
        )
        values = []
        for run in range(runs):
            reply = judge.invoke([system, HumanMessage(prompt)], seed=seed + run)
            verdict = parse_verdict(str(reply.content))
            if verdict is not None:
                values.append(verdict)
        verdicts[f"judge_{name}"] = values
    return verdicts
