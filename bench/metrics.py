"""Benchmark of the rules layer: analyse synthetic rosters of 10k, 100k and 1M people.

Prints, per size, the time and peak memory of `compute_metrics` + `evaluate_findings`, the time of a plain pandas
groupby computing the same headcount and separation counts per group (the baseline, measured in the same run),
and the ratio between the two; then the time to import the roster from CSV. Writes bench/results/metrics.md.

Run: .venv/bin/python bench/metrics.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import io
import resource
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from advisor.bundled import BENCHMARKS_FILE
from advisor.org.analysis import compute_metrics
from advisor.org.benchmarks import load_benchmarks
from advisor.org.findings import evaluate_findings
from advisor.org.profile import Profile
from advisor.org.roster import Roster, load_roster
from advisor.org.validate import CATEGORIES

AS_OF = date(2025, 12, 31)
ROOT = Path(__file__).resolve().parents[1]
DIMENSIONS = {"role": "role", "channel": "channel", "segment": "segment", "territory": "territory",
              "manager": "manager_id"}  # fmt: skip


def synthetic_roster(size: int, *, seed: int = 42) -> pd.DataFrame:
    """A roster shaped like a real sales org: 1 manager per ~9 people, directors above them, 30% leavers."""
    rng = np.random.default_rng(seed)
    roles = rng.choice(
        ["director", "manager", "sdr", "ae", "am", "se", "other"], size=size,
        p=[0.01, 0.10, 0.20, 0.44, 0.15, 0.05, 0.05],
    )  # fmt: skip
    roles[0] = "director"
    ids = np.char.add("R", np.arange(size).astype(str))
    managers = np.flatnonzero(roles == "manager")
    directors = np.flatnonzero(roles == "director")
    boss = np.where(roles == "manager", rng.choice(directors, size), rng.choice(managers, size))
    manager_id = np.where(roles == "director", None, ids[boss]).astype(object)
    hire = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 4017, size), unit="D")
    leaves = rng.random(size) < 0.3
    exit_ = hire + pd.to_timedelta(rng.integers(30, 1500, size), unit="D")
    exit_ = exit_.where(leaves & (exit_ <= pd.Timestamp(AS_OF)))
    quota_roles = np.isin(roles, ["ae", "am"])
    quota = np.where(quota_roles, rng.choice([400_000, 600_000, 800_000], size), np.nan)
    frame = pd.DataFrame(
        {
            "source_row": np.arange(2, size + 2),
            "rep_id": ids,
            "name": np.char.add("Person ", np.arange(size).astype(str)),
            "role": roles,
            "manager_id": manager_id,
            "channel": rng.choice(["inside", "field", "hybrid"], size, p=[0.5, 0.4, 0.1]),
            "segment": rng.choice(["smb", "mid_market", "enterprise"], size),
            "territory": np.char.add("T", rng.integers(0, 50, size).astype(str)),
            "hire_date": hire.astype("datetime64[s]"),
            "exit_date": pd.Series(exit_).astype("datetime64[s]"),
            "exit_reason": np.where(
                leaves, rng.choice(["voluntary", "involuntary", "promotion", ""], size), None
            ),
            "quota": quota,
            "bookings": quota * rng.uniform(0.3, 1.6, size),
        }
    )
    frame["exit_reason"] = frame["exit_reason"].replace("", None)
    for column, categories in CATEGORIES.items():
        frame[column] = pd.Categorical(frame[column], categories=categories)
    return frame


def as_roster(frame: pd.DataFrame) -> Roster:
    return Roster(
        df=frame, as_of=AS_OF, issues=[], set_aside=0, columns_mapped={}, unmapped=[], definition="dated"
    )


def baseline_counts(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The same headcount and separation counts per group, the plain pandas way."""
    start, end = pd.Timestamp("2024-12-31"), pd.Timestamp(AS_OF)
    stays = frame["exit_date"].isna()
    counts = pd.DataFrame(
        {
            "headcount_start": (frame["hire_date"] <= start) & (stays | (frame["exit_date"] > start)),
            "headcount_end": (frame["hire_date"] <= end) & (stays | (frame["exit_date"] > end)),
            "separations": (frame["exit_date"] > start) & (frame["exit_date"] <= end)
            & ~frame["exit_reason"].isin(["promotion", "transfer"]),
        }
    )  # fmt: skip
    return {name: counts.groupby(frame[column], observed=True).sum() for name, column in DIMENSIONS.items()}


def timed(function: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        began = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - began)
    return best, result


def peak_mb(function: Callable[[], Any]) -> float:
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    benchmarks = load_benchmarks(BENCHMARKS_FILE)
    profile = Profile(bookings_target_usd=1e9, expected_attainment_pct=80)
    rows = []
    for size in args.sizes:
        frame = synthetic_roster(size)
        roster = as_roster(frame)

        def analyse(roster: Roster = roster) -> int:
            metrics = compute_metrics(roster, profile=profile, benchmarks=benchmarks)
            return len(evaluate_findings(metrics, benchmarks=benchmarks, profile=profile))

        repeats = 3 if size <= 100_000 else 1
        ours, findings = timed(analyse, repeats)
        base, _ = timed(lambda frame=frame: baseline_counts(frame), repeats)
        memory = peak_mb(analyse)
        text = frame.assign(
            hire_date=frame["hire_date"].dt.strftime("%Y-%m-%d"), exit_date=frame["exit_date"].dt.strftime("%Y-%m-%d")
        ).drop(columns="source_row").to_csv(index=False).encode()  # fmt: skip
        load, _ = timed(
            lambda text=text: load_roster(io.BytesIO(text).getvalue(), filename="b.csv", as_of=AS_OF), 1
        )
        rows.append((size, ours, memory, base, ours / base, findings, load, len(text) / 1024 / 1024))
        print(
            f"{size:>9,} people: analyse {ours:6.3f} s, peak {memory:7.1f} MB, {findings} findings | "
            f"pandas groupby baseline {base:6.3f} s | ratio {ours / base:5.1f}x | "
            f"import {len(text) / 1024 / 1024:.0f} MB CSV {load:6.2f} s",
            flush=True,
        )
    lines = [
        "## Rules layer (`bench/metrics.py`)",
        "",
        "`.venv/bin/python bench/metrics.py` on the 2-core machine. *Analyse* = `compute_metrics` (23 metrics, each "
        "overall and per role, channel, segment, territory and manager) + `evaluate_findings`, best of 3 (1 at 1M). "
        "*Baseline* = a plain pandas groupby of the same headcount and separation counts per group, measured in the "
        "same run. Peak memory by tracemalloc during the analysis. *Import* = `load_roster` of the same roster "
        "as a CSV file (decode, map, validate, type).",
        "",
        "| people | analyse | peak memory | findings | baseline groupby | ratio | import CSV |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size, ours, memory, base, ratio, findings, load, megabytes in rows:
        lines.append(
            f"| {size:,} | {ours:.3f} s | {memory:.0f} MB | {findings:,} | {base:.3f} s | {ratio:.1f}x | "
            f"{load:.2f} s ({megabytes:.0f} MB) |"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS over the whole run (rosters, CSV texts, imports): {rss:.0f} MB")
    lines += [
        "",
        f"Process peak RSS over the whole run, including the synthetic rosters, their CSV text and the imports: "
        f"{rss:.0f} MB. Targets: 100k people under 1 s, 1M under 10 s, under 2 GB.",
        "",
    ]
    out = ROOT / "bench" / "results" / "metrics.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
