"""Conversations belong to the browser session that asked: list, search, rename, delete, export and feedback."""

from __future__ import annotations

from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from advisor.chat.answer import Answer, Citation
from advisor.chat.memory import add_turn, create_conversation
from api import ownership
from api.conversations import numbered
from api.deps import Principal
from evals.cases import load_suite

ANSWER = Answer(
    answer="Keep spans near eight [S3]. Your largest team has 15 [M:span_of_control_max]. Again [S3].",
    citations=[
        Citation("S3", "metrics-span-of-control", "Span of control", "Benchmarks", "six to ten"),
        Citation("M:span_of_control_max", "roster", "Largest span", "", "15 reports"),
    ],
)


def _session(client: TestClient) -> Principal:
    client.get("/chat")  # the page hands out the anonymous session cookie
    return Principal("session", client.cookies["advisor_sid"])


def _conversation(client: TestClient, principal: Principal, question: str) -> str:
    settings = client.app.state.settings
    conversation_id = create_conversation(settings)
    add_turn(settings, conversation_id, question=question, standalone=question, answer=ANSWER)
    ownership.claim(settings, "conversation", conversation_id, principal)
    return conversation_id


def test_citations_are_numbered_in_order_of_first_use() -> None:
    text, citations = numbered(ANSWER.to_dict())
    assert text == "Keep spans near eight [1]. Your largest team has 15 [2]. Again [1]."
    assert [(c["id"], c["number"]) for c in citations] == [("S3", 1), ("M:span_of_control_max", 2)]


def test_two_sessions_do_not_see_each_others_conversations(client: TestClient) -> None:
    alice, bob = client, TestClient(client.app)
    mine = _conversation(alice, _session(alice), "How wide should spans be?")
    _session(bob)
    assert [c["id"] for c in alice.get("/api/conversations").json()] == [mine]
    assert bob.get("/api/conversations").json() == []
    assert "How wide should spans be?" not in bob.get("/chat").text
    assert bob.get(f"/chat?c={mine}").status_code == 404
    assert bob.get(f"/api/conversations/{mine}").status_code == 404
    assert bob.post("/api/chat", json={"question": "x", "conversation_id": mine}).status_code == 404
    # conversations nobody claimed (the CLI's, the eval runner's) are listed for nobody
    create_conversation(client.app.state.settings, title="eval probe")
    assert "eval probe" not in alice.get("/chat").text


def test_search_rename_export_and_delete(client: TestClient) -> None:
    principal = _session(client)
    spans = _conversation(client, principal, "How wide should spans be?")
    _conversation(client, principal, "What SDR to AE ratio?")
    assert [c["id"] for c in client.get("/api/conversations", params={"q": "spans"}).json()] == [spans]
    assert client.patch(f"/api/conversations/{spans}", json={"name": "Span review"}).status_code == 204
    assert "Span review" in client.get("/chat").text
    assert (
        client.put(f"/api/conversations/{spans}/feedback", json={"turn": 0, "rating": -1}).status_code == 204
    )
    assert (
        client.put(f"/api/conversations/{spans}/feedback", json={"turn": 5, "rating": 1}).status_code == 400
    )
    assert client.get(f"/api/conversations/{spans}").json()["turns"][0]["rating"] == -1
    export = client.get(f"/api/conversations/{spans}/export.md")
    assert export.headers["content-disposition"].endswith('.md"')
    assert export.text.startswith("# Span review\n")
    assert "Keep spans near eight [1]." in export.text and "1. Span of control — Benchmarks" in export.text
    assert "Feedback: not helpful" in export.text and "[S3]" not in export.text
    other = TestClient(client.app)
    _session(other)
    assert other.delete(f"/api/conversations/{spans}").status_code == 404
    assert client.post(f"/chat/{spans}/delete").status_code == 200
    assert [c["title"] for c in client.get("/api/conversations").json()] == ["What SDR to AE ratio?"]


def test_chat_page_offers_your_own_orgs_by_file_name(client: TestClient) -> None:
    from web_server import ROSTERS

    with (ROSTERS / "problem_team.csv").open("rb") as handle:
        upload = client.post(
            "/orgs", files={"file": ("q4-team.csv", handle, "text/csv")}, follow_redirects=False
        )
    org_id = upload.headers["location"].split("/")[2]
    page = client.get(f"/chat?org={org_id}").text
    assert f'<option value="{org_id}" selected>q4-team.csv (' in page
    assert "q4-team.csv" not in TestClient(client.app).get("/chat").text


def test_rated_answers_export_as_an_eval_suite_the_evals_load(client: TestClient, tmp_path: Path) -> None:
    me = _session(client)
    spans = _conversation(client, me, "How many reps per manager?")
    ratio = _conversation(client, me, "What SDR to AE ratio?")
    _conversation(client, me, "Unrated question?")
    client.put(f"/api/conversations/{spans}/feedback", json={"turn": 0, "rating": 1})
    client.put(f"/api/conversations/{ratio}/feedback", json={"turn": 0, "rating": -1, "comment": "too vague"})
    other = TestClient(client.app)
    _session(other)
    assert yaml.safe_load(other.get("/api/feedback/suite.yaml").text)["cases"] == []

    export = client.get("/api/feedback/suite.yaml")
    assert export.headers["content-disposition"].endswith('filename="feedback.yaml"')
    path = tmp_path / "feedback.yaml"
    path.write_text(export.text, encoding="utf-8")
    suite = load_suite(str(path))
    by_question = {case.question: case for case in suite.cases}
    assert set(by_question) == {"How many reps per manager?", "What SDR to AE ratio?"}
    helpful, poor = by_question["How many reps per manager?"], by_question["What SDR to AE ratio?"]
    assert helpful.gold == (
        "metrics-span-of-control",
    )  # passages only, not the metrics and "helpful" in helpful.tags
    assert poor.gold == () and {"not-helpful", "reader: too vague"} <= set(poor.tags)
