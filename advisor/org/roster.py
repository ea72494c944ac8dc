"""The typed Roster and `load_roster`: read a file, map its headers, filter, validate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from advisor.errors import InputError
from advisor.org.importer import DEFAULT_MAX_MB, read_source
from advisor.org.messages import Message, MessageError, message
from advisor.org.schema import map_headers, normalise_label
from advisor.org.validate import ERROR, RosterIssue, validate

AS_OF_BASES = {
    "given": "the as-of date given",
    "latest event": "the latest hire or exit in the roster (no as-of date given)",
    "today": "today: the roster has no hire or exit dates",
}


def latest_event(df: pd.DataFrame) -> date | None:
    """The latest hire or exit date in a typed roster frame, or None when it has no dates."""
    days = [df[column].max() for column in ("hire_date", "exit_date") if column in df]
    known = [day for day in days if not pd.isna(day)]
    return max(known).date() if known else None


class RosterError(InputError):
    """A roster failed validation in strict mode; `issues` lists every problem found."""

    def __init__(self, message: str, issues: list[RosterIssue]) -> None:
        super().__init__(message)
        self.issues = issues


@dataclass
class Roster:
    """Validated people (one row each, canonical typed columns) and everything learned while importing them."""

    df: pd.DataFrame
    as_of: date
    issues: list[RosterIssue]
    set_aside: int
    columns_mapped: dict[str, str]
    unmapped: list[str]
    definition: str  # "dated": hire/exit dates; "status": a left/stayed flag with tenure
    source: str = "roster"
    notes: list[Message] = field(default_factory=list)
    filtered_out: int = 0
    as_of_basis: str = "given"  # how as_of was chosen: "given", "latest event" in the roster, or "today"

    def has(self, column: str) -> bool:
        """Whether the roster carries a canonical column (with at least one value)."""
        return column in self.df and bool(self.df[column].notna().any())

    @property
    def errors(self) -> list[RosterIssue]:
        """Issues that set a row aside."""
        return [issue for issue in self.issues if issue.severity == ERROR]

    def summary(self) -> dict[str, Any]:
        """What was imported, as JSON-ready facts."""
        return {
            "source": self.source,
            "rows": len(self.df),
            "set_aside": self.set_aside,
            "filtered_out": self.filtered_out,
            "issues": len(self.issues),
            "as_of": self.as_of.isoformat(),
            "as_of_basis": AS_OF_BASES[self.as_of_basis],
            "definition": self.definition,
            "columns_mapped": self.columns_mapped,
            "unmapped": self.unmapped,
            "notes": [str(note) for note in self.notes],
        }

    def __str__(self) -> str:
        return (
            f"Roster {self.source}: {len(self.df)} people, {self.set_aside} set aside, "
            f"{len(self.issues)} issues, as of {self.as_of}"
        )


def load_mapping_file(path: Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Read a YAML/JSON mapping: `columns: {SOURCE: canonical}` and optional `values: {role: {SOURCE: sdr}}`."""
    try:
        payload = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read mapping file {path}: {exc}. It must be YAML or JSON.") from exc
    if not isinstance(payload, dict):
        raise InputError(f"Mapping file {path} must hold `columns:` (and optionally `values:`) mappings.")
    unknown = set(payload) - {"columns", "values"}
    if unknown:
        raise InputError(
            f"Mapping file {path} has unknown keys {sorted(unknown)}: use `columns` and `values`."
        )
    columns = payload.get("columns") or {}
    values = payload.get("values") or {}
    if not isinstance(columns, dict) or not isinstance(values, dict):
        raise InputError(f"Mapping file {path}: `columns` and `values` must be mappings.")
    return (
        {str(key): str(value) for key, value in columns.items()},
        {str(column): {str(k): str(v) for k, v in table.items()} for column, table in values.items()},
    )


def load_roster(
    source: Path | bytes,
    *,
    filename: str | None = None,
    mapping: dict[str, str] | None = None,
    dayfirst: bool = False,
    strict: bool = False,
    as_of: date | None = None,
    value_map: dict[str, dict[str, str]] | None = None,
    where: dict[str, str] | None = None,
    max_mb: float = DEFAULT_MAX_MB,
    delimiter: str | None = None,
) -> Roster:
    """Import a roster export: read, map headers, keep rows matching `where`, validate; strict fails on any issue.

    Without `as_of`, the period follows the data: the as-of date is the latest hire or exit in the roster (today
    when it has no dates); `Roster.as_of_basis` says which rule chose it.
    """
    given = as_of
    as_of = as_of or date.today()
    raw = read_source(source, filename=filename, max_mb=max_mb, delimiter=delimiter)
    headers = list(raw.frame.columns)
    columns_mapped, unmapped = map_headers(headers, mapping)
    if not set(columns_mapped.values()) & {"rep_id", "role", "hire_date", "name"}:
        hint = (
            " The file seems to have one column: is the delimiter unusual? Pass --delimiter."
            if (len(headers) == 1)
            else ""
        )
        raise InputError(
            f"No roster columns recognised in {raw.source} (found: {', '.join(headers[:12])}).{hint} "
            "Map them with --map 'SOURCE=canonical' (run `advisor schema` for the columns)."
        )
    frame = raw.frame[list(columns_mapped)].rename(columns=columns_mapped)
    rows = raw.rows
    notes = list(raw.notes)
    filtered_out = 0
    if where:
        keep = pd.Series(True, index=frame.index)
        for column, wanted in where.items():
            if column not in frame:
                raise MessageError("roster_texts.where_unknown", column=column, columns=list(frame.columns))
            keep &= frame[column].map(normalise_label).eq(normalise_label(wanted))
        filtered_out = int((~keep).sum())
        condition = ", ".join(f"{column} = {value}" for column, value in where.items())
        notes.append(
            message(
                "roster_texts.kept_where",
                kept=int(keep.sum()),
                total=len(frame),
                condition=condition,
                out=filtered_out,
            )
        )
        frame, rows = frame.loc[keep].reset_index(drop=True), rows.loc[keep].reset_index(drop=True)
        if frame.empty:
            raise MessageError("roster_texts.no_rows_match", condition=condition)
    checked = validate(
        frame, rows, as_of=as_of, dayfirst=dayfirst, value_map=value_map, reader_issues=raw.issues
    )
    if strict and checked.issues:
        first = checked.issues[0]
        raise RosterError(
            f"{raw.source} has {len(checked.issues)} problem(s); first: {first}. "
            "Fix them, or run without --strict to set invalid rows aside (`advisor validate` lists them all).",
            checked.issues,
        )
    basis = "given"
    if given is None:
        latest = latest_event(checked.frame)
        as_of, basis = (latest, "latest event") if latest is not None else (as_of, "today")
    return Roster(
        df=checked.frame,
        as_of=as_of,
        as_of_basis=basis,
        issues=checked.issues,
        set_aside=checked.set_aside,
        columns_mapped=columns_mapped,
        unmapped=unmapped,
        definition=checked.definition,
        source=raw.source,
        notes=notes + checked.notes,
        filtered_out=filtered_out,
    )


def parse_pairs(pairs: list[str], *, option: str) -> dict[str, str]:
    """Parse `SOURCE=target` command-line pairs into a dict, with a clear error for malformed ones."""
    parsed = {}
    for pair in pairs:
        source, sep, target = pair.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise InputError(f"{option} expects SOURCE=target, got {pair!r}.")
        parsed[source.strip()] = target.strip()
    return parsed
