"""Who counts, when: the period, per-person masks (active, separated, ...) and group codes, computed once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from advisor.errors import InputError
from advisor.org.parsing import day_numbers
from advisor.org.roster import Roster
from advisor.org.validate import DAYS_PER_MONTH

DIMENSIONS = ("role", "channel", "segment", "territory", "manager", "product_line")
_DIMENSION_COLUMNS = {"manager": "manager_id"}


@dataclass(frozen=True)
class Period:
    """The measured period: (start, as_of], with its length in months for annualising."""

    start: date
    as_of: date
    months: float

    @classmethod
    def ending(cls, as_of: date, start: date | None = None) -> Period:
        """The given period, or by default the 12 months ending at `as_of`."""
        if start is None:
            return cls((pd.Timestamp(as_of) - pd.DateOffset(months=12)).date(), as_of, 12.0)
        if start >= as_of:
            raise InputError(f"The period start {start} must be before the as-of date {as_of}.")
        begin, end = pd.Timestamp(start), pd.Timestamp(as_of)
        whole = (end.year - begin.year) * 12 + end.month - begin.month
        if begin + pd.DateOffset(months=whole) > end:
            whole -= 1
        rest = (end - (begin + pd.DateOffset(months=whole))).days
        return cls(start, as_of, whole + rest / DAYS_PER_MONTH)


class Population:
    """Per-person boolean masks and numbers over a roster for one period; every metric reads from here."""

    def __init__(self, roster: Roster, period: Period) -> None:
        df = roster.df
        self.roster = roster
        self.period = period
        self.definition = roster.definition
        self.size = len(df)
        self.rep_id = df["rep_id"].to_numpy()
        self.role = self._category("role")
        self.channel = self._category("channel")
        self.segment = self._category("segment")
        self.exit_reason = self._category("exit_reason")
        self.quota = self._floats("quota")
        self.bookings = self._floats("bookings")
        self.pipeline = self._floats("pipeline")
        start = float(np.datetime64(period.start, "D").astype("int64"))
        end = float(np.datetime64(period.as_of, "D").astype("int64"))
        hire = day_numbers(df["hire_date"]) if "hire_date" in df else np.full(self.size, np.nan)
        reason_known = self.exit_reason.notna().to_numpy()
        internal = self.exit_reason.isin(["promotion", "transfer"]).to_numpy()
        if self.definition == "status":
            left = df["left"].to_numpy(dtype=bool)
            tenure = self._floats("tenure_months")
            from_dates = (end - hire) / DAYS_PER_MONTH
            self.tenure_months = np.where(np.isnan(tenure), from_dates, tenure)
            # Everyone in a status export was there at the start, except people hired after it (scenario hires).
            self.active_start = ~(hire > start)
            self.active_end = ~left
            exits = left
            self.tenure_at_exit_days = np.where(left, self.tenure_months * DAYS_PER_MONTH, np.nan)
        else:
            exit_ = day_numbers(df["exit_date"]) if "exit_date" in df else np.full(self.size, np.nan)
            stays = np.isnan(exit_)
            # an undated export (no hire dates at all, e.g. a CRM list) describes people employed throughout
            joined = np.where(np.isnan(hire), -np.inf, hire) if self.definition == "undated" else hire
            self.active_start = (joined <= start) & (stays | (exit_ > start))
            self.active_end = (joined <= end) & (stays | (exit_ > end))
            exits = (exit_ > start) & (exit_ <= end)
            self.tenure_months = (end - hire) / DAYS_PER_MONTH
            self.tenure_at_exit_days = exit_ - hire
        self.separated = exits & ~internal
        self.voluntary = exits & (self.exit_reason == "voluntary").to_numpy()
        self.voluntary_known = self.definition == "dated" or bool(reason_known.any())
        self.promotions = exits & (self.exit_reason == "promotion").to_numpy()
        self.transfers = exits & (self.exit_reason == "transfer").to_numpy()
        self.has_exits = self.definition == "status" or "exit_date" in df
        self._codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._kept: dict[str, tuple[np.ndarray | None, np.ndarray]] = {}

    def _category(self, column: str) -> pd.Series:
        if column in self.roster.df:
            return self.roster.df[column].astype(object).reset_index(drop=True)
        return pd.Series([None] * self.size, dtype=object)

    def _floats(self, column: str) -> np.ndarray:
        if column in self.roster.df:
            return self.roster.df[column].to_numpy(dtype=float, na_value=np.nan)
        return np.full(self.size, np.nan)

    def has(self, column: str) -> bool:
        """Whether the roster has any value in a canonical column."""
        return self.roster.has(column)

    def is_role(self, *roles: str) -> np.ndarray:
        """Mask of people whose role is one of `roles`."""
        return self.role.isin(roles).to_numpy()

    def groups(self, dimension: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes per person, -1 when blank; labels as text) for a grouping dimension, factorised once."""
        if dimension not in self._codes:
            column = _DIMENSION_COLUMNS.get(dimension, dimension)
            if column in self.roster.df:
                codes, labels = pd.factorize(self.roster.df[column].astype(object), sort=True)
                self._codes[dimension] = (np.asarray(codes), np.asarray(labels).astype(str))
            else:
                self._codes[dimension] = (np.full(self.size, -1), np.array([], dtype=str))
        return self._codes[dimension]

    def group_sums(self, dimension: str, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sum `weights` per group of a dimension; returns (sums, labels)."""
        codes, labels = self.groups(dimension)
        if dimension not in self._kept:
            # People without a group (blank value) are left out; index them away once per dimension.
            grouped = codes >= 0
            self._kept[dimension] = (None, codes) if grouped.all() else (grouped, codes[grouped])
        keep, kept_codes = self._kept[dimension]
        values = np.asarray(weights) if keep is None else np.asarray(weights)[keep]
        return np.bincount(kept_codes, weights=values, minlength=len(labels)), labels
