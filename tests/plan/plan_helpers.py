"""Reading a drafted plan back in tests: its texts per section, and the facts its numbers may come from."""

from __future__ import annotations

import csv
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import yaml
from plan_doubles import AS_OF, PROBLEM_ROSTER

from advisor.plan.document import Block, Bullets, Note, Paragraph, Plan, Section, Subsection, Table
from advisor.plan.labels import CATALOGUE_DIR

SECTION_IDS = [
    "summary",
    "organisation",
    "diagnosis",
    "recommendations",
    "roadmap",
    "kpis",
    "risks",
    "sources",
]


def block_texts(blocks: tuple[Block, ...]) -> Iterator[str]:
    """Every text of some blocks: paragraphs, bullets, notes, table headers and cells."""
    for block in blocks:
        if isinstance(block, Paragraph | Note):
            yield block.text
        elif isinstance(block, Bullets):
            yield from block.items
        elif isinstance(block, Table):
            yield from block.headers
            for row in block.rows:
                yield from row


def section_texts(section: Section) -> Iterator[str]:
    """Every text of a section, its subsections' titles included."""
    yield section.title
    yield from block_texts(section.blocks)
    for sub in section.subsections:
        yield sub.title
        yield from block_texts(sub.blocks)


def subsection_text(sub: Subsection) -> str:
    """A subsection as one string."""
    return "\n".join([sub.title, *block_texts(sub.blocks)])


def text_of(section: Section) -> str:
    """A section as one string."""
    return "\n".join(section_texts(section))


def _scalars(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _scalars(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _scalars(item)
    elif value is not None:
        yield str(value)


def traceable_texts(plan: Plan) -> list[str]:
    """What the plan's numbers may trace to: metrics (values, inputs, by-group values, formulas), findings, the
    published benchmarks, scenarios, cited passages, the date, the goal, and the label catalogues' fixed wording."""
    texts = list(_scalars(plan.metrics)) + list(_scalars(plan.findings)) + list(_scalars(plan.benchmarks))
    for run in plan.scenarios:
        texts += list(_scalars([run.edits, list(run.changes), list(run.applied)]))
    texts += [source.text for source in plan.sources]
    texts += [plan.as_of or "", plan.goal or ""]
    for lang in ("en", "zh"):
        texts += list(
            _scalars(yaml.safe_load((CATALOGUE_DIR / f"labels.{lang}.yaml").read_text(encoding="utf-8")))
        )
    return texts


@dataclass(frozen=True)
class Expected:
    """The problem roster's numbers, computed here from the CSV without the product's code."""

    sdr_turnover_pct: float
    sdr_leavers: int
    early_attrition_pct: float
    busiest_manager: str
    busiest_reports: int
    active_ae: int
    active_sdr: int


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def expected_numbers() -> Expected:
    """Count the problem roster by hand: 12 months ending on AS_OF, average of start and end headcount."""
    with PROBLEM_ROSTER.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    start = AS_OF.replace(year=AS_OF.year - 1)

    def active(row: dict[str, str], day: date) -> bool:
        hired, left = _day(row["hire_date"]), _day(row["exit_date"])
        return hired is not None and hired <= day and (left is None or left > day)

    sdrs = [r for r in rows if r["role"] == "SDR"]
    leavers = [r for r in sdrs if r["exit_date"] and start < date.fromisoformat(r["exit_date"]) <= AS_OF]
    average = (sum(active(r, start) for r in sdrs) + sum(active(r, AS_OF) for r in sdrs)) / 2
    early = [r for r in leavers if _day(r["exit_date"]) - _day(r["hire_date"]) < timedelta(days=365)]  # type: ignore[operator]
    reports = Counter(r["manager_id"] for r in rows if active(r, AS_OF) and r["manager_id"])
    managers = {r["rep_id"]: r["name"] for r in rows if r["role"] == "Sales Manager"}
    busiest = max(managers, key=lambda m: reports[m])
    return Expected(
        sdr_turnover_pct=len(leavers) / average * 100,
        sdr_leavers=len(leavers),
        early_attrition_pct=len(early) / len(leavers) * 100,
        busiest_manager=managers[busiest],
        busiest_reports=reports[busiest],
        active_ae=sum(active(r, AS_OF) for r in rows if r["role"] == "Account Executive"),
        active_sdr=sum(active(r, AS_OF) for r in sdrs),
    )


def ratio_hires(expected: Expected, *, threshold: float = 2.0) -> int:
    """AEs to hire to lift 1 SDR : N AEs to the bottom of the 2-4 range."""
    return math.ceil(threshold * expected.active_sdr - expected.active_ae)
