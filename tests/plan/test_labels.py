"""The plan's and the web app's Chinese wording of what the rules layer writes in English."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from advisor.bundled import BENCHMARKS_FILE
from advisor.org.analysis import analyze
from advisor.org.benchmarks import load_benchmarks
from advisor.org.roster import load_roster
from advisor.plan.labels import labels, metric_note

PROBLEM = Path(__file__).resolve().parents[1] / "fixtures" / "rosters" / "problem_team.csv"
# each roster lacks what makes one or more metrics impossible, so every kind of note is written
DROPPED = [
    (), ("exit_date",), ("exit_reason",), ("manager_id",), ("channel",), ("quota",), ("bookings",),
    ("quota", "bookings"), ("territory",), ("hire_date",), ("hire_date", "exit_date", "exit_reason"),
]  # fmt: skip


def _without(columns: tuple[str, ...]) -> bytes:
    rows = list(csv.DictReader(PROBLEM.read_text(encoding="utf-8").splitlines()))
    kept = [c for c in rows[0] if c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=kept, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("dropped", DROPPED, ids=lambda d: "-".join(d) or "all-columns")
def test_every_note_the_rules_layer_writes_has_its_chinese_wording(dropped: tuple[str, ...]) -> None:
    roster = load_roster(_without(dropped), filename="team.csv")
    result = analyze(roster, benchmarks=load_benchmarks(BENCHMARKS_FILE), as_of=date(2025, 12, 31))
    notes = [m for m in result.metrics if m.note]
    assert dropped == () or notes, "a roster missing a column leaves some metric with a note"
    for metric in notes:
        chinese = metric_note(metric, "zh")
        assert chinese != metric.note and chinese == labels("zh")["metric_notes"][metric.note], metric.note
        assert metric_note(metric, "en") == metric.note
