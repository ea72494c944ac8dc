"""What the org library says to people as a catalogue key and its values, worded in English or Chinese on demand.

The words live in the plan's label catalogues (`advisor/plan/templates/labels.<lang>.yaml`, groups `scenario` and
`errors`), the same catalogues the plans and the web app read, so there is one translation mechanism. A value named
in `terms` is a roster code (a role, channel or segment) and reads as the catalogue names it ("sdr" -> "SDR",
"销售开发代表"); a list reads as its items joined, or as the catalogue's "none" when empty; a nested `Message` is
worded in the same language. `str()` is the English text, so the command line and logs read as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from advisor.errors import InputError

_JOINERS = {"en": ", ", "zh": "、"}


@dataclass(frozen=True)
class Message:
    """A catalogue key (`"scenario.hired"`) with the values it is filled with."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)
    terms: Mapping[str, str] = field(default_factory=dict)  # value name -> roster dimension ("role": "role")

    def text(self, lang: str = "en") -> str:
        """The message worded in `lang` (`en` or `zh`)."""
        from advisor.plan.labels import say, value_label

        def word(name: str, value: Any) -> Any:
            if isinstance(value, Message):
                return value.text(lang)
            if isinstance(value, list | tuple):
                items = [word(name, item) for item in value]
                return _JOINERS.get(lang, ", ").join(map(str, items)) or say(lang, "scenario.none")
            if name in self.terms and value is not None:
                return value_label(self.terms[name], str(value), lang)
            return value

        return say(lang, self.key, **{name: word(name, value) for name, value in self.values.items()})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the key, its values (nested messages as their own dicts) and the English text."""

        def plain(value: Any) -> Any:
            if isinstance(value, Message):
                return value.to_dict()
            if isinstance(value, list | tuple):
                return [plain(item) for item in value]
            return value if isinstance(value, int | float | str | bool) or value is None else str(value)

        out = {"key": self.key, "values": {k: plain(v) for k, v in self.values.items()}, "text": str(self)}
        return {**out, "terms": dict(self.terms)} if self.terms else out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        """The message back from its `to_dict()` form."""

        def back(value: Any) -> Any:
            if isinstance(value, Mapping) and "key" in value:
                return cls.from_dict(value)
            return [back(item) for item in value] if isinstance(value, list) else value

        values = {name: back(value) for name, value in dict(data.get("values") or {}).items()}
        return cls(str(data["key"]), values, dict(data.get("terms") or {}))

    def __str__(self) -> str:
        return self.text("en")


def message(key: str, /, terms: Mapping[str, str] | None = None, **values: Any) -> Message:
    """A message for `key` filled with `values` (the shorthand the library words its lines with)."""
    return Message(key, values, terms or {})


class MessageError(InputError):
    """An input error whose text comes from the catalogue, so each edge can word it in its reader's language."""

    def __init__(self, key: str, /, terms: Mapping[str, str] | None = None, **values: Any) -> None:
        self.message = Message(key, values, terms or {})
        super().__init__(str(self.message))

    def text(self, lang: str = "en") -> str:
        """The error worded in `lang`."""
        return self.message.text(lang)


def worded(error: BaseException, lang: str) -> str:
    """An error's text in `lang` when it is catalogued, else as it was raised."""
    message = getattr(error, "message", None)
    return message.text(lang) if isinstance(message, Message) else str(error)
