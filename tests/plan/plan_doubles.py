"""Test doubles and data for the plan tests: the scripted chat model with a passage-copying responder, the problem
roster's path, and `install` (tests/doubles.py) to register the model as the `local` backend."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from doubles import ScriptedChatModel
from doubles import install as install  # re-exported for the plan tests
from langchain_core.messages import BaseMessage

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
PROBLEM_ROSTER = DATA / "problem_roster.csv"
AS_OF = date(2024, 12, 31)
_EVIDENCE_LINE = re.compile(r"^\[(S\d+)\] (.+)$", re.MULTILINE)


def copy_first_passage(messages: list[BaseMessage]) -> str:
    """What a small but obedient model does: restate the first passage's first sentence and cite it."""
    found = _EVIDENCE_LINE.search(str(messages[-1].content))
    if found is None:
        return "The team should act on this."
    first = re.split(r"(?<=[.!?])\s", found.group(2))[0].rstrip(".")
    return f"{first} [{found.group(1)}]."


def ScriptedChat() -> ScriptedChatModel:  # noqa: N802 - reads as the double it builds
    """The scripted chat model answering, once its queue is empty, like a small obedient model."""
    return ScriptedChatModel(responder=copy_first_passage)
