"""Vectorised cell parsers: dates in several written forms, money amounts, and vocabulary values.

Exports repeat a handful of values (roles, dates, quotas) over many rows, so each parser works on the distinct
values once and spreads the result back over the rows: a million rows cost little more than their unique values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from advisor.org.schema import normalise_label

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MULTIPLIERS = {"": 1.0, "k": 1e3, "m": 1e6, "万": 1e4, "亿": 1e8}


def _distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(codes per row, distinct stripped texts): rows map to `texts.iloc[codes]`."""
    codes, uniques = pd.factorize(values.fillna("").astype(str))
    return codes, pd.Series(uniques, dtype=object).str.strip()


def _spread(parsed: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(parsed.to_numpy()[codes], index=index)


def blank(values: pd.Series) -> pd.Series:
    """True where a cell is empty or whitespace."""
    codes, texts = _distinct(values)
    return _spread(texts.eq(""), codes, values.index).astype(bool)


def clean_text(values: pd.Series) -> pd.Series:
    """Cells with surrounding whitespace removed; empty cells become None."""
    codes, texts = _distinct(values)
    return _spread(texts.where(texts.ne(""), None), codes, values.index)


def parse_dates(values: pd.Series, *, dayfirst: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse each cell with the first written form that fits; returns (datetimes, unreadable-and-not-blank mask)."""
    codes, texts = _distinct(values)
    result = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[s]")
    todo = texts.ne("")
    slash = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    dash = "%d-%m-%Y" if dayfirst else "%m-%d-%Y"
    formats = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", slash, dash, "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y%m%d")
    for form in formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(texts[todo], format=form, errors="coerce")
        hit = parsed.notna()
        result.loc[hit.index[hit]] = parsed[hit].dt.floor("D").astype("datetime64[s]")
        todo.loc[hit.index[hit]] = False
    if todo.any():
        # Excel serial day numbers, as a CSV saved from Excel sometimes carries them (1982..2118).
        serial = pd.to_numeric(texts[todo], errors="coerce")
        ok = serial.between(30000, 80000) & (serial == serial.round())
        days = pd.to_timedelta(serial[ok], unit="D")
        result.loc[ok.index[ok]] = (_EXCEL_EPOCH + days).astype("datetime64[s]")
        todo.loc[ok.index[ok]] = False
    dates = pd.Series(result.to_numpy()[codes], index=values.index, dtype="datetime64[s]")
    return dates, _spread(todo, codes, values.index).astype(bool)


def parse_amounts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse money such as `1,200,000`, `$1.2M`, `120万`, `¥300k`; returns (floats, unreadable-and-not-blank)."""
    codes, texts = _distinct(values)
    amounts = pd.to_numeric(texts.where(texts.ne("")), errors="coerce").astype(float)
    written = amounts.isna() & texts.ne("")
    if written.any():
        cleaned = texts[written].str.replace(r"[,\s$¥€£]|USD|RMB|CNY|元", "", regex=True)
        parts = cleaned.str.extract(r"^([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)([kKmM万亿]?)$")
        number = pd.to_numeric(parts[0], errors="coerce")
        multiplier = parts[1].fillna("").str.lower().map(_MULTIPLIERS).astype(float)
        amounts.loc[written] = number * multiplier
    bad = texts.ne("") & amounts.isna()
    return _spread(amounts, codes, values.index).astype(float), _spread(bad, codes, values.index).astype(bool)


def parse_vocabulary(values: pd.Series, lookup: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Map cells to canonical values through `lookup`; returns (canonical or None, unknown-and-not-blank mask)."""
    codes, texts = _distinct(values)
    mapped = texts.map(lambda text: lookup.get(normalise_label(text)))
    unknown = mapped.isna() & texts.ne("")
    return _spread(mapped, codes, values.index), _spread(unknown, codes, values.index).astype(bool)


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as floats, NaN where missing: cheap to compare and subtract."""
    days = dates.to_numpy(dtype="datetime64[D]").astype("int64").astype(float)
    days[dates.isna().to_numpy()] = np.nan
    return days
