"""Request and response bodies of the JSON API (what comes in and what goes out, separate from library types)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ChatRequest(BaseModel):
    """A question, optionally continuing a conversation and using an uploaded org's metrics."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=4000, description="The question, in English or Chinese.")
    conversation_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    org_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class CitationOut(BaseModel):
    """Evidence behind the answer: a passage `S1`.. or a metric `M:metric_id`."""

    id: str
    doc_id: str
    title: str
    section: str
    text: str


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
    label: str
    note: str


class FindingOut(BaseModel):
    """A metric compared with a benchmark."""

    id: str
    severity: str
    title: str
    message: str
    metric_id: str
    evidence: dict[str, Any]
    benchmark: dict[str, Any] | None
    topics: list[str]


class IssueOut(BaseModel):
    """One problem found while validating a roster row."""

    row: int | None
    column: str | None
    value: str | None
    reason: str


class OrgOut(BaseModel):
    """An uploaded org: its private id, whether it is ready, and its validation report."""

    org_id: str
    status: Literal["ready", "needs_mapping"]
    filename: str
    message: str
    rows: int
    headers: list[str] = []
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    columns: list[str] = Field([], description="Canonical roster columns a header can be mapped to.")
    issues: list[IssueOut] = []
    set_aside: int = 0


class MappingRequest(BaseModel):
    """Which source header holds each canonical column."""

    model_config = ConfigDict(extra="forbid")

    mapping: dict[str, str] = Field(description="Source header -> canonical column name.")
    dayfirst: bool | None = None


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
