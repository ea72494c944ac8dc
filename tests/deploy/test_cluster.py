"""The team deployment, started with `deploy/plain/cluster.sh`: a real PostgreSQL, a `chroma run` server and two
advisor workers (each with its own ADVISOR_HOME, so nothing is shared through a local disk), with the real models.

State written through one worker is read through the other, and one user cannot reach another's conversation or
org through any route: by id, by listing, or by naming it in a chat request.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from deploy_helpers import REPO, free_port, run_cluster

pytestmark = pytest.mark.integration

ROSTER = REPO / "tests" / "fixtures" / "rosters" / "problem_team.csv"
ARTICLES = ("metrics-span-of-control.md", "retention-sdr-burnout.md")
PASSWORD = "team-password-1"


def _add_user(env: dict[str, str], name: str) -> str:
    added = subprocess.run(
        [env["ADVISOR"], "users", "add", name, "--password-stdin"],
        input=PASSWORD,
        env={**env, "ADVISOR_HOME": str(Path(env["DEPLOY_DIR"]) / "home-admin")},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return added.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def cluster(postgres: dict[str, str], deploy_dir: Path) -> Iterator[dict[str, Any]]:
    """Chroma and two workers over the session's PostgreSQL; users `ana` and `ben` with their API tokens."""
    knowledge = deploy_dir / "knowledge"
    knowledge.mkdir()
    for name in ARTICLES:
        shutil.copy(REPO / "advisor" / "bundled" / "knowledge" / "en" / name, knowledge / name)
    ports = [free_port(), free_port()]
    chroma_port = free_port()
    env = {
        **postgres,
        "CHROMA_PORT": str(chroma_port),
        "ADVISOR_CHROMA_URL": f"http://127.0.0.1:{chroma_port}",
        "WORKER_PORTS": " ".join(map(str, ports)),
        "ADVISOR_KNOWLEDGE_DIR": str(knowledge),
        "ADVISOR_BUNDLED_KNOWLEDGE": "false",
        "ADVISOR_RATE_LIMIT_PER_MINUTE": "0",
        "ADVISOR_MAX_TOKENS": "48",
        "ADVISOR_THREADS": "1",
        "ADVISOR_CHAT_WORKERS": "1",
    }
    tokens = {name: _add_user(env, name) for name in ("ana", "ben")}
    try:
        run_cluster(env, "start", "chroma", "workers", timeout=600)
        workers = [f"http://127.0.0.1:{port}" for port in ports]
        for base in workers:
            _wait_ready(base)
        yield {"workers": workers, "tokens": tokens, "env": env}
    finally:
        for pidfile in deploy_dir.glob("*.pid"):  # the session fixture stops PostgreSQL itself
            subprocess.run(["kill", pidfile.read_text().strip()], check=False)
            pidfile.unlink()


def _wait_ready(base: str) -> None:
    import time

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        body = httpx.get(f"{base}/readyz", timeout=10).json()
        if body["status"] == "ready":
            return
        assert not body.get("error"), body
        time.sleep(0.5)
    raise AssertionError(f"{base} never became ready")


def _as(cluster: dict[str, Any], user: str, worker: int) -> httpx.Client:
    return httpx.Client(
        base_url=cluster["workers"][worker],
        headers={"Authorization": f"Bearer {cluster['tokens'][user]}"},
        timeout=300,
    )


@pytest.fixture(scope="module")
def ana_state(cluster: dict[str, Any]) -> dict[str, str]:
    """A conversation and an org of ana's, each made through the first worker."""
    with _as(cluster, "ana", 0) as first:
        asked = first.post(
            "/api/chat",
            json={"question": "How wide should the span of control of our Berlin sales managers be?"},
        )
        assert asked.status_code == 200, asked.text
        with ROSTER.open("rb") as handle:
            uploaded = first.post("/api/orgs", files={"file": ("problem_team.csv", handle, "text/csv")})
        assert uploaded.status_code == 201, uploaded.text
    return {"conversation": asked.json()["conversation_id"], "org": uploaded.json()["org_id"]}


def test_every_worker_is_healthy_and_ready(cluster: dict[str, Any]) -> None:
    for base in cluster["workers"]:
        assert httpx.get(f"{base}/healthz").json()["status"] == "ok"
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 200, ready.text
        body = ready.json()
        assert body["checks"] == {
            "embedder": True,
            "chat_model": True,
            "knowledge": True,
            "benchmarks": True,
            "store": True,
        }
        assert body["status"] == "ready" and body["fixes"] == {} and body["error"] is None


def test_a_conversation_started_on_one_worker_continues_on_the_other(
    cluster: dict[str, Any], ana_state: dict[str, str]
) -> None:
    with _as(cluster, "ana", 1) as second:
        follow_up = second.post(
            "/api/chat", json={"question": "And for SDR teams?", "conversation_id": ana_state["conversation"]}
        )
        assert follow_up.status_code == 200, follow_up.text
        assert follow_up.json()["conversation_id"] == ana_state["conversation"]
        turns = second.get(f"/api/conversations/{ana_state['conversation']}").json()["turns"]
        assert [turn["question"] for turn in turns] == [
            "How wide should the span of control of our Berlin sales managers be?",
            "And for SDR teams?",
        ]
        assert ana_state["conversation"] in [item["id"] for item in second.get("/api/conversations").json()]


def test_an_org_uploaded_through_one_worker_is_analysed_through_the_other(
    cluster: dict[str, Any], ana_state: dict[str, str]
) -> None:
    with _as(cluster, "ana", 1) as second:
        metrics = second.get(f"/api/orgs/{ana_state['org']}/metrics")
        assert metrics.status_code == 200, metrics.text
        values = {metric["id"]: metric["value"] for metric in metrics.json()["metrics"]}
        assert values["span_of_control_max"] == 15
        assert ana_state["org"] in [item["org_id"] for item in second.get("/api/orgs").json()]


def _routes_naming(cluster: dict[str, Any], ids: dict[str, str]) -> list[tuple[str, str]]:
    """Every (method, concrete path) of the API that names one of `ids`' parameters, other parameters filled in."""
    schema = httpx.get(f"{cluster['workers'][0]}/openapi.json").json()
    routes = []
    for path, operations in schema["paths"].items():
        if not any("{" + name + "}" in path for name in ids):
            continue
        for method, operation in operations.items():
            concrete = path
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    value = ids.get(parameter["name"]) or (parameter["schema"].get("enum") or ["x"])[0]
                    concrete = concrete.replace("{" + parameter["name"] + "}", value)
            routes.append((method.upper(), concrete))
    return routes


@pytest.mark.parametrize("worker", [0, 1])
def test_another_user_cannot_reach_them_through_any_route(
    cluster: dict[str, Any], ana_state: dict[str, str], worker: int
) -> None:
    ids = {"conversation_id": ana_state["conversation"], "org_id": ana_state["org"]}
    routes = _routes_naming(cluster, ids)
    assert len(routes) >= 8, routes
    with _as(cluster, "ben", worker) as ben:
        for method, path in routes:
            response = ben.request(method, path, json={})
            # a body the route cannot parse is refused before anything is read (422); nothing else may pass
            allowed = {403, 404} if method == "GET" else {403, 404, 422}
            assert response.status_code in allowed, (method, path, response.status_code, response.text[:200])
            assert "Maya Manager" not in response.text and "span of control" not in response.text
        assert ana_state["conversation"] not in ben.get("/api/conversations").text
        assert ana_state["org"] not in ben.get("/api/orgs").text
        for body in (
            {"question": "What did we discuss?", "conversation_id": ana_state["conversation"]},
            {"question": "What is our span of control?", "org_id": ana_state["org"]},
        ):
            assert ben.post("/api/chat", json=body).status_code in (403, 404), body
            completion = {
                "model": "sales-structure-advisor",
                "messages": [{"role": "user", "content": "Hi"}],
                **body,
            }
            del completion["question"]
            assert ben.post("/v1/chat/completions", json=completion).status_code in (403, 404), body


def test_a_page_session_from_one_worker_opens_the_pages_of_the_other(cluster: dict[str, Any]) -> None:
    first, second = cluster["workers"]
    with httpx.Client(base_url=first) as browser:
        signed_in = browser.post("/login", data={"name": "ana", "password": PASSWORD, "next": "/chat"})
        assert signed_in.status_code == 303, signed_in.text
        cookies = dict(browser.cookies)
    with httpx.Client(base_url=second, cookies=cookies) as browser:
        assert browser.get("/chat").status_code == 200
        assert browser.get("/api/me").json()["name"] == "ana"
    with httpx.Client(base_url=second) as stranger:
        assert stranger.get("/chat").status_code == 303


def _page_routes(ids: dict[str, str]) -> list[tuple[str, str]]:
    """Every (method, concrete path) of the pages (not in the OpenAPI schema) that names one of `ids`' parameters."""
    from fastapi.routing import APIRoute

    from api.pages import auth, chat, evals, kb, orgs

    found = []
    for module in (auth, chat, orgs, kb, evals):
        for route in module.router.routes:
            if isinstance(route, APIRoute) and any("{" + name + "}" in route.path for name in ids):
                path = route.path
                for name, value in {**ids, "fmt": "md"}.items():
                    path = path.replace("{" + name + "}", value)
                found += [(method, path) for method in sorted(route.methods)]
    return found


@pytest.mark.parametrize("worker", [0, 1])
def test_another_user_cannot_reach_them_through_any_page(
    cluster: dict[str, Any], ana_state: dict[str, str], worker: int
) -> None:
    base = cluster["workers"][worker]
    ids = {"conversation_id": ana_state["conversation"], "org_id": ana_state["org"]}
    routes = _page_routes(ids)
    assert len(routes) >= 8, routes
    with httpx.Client(base_url=base, timeout=120) as ben:
        assert ben.post("/login", data={"name": "ben", "password": PASSWORD}).status_code == 303
        same_site = {"Origin": base}  # so a refusal is about ownership, not the cross-site check
        for method, path in routes:
            response = ben.request(method, path, headers=same_site, data={})
            assert response.status_code in {403, 404, 422}, (
                method,
                path,
                response.status_code,
                response.text[:300],
            )
            assert "Maya Manager" not in response.text
        for query in (f"/chat?c={ids['conversation_id']}", f"/chat?org={ids['org_id']}"):
            page = ben.get(query)
            assert "Berlin" not in page.text and "problem_team.csv" not in page.text, query
