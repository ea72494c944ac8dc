"""The bundled articles as the corpus tests read them: front matter, body and `##` sections with their roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from advisor.bundled import KNOWLEDGE_DIR

REPO = Path(__file__).resolve().parents[2]
SUITES = REPO / "evals" / "suites"
LANGS = ("en", "zh")
ROLES = ("overview", "causes", "actions", "figures", "definition", "caveats", "checklist", "example")
# A heading below the title: its text, then the role marker the composer keys on.
ROLE_HEADING = re.compile(r"^(#{2,6}) (?P<name>\S.*?) \{role=(?P<role>[a-z_]+)\}$")
HEADING = re.compile(r"^(#{1,6}) ")


@dataclass(frozen=True)
class Section:
    """One `##` (or deeper) section: its heading line, its role (None when unmarked) and its body lines."""

    heading: str
    name: str
    role: str | None
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Article:
    path: Path
    meta: dict[str, Any]
    body: str

    @property
    def label(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def sections(self) -> list[Section]:
        """The sections under the title, in order; text before the first `##` belongs to no section."""
        sections: list[Section] = []
        heading: str | None = None
        lines: list[str] = []
        for line in self.body.splitlines():
            if HEADING.match(line) and not line.startswith("# "):
                if heading is not None:
                    sections.append(_section(heading, lines))
                heading, lines = line, []
            elif heading is not None:
                lines.append(line)
        if heading is not None:
            sections.append(_section(heading, lines))
        return sections


def _section(heading: str, lines: list[str]) -> Section:
    match = ROLE_HEADING.match(heading)
    name = match.group("name") if match else heading.lstrip("#").strip()
    return Section(heading, name, match.group("role") if match else None, tuple(lines))


def split_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """The YAML front matter and the Markdown body of an article."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    assert match, f"{path.name}: must start with a '---' front matter block"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter must be a mapping"
    return meta, match.group(2)


def load_articles() -> list[Article]:
    """Every bundled article, English first, each language in file-name order."""
    return [
        Article(path, *split_front_matter(path))
        for lang in LANGS
        for path in sorted((KNOWLEDGE_DIR / lang).glob("*.md"))
    ]


def suite_data(name: str) -> dict[str, Any]:
    """A YAML file under evals/suites/ as a mapping."""
    data = yaml.safe_load((SUITES / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{name}.yaml must be a mapping"
    return data
