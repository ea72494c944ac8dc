"""Every prompt the product sends lives in `advisor/prompts/` as a Jinja2 template; this renders them."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from advisor.bundled import PROMPTS_DIR
from advisor.errors import ConfigError


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Prompts are plain text for a model, not HTML, so no autoescaping; undefined variables are bugs.
    return Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


def render_prompt(name: str, **variables: Any) -> str:
    """Render `prompts/<name>` (e.g. "answer/system.en.j2") with the given variables."""
    try:
        template = _environment().get_template(name)
    except TemplateNotFound as exc:
        raise ConfigError(f"Prompt template {PROMPTS_DIR / name} is missing; reinstall the advisor.") from exc
    return template.render(**variables).strip()
