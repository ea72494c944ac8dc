"""An eval run for people (a self-contained HTML page, case by case) and for CI (JUnit XML)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from evals.gate import GateFailure
from evals.results import CaseResult, EvalRun
from evals.specs import display_order, format_score, score_spec, verdict

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=StrictUndefined, trim_blocks=True,
        lstrip_blocks=True,
    )  # fmt: skip
    environment.filters["number"] = format_score
    environment.globals["verdict"] = verdict
    environment.globals["display_order"] = display_order
    environment.globals["label"] = lambda name: spec.label if (spec := score_spec(name)) else name
    return environment


def render_html(run: EvalRun, *, baseline: EvalRun | None = None) -> str:
    """A self-contained HTML report: the gate's verdict, each suite's scores, then every case in detail."""
    failures = run.gate(baseline)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            run=run,
            failures=[str(failure) for failure in failures],
            config=json.dumps(run.config, indent=1, ensure_ascii=False),
            baseline=baseline,
        )
    )


def _case_message(case: CaseResult) -> str:
    parts = [f"{name} = {format_score(case.scores.get(name), name)}" for name in case.failed]
    for key in ("missing_facts", "untraced_numbers", "forbidden_found", "missing_sections"):
        if case.details.get(key):
            parts.append(f"{key.replace('_', ' ')}: {', '.join(str(v) for v in case.details[key])}")
    return "; ".join(parts)


def _gate_case(parent: ET.Element, failure: GateFailure | None, *, classname: str, name: str) -> None:
    element = ET.SubElement(parent, "testcase", classname=classname, name=name, time="0")
    if failure is not None:
        ET.SubElement(element, "failure", message=str(failure), type=failure.reason).text = str(failure)


def render_junit(run: EvalRun, *, baseline: EvalRun | None = None) -> str:
    """JUnit XML: a testsuite per eval suite, a testcase per case, per threshold and per baseline regression."""
    failures = run.gate(baseline)
    root = ET.Element("testsuites", name="advisor eval", time=f"{run.duration_s:.2f}")
    for suite in run.suites:
        mine = [f for f in failures if f.suite == suite.name]
        element = ET.SubElement(root, "testsuite", name=suite.name)
        for case in suite.cases:
            testcase = ET.SubElement(
                element, "testcase", classname=f"evals.{suite.name}.{case.split}", name=case.id,
                time=f"{case.latency_s:.3f}",
            )  # fmt: skip
            if case.error is not None:
                ET.SubElement(testcase, "error", message=case.error, type="error").text = case.error
            elif case.failed:
                message = _case_message(case)
                ET.SubElement(testcase, "failure", message=message, type="threshold").text = message
        for name in suite.thresholds:
            failure = next((f for f in mine if f.score == name and f.reason == "threshold"), None)
            _gate_case(element, failure, classname=f"evals.{suite.name}.thresholds", name=name)
        for failure in (f for f in mine if f.reason == "regression"):
            _gate_case(element, failure, classname=f"evals.{suite.name}.regressions", name=failure.score)
        tests = list(element)
        element.set("tests", str(len(tests)))
        element.set("failures", str(sum(t.find("failure") is not None for t in tests)))
        element.set("errors", str(sum(t.find("error") is not None for t in tests)))
        element.set("time", f"{sum(case.latency_s for case in suite.cases):.2f}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
