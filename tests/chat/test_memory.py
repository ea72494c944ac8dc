"""Conversation storage and the follow-up rewrite."""

from __future__ import annotations

import pytest
from chat_doubles import ScriptedChatModel

from advisor.chat.answer import Answer
from advisor.chat.memory import (
    add_turn,
    create_conversation,
    delete_conversation,
    get_conversation,
    list_conversations,
    recent_turns,
)
from advisor.chat.rewrite import carry_terms, is_follow_up, standalone_question
from advisor.config import Settings
from advisor.errors import NotFoundError


def test_turns_are_stored_in_order_and_bounded(settings: Settings) -> None:
    conversation = create_conversation(settings, title="Span")
    for n in range(4):
        add_turn(settings, conversation, question=f"q{n}", standalone=f"s{n}", answer=Answer(answer=f"a{n}"))
    assert [t.question for t in recent_turns(settings, conversation, limit=2)] == ["q2", "q3"]
    assert recent_turns(settings, conversation, limit=0) == []
    stored = get_conversation(settings, conversation)
    assert stored.title == "Span" and [t.answer for t in stored.turns] == ["a0", "a1", "a2", "a3"]
    assert stored.turns[0].details["answer"] == "a0"
    assert (settings.home / "state.db").is_file()


def test_ids_are_unguessable_and_unknown_ids_are_not_found(settings: Settings) -> None:
    ids = {create_conversation(settings) for _ in range(20)}
    assert len(ids) == 20 and all(len(i) >= 20 for i in ids)
    with pytest.raises(NotFoundError):
        get_conversation(settings, "guess")
    with pytest.raises(NotFoundError):
        add_turn(settings, "guess", question="q", standalone="q", answer=Answer(answer="a"))


def test_delete_removes_the_conversation_and_its_turns(settings: Settings) -> None:
    conversation = create_conversation(settings)
    add_turn(settings, conversation, question="q", standalone="q", answer=Answer(answer="a"))
    delete_conversation(settings, conversation)
    assert conversation not in [c.id for c in list_conversations(settings)]
    with pytest.raises(NotFoundError):
        recent_turns(settings, conversation, limit=3)


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("And for SDR teams?", True),
        ("Why does that happen in field teams with long cycles and big deals?", True),
        ("What span of control should a first-line sales manager have in a field team?", False),
        ("那外勤团队呢？", True),
        ("内勤销售和外勤销售的人数比例应该怎么确定比较合适？", False),
    ],
)
def test_follow_up_detection(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


def test_the_deterministic_rewrite_carries_the_previous_terms() -> None:
    assert carry_terms("And for SDR teams?", "What span of control should a sales manager have?") == (
        "And for SDR teams? (span control sales manager)"
    )
    assert carry_terms("那外勤团队呢？", "管理幅度多大合适？") == "那外勤团队呢？（管理幅度多大合适？）"


def test_a_capable_model_rewrites_with_the_prompt_and_bad_output_falls_back() -> None:
    from advisor.chat.memory import Turn

    history = [
        Turn(
            "What span of control should a sales manager have?",
            "What span of control should a sales manager have?",
            "6-8.",
            None,
        )
    ]  # type: ignore[arg-type]
    model = ScriptedChatModel(responses=["What span of control should an SDR manager have?", ""])
    assert (
        standalone_question("And for SDRs?", history, model=model)
        == "What span of control should an SDR manager have?"
    )
    assert "Follow-up question: And for SDRs?" in str(model.history[0][1].content)
    assert (
        standalone_question("And for SDRs?", history, model=model)
        == "And for SDRs? (span control sales manager)"
    )
    assert standalone_question("And for SDRs?", [], model=model) == "And for SDRs?"
