"""Value types of the rules layer: metrics and findings as the rest of the product sees them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Metric:
    """A computed metric: value, unit, formula and the counts it used, overall and per group."""

    id: str
    value: float | None
    unit: str
    formula: str
    inputs: dict[str, Any] = field(default_factory=dict)
    by: dict[str, dict[str, float | None]] = field(default_factory=dict)
    label: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.id} = {self.value} {self.unit}"


@dataclass(frozen=True)
class Benchmark:
    """A published reference value with its source and year."""

    metric_id: str
    low: float | None
    high: float | None
    unit: str
    source: str
    year: int | None
    secondary: bool
    note: str = ""
    id: str = ""
    publisher: str = ""  # short name for citations in prose: "The Bridge Group"
    publisher_zh: str = ""  # the same in Chinese, when it differs
    per: str = ""  # what one value counts, when not the metric's own unit: "separation"

    @property
    def citation(self) -> str:
        """How prose cites it: "The Bridge Group, 2017" (n.d. without a year)."""
        return f"{self.publisher or self.source}, {self.year or 'n.d.'}"

    def name(self, lang: str = "en") -> str:
        """The short name prose cites, in the language asked."""
        return (self.publisher_zh if lang == "zh" else "") or self.publisher or self.source


@dataclass(frozen=True)
class Finding:
    """A metric compared with a benchmark: what is wrong, how badly, and which knowledge topics address it."""

    id: str
    severity: str  # "high" | "medium" | "low" | "info"
    title: str
    message: str
    metric_id: str
    evidence: dict[str, Any]
    benchmark: Benchmark | None
    topics: tuple[str, ...] = ()
    title_zh: str = ""
    message_zh: str = ""
    direction: str = (
        ""  # "above", "below", "missing" (the data cannot tell) or "outlier" (a group stands out)
    )
    cause: str = ""  # why it matters, in one sentence
    cause_zh: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    def __str__(self) -> str:
        return f"[{self.severity}] {self.title}"
