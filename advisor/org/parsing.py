"""Vectorised cell parsers: dates in several written forms, money amounts, and vocabulary values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from advisor.org.schema import normalise_label

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MULTIPLIERS = {"": 1.0, "k": 1e3, "m": 1e6, "万": 1e4, "亿": 1e8}


def blank(values: pd.Series) -> pd.Series:
    """True where a cell is empty or whitespace."""
    return values.fillna("").astype(str).str.strip().eq("")


def parse_dates(values: pd.Series, *, dayfirst: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse each cell with the first written form that fits; returns (datetimes, unreadable-and-not-blank mask)."""
    text = values.fillna("").astype(str).str.strip()
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    todo = text.ne("")
    slash = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    dash = "%d-%m-%Y" if dayfirst else "%m-%d-%Y"
    formats = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", slash, dash, "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y%m%d")
    for form in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=form, errors="coerce")
        hit = parsed.notna()
        result.loc[hit.index[hit]] = parsed[hit].dt.floor("D").astype("datetime64[s]")
        todo.loc[hit.index[hit]] = False
    if todo.any():
        # Excel serial day numbers, as a CSV saved from Excel sometimes carries them (1982..2118).
        serial = pd.to_numeric(text[todo], errors="coerce")
        ok = serial.between(30000, 80000) & (serial == serial.round())
        days = pd.to_timedelta(serial[ok], unit="D")
        result.loc[ok.index[ok]] = (_EXCEL_EPOCH + days).astype("datetime64[s]")
        todo.loc[ok.index[ok]] = False
    return result, todo


def parse_amounts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse money such as `1,200,000`, `$1.2M`, `120万`, `¥300k`; returns (floats, unreadable-and-not-blank)."""
    text = values.fillna("").astype(str).str.strip()
    cleaned = text.str.replace(r"[,\s$¥€£]|USD|RMB|CNY|元", "", regex=True)
    parts = cleaned.str.extract(r"^([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)([kKmM万亿]?)$")
    number = pd.to_numeric(parts[0], errors="coerce")
    multiplier = parts[1].fillna("").str.lower().map(_MULTIPLIERS).astype(float)
    amounts = (number * multiplier).astype(float)
    return amounts, text.ne("") & amounts.isna()


def parse_vocabulary(values: pd.Series, lookup: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Map cells to canonical values through `lookup`; returns (canonical or NA, unknown-and-not-blank mask)."""
    text = values.fillna("").astype(str)
    # Fold each distinct value once: exports repeat a handful of values over many rows.
    uniques = pd.unique(text.to_numpy())
    folded = {value: lookup.get(normalise_label(value)) for value in uniques}
    mapped = text.map(folded)
    unknown = mapped.isna() & ~blank(text)
    return mapped, unknown


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as floats, NaN where missing: cheap to compare and subtract."""
    days = dates.to_numpy(dtype="datetime64[D]").astype("int64").astype(float)
    days[dates.isna().to_numpy()] = np.nan
    return days
