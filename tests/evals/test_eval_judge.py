"""Judge scores: only with a configured judge, never the tiny default; several runs and their spread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_openai import ChatOpenAI
from pydantic import Field

from advisor.config import Settings
from advisor.errors import ConfigError
from evals import runner
from evals.judge import get_judge, judge_answer, parse_verdict
from evals.results import EvalRun


class VerdictModel(BaseChatModel):
    """Replies with the scripted verdicts in turn, and records the prompts and seeds it was given."""

    verdicts: list[str] = Field(default_factory=list)
    seen: list[tuple[str, Any]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "verdicts"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.append((str(messages[-1].content), kwargs.get("seed")))
        reply = self.verdicts[(len(self.seen) - 1) % len(self.verdicts)]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=reply))])


def test_no_judge_without_a_judge_model_and_a_server(settings: Settings) -> None:
    assert get_judge(settings) is None
    assert get_judge(settings.model_copy(update={"judge_model": "big-model"})) is None  # no server URL


def test_the_tiny_default_is_never_a_judge(settings: Settings) -> None:
    tiny = settings.model_copy(update={"judge_model": "smollm2", "openai_base_url": "http://127.0.0.1:9/v1"})
    with pytest.raises(ConfigError, match="cannot act as a judge"):
        get_judge(tiny)


def test_a_configured_judge_is_an_openai_compatible_model(settings: Settings) -> None:
    configured = settings.model_copy(
        update={"judge_model": "qwen2.5-7b", "openai_base_url": "http://127.0.0.1:9/v1"}
    )
    judge = get_judge(configured)
    assert judge is not None
    assert isinstance(judge, ChatOpenAI) and judge.model_name == "qwen2.5-7b"


@pytest.mark.parametrize(
    ("reply", "value"),
    [("score: 5\nFully supported.", 1.0), ("Score = 3, one number is not.", 0.5), ("**Score:** 1", 0.0),
     ("I think it is fine.", None), ("score: 9", None)],
)  # fmt: skip
def test_parse_verdict(reply: str, value: float | None) -> None:
    assert parse_verdict(reply) == value


def test_each_score_is_asked_once_per_run_with_its_own_seed() -> None:
    judge = VerdictModel(verdicts=["score: 5", "score: 4", "no idea"])
    verdicts = judge_answer(judge, question="Span?", answer="About 8 [S1].", evidence=["8.5 reps per manager"],
                            must_refuse=False, runs=3, seed=42)  # fmt: skip
    # runs 1-3 judge faithfulness (5, 4, unparsable), runs 4-6 relevance (5, 4, unparsable)
    assert verdicts == {"judge_faithfulness": [1.0, 0.75], "judge_relevance": [1.0, 0.75]}
    assert [seed for _, seed in judge.seen] == [42, 43, 44, 42, 43, 44]
    assert "8.5 reps per manager" in judge.seen[0][0] and "FAITHFULNESS" in judge.seen[0][0]
    assert "Span?" in judge.seen[3][0] and "RELEVANCE" in judge.seen[3][0]


def test_a_run_with_a_judge_reports_its_mean_and_spread(
    run_naive: Callable[..., EvalRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    judge = VerdictModel(verdicts=["score: 5", "score: 3"])
    monkeypatch.setattr(runner, "get_judge", lambda settings: judge)
    run = run_naive(judge_runs=2)
    scores = run.suites[0].aggregates["all"]
    # every answer gets 5 then 3 from the judge: mean 0.75, the first run's mean 1.0 and the second's 0.5
    assert scores["judge_faithfulness"] == 0.75
    assert scores["judge_faithfulness_spread"] == 0.5
    assert run.suites[0].cases[0].judge["judge_relevance"] == [1.0, 0.5]
