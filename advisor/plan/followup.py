"""The last four sections: the 30/60/90-day roadmap, KPIs to track, risks and assumptions, sources and method."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.org.types import Metric
from advisor.plan.document import Block, Bullets, Note, Paragraph, Section, Source, Subsection, Table
from advisor.plan.labels import benchmark_range, labels, metric_formula, metric_label, metric_note, number
from advisor.plan.playbook import PHASES, Direction
from advisor.plan.sections import Context, action_name, applies, citation, needs_data

SMALL_GROUP = 15  # average headcount under which one person more or less moves a rate by several points
FEW_SEPARATIONS = 5
ROADMAP_START = ("roadmap.baseline", "head_of_sales")
ROADMAP_END = ("roadmap.review", "head_of_sales")


def roadmap(ctx: Context) -> Section:
    """Steps for days 1-30, 31-60 and 61-90, each owned by a role."""
    headers = tuple(ctx.say(f"headers.{h}") for h in ("days", "step", "owner"))
    steps: dict[str, list[tuple[str, str]]] = {phase: [] for phase in PHASES}
    if ctx.has_roster:
        steps["d30"].append((ctx.say(ROADMAP_START[0]), ROADMAP_START[1]))
    else:
        steps["d30"].append((ctx.say("roadmap.collect"), "sales_ops"))
        steps["d60"].append((ctx.say(ROADMAP_START[0]), ROADMAP_START[1]))
    for rec in ctx.analysis.recommendations:
        for phase in PHASES:
            text = ctx.say(f"actions.{rec.action.id}.{phase}", finding=action_name(ctx, rec))
            steps[phase].append((text, rec.action.owners[phase]))
    steps["d90"].append((ctx.say(ROADMAP_END[0]), ROADMAP_END[1]))
    rows = tuple(
        (ctx.say(f"roadmap.phases.{phase}"), text, ctx.say(f"owners.{owner}"))
        for phase in PHASES
        for text, owner in steps[phase]
    )
    return Section(
        "roadmap", ctx.say("sections.roadmap"), (Paragraph(ctx.say("roadmap.intro")), Table(headers, rows))
    )


def _kpi_list(ctx: Context) -> dict[str, Direction]:
    wanted: dict[str, Direction] = {}
    for rec in ctx.analysis.recommendations:
        wanted.update({k: v for k, v in rec.action.kpis.items() if k not in wanted})
    wanted.update({k: v for k, v in ctx.analysis.playbook.core_kpis.items() if k not in wanted})
    return {k: v for k, v in wanted.items() if applies(ctx, k)}


def _bound(ctx: Context, value: float, unit: str, *, at_most: bool) -> str:
    return ctx.say("kpis.at_most" if at_most else "kpis.at_least", value=number(value, unit, ctx.lang))


def _target(ctx: Context, metric: Metric, direction: Direction) -> tuple[str, str]:
    """(target, where it comes from): the scenario's result, else the finding's threshold, else a benchmark."""
    for run in ctx.analysis.scenarios.values():
        for metric_id, before, after, unit in run.changes:
            if metric_id == metric.id:
                return _bound(ctx, after, unit, at_most=after < before), ctx.say("kpis.from_scenario")
    for finding in ctx.analysis.findings_on(metric.id)[:1]:
        threshold = finding.evidence.get("threshold")
        if threshold is not None:
            at_most = finding.evidence.get("comparison") == "above"
            bench = finding.benchmark if finding.evidence.get("basis") == "benchmark" else None
            basis = (
                ctx.say("kpis.from_benchmark", source=citation(ctx, bench))
                if bench
                else ctx.say("kpis.from_rule")
            )
            return _bound(ctx, float(threshold), metric.unit, at_most=at_most), basis
    bench = ctx.analysis.benchmarks.chosen(metric.id)
    if bench is None or bench.per:
        return "", ""
    basis = ctx.say("kpis.from_benchmark", source=citation(ctx, bench))
    low, high = bench.low, bench.high
    if direction == "range" and low is not None and high is not None and low != high:
        between = ctx.say(
            "kpis.between", low=number(low, bench.unit, ctx.lang), high=number(high, bench.unit, ctx.lang)
        )
        return between, basis
    higher = direction == "higher"
    bound = (low if low is not None else high) if higher else (high if high is not None else low)
    if bound is None:
        return "", ""
    if metric.value is not None and (metric.value >= bound if higher else metric.value <= bound):
        # already better than the benchmark: the target is to hold today's level, not to fall back to the benchmark
        held = ctx.say("kpis.held", source=citation(ctx, bench))
        return _bound(ctx, float(metric.value), metric.unit, at_most=not higher), held
    return _bound(ctx, bound, bench.unit, at_most=not higher), basis


def kpis(ctx: Context) -> Section:
    """The KPIs to track, each with its current value and target."""
    headers = tuple(ctx.say(f"headers.{h}") for h in ("kpi", "current", "target", "target_basis"))
    rows = []
    for metric_id, direction in _kpi_list(ctx).items():
        metric = ctx.analysis.metric(metric_id)
        if metric is None:
            label = labels(ctx.lang)["metric_labels"].get(metric_id, metric_id.replace("_", " "))
            rows.append((label, ctx.say("status.missing"), "", ""))
            continue
        target, basis = _target(ctx, metric, direction)
        current = number(metric.value, metric.unit, ctx.lang)
        rows.append((f"{metric_label(metric, ctx.lang)} [M:{metric.id}]", current, target, basis))
    blocks: list[Block] = [Paragraph(ctx.say("kpis.intro")), Table(headers, tuple(rows))]
    if not ctx.has_roster:
        blocks.insert(0, needs_data(ctx))
    return Section("kpis", ctx.say("sections.kpis"), tuple(blocks))


def _thin_data(ctx: Context) -> list[str]:
    notes = []
    for finding in ctx.analysis.findings:
        metric = ctx.analysis.metric(finding.metric_id)
        if metric is None or finding.evidence.get("group"):
            continue
        heads = metric.inputs.get("average_headcount")
        separations = metric.inputs.get("separations")
        label = metric_label(metric, ctx.lang)
        if isinstance(heads, int | float) and heads < SMALL_GROUP:
            notes.append(ctx.say("risks.small_group", label=label, n=number(heads, "", ctx.lang)))
        elif isinstance(separations, int | float) and 0 < separations < FEW_SEPARATIONS:
            notes.append(ctx.say("risks.small_group", label=label, n=number(separations, "", ctx.lang)))
    return notes


def risks(ctx: Context) -> Section:
    """Where the data was thin, which benchmarks are secondary, and what the scenarios assume."""
    title = ctx.say("sections.risks")
    roster = ctx.analysis.roster
    if roster is None:
        return Section("risks", title, (Bullets((ctx.say("risks.no_roster"), ctx.say("risks.model"))),))
    items = []
    turnover = ctx.analysis.metric("turnover_rate")
    months = turnover.inputs.get("period_months") if turnover else None
    if isinstance(months, int | float):
        items.append(
            ctx.say("risks.period", months=number(months, "", ctx.lang), as_of=str(ctx.analysis.as_of))
        )
    items += _thin_data(ctx)
    seen = set()
    for finding in ctx.analysis.findings:
        bench = finding.benchmark
        if bench is not None and bench.secondary and bench.source not in seen:
            seen.add(bench.source)
            metric = ctx.analysis.metric(finding.metric_id)
            label = metric_label(metric, ctx.lang) if metric else finding.metric_id
            items.append(ctx.say("risks.secondary", label=label, source=citation(ctx, bench)))
    for metric in ctx.analysis.metrics:
        if metric.value is None and applies(ctx, metric.id):
            items.append(
                ctx.say(
                    "risks.missing_metric",
                    label=metric_label(metric, ctx.lang),
                    note=metric_note(metric, ctx.lang),
                )
            )
    if roster.issues:
        items.append(ctx.say("risks.issues", count=len(roster.issues), set_aside=roster.set_aside))
    if ctx.analysis.scenarios:
        items.append(ctx.say("risks.scenario"))
    items.append(ctx.say("risks.model"))
    return Section("risks", title, (Bullets(tuple(items)),))


def _method(ctx: Context) -> Subsection:
    headers = tuple(ctx.say(f"headers.{h}") for h in ("metric", "formula", "value"))
    rows, anchors = [], []
    for metric in ctx.analysis.metrics:
        rows.append((metric_label(metric, ctx.lang), metric_formula(metric, ctx.lang),
                     number(metric.value, metric.unit, ctx.lang)))  # fmt: skip
        anchors.append(f"metric-{metric.id}")
    table = Table(headers, tuple(rows), row_anchors=tuple(anchors))
    return Subsection(
        ctx.say("sources.method"), (Paragraph(ctx.say("sources.method_intro")), table), "method"
    )


def _benchmarks(ctx: Context) -> list[Block]:
    """The benchmarks the plan cites (one per metric, by the choice rule), with their full source."""
    used = {f.benchmark.id: f.benchmark for f in ctx.analysis.findings if f.benchmark is not None}
    for metric in ctx.analysis.metrics:
        bench = ctx.analysis.benchmarks.chosen(metric.id)
        if bench is not None:
            used.setdefault(bench.id, bench)
    if not used:
        return []
    headers = tuple(ctx.say(f"headers.{h}") for h in ("metric", "benchmark", "document"))
    rows = []
    for bench in used.values():
        about = ctx.analysis.metric(bench.metric_id)
        label = metric_label(about, ctx.lang) if about else bench.metric_id
        secondary = ctx.say("sources.secondary") if bench.secondary else ""
        rows.append(
            # the full title is English: a Chinese plan names the publisher and year
            (
                label,
                f"{benchmark_range(bench, ctx.lang)} ({citation(ctx, bench)})",
                (bench.source if ctx.lang == "en" else citation(ctx, bench)) + secondary,
            )
        )
    return [Paragraph(ctx.say("sources.benchmarks"), lead=True), Paragraph(ctx.say("sources.benchmark_rule")),
            Table(headers, tuple(rows))]  # fmt: skip


def sources(ctx: Context, cited: Sequence[Source]) -> Section:
    """Every cited passage with its document and section, then the metric definitions."""
    blocks: list[Block]
    if cited:
        headers = tuple(ctx.say(f"headers.{h}") for h in ("id", "document", "section", "excerpt"))
        rows = tuple((f"[{s.id}]", s.title, s.section, s.text) for s in cited)
        blocks = [
            Paragraph(ctx.say("sources.intro")),
            Table(headers, rows, row_anchors=tuple(f"src-{s.id}" for s in cited)),
        ]
    else:
        blocks = [Note(ctx.say("sources.none"))]
    blocks += _benchmarks(ctx)
    method = (
        _method(ctx) if ctx.analysis.metrics else Subsection(ctx.say("sources.method"), (needs_data(ctx),))
    )
    return Section("sources", ctx.say("sections.sources"), tuple(blocks), subsections=(method,))
