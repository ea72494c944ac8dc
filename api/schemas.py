"""Request and response bodies of the JSON API (what comes in and what goes out, separate from library types)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ChatRequest(BaseModel):
    """A question, optionally continuing a conversation and using an uploaded org's metrics."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=4000, description="The question, in English or Chinese.")
    conversation_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    org_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class CitationOut(BaseModel):
    """Evidence behind the answer: a passage `S1`.. or a metric `M:metric_id`, with its trust tier (`curated`: a
    bundled article or the org's metrics; `uploaded`: a user's document, whose title also says so)."""

    id: str
    doc_id: str
    title: str
    section: str
    text: str
    trust: Literal["curated", "uploaded"] = "curated"


class AnswerOut(BaseModel):
    """The grounded answer contract (`advisor ask --json`)."""

    answer: str
    citations: list[CitationOut]
    metrics_used: list[str]
    refused: bool
    refusal_reason: str | None
    language: str
    path: str
    timings: dict[str, float]
    conversation_id: str | None = None


class MetricOut(BaseModel):
    """One computed metric with its formula, inputs and per-group values."""

    id: str
    value: float | None
    unit: str
    formula: str
    inputs: dict[str, Any]
    by: dict[str, dict[str, float | None]]
    label: str = Field(description="The metric's name in the requested language.")
    display: str = Field(description="The value as people read it, in its unit (27.0%, 1:2.5, 14.2 months).")
    note: str


class MetricsOut(BaseModel):
    """Every metric computed on an uploaded org."""

    metrics: list[MetricOut]


class BenchmarkOut(BaseModel):
    """A published reference value with its source and year."""

    metric_id: str
    low: float | None
    high: float | None
    unit: str
    source: str
    year: int | None
    secondary: bool
    note: str
    citation: str = Field(description='How the page cites it: "(The Bridge Group, 2017)".')


class FindingOut(BaseModel):
    """A metric compared with a benchmark, worded in the requested language."""

    id: str
    severity: Literal["high", "medium", "low", "info"]
    title: str
    message: str
    metric_id: str
    evidence: dict[str, Any]
    benchmark: BenchmarkOut | None
    topics: list[str]


class FindingsOut(BaseModel):
    """The findings of an uploaded org."""

    findings: list[FindingOut]


class IssueOut(BaseModel):
    """One problem found while validating a roster row."""

    row: int | None
    column: str | None
    value: str | None
    reason: str
    code: str = Field(
        "",
        description='The reason\'s catalogue key ("roster_texts.negative"), for wording it in another language.',
    )
    params: dict[str, Any] = Field({}, description="The values the reason is filled with.")


class OrgOut(BaseModel):
    """An uploaded org: its private id, whether it is ready, and its validation report."""

    org_id: str
    status: Literal["ready", "needs_mapping"]
    filename: str
    message: str
    rows: int
    missing: list[str] = Field(
        [], description='Required columns the mapping does not fill yet; alternatives read "a or b".'
    )
    headers: list[str] = []
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    columns: list[str] = Field([], description="Canonical roster columns a header can be mapped to.")
    issues: list[IssueOut] = []
    set_aside: int = 0


class ImportOptions(BaseModel):
    """How to read an uploaded roster beyond its columns: value names, row filters, the as-of date and period."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description='Column -> source value -> canonical value, e.g. {"role": {"Sales Representative": "sdr"}}.',
    )
    where: dict[str, str] = Field(
        default_factory=dict, description='Keep rows where column = value, e.g. {"department": "Sales"}.'
    )
    as_of: date | None = Field(
        default=None, description="Measure the period ending on this date (default: the roster's)."
    )
    period_months: int | None = Field(
        default=None, ge=1, le=60, description="Length of the measured period (default 12)."
    )


class MappingRequest(BaseModel):
    """Which source header holds each canonical column, and optionally how to read its values and rows."""

    model_config = ConfigDict(extra="forbid")

    mapping: dict[str, str] = Field(description="Source header -> canonical column name.")
    dayfirst: bool | None = None
    options: ImportOptions | None = None


class PreviewOut(BaseModel):
    """What a mapping would keep: rows in the file, rows kept by the filters, rows set aside by validation."""

    rows: int
    kept: int
    filtered_out: int
    set_aside: int
    message: str = ""


class ColumnValuesOut(BaseModel):
    """A source column of the upload, the canonical column it maps to, and its most common values with counts."""

    header: str
    column: str | None
    values: dict[str, int]


class PlanRequest(BaseModel):
    """Options for drafting a plan."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["md", "html", "pdf", "json"] = "md"
    goal: str | None = Field(None, max_length=1000)
    lang: Literal["en", "zh"] = "en"


class PassageOut(BaseModel):
    """A knowledge chunk, with its score when it came from a search."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    lang: str
    text: str
    topics: list[str]
    source: str
    score: float


class RemovedDocumentOut(BaseModel):
    """A document taken out of the knowledge base."""

    doc_id: str
    chunks: int
    source: str
    status: Literal["removed"]


class EvalRunOut(BaseModel):
    """A background eval run: its state, progress and, when finished, its summary."""

    run_id: str
    suite: str
    status: Literal["queued", "running", "finished", "failed"]
    done: int
    total: int
    message: str
    result: dict[str, Any] | None = None
    report_url: str | None = None


class RenameRequest(BaseModel):
    """A new name for a conversation or an org."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)


class FeedbackRequest(BaseModel):
    """A rating of one answer: +1 helpful, -1 not helpful."""

    model_config = ConfigDict(extra="forbid")

    turn: int = Field(ge=0, description="The turn's 0-based position in the conversation.")
    rating: Literal[1, -1]
    comment: str = Field("", max_length=2000)


class ConversationSummaryOut(BaseModel):
    """One of your conversations, without its turns."""

    id: str
    title: str
    updated_at: datetime


class TurnOut(BaseModel):
    """A question, its answer and your rating of it (0 when not rated)."""

    question: str
    answer: str
    created_at: datetime
    details: dict[str, Any]
    rating: int


class ConversationOut(ConversationSummaryOut):
    """One of your conversations with its turns, oldest first."""

    turns: list[TurnOut]


class OrgSummaryOut(BaseModel):
    """One of your uploaded orgs, as the org list shows it."""

    org_id: str
    name: str
    filename: str
    created_at: datetime
    people: int
    status: Literal["ready", "needs_mapping"]
