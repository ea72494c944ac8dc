"""Property-based requests generated from /openapi.json: no request, however odd, makes the server fail (5xx)."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.integration

EXAMPLES_PER_OPERATION = 12


def test_no_generated_request_gets_a_server_error(seeded_client: TestClient) -> None:
    # the two operations that would change the shared seeded state (ingest uploads, start eval jobs) are left out
    schema = schemathesis.openapi.from_asgi("/openapi.json", seeded_client.app).exclude(
        method="POST", path_regex=r"^/api/(kb/documents|evals/\{suite\}/runs)$"
    )
    failures: list[str] = []
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tested += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code} {response.text[:200]}"
                )

        check()
    assert tested >= 15
    assert not failures, "\n".join(failures[:10])


# Routes that run the chat model (or ingest, or report model readiness) are left to the model tests.
MODEL_ROUTES = r"^/(readyz|api/chat|v1/chat/completions|api/orgs/\{org_id\}/plan|api/evals/\{suite\}/runs|api/kb/documents)$"


def test_non_model_routes_pass_every_schemathesis_check(tmp_path_factory: pytest.TempPathFactory) -> None:
    """`schemathesis run --checks all` against a live server with a key: 0 failures of any kind."""
    import subprocess
    import sys
    from pathlib import Path

    from web_server import live_server, web_settings

    here = Path(__file__).resolve().parent
    settings = web_settings(tmp_path_factory.mktemp("schema-home"), rate_limit_per_minute=0, api_key="k3y")
    with live_server(settings, warm_up=False) as base:
        run = subprocess.run(
            [str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(here / "schemathesis.toml"),
             "run", base + "/openapi.json", "--checks", "all", "-n", "10", "--generation-deterministic",
             "-H", "Authorization: Bearer k3y", "--exclude-path-regex", MODEL_ROUTES],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert " passed" in run.stdout and "failed" not in run.stdout.split("Test cases:")[-1]
