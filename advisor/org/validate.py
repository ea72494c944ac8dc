"""Row-level validation: turn mapped string columns into typed columns and report every problem at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from advisor.errors import InputError
from advisor.org.messages import Message, message
from advisor.org.parsing import blank, clean_text, parse_amounts, parse_dates, parse_vocabulary
from advisor.org.schema import CHANNELS, EXIT_REASONS, ROLES, SEGMENTS, value_lookup

DAYS_PER_MONTH = 30.4375  # 365.25 / 12, the mean calendar month
ERROR = "error"  # the row is set aside
WARNING = "warning"  # the row is kept and the offending value ignored
CATEGORIES = {"role": ROLES, "channel": CHANNELS, "segment": SEGMENTS, "exit_reason": EXIT_REASONS}
_SHOWN_CHARS = 200  # longest value an issue repeats back


@dataclass(frozen=True)
class Plausible:
    """The ranges a value must fall in to be believed: money, tenure and dates (configurable per import)."""

    max_amount: float = 1e12  # USD; more than any one person's quota or bookings
    max_tenure_months: float = 1200.0  # a hundred years
    earliest_date: date = date(1950, 1, 1)
    future_days: int = 366  # dates may run this far past the as-of date (an announced exit)


@dataclass(frozen=True)
class RosterIssue:
    """One problem in one cell: the source row number, the canonical column, the value as read and why (a catalogue
    message, so each reader gets it in their language; `reason` is its English text)."""

    row: int
    column: str
    value: str
    why: Message
    severity: str = ERROR

    @property
    def reason(self) -> str:
        """Why, in English."""
        return str(self.why)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the English reason, and its catalogue key and values for readers in other languages."""
        why = self.why.to_dict()
        return {"row": self.row, "column": self.column, "value": self.value, "reason": why["text"],
                "severity": self.severity, "code": why["key"], "params": why["values"]}  # fmt: skip

    def __str__(self) -> str:
        return f"row {self.row}, {self.column} = {self.value!r}: {self.reason} ({self.severity})"


@dataclass
class Validated:
    """Typed rows that passed, every issue found, the attrition definition in use and notes for the reader."""

    frame: pd.DataFrame
    issues: list[RosterIssue]
    set_aside: int
    definition: (
        str  # "dated" (hire and exit dates), "status" (left/stayed flag) or "undated" (no dates at all)
    )
    notes: list[Message] = field(default_factory=list)


class _Collector:
    """Gathers issues and the rows that must be set aside, from boolean masks over the frame."""

    def __init__(self, text: pd.DataFrame, rows: pd.Series) -> None:
        self.text = text
        self.rows = rows.to_numpy()
        self.issues: list[RosterIssue] = []
        self.bad = np.zeros(len(text), dtype=bool)

    def add(
        self, mask: pd.Series | np.ndarray, column: str, reason: Message | pd.Series, severity: str = ERROR
    ) -> None:
        """Record an issue for every row in `mask`; `reason` is one message or one message per row."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(positions):
            return
        values = self.text[column].to_numpy()[positions] if column in self.text else [""] * len(positions)
        reasons = reason.to_numpy()[positions] if isinstance(reason, pd.Series) else [reason] * len(positions)
        self.issues.extend(
            RosterIssue(int(row), column, str(value)[:_SHOWN_CHARS], why, severity)
            for row, value, why in zip(self.rows[positions], values, reasons, strict=True)
        )
        if severity == ERROR:
            self.bad[positions] = True

    def add_issues(self, issues: Sequence[RosterIssue]) -> None:
        """Record issues found before validation (by the reader) and set their rows aside."""
        for issue in issues:
            at = self.rows == issue.row
            if at.any():
                self.issues.append(issue)
                if issue.severity == ERROR:
                    self.bad |= at


def validate(
    text: pd.DataFrame,
    rows: pd.Series,
    *,
    as_of: date,
    dayfirst: bool = False,
    value_map: dict[str, dict[str, str]] | None = None,
    plausible: Plausible | None = None,
    reader_issues: Sequence[RosterIssue] = (),
) -> Validated:
    """Type and check a frame of canonical string columns; rows with errors are set aside, never dropped silently."""
    plausible = plausible or Plausible()
    notes: list[Message] = []
    text = text.copy()
    if "rep_id" not in text:
        text["rep_id"] = "row-" + rows.astype(str)
        notes.append(message("roster_texts.no_rep_id"))
    if "role" not in text:
        raise InputError(
            "No role column found: add one, or map yours with --map 'Job Title=role' (see `advisor schema`)."
        )
    has_tenure = "tenure_months" in text or "tenure_years" in text
    definition = "status" if "attrition" in text and "exit_date" not in text else "dated"
    if "hire_date" not in text and not has_tenure and definition == "dated":
        # a CRM export: span, territory and revenue metrics need no dates; tenure and turnover say what to add
        definition = "undated"
        notes.append(message("roster_texts.undated"))
    check = _Collector(text, rows)
    check.add_issues(reader_issues)
    typed = pd.DataFrame(index=text.index)
    typed["source_row"] = rows.to_numpy()
    typed["rep_id"] = clean_text(text["rep_id"])
    missing_id = typed["rep_id"].isna()
    check.add(missing_id, "rep_id", message("roster_texts.missing_rep_id"))
    duplicate = typed["rep_id"].duplicated(keep="first") & ~missing_id
    if duplicate.any():
        # Name the row holding the first copy, so the reader can compare both.
        first_row = (
            pd.Series(rows.to_numpy()).groupby(typed["rep_id"].fillna("").to_numpy()).transform("first")
        )
        first_use = first_row.map(lambda row: message("roster_texts.duplicate_rep_id", row=int(row)))
        check.add(duplicate, "rep_id", first_use)
    for column in ("name", "territory", "product_line", "manager_id"):
        if column in text:
            typed[column] = clean_text(text[column])
    _vocabularies(text, typed, check, value_map or {}, definition)
    _numbers(text, typed, check, plausible)
    _dates(text, typed, check, as_of=as_of, dayfirst=dayfirst, definition=definition, plausible=plausible)
    kept = typed.loc[~check.bad].copy()
    _managers(kept, check, text)
    kept = kept.reset_index(drop=True)
    for column, categories in CATEGORIES.items():
        if column in kept:
            kept[column] = pd.Categorical(kept[column], categories=categories)
    issues = sorted(check.issues, key=lambda issue: (issue.row, issue.column))
    return Validated(kept, issues, int(check.bad.sum()), definition, notes)


def _vocabularies(
    text: pd.DataFrame,
    typed: pd.DataFrame,
    check: _Collector,
    value_map: dict[str, dict[str, str]],
    definition: str,
) -> None:
    for column, unknown_severity in (
        ("role", ERROR),
        ("channel", WARNING),
        ("segment", WARNING),
        ("exit_reason", WARNING),
        ("attrition", ERROR),
    ):
        if column not in text or (column == "attrition" and definition != "status"):
            continue
        mapped, unknown = parse_vocabulary(text[column], value_lookup(column, value_map.get(column)))
        hint = message(f"roster_parts.{column}")
        unknown_why = "unknown_ignored" if unknown_severity == WARNING else "unknown"
        if column == "exit_reason":
            unknown_why = "unknown_blank"
        check.add(
            unknown,
            column,
            message(f"roster_texts.{unknown_why}", column=column, hint=hint),
            unknown_severity,
        )
        if column in ("role", "attrition"):
            check.add(
                blank(text[column]), column, message("roster_texts.missing_value", column=column, hint=hint)
            )
        if column == "attrition":
            typed["left"] = mapped.eq("left")
        else:
            typed[column] = mapped.where(~unknown, None)


def _numbers(text: pd.DataFrame, typed: pd.DataFrame, check: _Collector, plausible: Plausible) -> None:
    ceilings = {
        "quota": plausible.max_amount,
        "bookings": plausible.max_amount,
        "pipeline": plausible.max_amount,
        "tenure_months": plausible.max_tenure_months,
        "tenure_years": plausible.max_tenure_months / 12,
    }
    for column, ceiling in ceilings.items():
        if column not in text:
            continue
        amounts, unreadable = parse_amounts(text[column])
        check.add(unreadable, column, message("roster_texts.not_number", column=column))
        # inf, 1e309 and a 400-digit number parse as numbers; none is a believable quota or tenure.
        implausible = ~unreadable & amounts.notna() & ~(amounts.abs() <= ceiling)
        if column != "bookings":
            check.add((amounts < 0) & ~implausible, column, message("roster_texts.negative", column=column))
        too_large = message("roster_texts.too_large", column=column, ceiling=f"{ceiling:,.0f}")
        check.add(implausible, column, too_large)
        typed[column] = amounts.where(~implausible)
    if "tenure_years" in typed:
        months = typed.pop("tenure_years") * 12
        typed["tenure_months"] = typed["tenure_months"].fillna(months) if "tenure_months" in typed else months


def _dates(
    text: pd.DataFrame,
    typed: pd.DataFrame,
    check: _Collector,
    *,
    as_of: date,
    dayfirst: bool,
    definition: str,
    plausible: Plausible,
) -> None:
    limit = pd.Timestamp(as_of)
    earliest = pd.Timestamp(plausible.earliest_date)
    latest = pd.Timestamp(as_of + timedelta(days=plausible.future_days))
    for column in ("hire_date", "exit_date"):
        if column in text:
            parsed, unreadable = parse_dates(text[column], dayfirst=dayfirst)
            check.add(unreadable, column, message("roster_texts.unreadable_date"))
            outside = parsed.notna() & ((parsed < earliest) | (parsed > latest))
            check.add(
                outside,
                column,
                message(
                    "roster_texts.outside_dates",
                    column=column,
                    start=plausible.earliest_date.isoformat(),
                    end=latest.date().isoformat(),
                ),
            )
            typed[column] = parsed.where(~outside)
    tenure = typed.get("tenure_months")
    hire = (
        typed["hire_date"]
        if "hire_date" in typed
        else pd.Series(pd.NaT, index=typed.index, dtype="datetime64[s]")
    )
    if definition == "dated":
        missing = hire.isna() & (blank(text["hire_date"]) if "hire_date" in text else True)
        if tenure is not None:
            # Tenure counts back from the as-of date, the day the export describes.
            derived = limit - pd.to_timedelta((tenure * DAYS_PER_MONTH).round(), unit="D")
            hire = hire.fillna(derived.astype("datetime64[s]"))
            missing = missing & tenure.isna()
        check.add(missing, "hire_date", message("roster_texts.missing_hire_date"))
        typed["hire_date"] = hire
    check.add(
        hire > limit,
        "hire_date",
        message("roster_texts.hire_after", as_of=as_of.isoformat()),
    )
    if "exit_date" not in typed:
        return
    exit_ = typed["exit_date"]
    check.add(exit_ < hire, "exit_date", message("roster_texts.exit_before_hire"))
    check.add(
        exit_ > limit,
        "exit_date",
        message("roster_texts.exit_after", as_of=as_of.isoformat()),
        WARNING,
    )
    if "exit_reason" in typed:
        orphan = exit_.isna() & typed["exit_reason"].notna()
        check.add(orphan, "exit_reason", message("roster_texts.reason_without_exit"), WARNING)


def _managers(kept: pd.DataFrame, check: _Collector, text: pd.DataFrame) -> None:
    if "manager_id" not in kept:
        return
    ids = pd.Index(kept["rep_id"])
    manager = kept["manager_id"]
    given = manager.notna()
    found = pd.Series(ids.get_indexer(manager.fillna("")), index=kept.index)
    if "name" in kept and given.any() and (found[given] < 0).mean() > 0.5:
        # Many exports name the manager instead of giving an id: resolve unique names to ids.
        names = kept.drop_duplicates("name", keep=False).set_index("name")["rep_id"]
        by_name = manager.map(names)
        kept["manager_id"] = by_name.where(by_name.notna(), manager)
        manager = kept["manager_id"]
        found = pd.Series(ids.get_indexer(manager.fillna("")), index=kept.index)
    set_aside = set(clean_text(text["rep_id"][check.bad]).dropna()) if check.bad.any() else set()
    unknown = given & (found < 0)
    unknown_set_aside = unknown & manager.isin(set_aside)
    on_cycle = _cycle_members(found.to_numpy())
    for rows_at, why in (
        (unknown & ~unknown_set_aside, "manager_unknown"),
        (unknown_set_aside, "manager_set_aside"),
        (on_cycle, "manager_cycle"),
    ):
        _add_at(check, kept.index[rows_at], "manager_id", message(f"roster_texts.{why}"))
    kept.loc[unknown | on_cycle, "manager_id"] = None


def _add_at(check: _Collector, index: pd.Index, column: str, reason: Message) -> None:
    mask = np.zeros(len(check.bad), dtype=bool)
    mask[index.to_numpy()] = True
    check.add(mask, column, reason, WARNING)


def _cycle_members(parent: np.ndarray) -> np.ndarray:
    """True for nodes on a cycle of the manager graph (-1 = no manager), by pointer doubling: O(n log n)."""
    n = len(parent)
    if n == 0:
        return np.zeros(0, dtype=bool)
    # Sentinel node n points to itself; following a root's missing parent lands there for good.
    step = np.where(parent >= 0, parent, n).astype(np.int64)
    step = np.append(step, n)
    far = step.copy()
    for _ in range(int(np.ceil(np.log2(n + 1))) + 1):
        far = far[far]
    # After at least n steps every walk sits on a cycle; the nodes reached are exactly the cycle members.
    on_cycle = np.zeros(n + 1, dtype=bool)
    on_cycle[far] = True
    return on_cycle[:n]
