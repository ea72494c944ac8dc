"""The scenario editor behind the page: a form of edits turned into a spec, named scenarios saved per org, compared.

Saved scenarios are owned items (`kind="scenario"`) whose options hold the org id and the spec, so each visitor sees
only their own, for the org they were saved on.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from advisor.config import Settings
from advisor.errors import InputError
from advisor.plan.labels import edits_text
from api import org_service, ownership
from api.deps import Principal
from api.errors import PageInputError, error_text
from api.i18n import translator

EDITS = ("hire", "move", "add_manager", "remove_manager", "attrition", "territory_move")
ROLES = ("sdr", "ae", "am", "se", "manager", "director", "other")
CHANNELS = ("inside", "field")
SEGMENTS = ("smb", "mid_market", "enterprise")
_MAX_EDITS = 6


def spec_from_form(form: Any, t: Callable[..., str]) -> dict[str, Any]:
    """A scenario spec from the form's rows of (edit, applies to, to, amount); InputError naming a bad row."""
    spec: dict[str, Any] = {}
    for number, row in enumerate(_rows_from_form(form), start=1):
        edit, target, dest, amount = row["edit"], row["target"], row["dest"], row["amount"]
        if not edit:
            continue
        try:
            value = float(str(amount).strip().removesuffix("pp"))
        except ValueError as exc:
            raise InputError(t("scenario_error_amount", n=number, amount=amount)) from exc
        if edit != "attrition" and (value < 0 or not value.is_integer()):
            raise InputError(t("scenario_error_people", n=number, edit=t(f"edit_{edit}"), amount=amount))
        if edit == "attrition" and target in SEGMENTS:
            _add(spec.setdefault("segment_attrition_pp", {}), target, value)
        elif edit == "attrition" and not target:
            _add(spec, "attrition_pp", value)
        elif edit in ("add_manager", "remove_manager") and not target:
            _add(spec, edit, int(value))
        elif edit == "hire" and target in ROLES:
            _add(spec.setdefault("hire", {}), target, int(value))
        elif edit == "move" and target in CHANNELS:
            _add(spec.setdefault("move", {}), target, int(value))
        elif edit == "territory_move" and target and dest and target != dest:
            moves = spec.setdefault("territory_moves", [])
            moves.append({"from_territory": target, "to_territory": dest, "reps": int(value)})
        else:
            key = f"scenario_error_{edit}" if edit in EDITS else "scenario_error_edit"
            raise InputError(t(key, n=number))
    return spec


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _add(counts: dict[str, Any], key: str, value: float) -> None:
    counts[key] = counts.get(key, 0) + value


def rows_from_spec(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's rows that describe a spec (for showing a saved or submitted scenario again)."""
    rows = [{"edit": "hire", "target": role, "amount": n} for role, n in spec.get("hire", {}).items()]
    rows += [{"edit": "move", "target": channel, "amount": n} for channel, n in spec.get("move", {}).items()]
    rows += [
        {
            "edit": "territory_move",
            "target": m["from_territory"],
            "dest": m["to_territory"],
            "amount": m["reps"],
        }
        for m in spec.get("territory_moves", [])
    ]
    rows += [
        {"edit": edit, "amount": spec[edit]} for edit in ("add_manager", "remove_manager") if spec.get(edit)
    ]
    if spec.get("attrition_pp"):
        rows.append({"edit": "attrition", "amount": spec["attrition_pp"]})
    rows += [
        {"edit": "attrition", "target": segment, "amount": points}
        for segment, points in spec.get("segment_attrition_pp", {}).items()
    ]
    blank = {"edit": "", "target": "", "dest": "", "amount": ""}
    return [{**blank, **row} for row in rows] + [blank] * max(1, _MAX_EDITS - len(rows) - 2)


def _territories(view: Any) -> list[str]:
    """The org's territories, most staffed first (what a territory move can name)."""
    if "territory" not in view.roster.df:
        return []
    return [str(name) for name in view.roster.df["territory"].dropna().astype(str).value_counts().index]


def _rows_from_form(form: Any) -> list[dict[str, Any]]:
    """The submitted rows as typed: (edit, target, dest, amount); "to" (dest) matters for territory moves only."""
    fields = {key: form.getlist(key) for key in ("edit", "target", "dest", "amount")}
    count = len(fields["edit"])
    return [
        {key: (values[i] if i < len(values) else "") for key, values in fields.items()} for i in range(count)
    ]


def saved(settings: Settings, principal: Principal, org_id: str) -> dict[str, dict[str, Any]]:
    """The principal's saved scenarios for one org: id -> {"name", "spec"}."""
    out = {}
    for item_id, name in ownership.owned(settings, "scenario", principal).items():
        stored = ownership.options(settings, "scenario", item_id)
        if stored.get("org_id") == org_id:
            out[item_id] = {"name": name, "spec": stored.get("spec", {})}
    return out


def save(settings: Settings, principal: Principal, org_id: str, name: str, spec: dict[str, Any]) -> str:
    """Save a named scenario for the org; its id."""
    item_id = secrets.token_urlsafe(12)
    ownership.claim(settings, "scenario", item_id, principal, name=name)
    ownership.set_options(settings, "scenario", item_id, principal, {"org_id": org_id, "spec": spec})
    return item_id


def compare(
    settings: Settings, org_id: str, named: list[tuple[str, dict[str, Any]]], lang: str
) -> dict[str, Any]:
    """Metrics before and under each named scenario, side by side (changed metrics first)."""
    from advisor.org.present import format_number
    from advisor.org.types import Metric
    from advisor.plan.labels import metric_label

    outcomes = [(name, org_service.scenario(settings, org_id, spec)) for name, spec in named]
    first = outcomes[0][1]
    labels = {m["id"]: metric_label(Metric(**m), lang) for m in first["after"]}
    rows = []
    for position, delta in enumerate(first["deltas"]):
        values = [outcome["deltas"][position] for _name, outcome in outcomes]
        rows.append(
            {
                "label": labels.get(delta["id"], delta["id"]),
                "before": format_number(delta["before"], delta["unit"], lang=lang),
                "after": [format_number(v["after"], v["unit"], lang=lang) for v in values],
                "changed": any(v["delta"] for v in values),
            }
        )
    rows.sort(key=lambda row: not row["changed"])
    return {"names": [name for name, _outcome in outcomes], "rows": rows}


def page_data(
    settings: Settings,
    principal: Principal,
    org_id: str,
    lang: str,
    query: Any,
    spec: dict[str, Any] | None = None,
    rows: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything the scenario page shows: the form, saved scenarios and, when asked, a comparison."""
    view = org_service.owned_view(settings, principal, org_id)
    kept = saved(settings, principal, org_id)
    chosen = [query.get("a"), query.get("b")] if hasattr(query, "get") else []
    picked = [(kept[c]["name"], kept[c]["spec"]) for c in chosen if c and c in kept]
    shown = spec if spec is not None else {"hire": {"sdr": 2}}
    return {
        "org_id": org_id,
        "name": org_service.display_name(settings, org_id),
        "rows": rows or rows_from_spec(shown),
        "spec": json.dumps(shown, indent=2, ensure_ascii=False),
        "saved": kept,
        "comparison": compare(settings, org_id, picked, lang) if picked else None,
        "edits": EDITS,
        "roles": ROLES,
        "channels": CHANNELS,
        "segments": SEGMENTS,
        "territories": _territories(view),
        "changes": None,
    }


def submit(settings: Settings, principal: Principal, org_id: str, lang: str, form: Any) -> dict[str, Any]:
    """Run the submitted scenario (the form's edits, or its JSON when the JSON box was used) and save it if named."""
    t = translator(lang)
    as_json = (form.get("mode") or ("json" if "spec" in form else "form")) == "json"
    try:
        if as_json:
            spec = json.loads(str(form.get("spec") or "{}"))
            if not isinstance(spec, dict):
                raise PageInputError("scenario_error_object")
        else:
            spec = spec_from_form(form, t)
        checked = org_service.scenario_spec(spec)
    except json.JSONDecodeError as exc:
        data = page_data(settings, principal, org_id, lang, {})
        return {
            **data,
            "spec": str(form.get("spec") or ""),
            "error": t("scenario_error_json", line=exc.lineno, column=exc.colno),
        }
    except InputError as exc:
        rows = None if as_json else _rows_from_form(form)
        return {**page_data(settings, principal, org_id, lang, {}, rows=rows), "error": error_text(exc, lang)}
    spec = checked.model_dump(exclude_defaults=True)
    name = str(form.get("name") or "").strip()[:100]
    if name:
        save(settings, principal, org_id, name, spec)
    data = page_data(settings, principal, org_id, lang, {}, spec)
    outcome = org_service.scenario(settings, org_id, checked)
    view = org_service.scenario_view(outcome, lang, t("scenario_title"))
    return {**data, **view, "saved_as": name, "summary": _sentence(edits_text(spec, lang))}
