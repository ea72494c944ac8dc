"""The scenario editor behind the page: a form of edits turned into a spec, named scenarios saved per org, compared.

Saved scenarios are owned items (`kind="scenario"`) whose options hold the org id and the spec, so each visitor sees
only their own, for the org they were saved on.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from advisor.config import Settings
from advisor.errors import InputError
from api import org_service, ownership
from api.deps import Principal
from api.i18n import translator

EDITS = ("hire", "move", "add_manager", "attrition")
ROLES = ("sdr", "ae", "am", "se", "manager", "director", "other")
CHANNELS = ("inside", "field")
_MAX_EDITS = 6


def spec_from_form(form: Any) -> dict[str, Any]:
    """A scenario spec from the form's rows of (edit, applies to, amount); InputError naming a bad row."""
    spec: dict[str, Any] = {}
    edits, targets, amounts = form.getlist("edit"), form.getlist("target"), form.getlist("amount")
    for number, (edit, target, amount) in enumerate(zip(edits, targets, amounts, strict=False), start=1):
        if not edit:
            continue
        try:
            value = float(str(amount).strip().removesuffix("pp"))
        except ValueError as exc:
            raise InputError(f"Edit {number}: the amount {amount!r} is not a number.") from exc
        if edit == "attrition":
            spec["attrition_pp"] = spec.get("attrition_pp", 0.0) + value
            continue
        if value < 0 or not value.is_integer():
            raise InputError(
                f"Edit {number}: {edit} needs a whole number of people (0 or more), not {amount}."
            )
        if edit == "add_manager":
            spec["add_manager"] = spec.get("add_manager", 0) + int(value)
        elif edit == "hire" and target in ROLES:
            spec.setdefault("hire", {})[target] = spec.get("hire", {}).get(target, 0) + int(value)
        elif edit == "move" and target in CHANNELS:
            spec.setdefault("move", {})[target] = spec.get("move", {}).get(target, 0) + int(value)
        else:
            raise InputError(
                f"Edit {number}: choose what {edit} applies to (a role for hire, inside or field for move)."
            )
    return spec


def rows_from_spec(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's rows that describe a spec (for showing a saved or submitted scenario again)."""
    rows = [{"edit": "hire", "target": role, "amount": n} for role, n in spec.get("hire", {}).items()]
    rows += [{"edit": "move", "target": channel, "amount": n} for channel, n in spec.get("move", {}).items()]
    if spec.get("add_manager"):
        rows.append({"edit": "add_manager", "target": "", "amount": spec["add_manager"]})
    if spec.get("attrition_pp"):
        rows.append({"edit": "attrition", "target": "", "amount": spec["attrition_pp"]})
    return rows + [{"edit": "", "target": "", "amount": ""}] * max(1, _MAX_EDITS - len(rows) - 2)


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
) -> dict[str, Any]:
    """Everything the scenario page shows: the form, saved scenarios and, when asked, a comparison."""
    org_service.owned_view(settings, principal, org_id)
    kept = saved(settings, principal, org_id)
    chosen = [query.get("a"), query.get("b")] if hasattr(query, "get") else []
    picked = [(kept[c]["name"], kept[c]["spec"]) for c in chosen if c and c in kept]
    return {
        "org_id": org_id,
        "name": org_service.display_name(settings, org_id),
        "rows": rows_from_spec(spec if spec is not None else {"hire": {"sdr": 2}}),
        "spec": json.dumps(spec if spec is not None else {"hire": {"sdr": 2}}, indent=2),
        "saved": kept,
        "comparison": compare(settings, org_id, picked, lang) if picked else None,
        "roles": ROLES,
        "channels": CHANNELS,
        "changes": None,
    }


def submit(settings: Settings, principal: Principal, org_id: str, lang: str, form: Any) -> dict[str, Any]:
    """Run the submitted scenario (the form's edits, or its JSON when the JSON box was used) and save it if named."""
    try:
        if (form.get("mode") or ("json" if "spec" in form else "form")) == "json":
            spec = json.loads(str(form.get("spec") or "{}"))
            if not isinstance(spec, dict):
                raise InputError('The scenario spec must be a JSON object, e.g. {"add_manager": 1}.')
        else:
            spec = spec_from_form(form)
        checked = org_service.scenario_spec(spec)
    except json.JSONDecodeError as exc:
        data = page_data(settings, principal, org_id, lang, {})
        return {
            **data,
            "spec": str(form.get("spec") or ""),
            "error": f"The JSON is not valid: {exc.msg} (line {exc.lineno}).",
        }
    except InputError as exc:
        data = page_data(settings, principal, org_id, lang, {})
        return {**data, "error": str(exc)}
    spec = checked.model_dump(exclude_defaults=True)
    name = str(form.get("name") or "").strip()[:100]
    if name:
        save(settings, principal, org_id, name, spec)
    data = page_data(settings, principal, org_id, lang, {}, spec)
    outcome = org_service.scenario(settings, org_id, checked)
    chart_name = translator(lang)("scenario_title")
    return {**data, **org_service.scenario_view(outcome, lang, chart_name), "saved_as": name}
