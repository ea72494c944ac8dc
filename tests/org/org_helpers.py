"""Helpers of the rules-layer tests: fixture paths and a CSV writer that goes through the real importer."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from advisor.org.roster import Roster, load_roster

HERE = Path(__file__).resolve().parent
ROSTERS = HERE.parent / "fixtures" / "rosters"
AS_OF = date(2025, 12, 31)


def csv_bytes(rows: list[dict[str, Any]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """Rows as CSV bytes; the header is the union of keys in first-seen order."""
    header: list[str] = []
    for row in rows:
        header += [key for key in row if key not in header]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def roster_of(rows: list[dict[str, Any]], *, as_of: date = AS_OF, **options: Any) -> Roster:
    """A roster from in-memory rows, through the real importer."""
    return load_roster(csv_bytes(rows), filename="test.csv", as_of=as_of, **options)
