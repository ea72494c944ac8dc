"""The HTML report (autoescaped, self-contained, case by case) and the JUnit XML for CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from evals.report import render_html, render_junit
from evals.results import CaseResult, EvalRun, SuiteResult


def sample_run() -> EvalRun:
    good = CaseResult(id="ok-1", suite="answers", kind="answer", split="dev", lang="en", question="Span?",
                      answer="Keep spans near 8 [S1].", refused=False, language="en", path="generated",
                      citations=[{"id": "S1", "doc_id": "span-en", "title": "Span", "section": "", "text": "8 reps"}],
                      scores={"numeric_faithfulness": 1.0}, latency_s=0.5)  # fmt: skip
    bad = CaseResult(id="bad-1", suite="answers", kind="answer", split="test", lang="en",
                     question="<b>Why</b> & how?", answer="<script>alert('x')</script> 73.4% of teams",
                     scores={"numeric_faithfulness": 0.0}, details={"untraced_numbers": ["73.4%"]},
                     latency_s=1.5)  # fmt: skip
    broken = CaseResult(id="err-1", suite="answers", kind="answer", split="test", lang="zh", question="离职率？",
                        error="RuntimeError: boom")  # fmt: skip
    suite = SuiteResult("answers", "Answers", {"numeric_faithfulness": 1.0}, {}, [good, bad, broken]).finish()
    return EvalRun("2025-01-01T00:00:00+00:00", 3.2, "all", ["hybrid"],
                   {"chat_backend": "local", "chat_model": "smollm2", "embedding_model": "all-MiniLM-L6-v2"},
                   {"retrieval_k": 4}, "abc123", [suite])  # fmt: skip


def test_html_escapes_what_the_model_wrote_and_shows_every_case() -> None:
    html = render_html(sample_run())
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Why&lt;/b&gt; &amp; how?" in html
    for case_id in ("ok-1", "bad-1", "err-1"):
        assert f'id="answers-{case_id}"' in html
    assert "Gate failed" in html
    assert (
        "answers: numeric_faithfulness is 0.500, below the threshold 1.000 (by 0.500); cases: bad-1" in html
    )
    assert "RuntimeError: boom" in html
    assert "untraced numbers:</strong> 73.4%" in html
    assert "<link" not in html and "src=" not in html  # self-contained: no external stylesheet or script


def test_junit_has_a_test_per_case_and_per_threshold() -> None:
    root = ET.fromstring(render_junit(sample_run()))
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("name"), suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
        "answers",
        "4",
        "2",
        "1",
    )
    names = [(t.get("classname"), t.get("name")) for t in suite.iter("testcase")]
    assert names == [
        ("evals.answers.dev", "ok-1"),
        ("evals.answers.test", "bad-1"),
        ("evals.answers.test", "err-1"),
        ("evals.answers.thresholds", "numeric_faithfulness"),
    ]
    failure = suite.find("testcase[@name='bad-1']/failure")
    assert failure is not None
    assert failure.get("message") == "numeric_faithfulness = 0.000; untraced numbers: 73.4%"
    error = suite.find("testcase[@name='err-1']/error")
    assert error is not None and error.get("message") == "RuntimeError: boom"
