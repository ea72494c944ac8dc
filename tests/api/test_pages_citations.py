"""A citation opens its document at the chunk it came from, with the sentences backing the claim marked."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient

from api.citations import Located, locate

CHUNKS = [
    {"chunk_id": "c1", "text": "Quotas come first. Set them from capacity, not from hope."},
    {
        "chunk_id": "c2",
        "text": "Span of control is the number of **direct reports** per manager. "
        "Keep it between 6 and 8 reps.\n\n- Look at the spread as well as the mean.",
    },
]
EXCERPT = (
    "Span of control is the number of direct reports per manager. Keep it between 6 and 8 reps. "
    "Look at the spread as well as the mean."
)


def test_the_excerpt_finds_its_chunk_and_the_claim_picks_its_sentence() -> None:
    found = locate(CHUNKS, quote=EXCERPT, claim="A manager should keep 6 to 8 reps [S1].")
    assert found == Located(chunk_id="c2", marks=("Keep it between 6 and 8 reps.",))


def test_without_a_claim_the_whole_excerpt_is_marked_as_the_page_shows_it() -> None:
    found = locate(CHUNKS, quote=EXCERPT)
    assert found == Located(
        chunk_id="c2",
        marks=(
            "Span of control is the number of direct reports per manager.",
            "Keep it between 6 and 8 reps.",
            "Look at the spread as well as the mean.",
        ),
    )


def test_an_excerpt_from_elsewhere_locates_nothing() -> None:
    assert locate(CHUNKS, quote="Channel partners need their own enablement.") is None


DOCUMENT = """---
id: span-notes
title: Span notes
lang: en
---

# Quotas

Quotas come first. Set them from capacity, not from hope.

# Span

Span of control is the number of **direct reports** per manager. Keep it between 6 and 8 reps.
"""


def test_the_document_page_opens_the_cited_chunk_with_its_sentences_marked(client: TestClient) -> None:
    files = {"file": ("span.md", DOCUMENT.encode(), "text/markdown")}
    assert client.post("/api/kb/documents", files=files).status_code == 201
    page = client.get(
        "/kb/docs/span-notes",
        params={
            "quote": "Span of control is the number of direct reports per manager. Keep it between 6 and 8 reps.",
            "claim": "Keep a span of 6 to 8 reps",
        },
    )
    assert page.status_code == 200
    opened = re.search(r'<article class="passage opened" id="([^"]+)"[^>]*data-marks="([^"]*)"', page.text)
    assert opened is not None
    assert json.loads(html.unescape(opened.group(2))) == ["Keep it between 6 and 8 reps."]
    assert "Span of control" in page.text.split(f'id="{opened.group(1)}"')[1].split("</article>")[0]
    assert '<script src="/static/js/passage.js"' in page.text
    elsewhere = client.get("/kb/docs/span-notes", params={"quote": "Nothing like this is in the document."})
    assert elsewhere.status_code == 200
    assert "data-marks" not in elsewhere.text and "passage.js" not in elsewhere.text
