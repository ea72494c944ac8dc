"""The runner against a deliberately broken advisor: each fault is caught by its own score and fails the gate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from eval_doubles import MINI_SUITES, PASSAGES, NaiveAdvisor, TermRetriever, echo_model

from advisor.chat.advisor import Advisor
from advisor.chat.answer import Answer
from advisor.config import Settings
from advisor.errors import ModelError
from evals.harness import RecordingRetriever
from evals.results import EvalRun
from evals.runner import run_suites

RunNaive = Callable[..., EvalRun]
IN_SCOPE = ("mini-en-001", "mini-en-002", "mini-zh-001")


def overall(run: EvalRun, suite: str = "mini") -> dict[str, float | None]:
    result = run.suite(suite)
    assert result is not None
    return result.aggregates["all"]


def failures_by_score(run: EvalRun, baseline: EvalRun | None = None) -> dict[str, Any]:
    return {failure.score: failure for failure in run.gate(baseline)}


def test_a_well_behaved_advisor_passes_every_threshold(run_naive: RunNaive) -> None:
    run = run_naive()
    assert run.gate() == []
    scores = overall(run)
    assert scores["numeric_faithfulness"] == 1.0
    assert scores["citation_validity"] == 1.0
    assert scores["language_match"] == 1.0
    assert scores["expected_fact_recall"] == 1.0
    assert scores["forbidden_rate"] == 0.0
    assert (scores["refusal_precision"], scores["refusal_recall"]) == (1.0, 1.0)
    assert scores["citation_support"] is not None and scores["citation_support"] > 0
    suite = run.suite("mini")
    assert suite is not None and all(case.passed for case in suite.cases)


def test_an_invented_number_fails_numeric_faithfulness_on_the_cases_that_have_it(run_naive: RunNaive) -> None:
    run = run_naive("invent_number")
    failures = failures_by_score(run)
    assert set(failures) == {"numeric_faithfulness"}
    assert failures["numeric_faithfulness"].cases == IN_SCOPE
    suite = run.suite("mini")
    assert suite is not None
    assert [case.details["untraced_numbers"] for case in suite.cases[:3]] == [["73.4%"]] * 3


def test_a_citation_of_a_missing_passage_fails_citation_validity(run_naive: RunNaive) -> None:
    run = run_naive("cite_missing")
    failures = failures_by_score(run)
    assert set(failures) == {"citation_validity"}
    assert failures["citation_validity"].cases == IN_SCOPE
    # the span question retrieves two passages (cites S1, S2, S9: 2 of 3 resolve), the others one (S1, S9: 1 of 2)
    assert overall(run)["citation_validity"] == pytest.approx((1 / 2 + 2 / 3 + 1 / 2) / 3)


def test_an_answer_in_the_wrong_language_fails_language_match(run_naive: RunNaive) -> None:
    run = run_naive("wrong_language")
    failures = failures_by_score(run)
    # the facts were in the right-language evidence the model ignored, so fact recall falls with it
    assert set(failures) == {"language_match", "expected_fact_recall"}
    assert failures["language_match"].cases == IN_SCOPE
    assert overall(run)["language_match"] == pytest.approx(1 / 4)  # only the refusal is in the right language


def test_answering_an_out_of_scope_question_fails_refusal_recall_and_forbidden_content(
    run_naive: RunNaive,
) -> None:
    run = run_naive(scope_check=False)
    failures = failures_by_score(run)
    assert set(failures) == {"refusal_recall", "forbidden_rate"}
    assert failures["refusal_recall"].cases == ("mini-out-001",)
    assert failures["forbidden_rate"].cases == ("mini-out-001",)
    assert str(failures["refusal_recall"]) == (
        "mini: refusal_recall is 0.000, below the threshold 1.000 (by 1.000); cases: mini-out-001"
    )


def test_a_regression_against_the_baseline_names_the_score_and_the_cases(
    run_naive: RunNaive, tmp_path: Path
) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(run_naive().to_json()), encoding="utf-8")
    baseline = EvalRun.load(path)
    assert run_naive().gate(baseline) == []
    broken = run_naive("invent_number")
    regressions = {f.score: f for f in broken.gate(baseline) if f.reason == "regression"}
    # the invented sentence cites S1, which does not say it: citation support falls with numeric faithfulness
    assert set(regressions) == {"numeric_faithfulness", "citation_support"}
    value = overall(broken)["numeric_faithfulness"]
    assert value is not None
    numeric = regressions["numeric_faithfulness"]
    assert (numeric.limit, numeric.cases) == (1.0, IN_SCOPE)
    assert str(numeric) == (
        f"mini: numeric_faithfulness fell by {1 - value:.3f} against the baseline (1.000 -> {value:.3f}); "
        "cases: mini-en-001, mini-en-002, mini-zh-001"
    )


def test_retrieval_is_scored_in_each_mode_asked(run_naive: RunNaive) -> None:
    run = run_naive(names=("mini_retrieval",), modes=("hybrid", "keyword"))
    scores = overall(run, "mini_retrieval")
    assert (scores["hit@1"], scores["mrr"], scores["ndcg@5"]) == (1.0, 1.0, 1.0)
    assert scores["keyword/hit@1"] == 1.0
    assert run.modes == ["hybrid", "keyword"]
    assert run.gate() == []
    suite = run.suite("mini_retrieval")
    assert suite is not None
    assert suite.cases[2].retrieved["hybrid"][0]["doc_id"] == "span-zh"


def test_splits_are_run_and_reported_separately(run_naive: RunNaive) -> None:
    whole = run_naive()
    suite = whole.suite("mini")
    assert suite is not None
    assert (suite.aggregates["dev"]["cases"], suite.aggregates["test"]["cases"]) == (2, 2)
    only_test = run_naive(split="test").suite("mini")
    assert only_test is not None
    assert [case.id for case in only_test.cases] == ["mini-en-002", "mini-out-001"]
    assert set(only_test.aggregates) == {"test", "all"}


def test_progress_reports_every_case(run_naive: RunNaive) -> None:
    seen: list[tuple[int, int, str]] = []
    run_naive(progress=lambda done, total, result: seen.append((done, total, result.id)))
    assert seen == [
        (1, 4, "mini-en-001"),
        (2, 4, "mini-en-002"),
        (3, 4, "mini-zh-001"),
        (4, 4, "mini-out-001"),
    ]


class FailingAdvisor(NaiveAdvisor):
    """Raises on Chinese questions, as a pipeline with a bug in one path would."""

    def ask(self, question: str, **kwargs: Any) -> Answer:
        if "离职" in question:
            raise RuntimeError("tokenizer exploded")
        return super().ask(question, **kwargs)


def test_a_case_that_raises_is_reported_and_fails_the_gate(settings: Settings) -> None:
    retriever = RecordingRetriever(TermRetriever())
    advisor = FailingAdvisor(retriever=retriever, chat_model=echo_model())
    run = run_suites(
        ["mini"], settings=settings, advisor=advisor, retriever=retriever, suites_dir=MINI_SUITES
    )
    suite = run.suite("mini")
    assert suite is not None
    assert suite.cases[2].error == "RuntimeError: tokenizer exploded"
    errors = [f for f in run.gate() if f.reason == "error"]
    assert [(f.score, f.cases) for f in errors] == [("errors", ("mini-zh-001",))]
    assert suite.cases[0].passed


class UnloadableAdvisor(NaiveAdvisor):
    """Fails the way a missing model file does."""

    def ask(self, question: str, **kwargs: Any) -> Answer:
        raise ModelError("No GGUF model at /models/missing.gguf; set ADVISOR_CHAT_MODEL to a .gguf file.")


def test_a_model_that_cannot_load_stops_the_run_with_its_own_message(settings: Settings) -> None:
    retriever = RecordingRetriever(TermRetriever())
    advisor = UnloadableAdvisor(retriever=retriever, chat_model=echo_model())
    with pytest.raises(ModelError, match="No GGUF model at /models/missing.gguf"):
        run_suites(["mini"], settings=settings, advisor=advisor, retriever=retriever, suites_dir=MINI_SUITES)


def test_json_round_trip_keeps_every_case(run_naive: RunNaive) -> None:
    run = run_naive("cite_missing")
    data = json.loads(json.dumps(run.to_json()))
    again = EvalRun.from_json(data)
    assert json.loads(json.dumps(again.to_json())) == data
    case = data["suites"][0]["cases"][0]
    assert case["id"] == "mini-en-001"
    assert case["answer"].endswith("[S9].")
    assert [c["id"] for c in case["citations"]] == ["S1"]  # one passage retrieved; S9 has no citation
    assert data["gate"][0]["score"] == "citation_validity"
    assert data["model"]["advisor"] == "NaiveAdvisor"


@pytest.mark.integration
def test_the_real_advisor_with_a_well_behaved_model_passes(settings: Settings) -> None:
    retriever = RecordingRetriever(TermRetriever(PASSAGES))
    advisor = Advisor(settings, retriever=retriever, chat_model=echo_model())
    run = run_suites(
        ["mini"], settings=settings, advisor=advisor, retriever=retriever, suites_dir=MINI_SUITES
    )
    assert [str(f) for f in run.gate()] == []


@pytest.mark.integration
def test_the_real_advisor_grounds_away_what_the_broken_model_invents(settings: Settings) -> None:
    retriever = RecordingRetriever(TermRetriever(PASSAGES))
    model = echo_model(faults=frozenset({"invent_number", "cite_missing"}))
    advisor = Advisor(settings, retriever=retriever, chat_model=model)
    run = run_suites(
        ["mini"], settings=settings, advisor=advisor, retriever=retriever, suites_dir=MINI_SUITES
    )
    assert [str(f) for f in run.gate()] == []
