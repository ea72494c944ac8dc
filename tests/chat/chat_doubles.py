"""Test doubles for the advisor: the scripted chat model (tests/doubles.py) and a retriever over fixed passages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from doubles import ScriptedChatModel as ScriptedChatModel  # the one scripted model, re-exported
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import Field

from advisor.bundled import KNOWLEDGE_DIR
from advisor.kb.chunk import split_role
from advisor.kb.passage import Passage
from advisor.text.tokens import key_terms, overlap

REPO = Path(__file__).resolve().parents[2]


def load_sections(paths: list[Path] | None = None) -> list[Passage]:
    """Knowledge articles (by default the whole knowledge base) cut at their `##` headings, one passage each, with
    the heading's role marker read as the real chunker reads it (`## Why SDRs leave {role=causes}`)."""
    passages = []
    for path in paths or sorted(KNOWLEDGE_DIR.glob("*/*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---", 2)
        meta = yaml.safe_load(front)
        for number, section in enumerate(re.split(r"\n(?=## )", body)):
            lines = section.strip().splitlines()
            heading, role = split_role(lines[0].lstrip("# ").strip() if lines else "")
            text = "\n".join(line for line in lines[1:] if not line.startswith("#")).strip()
            if len(text) > 80:
                passages.append(
                    Passage(f"{meta['id']}#{number}", meta["id"], meta["title"], heading, meta["lang"], text,
                            tuple(meta.get("topics", ())), str(meta.get("source", "")), role=role,
                            trust="curated")
                )  # fmt: skip
    return passages


class FixtureRetriever(BaseRetriever):
    """A keyword retriever over fixed passages with the knowledge retriever's `search` signature."""

    passages: list[Passage] = Field(default_factory=list)
    calls: list[str] = Field(default_factory=list)

    def search(
        self,
        query: str,
        *,
        k: int | None = None,
        lang: str | None = None,
        topics: list[str] | None = None,
        doc_ids: list[str] | None = None,
        mode: Literal["hybrid", "dense", "keyword"] = "hybrid",
    ) -> list[Passage]:
        """Passages sharing the most terms with the query, scored by the share of query terms they hold."""
        self.calls.append(query)
        terms = key_terms(query)
        scored = []
        for passage in self.passages:
            if lang and passage.lang != lang:
                continue
            score = overlap(terms, passage.title + " " + passage.section + " " + passage.text)
            if score > 0:
                scored.append((score, passage))
        scored.sort(key=lambda pair: -pair[0])
        return [
            Passage(**{**p.__dict__, "score": round(s, 3)})  # type: ignore[arg-type]
            for s, p in scored[: k or 4]
        ]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [Document(page_content=p.text, metadata={"doc_id": p.doc_id}) for p in self.search(query)]
