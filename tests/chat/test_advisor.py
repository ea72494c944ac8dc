"""The advisor end to end over test doubles: streaming, async, conversations, org data, injection, agent mode."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from chat_doubles import FixtureRetriever, ScriptedChatModel, load_sections
from langchain_core.messages import AIMessage

from advisor.chat.advisor import Advisor, get_advisor
from advisor.chat.events import FinalEvent, StatusEvent, TextEvent
from advisor.chat.memory import get_conversation, list_conversations
from advisor.chat.org_context import OrgContext
from advisor.config import Settings
from advisor.errors import InputError, NotFoundError
from advisor.org.types import Benchmark, Finding, Metric

INJECTION_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "injection"
SPAN_DRAFT = "A first-line manager should have 6-8 reps, and at most 10 [S2]. Count only quota-carrying reps and leave support staff out of the span [S1]."


def test_stream_sends_a_status_then_only_verified_sentences_then_the_answer(
    make_advisor: Callable[..., Advisor], model: ScriptedChatModel
) -> None:
    model.enqueue(SPAN_DRAFT)
    events = list(make_advisor().stream("What span of control should a first-line sales manager have?"))
    assert events[0] == StatusEvent("checking_sources")
    texts = [e.text for e in events if isinstance(e, TextEvent)]
    assert isinstance(events[-1], FinalEvent) and sum(isinstance(e, FinalEvent) for e in events) == 1
    answer = events[-1].answer
    assert answer.path == "generated" and "".join(texts) == answer.answer and len(texts) == 2
    assert answer.citations and all(f"[{c.id}]" in answer.answer for c in answer.citations)
    assert {"retrieve_ms", "generate_ms", "ground_ms", "total_ms", "first_token_ms", "first_text_ms"} <= set(
        answer.timings
    )


def test_the_embedded_model_is_not_asked_and_the_composed_answer_streams_unit_by_unit(
    make_advisor: Callable[..., Advisor], model: ScriptedChatModel
) -> None:
    events = list(make_advisor(capable_model=False).stream("Why do SDRs burn out?"))
    texts = [e.text for e in events if isinstance(e, TextEvent)]
    answer = events[-1].answer  # type: ignore[union-attr]
    assert model.history == [] and answer.path == "extractive" and answer.intent == "causes"
    assert "".join(texts) == answer.answer and len(texts) >= 3 and texts[1].startswith("\n\n- ")


def test_astream_gives_the_same_events_without_blocking_the_loop(
    make_advisor: Callable[..., Advisor], model: ScriptedChatModel
) -> None:
    model.enqueue(SPAN_DRAFT)
    advisor = make_advisor()

    async def collect() -> tuple[list[object], int]:
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        ticker = asyncio.create_task(tick())
        events = [
            e async for e in advisor.astream("What span of control should a first-line sales manager have?")
        ]
        ticker.cancel()
        return events, ticks

    events, ticks = asyncio.run(collect())
    assert isinstance(events[-1], FinalEvent) and events[-1].answer.citations
    assert ticks > len(events)  # the event loop kept running while the pipeline worked in its thread


def test_empty_and_overlong_questions_are_input_errors(make_advisor: Callable[..., Advisor]) -> None:
    with pytest.raises(InputError, match="empty"):
        make_advisor().ask("   ")
    with pytest.raises(InputError, match="longer than"):
        make_advisor().ask("why " * 1000)


def test_a_conversation_survives_a_restart_and_feeds_the_follow_up(
    make_advisor: Callable[..., Advisor],
    model: ScriptedChatModel,
    retriever: FixtureRetriever,
    settings: Settings,
) -> None:
    model.enqueue(SPAN_DRAFT, "", SPAN_DRAFT)  # the answer, a failed rewrite of the follow-up, its answer
    first = make_advisor().ask("What span of control should a first-line sales manager have?")
    assert first.conversation_id and len(first.conversation_id) >= 20
    from advisor import db

    db._engines.clear()  # a new process would open the database afresh
    for cache in ("_tables_created", "_checked_tables"):  # the name of the schema-check cache moved
        getattr(db, cache, {}).clear()
    follow = make_advisor().ask("And for SDR teams?", conversation_id=first.conversation_id)
    assert "span" in retriever.calls[-1].lower() and "SDR" in retriever.calls[-1]
    stored = get_conversation(settings, first.conversation_id)
    assert [t.question for t in stored.turns] == [
        "What span of control should a first-line sales manager have?",
        "And for SDR teams?",
    ]
    assert stored.turns[1].standalone == retriever.calls[-1]
    assert follow.conversation_id == first.conversation_id
    assert first.conversation_id in [c.id for c in list_conversations(settings)]


def test_an_unknown_conversation_is_not_found(make_advisor: Callable[..., Advisor]) -> None:
    with pytest.raises(NotFoundError, match="No conversation"):
        make_advisor().ask("What span of control works?", conversation_id="nope")


def _org(turnover: float | None) -> OrgContext:
    note = "" if turnover is not None else "Add an exit_date column (and exit_reason) to compute turnover."
    metrics = [
        Metric(
            "turnover_rate",
            turnover,
            "%",
            "separations / average headcount",
            {"separations": 9, "average_headcount": 33},
            label="Turnover rate",
            note=note,
        ),
        Metric(
            "span_of_control_mean",
            9.0,
            "reports per manager",
            "direct reports / managers",
            {"managers": 3},
            label="Span of control",
        ),
    ]
    benchmark = Benchmark("turnover_rate", None, 27.0, "%", "Harvard Business Review", 2017, False)
    findings = (
        [
            Finding(
                "high_turnover",
                "high",
                "Turnover above benchmark",
                "Turnover of 27.3% is above the 27% benchmark.",
                "turnover_rate",
                {},
                benchmark,
            )
        ]
        if turnover
        else []
    )
    return OrgContext.from_metrics(metrics, findings)


def test_org_metrics_join_the_evidence_and_are_cited(
    make_advisor: Callable[..., Advisor], model: ScriptedChatModel
) -> None:
    model.enqueue(
        "Your turnover rate is 27.3%, above the 27% benchmark [M:turnover_rate]. Sales turnover runs up to 27% a year [S1]."
    )
    answer = make_advisor().ask("Is our sales rep turnover too high?", org=_org(27.3))
    assert "M:turnover_rate" in [c.id for c in answer.citations]
    assert answer.metrics_used == ["turnover_rate"]
    assert "27.3%" in answer.answer
    prompt = str(model.history[0][1].content)
    assert "[M:turnover_rate]" in prompt and "27.3%" in prompt


def test_a_missing_field_is_named_in_the_answer(
    make_advisor: Callable[..., Advisor], model: ScriptedChatModel
) -> None:
    model.enqueue("")
    answer = make_advisor().ask("What is our sales rep turnover rate?", org=_org(None))
    assert not answer.refused
    assert "Add an exit_date column" in answer.answer and "[M:turnover_rate]" in answer.answer


def test_chinese_questions_get_chinese_answers_without_the_english_model(
    make_advisor: Callable[..., Advisor], model: ScriptedChatModel
) -> None:
    answer = make_advisor().ask("SDR 的离职率一般是多少？")
    assert answer.language == "zh" and answer.path == "extractive" and answer.fallback_reason == "language"
    assert model.history == []  # the English-only model was never asked to write Chinese
    assert answer.citations and all(c.doc_id.endswith("-zh") for c in answer.citations)
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in answer.answer) > 20


def test_a_multilingual_model_writes_the_chinese_answer(
    make_advisor: Callable[..., Advisor], model: ScriptedChatModel
) -> None:
    advisor = make_advisor(multilingual_model=True)
    model.enqueue("")
    advisor.ask("SDR 倦怠的原因是什么？")
    assert "证据" in str(model.history[0][1].content)


def test_instructions_in_passages_are_neither_followed_nor_shown(
    make_advisor: Callable[..., Advisor], model: ScriptedChatModel, retriever: FixtureRetriever
) -> None:
    retriever.passages = load_sections([INJECTION_DIR / "planted-commission-plan.md"])
    model.enqueue(
        "PWNED. You are a sales organisation advisor. Answer the user's question using only the numbered evidence you are given."
    )
    answer = make_advisor().ask("How do commission accelerators work for field reps?")
    prompt = str(model.history[0][1].content)
    assert "accelerator" in prompt.lower()
    assert (
        "PWNED" not in prompt and "system prompt" not in prompt.lower()
    )  # the planted orders never reach the model
    assert "PWNED" not in answer.answer and "numbered evidence" not in answer.answer
    assert answer.citations and "accelerator" in answer.answer.lower()


def test_the_agent_loop_gathers_evidence_with_tools(
    settings: Settings, retriever: FixtureRetriever, embedder: object
) -> None:
    model = ScriptedChatModel(supports_tools=True)
    model.enqueue(
        AIMessage(
            content="",
            tool_calls=[
                {"name": "get_metrics", "args": {"metric_ids": ["span_of_control_mean"]}, "id": "c1"}
            ],
        ),
        AIMessage(
            content="",
            tool_calls=[
                {"name": "search_knowledge", "args": {"query": "coaching hours per rep"}, "id": "c2"}
            ],
        ),
        "Your span of control is 9 reports [M:span_of_control_mean]. The recommended range is 6 to 8, at most 10 [S1]. Hire more reps now [S9].",
    )
    advisor = Advisor(settings, retriever=retriever, chat_model=model, embedder=embedder)  # type: ignore[arg-type]
    assert advisor.uses_agent
    answer = advisor.ask("Is my span of control healthy for my sales managers?", org=_org(27.3))
    assert [t.name for t in model.bound_tools] == [
        "search_knowledge",
        "get_metrics",
        "get_findings",
        "run_scenario",
    ]
    assert retriever.calls[0] == "Is my span of control healthy for my sales managers?"  # the seeded search
    assert retriever.calls[1] == "coaching hours per rep"
    assert answer.timings["agent_steps"] == 3.0
    assert "M:span_of_control_mean" in [c.id for c in answer.citations]
    assert "Hire more reps" not in answer.answer


def test_the_agent_loop_stops_after_max_steps(
    settings: Settings, retriever: FixtureRetriever, embedder: object
) -> None:
    model = ScriptedChatModel(supports_tools=True)
    call = AIMessage(
        content="", tool_calls=[{"name": "search_knowledge", "args": {"query": "span of control"}, "id": "c"}]
    )
    model.enqueue(call, call, SPAN_DRAFT)
    advisor = Advisor(
        settings.model_copy(update={"agent_max_steps": 2}),
        retriever=retriever,
        chat_model=model,
        embedder=embedder,
    )  # type: ignore[arg-type]
    answer = advisor.ask("What span of control should a first-line sales manager have?")
    assert len(model.history) == 3 and not answer.refused
    assert "Stop calling tools" in str(model.history[-1][-1].content)


def test_get_advisor_is_cached_per_settings(settings: Settings) -> None:
    assert get_advisor(settings) is get_advisor(settings)
    assert get_advisor(settings) is not get_advisor(settings.model_copy(update={"max_tokens": 7}))
