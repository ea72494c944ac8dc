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
