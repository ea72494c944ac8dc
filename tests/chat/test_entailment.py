"""The capable model's entailment check, against a real OpenAI-compatible HTTP server on loopback.

The server is a small test double speaking the `/v1/chat/completions` protocol (JSON and SSE streaming), configured
the way a real server is (`chat_backend=openai`, `openai_base_url`): it writes the answer's draft and, asked to
check a sentence, replies NOT_ENTAILED for the sentences it is told to refute and ENTAILED otherwise.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from chat_doubles import FixtureRetriever

from advisor.chat.advisor import Advisor
from advisor.chat.entailment import entailment_model, parse_entailment
from advisor.config import Settings, load_settings
from advisor.errors import ConfigError
from advisor.models import SentenceEmbeddings

QUESTION = "What span of control should a first-line sales manager have?"
GOOD = [
    "A first-line manager should have 6-8 reps, and at most 10 [S1].",
    "Count quota-carrying reps only and leave support staff out of the span [S2].",
]
# a sentence every deterministic check keeps (its words and numbers are the evidence's): when the model replies
# NOT_ENTAILED, only the model's check can be what removes it
DOUBTFUL = "A span of only 3-4 reps costs too much per rep [S1]."


@dataclass
class _Script:
    draft: str = ""
    refute: set[str] = field(default_factory=set)
    checked: list[str] = field(default_factory=list)
    drafts: int = 0
    prompts: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    script: _Script

    def log_message(self, *args: Any) -> None:  # quiet test output
        pass

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._send(
            200, json.dumps({"object": "list", "data": [{"id": "capable", "object": "model"}]}).encode()
        )

    def do_POST(self) -> None:
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send(404, b'{"error": {"message": "not found"}}')
            return
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        system = next((m["content"] for m in request["messages"] if m["role"] == "system"), "")
        if "NOT_ENTAILED" in system:  # the entailment prompt
            user = request["messages"][-1]["content"]
            sentence = re.search(r"<sentence>\s*(.*?)\s*</sentence>", user, re.S).group(1)  # type: ignore[union-attr]
            self.script.checked.append(sentence)
            refuted = any(sentence in text or text in sentence for text in self.script.refute)
            reply = "NOT_ENTAILED" if refuted else "ENTAILED"
        else:
            self.script.drafts += 1
            self.script.prompts.append(request["messages"][-1]["content"])
            reply = self.script.draft
        if request.get("stream"):
            words = re.findall(r"\S+\s*", reply)
            chunks = [{"role": "assistant", "content": w} for w in words] + [{}]
            body = "".join(
                "data: " + json.dumps({"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "capable",
                                       "choices": [{"index": 0, "delta": delta,
                                                    "finish_reason": None if delta else "stop"}]}) + "\n\n"
                for delta in chunks
            ) + "data: [DONE]\n\n"  # fmt: skip
            self._send(200, body.encode(), "text/event-stream")
            return
        completion = {
            "id": "c", "object": "chat.completion", "created": 0, "model": "capable",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }  # fmt: skip
        self._send(200, json.dumps(completion).encode())


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, _Script]]:
    """The OpenAI-compatible double on a free loopback port, with its script."""
    script = _Script()
    handler = type("Handler", (_Handler,), {"script": script})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", script
    finally:
        httpd.shutdown()
        httpd.server_close()


def _capable(home: Path, url: str, **overrides: Any) -> Settings:
    return load_settings(home=home).model_copy(
        update={"chat_backend": "openai", "chat_model": "capable", "openai_base_url": url, "capable_model": True,
                "agent_mode": "off", **overrides}
    )  # fmt: skip


@pytest.fixture
def ask(
    server: tuple[str, _Script], tmp_path: Path, retriever: FixtureRetriever, embedder: SentenceEmbeddings,
    monkeypatch: pytest.MonkeyPatch,
) -> Any:  # fmt: skip
    """Ask the question of an advisor whose capable model is the loopback server, with a draft and refutations."""
    url, script = server
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    def run(draft: str, refute: set[str]) -> Any:
        script.draft, script.refute, script.checked[:] = draft, refute, []
        advisor = Advisor(_capable(tmp_path, url), retriever=retriever, embedder=embedder)
        return advisor.ask(QUESTION)

    return run


def test_a_sentence_the_model_judges_not_entailed_is_dropped(ask: Any, server: tuple[str, _Script]) -> None:
    _, script = server
    answer = ask(" ".join([*GOOD, DOUBTFUL]), {"3-4 reps costs too much"})
    assert answer.path == "generated"
    assert "3-4" not in answer.answer
    assert "6-8" in answer.answer and "quota-carrying" in answer.answer
    # one check per sentence that passed the deterministic checks, the refuted one among them
    assert len(script.checked) == 3 and any("3-4" in s for s in script.checked)
    assert "[S1]" in script.prompts[-1]  # the draft was written from the same evidence


def test_the_same_sentence_stands_when_the_model_judges_it_entailed(
    ask: Any, server: tuple[str, _Script]
) -> None:
    _, script = server
    answer = ask(" ".join([*GOOD, DOUBTFUL]), set())
    assert answer.path == "generated" and "3-4 reps costs too much" in answer.answer
    assert len(script.checked) == 3


def test_without_a_capable_model_no_sentence_is_sent_to_a_judge(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path)
    assert entailment_model(settings) is None  # the embedded default: deterministic checks only
    assert entailment_model(settings.model_copy(update={"capable_model": True})) is None  # a local GGUF
    bundled = settings.model_copy(
        update={"judge_model": "smollm2", "openai_base_url": "http://127.0.0.1:9/v1"}
    )
    with pytest.raises(ConfigError, match="cannot check entailment"):
        entailment_model(bundled)


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [
        ("ENTAILED", True),
        ("NOT_ENTAILED", False),
        ("not entailed.", False),
        ("Entailed", True),
        ("maybe", None),
    ],
)
def test_replies_are_read_as_verdicts(reply: str, verdict: bool | None) -> None:
    assert parse_entailment(reply) is verdict
