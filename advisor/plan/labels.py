"""Per-language label catalogues for the plan: section titles, table headers and template sentences (en, zh)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from advisor.errors import InputError
from advisor.org.present import format_number
from advisor.org.types import Benchmark, Finding, Metric

CATALOGUE_DIR = Path(__file__).resolve().parent / "templates"
LANGS = ("en", "zh")


@lru_cache(maxsize=len(LANGS))
def labels(lang: str) -> dict[str, Any]:
    """The label catalogue for a language (`en` or `zh`)."""
    if lang not in LANGS:
        raise InputError(
            f"Plans are written in {' or '.join(LANGS)}, not `{lang}`; use --lang en or --lang zh."
        )
    with (CATALOGUE_DIR / f"labels.{lang}.yaml").open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


def say(lang: str, key: str, **values: Any) -> str:
    """A template sentence from the catalogue (`"group.name"`), filled with the given values."""
    node: Any = labels(lang)
    for part in key.split("."):
        node = node[part]
    return str(node).format(**values)


def metric_label(metric: Metric, lang: str) -> str:
    """A metric's name in the plan's language (the rules layer's label in English)."""
    catalogued = labels(lang)["metric_labels"].get(metric.id)
    if lang == "en":
        return metric.label or catalogued or metric.id.replace("_", " ")
    return str(catalogued or metric.label or metric.id)


def metric_formula(metric: Metric, lang: str) -> str:
    """How a metric is computed, in the plan's language (the rules layer's own formula in English)."""
    if lang == "en":
        return metric.formula
    return str(labels(lang)["metric_formulas"].get(metric.id, metric.formula))


def metric_note(metric: Metric, lang: str) -> str:
    """Why a metric could not be computed, in the plan's language (the rules layer writes its notes in English)."""
    if lang == "en" or not metric.note:
        return metric.note
    return str(labels(lang).get("metric_notes", {}).get(metric.note, metric.note))


def number(value: float | None, unit: str, lang: str) -> str:
    """A value as the rules layer prints it, so every number in the plan reads the same as in `advisor analyze`."""
    return format_number(value, unit, lang=lang)


def benchmark_range(benchmark: Benchmark, lang: str) -> str:
    """A benchmark's value or range, in its unit, saying what one value counts ("per separation") when it is not
    what the metric counts."""
    low, high = benchmark.low, benchmark.high
    per = say(lang, f"benchmark_per.{benchmark.per}") if benchmark.per else ""
    if low is not None and high is not None and low != high:
        return f"{number(low, benchmark.unit, lang)} – {number(high, benchmark.unit, lang)}{per}"
    return number(high if high is not None else low, benchmark.unit, lang) + per


def finding_title(finding: Finding, lang: str) -> str:
    """The finding's title in the plan's language."""
    return finding.title_zh or finding.title if lang == "zh" else finding.title


def finding_message(finding: Finding, lang: str) -> str:
    """The finding's message (with its evidence numbers) in the plan's language."""
    return finding.message_zh or finding.message if lang == "zh" else finding.message


def value_label(dimension: str, value: str, lang: str) -> str:
    """A roster value (role, channel, segment code) as people read it; free text such as territories as given."""
    return str(labels(lang)["values"].get(dimension, {}).get(value, value))


def edits_text(edits: dict[str, Any], lang: str) -> str:
    """A scenario's edits in words: "add 1 first-line manager(s)", "hire 2 Account executive"."""
    phrases = []
    for kind, amount in edits.items():
        if kind == "hire":
            phrases += [
                say(lang, "edits.hire", n=n, role=value_label("role", r, lang)) for r, n in amount.items()
            ]
        elif kind == "move":
            scope = (
                f"{value_label('segment', edits['move_segment'], lang)}: "
                if edits.get("move_segment")
                else ""
            )
            phrases += [
                scope + say(lang, "edits.move", n=n, channel=value_label("channel", c, lang))
                for c, n in amount.items()
            ]
        elif kind == "add_manager":
            phrases.append(say(lang, "edits.add_manager", n=amount))
        elif kind == "attrition_pp":
            phrases.append(say(lang, "edits.attrition_pp", pp=f"{amount:+.1f}"))
        elif kind == "remove_manager":
            phrases.append(say(lang, "edits.remove_manager", n=amount))
        elif kind == "territory_moves":
            phrases += [
                say(
                    lang,
                    "edits.territory_move",
                    n=m["reps"],
                    source=m["from_territory"],
                    target=m["to_territory"],
                )
                for m in amount
            ]
        elif kind == "ramp_months_saved":
            phrases += [
                say(lang, "edits.ramp", curve=value_label("segment", k, lang), n=f"{n:g}")
                for k, n in amount.items()
            ]
        elif kind == "segment_attrition_pp":
            phrases += [
                say(lang, "edits.segment_attrition", segment=value_label("segment", k, lang), pp=f"{pp:+.1f}")
                for k, pp in amount.items()
            ]
    return ("；" if lang == "zh" else "; ").join(phrases)
