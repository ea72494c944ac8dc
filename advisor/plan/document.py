"""The `Plan` contract: ordered sections of typed blocks, with the metrics, scenarios and sources behind them.

A plan is format-agnostic: the renderers turn the same object into Markdown, HTML and PDF. Text in blocks may carry
citation markers (`[S3]`, `[M:turnover_rate]`) that resolve to `Plan.sources` or `Plan.metrics`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Origin = Literal["template", "generated", "extractive"]


@dataclass(frozen=True)
class Paragraph:
    """Prose: written by a template, by the model (and kept by grounding), or extracted from the evidence."""

    text: str
    origin: Origin = "template"
    lead: bool = False  # a short lead-in such as "Why" or "Priority actions", shown in bold
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class Bullets:
    """A list of short items."""

    items: tuple[str, ...]
    kind: Literal["bullets"] = "bullets"


@dataclass(frozen=True)
class Table:
    """A table of already-formatted cells."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    row_anchors: tuple[str, ...] = ()  # HTML ids of the rows, so citations can link to them
    kind: Literal["table"] = "table"


@dataclass(frozen=True)
class Chart:
    """Data for a chart: bars (label, value), or before/after pairs (label, before, after)."""

    title: str
    style: Literal["bars", "before_after"]
    rows: tuple[tuple[str, float, float | None], ...]
    unit: str = ""
    reference: float | None = None  # a benchmark line, e.g. the recommended maximum span
    reference_label: str = ""
    kind: Literal["chart"] = "chart"


@dataclass(frozen=True)
class Note:
    """A call-out: missing data, a secondary benchmark, how to provide what is missing."""

    text: str
    tone: Literal["info", "warning"] = "info"
    kind: Literal["note"] = "note"


Block = Paragraph | Bullets | Table | Chart | Note


@dataclass(frozen=True)
class Subsection:
    """A titled group of blocks inside a section (one finding, one recommendation, one roadmap phase)."""

    title: str
    blocks: tuple[Block, ...]
    anchor: str = ""


@dataclass(frozen=True)
class Section:
    """One of the plan's fixed sections, always present, in order."""

    id: str
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Subsection, ...] = ()
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A cited knowledge passage, numbered for the whole plan."""

    id: str
    doc_id: str
    title: str
    section: str
    text: str
    source: str = ""


@dataclass(frozen=True)
class ScenarioRun:
    """A what-if scenario run for one recommendation: the edit and each changed metric before and after."""

    id: str
    finding_id: str
    edits: dict[str, Any]
    changes: tuple[tuple[str, float, float, str], ...]  # (metric_id, before, after, unit)
    applied: tuple[str, ...] = ()  # what the rules layer did to the roster, in its words


@dataclass
class Plan:
    """A drafted restructuring plan: sections in order, the evidence behind them and how long each stage took."""

    title: str
    lang: str
    goal: str | None
    sections: list[Section]
    metrics: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    benchmarks: list[dict[str, Any]] = field(default_factory=list)  # published values the tables compare with
    scenarios: list[ScenarioRun] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    slots: dict[str, int] = field(default_factory=dict)  # how many prose slots were generated or extractive
    as_of: str | None = None
    has_roster: bool = True

    def section(self, section_id: str) -> Section:
        """The section with this id (every plan has all of them)."""
        return next(s for s in self.sections if s.id == section_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for the web API."""
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.title} ({self.lang}, {len(self.sections)} sections, {len(self.sources)} sources)"
