"""Draft a restructuring plan: analyse the roster, retrieve guidance per recommendation, write and ground the prose."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from datetime import date

from advisor.bundled import BENCHMARKS_FILE
from advisor.chat.evidence import Evidence
from advisor.config import Settings
from advisor.errors import InputError
from advisor.kb.retriever import get_retriever
from advisor.models import get_chat_model, get_embedder
from advisor.org.benchmarks import BenchmarkSet, load_benchmarks
from advisor.org.profile import Profile
from advisor.org.roster import Roster
from advisor.plan.analysis import Analysis, analyse
from advisor.plan.document import Block, Bullets, Note, Paragraph, Plan, Section, Subsection, Table
from advisor.plan.followup import kpis, risks, roadmap, sources
from advisor.plan.guidance import Query, SourceBook, renumber, retrieve
from advisor.plan.labels import LANGS, say
from advisor.plan.prose import Writer
from advisor.plan.sections import Context, diagnosis, organisation, recommendations, summary
from advisor.text.sentences import citation_ids

Progress = Callable[[str, int, int], None]
GOAL_PASSAGES = 3
GOAL_KEY = "goal"  # cannot clash with a recommendation key (action ids, `generic:<finding>`)
# languages the bundled model writes; other plans are composed from templates and passages in their language
MODEL_LANGS = ("en",)
_BUILDERS = (summary, organisation, diagnosis, recommendations, roadmap, kpis, risks)
_STEPS = 3 + len(_BUILDERS)  # analysis, retrieval, the section builders, sources


def _texts(block: Block) -> Iterator[str]:
    if isinstance(block, Paragraph | Note):
        yield block.text
    elif isinstance(block, Bullets):
        yield from block.items
    elif isinstance(block, Table):
        for row in block.rows:
            yield from row


def _renumbered(block: Block, mapping: dict[str, str]) -> Block:
    if isinstance(block, Paragraph | Note):
        return dataclasses.replace(block, text=renumber(block.text, mapping))
    if isinstance(block, Bullets):
        return dataclasses.replace(block, items=tuple(renumber(item, mapping) for item in block.items))
    if isinstance(block, Table):
        rows = tuple(tuple(renumber(cell, mapping) for cell in row) for row in block.rows)
        return dataclasses.replace(block, rows=rows)
    return block


def _blocks(section: Section) -> Iterator[Block]:
    yield from section.blocks
    for sub in section.subsections:
        yield from sub.blocks


def _finish(section: Section, mapping: dict[str, str]) -> Section:
    """The section with final source ids, and the ids it cites."""
    blocks = tuple(_renumbered(b, mapping) for b in section.blocks)
    subs = tuple(
        Subsection(s.title, tuple(_renumbered(b, mapping) for b in s.blocks), s.anchor)
        for s in section.subsections
    )
    done = dataclasses.replace(section, blocks=blocks, subsections=subs)
    cited = [cid for block in _blocks(done) for text in _texts(block) for cid in citation_ids(text)]
    return dataclasses.replace(done, citations=tuple(dict.fromkeys(cited)))


def _guidance(
    analysis: Analysis, *, settings: Settings, goal: str | None, lang: str, book: SourceBook
) -> tuple[dict[str, list[Evidence]], list[Evidence]]:
    groups = {rec.key: rec.action.queries(lang) for rec in analysis.recommendations}
    if goal:
        groups[GOAL_KEY] = [Query(goal, (), GOAL_PASSAGES)]
    found = retrieve(get_retriever(settings), get_embedder(settings), groups, book=book, lang=lang)
    return {key: items for key, items in found.items() if key != GOAL_KEY}, found.get(GOAL_KEY, [])


def _title(profile: Profile | None, lang: str) -> str:
    return say(lang, "title_named", name=profile.name) if profile and profile.name else say(lang, "title")


def draft_plan(
    roster: Roster | None,
    *,
    settings: Settings,
    profile: Profile | None = None,
    goal: str | None = None,
    lang: str = "en",
    as_of: date | None = None,
    period_start: date | None = None,
    benchmarks: BenchmarkSet | None = None,
    progress: Progress | None = None,
) -> Plan:
    """A complete restructuring plan for a roster (or for a goal alone), in English or Chinese.

    `benchmarks` default to the bundled file; the as-of date defaults to the roster's (the latest event in it).
    """
    if lang not in LANGS:
        raise InputError(
            f"Plans are written in {' or '.join(LANGS)}, not `{lang}`; use --lang en or --lang zh."
        )
    goal = goal.strip() if goal and goal.strip() else None
    if roster is None and goal is None:
        raise InputError('A plan needs a roster, a goal, or both: pass a roster file or --goal "...".')
    timings: dict[str, float] = {}
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(name, done, _STEPS)

    started = time.perf_counter()
    bench = benchmarks if benchmarks is not None else load_benchmarks(BENCHMARKS_FILE)
    analysis = analyse(
        roster, profile=profile, benchmarks=bench, as_of=as_of, period_start=period_start, goal=goal
    )
    timings["analysis"] = time.perf_counter() - started
    step("analysis")

    started = time.perf_counter()
    book = SourceBook()
    per_rec, for_goal = _guidance(analysis, settings=settings, goal=goal, lang=lang, book=book)
    timings["retrieval"] = time.perf_counter() - started
    step("retrieval")

    started = time.perf_counter()
    model = get_chat_model(settings) if lang in MODEL_LANGS else None
    writer = Writer(model, get_embedder(settings) if model is not None else None, lang)
    if settings.capable_model:
        writer.model_ranks = None  # a capable model writes every slot
    ctx = Context(analysis, lang, writer, goal=goal, guidance=per_rec, goal_guidance=for_goal)
    drafted = []
    for build in _BUILDERS:
        drafted.append(build(ctx))
        step(drafted[-1].id)
    # generation is the model's own time; grounding covers grounding and assembling the sections around it
    timings["generation"] = writer.model_seconds
    timings["grounding"] = time.perf_counter() - started - writer.model_seconds

    order = [cid for s in drafted for b in _blocks(s) for t in _texts(b) for cid in citation_ids(t)]
    cited, mapping = book.sources(order)
    sections = [_finish(s, mapping) for s in drafted] + [_finish(sources(ctx, cited), {})]
    step("sources")
    kpi_or_metric = {m.id for m in analysis.metrics} | set(analysis.playbook.core_kpis)
    chosen = [analysis.benchmarks.chosen(metric_id) for metric_id in sorted(kpi_or_metric)]
    as_of_day = analysis.as_of
    return Plan(
        title=_title(profile, lang),
        lang=lang,
        goal=goal,
        sections=sections,
        metrics=[m.to_dict() for m in analysis.metrics],
        findings=[f.to_dict() for f in analysis.findings],
        benchmarks=[dataclasses.asdict(b) for b in chosen if b is not None],
        scenarios=list(analysis.scenarios.values()),
        sources=cited,
        timings=timings,
        slots=dict(writer.counts),
        as_of=as_of_day.isoformat() if as_of_day else None,
        has_roster=roster is not None,
    )
