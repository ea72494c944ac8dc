"""Security behaviour of the bare app: headers, API key and sessions, upload limits, rate limiting."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.ratelimit import MemoryCounterStore, RateLimiter

KEY = "s3cret-test-key"


def test_pages_carry_a_strict_csp_and_hardening_headers(client: TestClient) -> None:
    response = client.get("/chat")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"


def test_pages_have_no_inline_script(client: TestClient) -> None:
    for path in ("/chat", "/orgs", "/kb", "/evals", "/docs", "/login"):
        html = client.get(path).text
        # every <script> element loads a file: none carries code of its own
        assert html.count("<script") == html.count('<script src="'), path


def test_docs_are_served_from_vendored_assets(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    bundle = client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 500_000
    assert client.get("/openapi.json").json()["info"]["title"] == "Sales structure advisor"


def test_api_is_open_without_a_key(client: TestClient) -> None:
    assert client.get("/v1/models").status_code == 200


def test_api_key_is_required_when_configured(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key=KEY)
    missing = client.get("/v1/models")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "Bearer" in missing.json()["error"]["message"]  # /v1 answers in OpenAI's error shape
    wrong = client.get("/api/kb/documents", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "HTTPError"
    ok = client.get("/v1/models", headers={"Authorization": f"Bearer {KEY}"})
    assert ok.status_code == 200 and ok.json()["data"][0]["id"] == "sales-structure-advisor"
    assert client.get("/healthz").status_code == 200  # probes stay open


def test_pages_redirect_to_login_and_a_session_opens_them(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key=KEY)
    redirect = client.get("/orgs", follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/login?next=%2Forgs"
    refused = client.post("/login", data={"key": "wrong", "next": "/orgs"}, follow_redirects=False)
    assert refused.status_code == 401
    login = client.post("/login", data={"key": KEY, "next": "/orgs"}, follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/orgs"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/orgs").status_code == 200
    # the page's own scripts call /api with the session cookie instead of a key
    assert client.get("/api/kb/documents").status_code == 200
    # ... but not from another site
    cross = client.post("/api/chat", json={"question": "hi"}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 401


def test_forged_session_cookie_is_refused(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key=KEY)
    client.cookies.set("advisor_session", "eyJvayI6dHJ1ZX0.forged.signature")
    assert client.get("/api/kb/documents").status_code == 401
    assert client.get("/chat", follow_redirects=False).status_code == 303


def test_login_never_redirects_off_site(make_client: Callable[..., TestClient]) -> None:
    client = make_client(api_key=KEY)
    login = client.post("/login", data={"key": KEY, "next": "//evil.example/"}, follow_redirects=False)
    assert login.headers["location"] == "/chat"


def test_upload_over_the_limit_is_413(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_upload_mb=0.01)  # 10 kB
    body = b"rep_id,role\n" + b"R1,ae\n" * 5000
    response = client.post("/api/orgs", files={"file": ("big.csv", body, "text/csv")})
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_upload_of_an_unsupported_type_is_415(client: TestClient) -> None:
    response = client.post(
        "/api/orgs", files={"file": ("roster.exe", b"MZ\x90\x00", "application/x-msdownload")}
    )
    assert response.status_code == 415
    assert ".csv" in response.json()["detail"]
    document = client.post("/api/kb/documents", files={"file": ("notes.csv", b"a,b\n1,2\n", "text/csv")})
    assert document.status_code == 415


def test_rate_limit_answers_429_with_retry_after(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_per_minute=3)
    statuses = [client.get("/v1/models").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/v1/models")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # probes are not limited


def test_rate_limiter_refills_over_time() -> None:
    limiter = RateLimiter(60)  # one token per second
    for _ in range(60):
        assert limiter.acquire("a", now=0.0) == 0.0
    assert limiter.acquire("a", now=0.0) == pytest.approx(1.0)
    assert limiter.acquire("b", now=0.0) == 0.0  # clients are counted apart
    assert limiter.acquire("a", now=1.5) == 0.0


def test_rate_limiter_forgets_the_oldest_clients() -> None:
    store = MemoryCounterStore(max_keys=2)
    limiter = RateLimiter(1, store=store)
    for client in ("a", "b", "c"):
        limiter.acquire(client, now=0.0)
    assert len(store) == 2
    assert limiter.acquire("a", now=0.0) == 0.0  # forgotten, so it starts again with a full bucket
    assert limiter.acquire("c", now=0.0) > 0


def test_unknown_ids_are_404_not_errors(client: TestClient) -> None:
    assert client.get("/api/orgs/AAAAAAAAAAAAAAAAAAAAAA/metrics").status_code == 404
    assert client.get("/api/orgs/..%2F..%2Fetc/metrics").status_code == 404
    assert client.get("/api/evals/runs/nope").status_code == 404
    page = client.get("/orgs/AAAAAAAAAAAAAAAAAAAAAA")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]


def test_headers_over_the_cap_are_431_in_each_error_shape(make_client: Callable[..., TestClient]) -> None:
    client = make_client(max_header_kb=1)
    api = client.get("/api/orgs", headers={"X-Pad": "a" * 2048})
    assert api.status_code == 431 and api.json()["error"] == "HeadersTooLarge"
    openai = client.get("/v1/models", headers={"X-Pad": "a" * 2048})
    assert openai.status_code == 431 and openai.json()["error"]["type"] == "HeadersTooLarge"
    assert client.get("/v1/models", headers={"X-Pad": "a" * 200}).status_code == 200


def test_error_messages_never_carry_server_paths() -> None:
    from api.errors import public_message

    assert (
        public_message("/tmp/pytest-7/home/orgs/ab/roster.csv does not exist") == "roster.csv does not exist"
    )
    assert public_message("Cannot read /home/u/.local/share/advisor/x.yaml: bad") == "Cannot read x.yaml: bad"
    assert (
        public_message("POST /api/orgs/abc failed; see http://host/a/b")
        == "POST /api/orgs/abc failed; see http://host/a/b"
    )


def test_a_verified_principal_has_its_own_budget_and_a_forged_one_has_none(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(rate_limit_per_minute=3, api_key="s3cret")
    good = {"Authorization": "Bearer s3cret"}
    assert [client.get("/v1/models", headers=good).status_code for _ in range(4)] == [200, 200, 200, 429]
    # rotating invalid tokens counts against the caller's address, not a fresh bucket per token
    forged = [
        client.get("/v1/models", headers={"Authorization": f"Bearer x{i}"}).status_code for i in range(5)
    ]
    assert forged == [401, 401, 401, 429, 429]


def test_open_mode_accepts_any_bearer_and_counts_it_against_the_address(
    make_client: Callable[..., TestClient],
) -> None:
    # the official OpenAI client always sends a key; without ADVISOR_API_KEY or accounts it is not refused,
    # and a new placeholder per request is no new budget
    client = make_client(rate_limit_per_minute=3)
    statuses = [
        client.get("/v1/models", headers={"Authorization": f"Bearer placeholder-{i}"}).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_trusted_proxies_must_be_addresses(make_client: Callable[..., TestClient]) -> None:
    from advisor.errors import ConfigError

    with (
        pytest.raises(ConfigError, match="ADVISOR_TRUSTED_PROXIES"),
        make_client(trusted_proxies="10.0.0.0/8, proxy.local") as client,
    ):
        client.get("/api/orgs")
