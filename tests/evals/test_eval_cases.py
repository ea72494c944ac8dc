"""Loading suites: YAML and JSONL cases, suites spread over files, selections, and readable errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from advisor.errors import InputError, NotFoundError
from evals.cases import load_suite, suite_names


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True) if name.endswith(".yaml") else str(data), "utf-8"
    )
    return path


def case(case_id: str, **extra: object) -> dict[str, object]:
    return {"id": case_id, "question": f"question {case_id}?", "lang": "en", "split": "dev", **extra}


def test_a_suite_gathers_every_file_that_names_it_and_their_includes(tmp_path: Path) -> None:
    write(tmp_path, "answers.yaml", {"suite": "answers", "thresholds": {"hit@5": 0.9}, "cases": [case("a1")],
                                     "include": ["extra.jsonl"]})  # fmt: skip
    write(tmp_path, "answers_org.yaml", {"suite": "answers", "cases": [case("a2", split="test")]})
    lines = [json.dumps(case("a3", lang="zh", question="离职率是多少？"), ensure_ascii=False)]
    write(tmp_path, "extra.jsonl", "\n".join(lines) + "\n")
    suite = load_suite("answers", directory=tmp_path)
    assert [c.id for c in suite.cases] == ["a1", "a3", "a2"]
    assert suite.thresholds == {"hit@5": 0.9}
    assert {c.kind for c in suite.cases} == {"answer"}
    assert [c.id for c in suite.select("test").cases] == ["a2"]
    assert suite_names(tmp_path) == ["answers"]


def test_kind_follows_the_suite_name(tmp_path: Path) -> None:
    write(tmp_path, "r.yaml", {"suite": "retrieval", "cases": [case("r1", gold=["doc-en"])]})
    assert load_suite("retrieval", directory=tmp_path).cases[0].kind == "retrieval"


def test_org_paths_resolve_beside_the_suite_file(tmp_path: Path) -> None:
    write(tmp_path, "p.yaml", {"suite": "plans", "cases": [case("p1", org={"roster": "../team.csv",
                                                                          "as_of": "2025-12-31"})]})  # fmt: skip
    org = load_suite("plans", directory=tmp_path).cases[0].org
    assert org is not None
    assert org.roster == (tmp_path.parent / "team.csv").resolve()
    assert str(org.as_of) == "2025-12-31"


def test_smoke_selects_cases_of_other_suites(tmp_path: Path) -> None:
    write(tmp_path, "r.yaml", {"suite": "retrieval", "cases": [case("r1"), case("r2")]})
    write(tmp_path, "s.yaml", {"suite": "smoke", "thresholds": {"mrr": 0.5}, "select": {"retrieval": ["r2"]}})
    smoke = load_suite("smoke", directory=tmp_path)
    assert [(c.id, c.suite, c.kind) for c in smoke.cases] == [("r2", "retrieval", "retrieval")]


def test_a_conversation_scores_its_last_turn(tmp_path: Path) -> None:
    turns = ["What is our turnover?", "And for SDRs?"]
    write(tmp_path, "a.yaml", {"suite": "answers", "cases": [{**case("c1"), "question": None,
                                                              "conversation": turns}]})  # fmt: skip
    loaded = load_suite("answers", directory=tmp_path).cases[0]
    assert loaded.turns == tuple(turns)
    assert loaded.prompt == "And for SDRs?"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"suite": "x", "cases": [{"id": "c1", "question": "q", "lang": "fr", "split": "dev"}]},
         "case `c1` has an invalid `lang`: Input should be 'en' or 'zh'."),
        ({"suite": "x", "cases": [{"id": "c1", "question": "q", "lang": "en"}]},
         "case `c1` has an invalid `split`: Field required."),
        ({"suite": "x", "cases": [{"id": "c1", "lang": "en", "split": "dev"}]},
         "give exactly one of `question` or `conversation`"),
        ({"suite": "x", "cases": [case("c1", must_refuse=True)]}, "cannot be `in_scope: true`"),
        ({"suite": "x", "cases": [case("c1"), case("c1")]}, "two cases with the id `c1`"),
        ({"suite": "x", "thresholds": {"recall@5": 0.9}, "cases": []}, "unknown score `recall@5`"),
        ({"suite": "x", "thresholds": {"mrr": "high"}, "cases": []}, "thresholds.mrr must be a number"),
        ({"suite": "x", "cases": [], "threshold": {}}, "unknown key `threshold`"),
        ({"suite": "x", "select": {"x": ["c1"]}}, "selects cases from itself"),
        ({"suite": "x", "include": ["missing.jsonl"]}, "missing.jsonl does not exist"),
    ],
)  # fmt: skip
def test_bad_suites_fail_with_the_file_and_the_fix(
    tmp_path: Path, data: dict[str, object], message: str
) -> None:
    write(tmp_path, "x.yaml", data)
    with pytest.raises(InputError) as error:
        load_suite("x", directory=tmp_path)
    assert message in str(error.value)


def test_bad_jsonl_line_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, "x.yaml", {"suite": "x", "include": ["cases.jsonl"]})
    write(tmp_path, "cases.jsonl", json.dumps(case("c1")) + "\n{not json\n")
    with pytest.raises(InputError, match=r"cases.jsonl:2 is not a JSON object"):
        load_suite("x", directory=tmp_path)


def test_an_unknown_suite_lists_the_known_ones(tmp_path: Path) -> None:
    write(tmp_path, "r.yaml", {"suite": "retrieval", "cases": []})
    with pytest.raises(NotFoundError, match=r"No eval suite `retrieva` in .*; known suites: retrieval\."):
        load_suite("retrieva", directory=tmp_path)


def test_a_suite_file_can_be_named_by_path(tmp_path: Path) -> None:
    path = write(tmp_path, "mine.yaml", {"suite": "mine", "cases": [case("m1")]})
    assert [c.id for c in load_suite(str(path)).cases] == ["m1"]
