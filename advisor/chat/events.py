"""What `Advisor.stream` yields: a status while sources are checked, verified text as it is ready, the answer last.

Nothing the model writes is shown before grounding has kept it: a `TextEvent` carries only verified text (a composed
unit, or a drafted sentence that grounding kept), so the client never shows text that is later withdrawn. The pieces
of all `TextEvent`s concatenate to the final answer's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from advisor.chat.answer import Answer

Status = Literal["checking_sources"]


@dataclass(frozen=True)
class StatusEvent:
    """What the pipeline is doing before the first verified text (`checking_sources`)."""

    status: Status


@dataclass(frozen=True)
class TextEvent:
    """A verified piece of the answer (a sentence or a list item, with its citation markers)."""

    text: str


@dataclass(frozen=True)
class FinalEvent:
    """The grounded answer with its citations; always the last event."""

    answer: Answer


Event = StatusEvent | TextEvent | FinalEvent
