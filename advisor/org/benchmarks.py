"""Published benchmarks and default ramp curves, read from a benchmarks file (the bundled one by default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.errors import InputError
from advisor.org.types import Benchmark

CHOICE_RULE = (
    "one benchmark per metric: a primary source before a secondary one, then the newest year, "
    "then the order of the benchmarks file"
)


@dataclass(frozen=True)
class RampCurve:
    """Fraction of full productivity in each month of tenure (index 0 = month 1); past the end counts as 1.0."""

    fractions: tuple[float, ...]
    source: str = ""
    secondary: bool = False

    @property
    def lost_months(self) -> float:
        """Months of full productivity a new hire gives up while ramping: the sum of (1 - fraction)."""
        return float(sum(1.0 - fraction for fraction in self.fractions))


@dataclass(frozen=True)
class BenchmarkSet:
    """Benchmarks by id and by metric, plus ramp curves keyed by `sdr` or a segment."""

    benchmarks: tuple[Benchmark, ...] = ()
    ramp_curves: dict[str, RampCurve] = field(default_factory=dict)
    path: Path | None = None

    def get(self, benchmark_id: str) -> Benchmark | None:
        """The benchmark with this id, or None."""
        return next((item for item in self.benchmarks if item.id == benchmark_id), None)

    def for_metric(self, metric_id: str) -> list[Benchmark]:
        """Every benchmark about one metric in the order of the choice rule: primary first, then newest."""
        return sorted(
            (item for item in self.benchmarks if item.metric_id == metric_id),
            key=lambda b: (b.secondary, -(b.year or 0)),
        )

    def chosen(self, metric_id: str) -> Benchmark | None:
        """The one benchmark a plan cites for a metric (CHOICE_RULE), or None."""
        found = self.for_metric(metric_id)
        return found[0] if found else None


def load_benchmarks(path: Path) -> BenchmarkSet:
    """Read a benchmarks file; a clear error names a missing file or any malformed entry."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Benchmarks file {path} not found: pass an existing file with --benchmarks.")
    try:
        payload = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"Benchmarks file {path} is not valid YAML: {exc}") from exc
    return parse_benchmarks(payload, path=path)


def parse_benchmarks(payload: dict[str, Any], *, path: Path | None = None) -> BenchmarkSet:
    """Build a BenchmarkSet from the parsed YAML structure."""
    where = path or "benchmarks"
    items = []
    for number, entry in enumerate(payload.get("benchmarks") or [], start=1):
        try:
            items.append(
                Benchmark(
                    metric_id=str(entry["metric_id"]),
                    low=_number(entry.get("low")),
                    high=_number(entry.get("high")),
                    unit=str(entry.get("unit", "")),
                    source=str(entry["source"]),
                    year=int(entry["year"]) if entry.get("year") is not None else None,
                    secondary=bool(entry.get("secondary", False)),
                    note=str(entry.get("note", "")),
                    id=str(entry.get("id", f"benchmark-{number}")),
                    publisher=str(entry.get("publisher", "")),
                    publisher_zh=str(entry.get("publisher_zh", "")),
                    per=str(entry.get("per", "")),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"{where}: benchmark #{number} is malformed ({exc}); it needs metric_id and source."
            ) from exc
    curves = {}
    for key, entry in (payload.get("ramp_curves") or {}).items():
        values = entry.get("fractions", entry.get("curve")) if isinstance(entry, dict) else entry
        try:
            fractions = tuple(float(value) for value in values or ())
        except (TypeError, ValueError) as exc:
            raise InputError(
                f"{where}: ramp curve {key!r} must be a list of fractions between 0 and 1."
            ) from exc
        if not fractions or any(not 0 <= value <= 1 for value in fractions):
            raise InputError(
                f"{where}: ramp curve {key!r} must be a non-empty list of fractions between 0 and 1."
            )
        meta = entry if isinstance(entry, dict) else {}
        curves[str(key)] = RampCurve(
            fractions, str(meta.get("source", "")), bool(meta.get("secondary", False))
        )
    return BenchmarkSet(tuple(items), curves, path)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
