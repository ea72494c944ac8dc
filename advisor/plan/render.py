"""Render a `Plan` as Markdown, self-contained HTML (inline CSS and SVG charts) or PDF (WeasyPrint over the HTML)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from advisor.errors import InputError
from advisor.plan.charts import render_svg
from advisor.plan.document import Chart, Plan
from advisor.plan.labels import labels
from advisor.text.sentences import CITATION

Format = Literal["md", "html", "pdf"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf")
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# every ASCII character Markdown (and GitHub's extensions: tables, strikethrough, math) could act on inline
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~$])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+)([.)]?\s)")


def md_text(value: object) -> str:
    """Text neutralised for Markdown: one line, no markup, no raw HTML; passage citations kept as written, metric
    citations shown as [Σ] (the metric is defined under Sources and method)."""
    text = " ".join(str(value).split())
    parts: list[str] = []
    last = 0
    for match in CITATION.finditer(text):
        parts.append(_MD_SPECIAL.sub(r"\\\1", text[last : match.start()]))
        ids = [part.strip() for part in re.split(r"[,，;；]", match.group(1)) if part.strip()]
        parts.append("[" + ", ".join(dict.fromkeys(_shown(i) for i in ids)) + "]")
        last = match.end()
    parts.append(_MD_SPECIAL.sub(r"\\\1", text[last:]))
    # a paragraph starting "- " or "1. " must not turn into a list
    return _MD_LINE_START.sub(_unlist, "".join(parts))


def _unlist(match: re.Match[str]) -> str:
    lead, marker, rest = match.groups()
    if marker.isdigit():  # "1. " is a list only with its dot or parenthesis: escape that
        return f"{lead}{marker}\\{rest}" if rest[0] in ".)" else match.group(0)
    return f"{lead}\\{marker}{rest}"


def html_text(value: object) -> Markup:
    """Text escaped for HTML, with citation markers turned into links to the source or metric they cite."""
    escaped = str(escape(str(value)))

    def link(match: re.Match[str]) -> str:
        ids = [part.strip() for part in re.split(r"[,，;；]", match.group(1)) if part.strip()]
        anchors = [f'<a class="cite" href="#{_anchor(i)}">{_shown(i)}</a>' for i in ids]
        return "[" + ", ".join(anchors) + "]"

    return Markup(CITATION.sub(link, escaped))


METRIC_MARK = (
    "Σ"  # how a citation of a computed metric shows: a link to its definition, never its internal id
)


def _shown(evidence_id: str) -> str:
    return METRIC_MARK if evidence_id.startswith("M:") else evidence_id


def _anchor(evidence_id: str) -> str:
    return "metric-" + evidence_id[2:] if evidence_id.startswith("M:") else "src-" + evidence_id


def _svg(chart: Chart, lang: str) -> Markup:
    catalogue = labels(lang)
    return Markup(render_svg(chart, legend=(catalogue["chart"]["before"], catalogue["chart"]["after"])))


@lru_cache(maxsize=2)
def _environment(fmt: Literal["md", "html"]) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        undefined=StrictUndefined,
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_text
    env.filters["html"] = html_text
    env.filters["anchor"] = _anchor
    env.globals["svg"] = _svg
    return env


def _render(plan: Plan, fmt: Literal["md", "html"]) -> str:
    template = _environment(fmt).get_template(f"plan.{fmt}.j2")
    text = template.render(plan=plan, L=labels(plan.lang))
    return re.sub(r"\n{3,}", "\n\n", text) if fmt == "md" else text


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy (pango, fonts): imported only when a PDF is asked for

    return bytes(HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf())


def render_plan(plan: Plan, fmt: Format) -> bytes:
    """The plan as UTF-8 Markdown, UTF-8 HTML, or PDF bytes."""
    if fmt == "md":
        return _render(plan, "md").encode("utf-8")
    if fmt == "html":
        return _render(plan, "html").encode("utf-8")
    if fmt == "pdf":
        return _pdf(_render(plan, "html"))
    raise InputError(f"Unknown plan format `{fmt}`; choose one of {', '.join(FORMATS)}.")


def format_for(path: Path, forced: str | None = None) -> Format:
    """The output format: the forced one, else the file extension (.md, .html/.htm, .pdf)."""
    name = (forced or path.suffix.lstrip(".")).lower()
    aliases: dict[str, Format] = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "pdf": "pdf"}
    if name not in aliases:
        raise InputError(
            f"Cannot tell the plan format from `{path.name}`; use .md, .html or .pdf, or --format."
        )
    return aliases[name]
