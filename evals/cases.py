"""Eval cases and suites: YAML or JSONL files under `evals/suites/`, validated when they are loaded.

A suite is every YAML file whose `suite:` key names it (so a second file can add cases to `answers` without editing
the first); a file may `include:` case files (YAML lists or JSONL) and may `select:` cases of other suites by id,
which is how `smoke` reuses cases instead of copying them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from advisor.errors import InputError, NotFoundError
from evals.specs import check_score_name

SUITES_DIR = Path(__file__).resolve().parent / "suites"

Kind = Literal["retrieval", "answer", "plan", "ingest", "claim"]
Split = Literal["dev", "test"]
# how a suite's cases are run when the suite file does not say
DEFAULT_KINDS: dict[str, Kind] = {
    "retrieval": "retrieval",
    "plans": "plan",
    "ingest": "ingest",
    "claims": "claim",
}


class OrgSpec(BaseModel):
    """A fixture roster (and optional org profile) loaded as the user's org for a case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    roster: Path
    profile: Path | None = None
    as_of: date | None = None


class Case(BaseModel):
    """One question (or conversation) with what a good answer must and must not contain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    question: str | None = None
    conversation: tuple[str, ...] = ()
    lang: Literal["en", "zh"]
    split: Split
    org: OrgSpec | None = None
    in_scope: bool = True
    gold: tuple[str, ...] = ()
    expected_facts: tuple[str | float, ...] = ()
    key_points: tuple[
        tuple[str, ...], ...
    ] = ()  # points a good answer makes, each as any of several phrasings
    intent: str | None = (
        None  # what the question asks for (advisor.chat.intent): causes, actions, figure, ...
    )
    forbidden: tuple[str, ...] = ()
    must_refuse: bool = False
    tags: tuple[str, ...] = ()
    expected_sections: tuple[str, ...] = ()
    goal: str | None = None
    evidence: tuple[str, ...] = ()  # claims: the cited evidence, S1.. in order, or `[M:metric_id] text`
    label: Literal["supported", "unsupported", "contradicted"] | None = (
        None  # claims: the drafted sentence's truth
    )
    kind: Kind = "answer"
    suite: str = ""

    @model_validator(mode="after")
    def _one_prompt(self) -> Case:
        if bool(self.question) == bool(self.conversation):
            raise ValueError("give exactly one of `question` or `conversation` (a list of user turns)")
        if self.must_refuse and self.in_scope:
            raise ValueError("a case that must be refused cannot be `in_scope: true`")
        return self

    @property
    def turns(self) -> tuple[str, ...]:
        """The user turns to send, in order; the last one is scored."""
        return self.conversation or (self.question or "",)

    @property
    def prompt(self) -> str:
        """The scored user turn."""
        return self.turns[-1]


@dataclass(frozen=True)
class Suite:
    """A named set of cases with the thresholds (and regression tolerances) its aggregate scores must meet."""

    name: str
    description: str
    thresholds: dict[str, float]
    tolerances: dict[str, float]
    cases: tuple[Case, ...]
    files: tuple[Path, ...]

    def select(self, split: str) -> Suite:
        """This suite restricted to one split (`dev`, `test`) or left whole (`all`)."""
        if split == "all":
            return self
        cases = tuple(case for case in self.cases if case.split == split)
        return Suite(self.name, self.description, self.thresholds, self.tolerances, cases, self.files)

    def __str__(self) -> str:
        return f"{self.name} ({len(self.cases)} cases)"


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path} is not valid YAML: {exc}") from exc


def _read_case_file(path: Path) -> list[Any]:
    if not path.is_file():
        raise InputError(f"Case file {path} does not exist; fix the `include:` entry that names it.")
    if path.suffix == ".jsonl":
        rows = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{number} is not a JSON object: {exc.msg}.") from exc
        return rows
    data = _read_yaml(path)
    if not isinstance(data, list):
        raise InputError(f"{path} must hold a YAML list of cases.")
    return data


def _case(raw: Any, *, suite: str, kind: Kind, where: Path) -> Case:
    if not isinstance(raw, dict):
        raise InputError(
            f"{where}: every case must be a mapping with at least `id`, `question`, `lang`, `split`."
        )
    data = dict(raw)
    if isinstance(data.get("org"), dict):
        org = dict(data["org"])
        for key in ("roster", "profile"):
            if org.get(key):
                org[key] = (where.parent / org[key]).resolve()
        data["org"] = org
    data.setdefault("kind", kind)
    data["suite"] = suite
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "case"
        raise InputError(
            f"{where}: case `{data.get('id', '?')}` has an invalid `{field}`: {first['msg']}."
        ) from exc


@dataclass(frozen=True)
class _SuiteFile:
    path: Path
    name: str
    data: dict[str, Any]


def _suite_files(directory: Path) -> list[_SuiteFile]:
    files = []
    for path in sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml")):
        data = _read_yaml(path)
        if isinstance(data, dict) and isinstance(data.get("suite"), str):
            files.append(_SuiteFile(path, data["suite"], data))
    return files


_SUITE_KEYS = {"suite", "description", "kind", "thresholds", "tolerances", "cases", "include", "select"}


def _scores(data: dict[str, Any], key: str, path: Path) -> dict[str, float]:
    values = data.get(key) or {}
    if not isinstance(values, dict):
        raise InputError(f'{path}: `{key}` must map score names to numbers, e.g. {{"hit@5": 0.9}}.')
    for name, value in values.items():
        check_score_name(name, where=f"{path}: {key}")
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise InputError(f"{path}: {key}.{name} must be a number, not {value!r}.")
    return {name: float(value) for name, value in values.items()}


def _own_cases(entry: _SuiteFile) -> list[Case]:
    data, path = entry.data, entry.path
    unknown = set(data) - _SUITE_KEYS
    if unknown:
        raise InputError(
            f"{path}: unknown key `{sorted(unknown)[0]}`; suite files may use {sorted(_SUITE_KEYS)}."
        )
    kind = data.get("kind") or DEFAULT_KINDS.get(entry.name, "answer")
    cases = [_case(raw, suite=entry.name, kind=kind, where=path) for raw in data.get("cases") or []]
    for name in data.get("include") or []:
        case_file = (path.parent / name).resolve()
        cases += [
            _case(raw, suite=entry.name, kind=kind, where=case_file) for raw in _read_case_file(case_file)
        ]
    return cases


def _merge(name: str, entries: Sequence[_SuiteFile], *, directory: Path, stack: tuple[str, ...]) -> Suite:
    thresholds: dict[str, float] = {}
    tolerances: dict[str, float] = {}
    description = ""
    cases: list[Case] = []
    for entry in entries:
        for key, target in (("thresholds", thresholds), ("tolerances", tolerances)):
            values = _scores(entry.data, key, entry.path)
            clash = {score for score in values if score in target and target[score] != values[score]}
            if clash:
                raise InputError(
                    f"{entry.path}: {key}.{sorted(clash)[0]} contradicts another file of suite `{name}`."
                )
            target.update(values)
        description = description or str(entry.data.get("description") or "")
        cases += _own_cases(entry)
        cases += _selected(entry, directory=directory, stack=stack)
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise InputError(f"Suite `{name}` has two cases with the id `{case.id}`; ids must be unique.")
        seen.add(case.id)
    return Suite(name, description, thresholds, tolerances, tuple(cases), tuple(e.path for e in entries))


def _selected(entry: _SuiteFile, *, directory: Path, stack: tuple[str, ...]) -> list[Case]:
    selection = entry.data.get("select") or {}
    if not isinstance(selection, dict):
        raise InputError(f"{entry.path}: `select` must map suite names to lists of case ids.")
    cases = []
    for other, ids in selection.items():
        source = load_suite(other, directory=directory, _stack=stack)
        by_id = {case.id: case for case in source.cases}
        for case_id in ids:
            if case_id not in by_id:
                raise InputError(
                    f"{entry.path}: suite `{other}` has no case `{case_id}`; fix the `select:` list."
                )
            cases.append(by_id[case_id])
    return cases


def suite_names(directory: Path = SUITES_DIR) -> list[str]:
    """Names of the suites defined in a folder."""
    return sorted({entry.name for entry in _suite_files(directory)})


def load_suite(name: str, *, directory: Path = SUITES_DIR, _stack: tuple[str, ...] = ()) -> Suite:
    """A suite by name (from every file in the folder that declares it) or by the path of one suite file."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        data = _read_yaml(path)
        if not isinstance(data, dict) or not isinstance(data.get("suite"), str):
            raise InputError(f"{path} is not a suite file: it needs a `suite:` name and `cases:`.")
        entry = _SuiteFile(path.resolve(), data["suite"], data)
        return _merge(entry.name, [entry], directory=path.resolve().parent, stack=(*_stack, entry.name))
    if name in _stack:
        raise InputError(f"Suite `{name}` selects cases from itself (through {' -> '.join(_stack)}).")
    entries = [entry for entry in _suite_files(directory) if entry.name == name]
    if not entries:
        known = ", ".join(suite_names(directory)) or "none"
        raise NotFoundError(f"No eval suite `{name}` in {directory}; known suites: {known}.")
    return _merge(name, entries, directory=directory, stack=(*_stack, name))


def load_suites(names: Iterable[str], *, directory: Path = SUITES_DIR) -> list[Suite]:
    """Several suites, in the order asked."""
    return [load_suite(name, directory=directory) for name in names]
