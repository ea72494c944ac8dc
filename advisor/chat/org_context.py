"""A loaded org as the advisor sees it: metrics, findings, the fields missing, and which of them a question touches."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.chat.evidence import METRIC_DOC, Evidence
from advisor.chat.intent import mentions_roster
from advisor.org.present import format_number
from advisor.org.schema import COLUMNS
from advisor.org.types import Benchmark, Finding, Metric

# which words in a question point at which metric; English stems and Chinese terms
METRIC_TERMS: dict[str, tuple[str, ...]] = {
    "turnover_rate": (
        "turnover",
        "attrition",
        "churn",
        "leav",
        "quit",
        "retention",
        "retain",
        "离职",
        "流失",
        "留存",
    ),
    "voluntary_turnover_rate": ("voluntary", "resign", "主动离职", "辞职"),
    "sdr_turnover_rate": ("sdr", "bdr", "development rep", "销售开发"),
    "early_attrition_share": (
        "early attrition",
        "new hire",
        "first year",
        "onboard",
        "新员工",
        "入职",
        "试用期",
    ),
    "avg_tenure_months": ("tenure", "how long", "stay", "任期", "司龄", "在职时间"),
    "span_of_control_mean": ("span", "manager", "direct report", "coach", "管理幅度", "经理", "下属", "辅导"),
    "sdr_ae_ratio": ("sdr:ae", "sdr to ae", "ratio", "account executive", "比例", "配比"),
    "inside_share": ("inside", "field", "mix", "remote", "内勤", "外勤", "电话销售", "现场"),
    "quota_attainment_share": ("quota", "attainment", "target", "配额", "指标", "达成"),
    "ramped_capacity": ("capacity", "ramp", "productiv", "产能", "爬坡"),
    "reps_needed": ("hire", "hiring", "headcount", "招聘", "编制"),
    "turnover_cost": ("cost", "expens", "replac", "成本", "费用"),
    "territory_load_cv": ("territor", "balance", "workload", "区域", "辖区", "均衡"),
    "revenue_per_rep": ("revenue", "productivity", "per rep", "收入", "人均"),
}
# a question about "my team" as a whole draws on the findings rather than one metric
_WHOLE_ORG = ("my team", "my org", "our team", "our org", "my roster", "my sales", "our sales", "my data", "this roster",
              "what should i fix", "problem", "我的团队", "我们的团队", "我们团队", "我的组织", "问题", "名单")  # fmt: skip

METRIC_LABELS_ZH = {
    "turnover_rate": "离职率",
    "voluntary_turnover_rate": "主动离职率",
    "sdr_turnover_rate": "SDR 离职率",
    "early_attrition_share": "早期流失占比",
    "avg_tenure_months": "平均任期（月）",
    "span_of_control_mean": "平均管理幅度",
    "sdr_ae_ratio": "SDR 与 AE 配比",
    "inside_share": "内勤销售占比",
    "quota_attainment_share": "配额达成者占比",
    "ramped_capacity": "已爬坡产能",
    "reps_needed": "所需销售人数",
    "turnover_cost": "离职成本",
    "territory_load_cv": "区域负荷变异系数",
    "revenue_per_rep": "人均收入",
    "headcount_start": "期初人数",
    "headcount_end": "期末人数",
    "separations": "离职人数",
}


def _benchmark_text(benchmark: Benchmark | None) -> str:
    if benchmark is None:
        return ""
    low = "" if benchmark.low is None else format_number(benchmark.low, benchmark.unit)
    high = "" if benchmark.high is None else format_number(benchmark.high, benchmark.unit)
    span = f"{low}–{high}" if low and high and low != high else low or high
    year = f", {benchmark.year}" if benchmark.year else ""
    secondary = ", secondary" if benchmark.secondary else ""
    return f"{span} ({benchmark.source}{year}{secondary})"


def _inputs_text(inputs: dict[str, Any]) -> str:
    parts = [f"{key.replace('_', ' ')} {format_number(value, '')}" for key, value in inputs.items()
             if isinstance(value, int | float) and not isinstance(value, bool)]  # fmt: skip
    return ", ".join(parts[:4])


def _column_names(note: str) -> list[str]:
    """Canonical roster columns a metric's note asks for, in the order it names them."""
    names = {column.name for column in COLUMNS}
    return list(dict.fromkeys(word for word in re.findall(r"[a-z_]+", note) if word in names))


def metric_text(metric: Metric, finding: Finding | None, *, lang: str) -> str:
    """One metric (and its finding) as a short evidence text in English or Chinese."""
    value = format_number(metric.value, metric.unit, lang=lang)
    inputs = _inputs_text(metric.inputs)
    benchmark = _benchmark_text(finding.benchmark if finding else None)
    if lang == "zh":
        # the rules layer writes formulas and notes in English: a Chinese answer keeps only the column names
        label = METRIC_LABELS_ZH.get(metric.id, metric.label or metric.id)
        if metric.value is None:
            columns = "、".join(_column_names(metric.note)) or "所需的列（见 advisor schema）"
            return f"{label}无法根据当前名单计算：请在名单中补充 {columns}。"
        text = f"您团队的{label}为 {value}。"
        if finding is not None and finding.message_zh:
            return text + finding.message_zh
        return text + (f"参考基准：{benchmark}。" if benchmark else "")
    label = metric.label or metric.id.replace("_", " ")
    if metric.value is None:
        return f"Your roster cannot give the {label}: {metric.note}"
    # the readable sentences first (value, then the finding), the arithmetic last: the composer quotes the former
    text = f"Your team's {label} is {value}."
    if finding is not None:
        text += f" {finding.message}"
    elif benchmark:
        text += f" Benchmark: {benchmark}."
    return text + f" Formula: {metric.formula}" + (f"; {inputs}." if inputs else ".")


@dataclass
class OrgContext:
    """Metrics and findings computed on one roster, and the fields the roster lacks."""

    metrics: list[Metric]
    findings: list[Finding] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    name: str = "roster"
    roster: Any = field(default=None, repr=False)  # kept for what-if scenarios

    @classmethod
    def from_metrics(
        cls, metrics: Sequence[Metric], findings: Sequence[Finding] = (), *, name: str = "roster"
    ) -> OrgContext:
        """Wrap already computed metrics and findings."""
        missing = {m.id: m.note for m in metrics if m.value is None}
        return cls(metrics=list(metrics), findings=list(findings), missing=missing, name=name)

    @classmethod
    def from_roster(
        cls, roster: Any, *, profile: Any = None, as_of: Any = None, benchmarks: Any = None
    ) -> OrgContext:
        """Compute metrics and findings for a loaded roster (benchmarks default to the bundled file)."""
        from advisor.bundled import BENCHMARKS_FILE
        from advisor.org import analyze, load_benchmarks

        bench = benchmarks if benchmarks is not None else load_benchmarks(BENCHMARKS_FILE)
        result = analyze(roster, benchmarks=bench, profile=profile, as_of=as_of)
        metrics, findings = result.metrics, result.findings
        context = cls.from_metrics(metrics, findings, name=str(getattr(roster, "source", "roster")))
        context.roster = roster
        return context

    def metric(self, metric_id: str) -> Metric | None:
        """The metric with this id, or None."""
        return next((m for m in self.metrics if m.id == metric_id), None)

    def finding_for(self, metric_id: str) -> Finding | None:
        """The most severe finding about a metric, or None."""
        order = {"high": 0, "medium": 1, "low": 2, "info": 3}
        related = sorted(
            (f for f in self.findings if f.metric_id == metric_id), key=lambda f: order.get(f.severity, 4)
        )
        return related[0] if related else None

    def names(self) -> dict[str, tuple[str, ...]]:
        """What a question may call a part of the roster (full and first names, rep ids, territories, segments),
        each with the strings the findings use for it."""
        df = getattr(self.roster, "df", None)
        if df is None:
            return {}
        names: dict[str, tuple[str, ...]] = {}
        for row in df.to_dict("records"):
            full, rep_id = str(row.get("name") or "").strip(), str(row.get("rep_id") or "").strip()
            if full and full != "nan":
                refs = (full, rep_id) if rep_id else (full,)
                names.setdefault(full, refs)
                names.setdefault(full.split()[0], refs)
            for column in ("territory", "segment"):
                value = str(row.get(column) or "").strip()
                if value and value != "nan":
                    names.setdefault(value, (value,))
        return names

    def named(self, question: str) -> tuple[str, tuple[str, ...]] | None:
        """The roster name a question mentions and the strings it goes by, or None."""
        names = self.names()
        name = mentions_roster(question, names)
        return (name, names[name]) if name else None

    def findings_about(self, refs: Sequence[str]) -> list[Finding]:
        """Findings whose message names one of `refs` (a person, their rep id, a territory), most severe first."""
        order = {"high": 0, "medium": 1, "low": 2, "info": 3}
        about = [f for f in self.findings if any(re.search(rf"\b{re.escape(r)}\b", f.message) for r in refs)]
        return sorted(about, key=lambda f: order.get(f.severity, 4))

    def relevant_metric_ids(self, question: str) -> list[str]:
        """Metrics the question touches, by their terms; for a whole-org question, those with findings."""
        lowered = question.lower()
        ids = [mid for mid, terms in METRIC_TERMS.items() if any(term in lowered for term in terms)]
        if not ids and any(phrase in lowered for phrase in _WHOLE_ORG):
            ids = [f.metric_id for f in self.findings if f.severity in ("high", "medium")]
        present = {m.id for m in self.metrics}
        return [mid for mid in dict.fromkeys(ids) if mid in present][:4]

    def evidence_for(self, question: str, *, lang: str) -> list[Evidence]:
        """`M:metric_id` evidence for the metrics a question touches, in the answer's language; a question naming
        a person, team or territory of the roster gets the findings about it first."""
        named = self.named(question)
        about: dict[str, Finding] = {}
        for finding in self.findings_about(named[1]) if named else []:
            about.setdefault(finding.metric_id, finding)
        ids = [*about, *self.relevant_metric_ids(question)]
        if named and not ids:
            ids = [f.metric_id for f in self.findings if f.severity in ("high", "medium")]
        items = []
        for metric_id in list(dict.fromkeys(ids))[:4]:
            metric = self.metric(metric_id)
            if metric is None:
                continue
            label = metric.label or metric_id.replace("_", " ")
            items.append(
                Evidence(
                    id=f"M:{metric_id}",
                    kind="metric",
                    text=metric_text(metric, about.get(metric_id) or self.finding_for(metric_id), lang=lang),
                    doc_id=METRIC_DOC,
                    title=METRIC_LABELS_ZH.get(metric_id, label) if lang == "zh" else label,
                    section=metric_id,
                    lang=lang,
                    score=1.0,
                    missing=metric.value is None,
                )
            )
        return items

    def __str__(self) -> str:
        return f"OrgContext({self.name}: {len(self.metrics)} metrics, {len(self.findings)} findings)"
