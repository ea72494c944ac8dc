"""What `Advisor.stream` yields: tokens as the model writes them, then the grounded answer."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.chat.answer import Answer


@dataclass(frozen=True)
class TokenEvent:
    """A piece of the draft as it is generated (the final answer may differ after grounding)."""

    text: str


@dataclass(frozen=True)
class FinalEvent:
    """The grounded answer with its citations; always the last event."""

    answer: Answer


Event = TokenEvent | FinalEvent
