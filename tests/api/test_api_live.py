"""The real app over the real knowledge folder and the real local models: chat, SSE, conversations, knowledge."""

from __future__ import annotations

import json
import re
import time

import pytest
from fastapi.testclient import TestClient
from web_server import ROSTERS

from advisor.bundled import KNOWLEDGE_DIR

pytestmark = pytest.mark.integration

KNOWLEDGE_FILES = sorted(p for p in KNOWLEDGE_DIR.rglob("*.md") if p.name.lower() != "readme.md")
# doc ids as the front matter of each file declares them, read here without the library
KNOWN_DOC_IDS = {
    re.search(r"^id:\s*(\S+)", p.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
    for p in KNOWLEDGE_FILES
}
QUESTION = "What span of control should a first-line sales manager have?"


def _events(body: str) -> list[tuple[str, dict]]:
    events = []
    for block in body.strip().split("\n\n"):
        name = re.search(r"^event: (.+)$", block, re.M)
        data = re.search(r"^data: (.+)$", block, re.M)
        assert name and data, block
        events.append((name.group(1), json.loads(data.group(1))))
    return events


def test_ready_once_models_are_warm(seeded_client: TestClient) -> None:
    response = seeded_client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {
        "embedder": True,
        "chat_model": True,
        "knowledge": True,
        "benchmarks": True,
        "store": True,
    }


def test_chat_answers_with_resolvable_citations(seeded_client: TestClient) -> None:
    response = seeded_client.post("/api/chat", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["language"] == "en" and not answer["refused"]
    cited = set(re.findall(r"\[(S\d+)\]", answer["answer"]))
    assert cited and cited <= {c["id"] for c in answer["citations"]}
    assert {c["doc_id"] for c in answer["citations"] if c["id"].startswith("S")} <= KNOWN_DOC_IDS
    conversation = seeded_client.get(f"/api/conversations/{answer['conversation_id']}").json()
    assert conversation["turns"][0]["question"] == QUESTION
    listed = seeded_client.get("/api/conversations").json()
    assert answer["conversation_id"] in {c["id"] for c in listed}


def test_chat_streams_tokens_then_the_grounded_answer(seeded_client: TestClient) -> None:
    response = seeded_client.post(
        "/api/chat", json={"question": QUESTION}, headers={"Accept": "text/event-stream"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    names = [name for name, _ in events]
    assert names[-1] == "final" and names.count("final") == 1
    assert set(names[:-1]) <= {"status", "text"} and "text" in names  # only verified text reaches the client
    final = events[-1][1]
    assert final["citations"] and final["answer"]


def test_chinese_question_gets_a_chinese_answer(seeded_client: TestClient) -> None:
    answer = seeded_client.post("/api/chat", json={"question": "一线销售经理应该管理多少人？"}).json()
    assert answer["language"] == "zh"


def test_chat_with_an_org_uses_its_metrics(seeded_client: TestClient) -> None:
    with (ROSTERS / "problem_team.csv").open("rb") as handle:
        org = seeded_client.post("/api/orgs", files={"file": ("team.csv", handle, "text/csv")}).json()
    answer = seeded_client.post(
        "/api/chat", json={"question": "Is our span of control healthy?", "org_id": org["org_id"]}
    ).json()
    assert any(metric.startswith("span_of_control") for metric in answer["metrics_used"]), answer
    assert any(c["id"].startswith("M:") for c in answer["citations"])


def test_chat_with_an_unknown_org_is_404(seeded_client: TestClient) -> None:
    response = seeded_client.post("/api/chat", json={"question": QUESTION, "org_id": "A" * 22})
    assert response.status_code == 404


def test_documents_list_every_knowledge_file(seeded_client: TestClient) -> None:
    documents = seeded_client.get("/api/kb/documents").json()
    assert {d["doc_id"] for d in documents} >= KNOWN_DOC_IDS
    first = documents[0]
    detail = seeded_client.get(f"/api/kb/documents/{first['doc_id']}").json()
    assert len(detail["chunks"]) == first["chunks"]
    passage = seeded_client.get(f"/api/kb/passages/{detail['chunks'][0]['chunk_id']}").json()
    assert passage["text"] == detail["chunks"][0]["text"]


def test_search_finds_the_span_of_control_article(seeded_client: TestClient) -> None:
    results = seeded_client.get(
        "/api/kb/search", params={"q": "span of control", "k": 5, "lang": "en"}
    ).json()
    assert results and all(r["lang"] == "en" for r in results)
    assert "metrics-span-of-control-en" in {r["doc_id"] for r in results[:3]}


def test_uploaded_document_is_searchable_and_rendered_inert(seeded_client: TestClient) -> None:
    payload = (
        "---\nid: upload-xss-test\ntitle: Territory carving notes <script>alert(1)</script>\nlang: en\n---\n\n"
        "# Carving territories\n\nZebracorn accounts should be split by potential, not by alphabet. "
        '<img src=x onerror="alert(2)"> Balance the zebracorn load across reps every quarter.\n'
    )
    response = seeded_client.post(
        "/api/kb/documents", files={"file": ("carving.md", payload.encode(), "text/markdown")}
    )
    assert response.status_code == 201, response.text
    assert response.json()["doc_id"] == "upload-xss-test"
    # the long-lived retriever notices a changed store within a second; poll rather than guess
    deadline = time.monotonic() + 10
    while True:
        hits = seeded_client.get("/api/kb/search", params={"q": "zebracorn accounts", "k": 3}).json()
        if hits[0]["doc_id"] == "upload-xss-test" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert hits[0]["doc_id"] == "upload-xss-test"
    page = seeded_client.get("/kb/docs/upload-xss-test")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
    assert "Zebracorn" in page.text


def test_plan_downloads_in_every_format(seeded_client: TestClient) -> None:
    with (ROSTERS / "problem_team.csv").open("rb") as handle:
        org = seeded_client.post("/api/orgs", files={"file": ("team.csv", handle, "text/csv")}).json()
    url = f"/api/orgs/{org['org_id']}/plan"
    markdown = seeded_client.post(url, json={"format": "md"})
    assert markdown.status_code == 200 and markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.lstrip().startswith("#")
    html = seeded_client.post(url, json={"format": "html"})
    assert html.headers["content-disposition"].startswith("attachment")  # never rendered inline from /api
    pdf = seeded_client.post(url, json={"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    plan = seeded_client.post(url, json={"format": "json"}).json()
    assert plan["lang"] == "en" and plan["sections"]
