"""The first four sections: executive summary, the organisation today, diagnosis and recommendations.

Structure and numbers come from the analysis; prose slots go through the writer (model + grounding, or extractive).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.chat.evidence import METRIC_DOC, Evidence
from advisor.org.metrics import SPAN_RANGE
from advisor.org.types import Benchmark, Finding, Metric
from advisor.plan.analysis import Analysis
from advisor.plan.document import Block, Bullets, Chart, Note, Paragraph, Section, Subsection, Table
from advisor.plan.labels import (
    benchmark_range,
    edits_text,
    finding_message,
    finding_title,
    labels,
    metric_label,
    number,
    say,
    value_label,
)
from advisor.plan.playbook import Recommendation, rule_id
from advisor.plan.prose import Slot, Writer, extractive

DIMENSIONS = ("role", "channel", "segment", "territory")
KEY_METRICS = (
    "headcount_end", "separations", "turnover_rate", "voluntary_turnover_rate", "sdr_turnover_rate",
    "early_attrition_share", "avg_tenure_months", "sdr_avg_tenure_months", "span_of_control_mean",
    "span_of_control_max", "sdr_ae_ratio", "inside_share", "quota_attainment_share", "revenue_per_rep",
    "territory_load_cv", "ramped_capacity", "reps_needed", "turnover_cost",
)  # fmt: skip


@dataclass
class Context:
    """What every section builder reads: the analysis, the language, the writer and the retrieved guidance."""

    analysis: Analysis
    lang: str
    writer: Writer
    goal: str | None = None
    guidance: dict[str, list[Evidence]] = field(default_factory=dict)  # by recommendation key
    goal_guidance: list[Evidence] = field(default_factory=list)

    @property
    def has_roster(self) -> bool:
        """Whether the plan is drafted from data (else from the goal alone)."""
        return self.analysis.roster is not None

    def say(self, key: str, **values: Any) -> str:
        """A template sentence in the plan's language."""
        return say(self.lang, key, **values)

    def value(self, metric_id: str) -> str:
        """A metric's value as printed in the plan."""
        metric = self.analysis.metric(metric_id)
        return number(metric.value if metric else None, metric.unit if metric else "", self.lang)

    def evidence(self, metric: Metric) -> Evidence:
        """A metric as citable evidence: its value and what the findings say about it."""
        text = f"{metric_label(metric, self.lang)}: {number(metric.value, metric.unit, self.lang)}."
        text += "".join(" " + finding_message(f, self.lang) for f in self.analysis.findings_on(metric.id)[:1])
        return Evidence(f"M:{metric.id}", "metric", text, METRIC_DOC, metric_label(metric, self.lang), metric.id,
                        self.lang, 1.0)  # fmt: skip


def applies(ctx: Context, metric_id: str) -> bool:
    """Whether a metric applies to this org (an SDR metric needs SDRs); always true without a roster."""
    needs = ctx.analysis.playbook.kpi_needs.get(metric_id)
    if needs is None or not ctx.has_roster:
        return True
    return needs.met({m.id: m for m in ctx.analysis.metrics})


def needs_data(ctx: Context) -> Note:
    """The call-out of a section that cannot say anything without a roster."""
    return Note(ctx.say("no_data.section") + " " + ctx.say("no_data.columns"), tone="warning")


def _joined(ctx: Context, parts: Sequence[str]) -> str:
    return ("" if ctx.lang == "zh" else " ").join(p for p in parts if p)


# --- executive summary -------------------------------------------------------------------------------------------


def _effect_phrase(ctx: Context, rec: Recommendation) -> dict[str, str] | None:
    run = ctx.analysis.scenarios.get(rec.key)
    if run is None:
        return None
    metric_id, before, after, unit = run.changes[0]
    metric = ctx.analysis.metric(metric_id)
    label = metric_label(metric, ctx.lang) if metric else metric_id
    return {"metric": label, "before": number(before, unit, ctx.lang), "after": number(after, unit, ctx.lang)}


def as_of_basis(analysis: Analysis) -> str:
    """How the plan's as-of date was chosen: `given`, `latest event` or `today` (keys of the catalogue)."""
    if analysis.org is None or analysis.roster is None:
        return "given"
    return "given" if analysis.org.period.as_of != analysis.roster.as_of else analysis.roster.as_of_basis


def action_name(ctx: Context, rec: Recommendation) -> str:
    """The recommendation's short name."""
    return ctx.say(f"actions.{rec.action.id}.name", finding=finding_title(rec.lead, ctx.lang))


def summary(ctx: Context) -> Section:
    """Executive summary: scope, what was found, the model's (or extracted) overview and the priority actions."""
    a = ctx.analysis
    blocks: list[Block] = []
    if not ctx.has_roster:
        blocks.append(Paragraph(ctx.say("summary.no_roster")))
        if ctx.goal_guidance:
            lead = ctx.say("summary.goal")
            slot = Slot("summary", tuple(ctx.goal_guidance), extractive(ctx.goal_guidance, lang=ctx.lang, lead=lead),
                        {"goal": ctx.goal})  # fmt: skip
            blocks.append(ctx.writer.write(slot))
        blocks.append(needs_data(ctx))
        return Section("summary", ctx.say("sections.summary"), tuple(blocks))
    headcount = a.metric("headcount_end")
    by_role = sorted(
        (headcount.by.get("role", {}) if headcount else {}).items(), key=lambda item: -(item[1] or 0)
    )
    roles = ("、" if ctx.lang == "zh" else ", ").join(
        f"{value_label('role', role, ctx.lang)} {number(count, '', ctx.lang)}"
        for role, count in by_role
        if count
    )
    as_of = a.as_of.isoformat() if a.as_of else ""
    basis = ctx.say(f"as_of_basis.{as_of_basis(a)}")
    scope = ctx.say("summary.scope", people=ctx.value("headcount_end"), as_of=as_of, roles=roles, basis=basis)
    blocks.append(Paragraph(scope + " [M:headcount_end]"))
    counts = {s: sum(f.severity == s for f in a.findings) for s in ("high", "medium", "low")}
    blocks.append(
        Paragraph(ctx.say("summary.counts", **counts) if any(counts.values()) else ctx.say("summary.clean"))
    )
    if ctx.goal:
        blocks.append(Paragraph(ctx.say("summary.goal")))
    top = a.recommendations[:3]
    items = [ctx.evidence(m) for f in [r.lead for r in top] if (m := a.metric(f.metric_id)) is not None]
    passages = [ctx.guidance[r.key][0] for r in top if ctx.guidance.get(r.key)]
    evidence = tuple(dict.fromkeys([*items, *passages]))
    if evidence:
        lead = _joined(ctx, [finding_message(r.lead, ctx.lang) + f" [M:{r.lead.metric_id}]" for r in top[:1]])
        focus = " ".join(f"{finding_title(r.lead, ctx.lang)} {action_name(ctx, r)}" for r in top[:2])
        fallback = extractive(passages[:2], lang=ctx.lang, lead=lead, focus=focus)
        blocks.append(ctx.writer.write(Slot("summary", evidence, fallback, {"goal": ctx.goal})))
    if top:
        bullets = []
        for rec in a.recommendations:
            effect = _effect_phrase(ctx, rec)
            finding = finding_title(rec.lead, ctx.lang)
            key = "summary.top_item" if effect else "summary.top_item_plain"
            bullets.append(ctx.say(key, action=action_name(ctx, rec), finding=finding, **(effect or {})))
        blocks.append(Paragraph(ctx.say("summary.top"), lead=True))
        blocks.append(Bullets(tuple(bullets)))
    return Section("summary", ctx.say("sections.summary"), tuple(blocks))


# --- the organisation today --------------------------------------------------------------------------------------


def _group_rows(
    ctx: Context, counts: Mapping[str, float | None], dimension: str
) -> tuple[tuple[str, str], ...]:
    ordered = sorted(counts.items(), key=lambda item: -(item[1] or 0))
    return tuple((value_label(dimension, group, ctx.lang), number(v, "", ctx.lang)) for group, v in ordered)


def _headcount_blocks(ctx: Context, headcount: Metric) -> list[Block]:
    blocks: list[Block] = []
    headers = (ctx.say("headers.group"), ctx.say("headers.headcount"))
    for dimension in DIMENSIONS:
        counts = {k: v for k, v in headcount.by.get(dimension, {}).items() if v}
        if not counts:
            continue
        name = ctx.say(f"dimensions.{dimension}")
        caption = ctx.say("organisation.by_caption", dimension=name if ctx.lang == "zh" else name.lower())
        blocks.append(Table(headers, _group_rows(ctx, counts, dimension), caption=caption))
        if dimension in ("role", "channel"):
            rows = tuple(
                (value_label(dimension, k, ctx.lang), float(v or 0), None) for k, v in counts.items()
            )
            blocks.append(Chart(ctx.say(f"chart.by_{dimension}"), "bars", rows))
    return blocks


def distribution_blocks(ctx: Context, metric_id: str, dimension: str, chart: str) -> list[Block]:
    """A distribution metric of the rules layer (tenure or attainment bands) as a table and a bar chart."""
    metric = ctx.analysis.metric(metric_id)
    if metric is None or not metric.value:
        return []
    names = labels(ctx.lang)[f"{dimension}s"]
    counts = list(metric.by[dimension].values())
    rows = tuple((name, number(c, "", ctx.lang)) for name, c in zip(names, counts, strict=True))
    headers = (ctx.say(f"chart.{chart}"), ctx.say("headers.headcount"))
    chart_rows = tuple((name, float(c or 0), None) for name, c in zip(names, counts, strict=True))
    return [Table(headers, rows), Chart(ctx.say(f"chart.{chart}"), "bars", chart_rows)]


def _span_blocks(ctx: Context) -> list[Block]:
    metric = ctx.analysis.metric("span_of_control_mean")
    per_manager = metric.by.get("manager", {}) if metric else {}
    if not per_manager:
        return []
    names = _manager_names(ctx)
    ordered = sorted(per_manager.items(), key=lambda item: -(item[1] or 0))
    headers = (ctx.say("values.role.manager"), ctx.say("chart.span"))
    rows = tuple((names.get(m, m), number(v, "", ctx.lang)) for m, v in ordered)
    high = float(SPAN_RANGE[1])
    chart = Chart(
        ctx.say("chart.span"),
        "bars",
        tuple((names.get(m, m), float(v or 0), None) for m, v in ordered),
        reference=high,
        reference_label=ctx.say("chart.span_reference", value=number(high, "", ctx.lang)),
    )
    return [Table(headers, rows), chart]


def _manager_names(ctx: Context) -> dict[str, str]:
    roster = ctx.analysis.roster
    if roster is None or "name" not in roster.df:
        return {}
    frame = roster.df[roster.df["role"].astype(str) == "manager"]
    return {
        str(r): f"{n} ({r})"
        for r, n in zip(frame["rep_id"], frame["name"], strict=True)
        if isinstance(n, str)
    }


def _status(ctx: Context, metric: Metric) -> str:
    if metric.value is None:
        return ctx.say("status.missing")
    found = ctx.analysis.findings_on(metric.id)
    if found:
        return ctx.say("status.finding") + f" ({ctx.say('values.severity.' + found[0].severity)})"
    bench = ctx.analysis.benchmarks.chosen(metric.id)
    if bench is None or bench.per:
        return ctx.say("status.none")  # a per-separation figure is not comparable with a total
    return ctx.say("status.ok")


def citation(ctx: Context, bench: Benchmark) -> str:
    """How prose cites a benchmark: "The Bridge Group, 2017" (year not stated: n.d.)."""
    year = str(bench.year) if bench.year else ctx.say("diagnosis.no_year")
    return f"{bench.name(ctx.lang)}{ctx.say('diagnosis.cite_sep')}{year}"


def benchmark_cell(ctx: Context, metric_id: str) -> str:
    """The one benchmark chosen for a metric, cited as (publisher, year), or an empty cell."""
    bench = ctx.analysis.benchmarks.chosen(metric_id)
    if bench is None:
        return ""
    opening, closing = ("（", "）") if ctx.lang == "zh" else (" (", ")")
    return f"{benchmark_range(bench, ctx.lang)}{opening}{citation(ctx, bench)}{closing}"


def organisation(ctx: Context) -> Section:
    """Headcount by role, channel, segment and territory; tenure; spans; the key metrics."""
    title = ctx.say("sections.organisation")
    headcount = ctx.analysis.metric("headcount_end")
    if headcount is None:
        return Section("organisation", title, (needs_data(ctx),))
    separations = ctx.analysis.metric("separations")
    key = (
        "organisation.intro"
        if separations is not None and separations.value is not None
        else "organisation.intro_no_exits"
    )
    intro = ctx.say(key, people=ctx.value("headcount_end"), start=ctx.value("headcount_start"),
                    separations=ctx.value("separations"))  # fmt: skip
    blocks: list[Block] = [Paragraph(intro), *_headcount_blocks(ctx, headcount)]
    blocks += distribution_blocks(ctx, "tenure_distribution", "tenure_band", "tenure")
    blocks += distribution_blocks(ctx, "attainment_distribution", "attainment_band", "attainment")
    blocks += _span_blocks(ctx)
    rows = []
    for metric_id in KEY_METRICS:
        metric = ctx.analysis.metric(metric_id)
        if metric is None or not applies(ctx, metric_id):
            continue
        name = f"{metric_label(metric, ctx.lang)} [M:{metric.id}]"
        value = number(metric.value, metric.unit, ctx.lang)
        rows.append((name, value, benchmark_cell(ctx, metric.id), _status(ctx, metric)))
    headers = tuple(ctx.say(f"headers.{h}") for h in ("metric", "value", "benchmark", "status"))
    blocks.append(Table(headers, tuple(rows), caption=ctx.say("organisation.metrics_caption")))
    return Section("organisation", title, tuple(blocks))


# --- diagnosis ---------------------------------------------------------------------------------------------------


def _benchmark_lines(ctx: Context, finding: Finding) -> list[str]:
    bench = finding.benchmark
    if bench is None:
        return []
    lines = [
        ctx.say("diagnosis.benchmark", range=benchmark_range(bench, ctx.lang), cite=citation(ctx, bench))
    ]
    if bench.secondary:
        lines.append(ctx.say("diagnosis.secondary"))
    return lines


def _evidence_line(ctx: Context, finding: Finding) -> str | None:
    inputs = finding.evidence.get("inputs") or {}
    names = labels(ctx.lang)["inputs"]
    parts = []
    for key, value in inputs.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if ctx.lang == "zh" and key not in names:
            continue
        parts.append(f"{names.get(key, key.replace('_', ' '))} {number(float(value), '', ctx.lang)}")
    if not parts:
        return None
    return (
        ctx.say("diagnosis.evidence")
        + (": " if ctx.lang == "en" else "：")
        + ("; " if ctx.lang == "en" else "；").join(parts)
    )


def recommendation_for(ctx: Context, finding: Finding) -> Recommendation | None:
    """The recommendation answering a finding, if any."""
    return next((r for r in ctx.analysis.recommendations if finding in r.findings), None)


def diagnosis(ctx: Context) -> Section:
    """Each finding: what was measured, the evidence numbers, the benchmark with source and year, why it matters."""
    title = ctx.say("sections.diagnosis")
    if not ctx.has_roster:
        return Section("diagnosis", title, (needs_data(ctx),))
    if not ctx.analysis.findings:
        return Section("diagnosis", title, (Paragraph(ctx.say("diagnosis.none")),))
    subsections = []
    explained: set[str] = set()  # one line of guidance per rule: per-manager findings share their reason
    for finding in ctx.analysis.findings:
        blocks: list[Block] = [Paragraph(f"{finding_message(finding, ctx.lang)} [M:{finding.metric_id}]")]
        facts = [ctx.say("diagnosis.severity", severity=ctx.say(f"values.severity.{finding.severity}"))]
        cause = finding.cause_zh if ctx.lang == "zh" else finding.cause
        if cause:
            facts.append(ctx.say("diagnosis.cause", cause=cause))
        evidence = _evidence_line(ctx, finding)
        facts += ([evidence] if evidence else []) + _benchmark_lines(ctx, finding)
        blocks.append(Bullets(tuple(facts)))
        rec = recommendation_for(ctx, finding)
        passages = ctx.guidance.get(rec.key, []) if rec else []
        # the model explains each problem once, in its recommendation; here one line of guidance is quoted
        if passages and finding.severity != "info" and rule_id(finding) not in explained:
            explained.add(rule_id(finding))
            focus = f"{finding_title(finding, ctx.lang)} {cause}"
            blocks.append(
                Paragraph(extractive(passages[:1], lang=ctx.lang, focus=focus), origin="extractive")
            )
        subsections.append(
            Subsection(finding_title(finding, ctx.lang), tuple(blocks), anchor=_anchor(finding.id))
        )
    return Section("diagnosis", title, subsections=tuple(subsections))


def _anchor(identifier: str) -> str:
    return "finding-" + "".join(ch if ch.isalnum() else "-" for ch in identifier)


# --- recommendations ---------------------------------------------------------------------------------------------


def _effect_blocks(ctx: Context, rec: Recommendation) -> list[Block]:
    run = ctx.analysis.scenarios.get(rec.key)
    if run is None:
        return [Paragraph(ctx.say("recommendations.no_scenario"))]
    rows, chart_rows = [], []
    for metric_id, before, after, unit in run.changes:
        metric = ctx.analysis.metric(metric_id)
        name = metric_label(metric, ctx.lang) if metric else metric_id
        rows.append((name, number(before, unit, ctx.lang), number(after, unit, ctx.lang)))
        chart_rows.append((name, before, after))
    headers = tuple(ctx.say(f"headers.{h}") for h in ("metric", "before", "after"))
    action = action_name(ctx, rec)
    return [
        Paragraph(ctx.say("recommendations.effect", scenario=edits_text(run.edits, ctx.lang)), lead=True),
        Table(headers, tuple(rows)),
        Chart(ctx.say("chart.scenario", action=action), "before_after", tuple(chart_rows)),
    ]


def _answers(ctx: Context, rec: Recommendation) -> list[str]:
    lines = []
    for finding in rec.findings:
        metric = ctx.analysis.metric(finding.metric_id)
        value = finding.evidence.get("value", metric.value if metric else None)
        label = metric_label(metric, ctx.lang) if metric else finding.metric_id
        lines.append(ctx.say("recommendations.answers", finding=finding_title(finding, ctx.lang), label=label,
                             value=number(value, finding.evidence.get("unit", ""), ctx.lang),
                             metric_id=finding.metric_id))  # fmt: skip
    return lines


def recommendations(ctx: Context) -> Section:
    """Each action: what to do, which finding it answers, why (cited guidance) and its expected effect."""
    title = ctx.say("sections.recommendations")
    if not ctx.has_roster:
        blocks: list[Block] = [needs_data(ctx)]
        if ctx.goal_guidance:
            text = extractive(ctx.goal_guidance, lang=ctx.lang)
            sub = Subsection(
                ctx.say("recommendations.guidance_only"), (Paragraph(text, origin="extractive"),)
            )
            return Section("recommendations", title, tuple(blocks), subsections=(sub,))
        return Section("recommendations", title, tuple(blocks))
    if not ctx.analysis.recommendations:
        return Section("recommendations", title, (Paragraph(ctx.say("recommendations.none")),))
    subsections = []
    for rank, rec in enumerate(ctx.analysis.recommendations):
        finding_name = finding_title(rec.lead, ctx.lang)
        action = ctx.say(f"actions.{rec.action.id}.action", finding=finding_name)
        blocks = [
            Paragraph(ctx.say("recommendations.action", action=action)),
            Bullets(tuple(_answers(ctx, rec))),
        ]
        passages = ctx.guidance.get(rec.key, [])
        metric = ctx.analysis.metric(rec.lead.metric_id)
        if passages:
            evidence = tuple([ctx.evidence(metric)] if metric else []) + tuple(passages)
            fallback = extractive(passages, lang=ctx.lang, focus=f"{finding_name} {action}")
            variables = {"title": rec.lead.title, "action": action}
            slot = Slot(
                "recommendation",
                evidence,
                fallback,
                variables,
                must_cite=tuple(p.id for p in passages),
                rank=rank,
            )
            blocks += [Paragraph(ctx.say("recommendations.why"), lead=True), ctx.writer.write(slot)]
        blocks += _effect_blocks(ctx, rec)
        subsections.append(Subsection(action_name(ctx, rec), tuple(blocks), anchor=_anchor("rec-" + rec.key)))
    return Section("recommendations", title, subsections=tuple(subsections))
