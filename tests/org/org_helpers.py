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


def team(
    manager: str,
    reports: int,
    *,
    territory: str = "North",
    segment: str = "mid_market",
    channel: str = "field",
    role: str = "ae",
    quota: float | None = 600000,
    bookings: float | None = 600000,
    hired: str = "2022-01-03",
) -> list[dict[str, Any]]:
    """A hand-built team: one manager (reporting to D1) and `reports` reps, ids `<manager>-1`, `<manager>-2`, ..."""
    rows: list[dict[str, Any]] = [
        {
            "rep_id": manager,
            "name": f"Lead {manager}",
            "role": "manager",
            "manager_id": "D1",
            "channel": channel,
            "segment": segment,
            "territory": territory,
            "hire_date": "2020-01-06",
            "exit_date": "",
            "quota": "",
            "bookings": "",
        },  # fmt: skip
    ]
    for number in range(1, reports + 1):
        rows.append(
            {
                "rep_id": f"{manager}-{number}",
                "name": f"Rep {manager}-{number}",
                "role": role,
                "manager_id": manager,
                "channel": channel,
                "segment": segment,
                "territory": territory,
                "hire_date": hired,
                "exit_date": "",
                "quota": "" if quota is None else quota,
                "bookings": "" if bookings is None else bookings,
            }  # fmt: skip
        )
    return rows


DIRECTOR = {"rep_id": "D1", "name": "Dee Director", "role": "director", "hire_date": "2018-01-08"}
