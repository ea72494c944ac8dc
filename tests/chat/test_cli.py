"""`advisor ask` and `advisor chat` over a test-double advisor: output, JSON contract and errors."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from chat_doubles import ScriptedChatModel
from typer.testing import CliRunner

from advisor.chat import advisor as advisor_module
from advisor.chat.advisor import Advisor
from advisor.cli import app

DRAFT = "A first-line manager should have about 6 to 8 direct reports, and at most 10 [S1]. When the span is too wide, coaching is the first thing to go [S2]."


@pytest.fixture
def cli_advisor(make_advisor: Callable[..., Advisor], monkeypatch: pytest.MonkeyPatch) -> Advisor:
    advisor = make_advisor()
    monkeypatch.setattr(advisor_module, "get_advisor", lambda settings: advisor)
    return advisor


def test_ask_json_prints_the_answer_contract(cli_advisor: Advisor, model: ScriptedChatModel) -> None:
    model.enqueue(DRAFT)
    result = CliRunner().invoke(
        app, ["ask", "What span of control should a first-line sales manager have?", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {
        "answer",
        "citations",
        "metrics_used",
        "refused",
        "refusal_reason",
        "language",
        "path",
        "timings",
    }
    assert (
        data["path"] in ("generated", "extractive") and data["refused"] is False and data["language"] == "en"
    )
    assert set(data["citations"][0]) == {"id", "doc_id", "title", "section", "text", "trust"}


def test_ask_prints_the_answer_citations_and_conversation(
    cli_advisor: Advisor, model: ScriptedChatModel
) -> None:
    model.enqueue(DRAFT)
    result = CliRunner().invoke(
        app, ["ask", "What span of control should a first-line sales manager have?", "--stream"]
    )
    assert result.exit_code == 0
    assert "[S1] Span of control" in result.stdout and "conversation: " in result.stdout


def test_ask_refuses_off_topic_questions(cli_advisor: Advisor) -> None:
    result = CliRunner().invoke(app, ["ask", "Will it rain in London tomorrow?"])
    assert result.exit_code == 0
    assert result.stdout.startswith("That question is outside what I can help with.")


def test_ask_rejects_an_unknown_language_and_conversation(cli_advisor: Advisor) -> None:
    result = CliRunner().invoke(app, ["ask", "What span of control works?", "--lang", "fr"])
    assert result.exit_code == 1 and "Error: --lang must be en or zh, not 'fr'." in result.stderr
    result = CliRunner().invoke(app, ["ask", "What span of control works?", "--conversation", "missing"])
    assert result.exit_code == 1 and "Error: No conversation 'missing'" in result.stderr


def test_chat_keeps_one_conversation_until_quit(cli_advisor: Advisor, model: ScriptedChatModel) -> None:
    model.enqueue(DRAFT, "", DRAFT)  # the answer, a failed rewrite of the follow-up, its answer
    result = CliRunner().invoke(
        app,
        ["chat"],
        input="What span of control should a first-line sales manager have?\nAnd for SDR teams?\n/quit\n",
    )
    assert result.exit_code == 0, result.output
    conversation = result.stdout.strip().splitlines()[-1].split("conversation: ")[-1]
    from advisor.chat.memory import get_conversation

    assert len(get_conversation(cli_advisor.settings, conversation).turns) == 2
