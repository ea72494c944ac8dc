"""The official `openai` client against a live uvicorn server on loopback, and eval runs as background jobs."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from openai import OpenAI

pytestmark = pytest.mark.integration

QUESTION = "How many reps should one sales manager lead?"


@pytest.fixture(scope="module")
def openai_client(server_url: str) -> OpenAI:
    return OpenAI(base_url=server_url + "/v1", api_key="not-needed", max_retries=0, timeout=120)


def test_models_lists_the_advisor(openai_client: OpenAI) -> None:
    assert [model.id for model in openai_client.models.list()] == ["sales-structure-advisor"]


def test_completion_carries_footnotes_and_citations(openai_client: OpenAI) -> None:
    completion = openai_client.chat.completions.create(
        model="sales-structure-advisor", messages=[{"role": "user", "content": QUESTION}]
    )
    content = completion.choices[0].message.content or ""
    citations = (completion.model_extra or {})["citations"]
    assert citations, content
    # every citation is listed as a footnote under the answer, and every marker in the text resolves
    body, _, notes = content.partition("\n\nSources:\n")
    assert [line.split("]")[0] + "]" for line in notes.splitlines()] == [f"[{c['id']}]" for c in citations]
    assert set(re.findall(r"\[(S\d+)\]", body)) <= {c["id"] for c in citations}
    assert completion.choices[0].finish_reason == "stop"


def test_streaming_completion_ends_with_citations(openai_client: OpenAI) -> None:
    stream = openai_client.chat.completions.create(
        model="sales-structure-advisor", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    chunks = list(stream)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    citations = (chunks[-1].model_extra or {})["citations"]
    assert citations and all(f"[{c['id']}]" in text for c in citations)
    # verified pieces stream as they are ready (as /api/chat's `text` events), then the footnotes: the content
    # concatenates to the final answer with its sources, and nothing sent is ever withdrawn
    advisor = (chunks[-1].model_extra or {})["advisor"]
    pieces = [
        chunk.choices[0].delta.content for chunk in chunks if chunk.choices and chunk.choices[0].delta.content
    ]
    assert len(pieces) >= 3
    assert text.startswith(advisor["answer"]) and text.split("\n\nSources:\n")[0] == advisor["answer"]


def test_errors_use_the_openai_shape(server_url: str) -> None:
    response = httpx.post(
        server_url + "/v1/chat/completions",
        json={"model": "x", "messages": [{"role": "system", "content": "hi"}]},
    )
    assert response.status_code == 422
    assert "user" in response.json()["error"]["message"]


def test_eval_run_reports_progress_and_a_report(server_url: str) -> None:
    suites = httpx.get(server_url + "/api/evals/suites").json()
    assert "retrieval" in suites
    started = httpx.post(server_url + "/api/evals/retrieval/runs")
    assert started.status_code == 202
    run_id = started.json()["run_id"]
    deadline = time.monotonic() + 600
    seen = set()
    while True:
        run = httpx.get(f"{server_url}/api/evals/runs/{run_id}").json()
        seen.add(run["status"])
        if run["status"] in ("finished", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert run["status"] == "finished", run["message"]
    assert run["done"] == run["total"] > 0
    report = httpx.get(server_url + run["report_url"])
    assert report.status_code == 200 and "sandbox" in report.headers["content-security-policy"]
    full = httpx.get(f"{server_url}/api/evals/runs/{run_id}/report.json").json()
    assert sum(len(suite["cases"]) for suite in full["suites"]) == run["total"]
    assert httpx.post(server_url + "/api/evals/no-such-suite/runs").status_code == 400
