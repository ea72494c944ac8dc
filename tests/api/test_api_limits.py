"""Limits that hold on a live server on loopback: zip bombs, header size, X-Forwarded-For rotation, over-long fields.

Each test talks HTTP to the real app under uvicorn, started as `advisor serve` starts it (`api.server` options), so
the server's own limits are part of what is tested; the models are not needed and not loaded.
"""

from __future__ import annotations

import contextlib
import io
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from web_server import live_server, web_settings

from api.ratelimit import client_address, parse_networks

pytestmark = pytest.mark.integration
ROSTER = b"rep_id,role,hire_date\n1,manager,2020-01-06\n2,ae,2023-01-05\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = web_settings(tmp_path_factory.mktemp("limits-home"), rate_limit_per_minute=0, max_header_kb=16)
    with live_server(settings, warm_up=False) as base:
        yield base


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = web_settings(tmp_path_factory.mktemp("rate-home"), rate_limit_per_minute=20)
    with live_server(settings, warm_up=False) as base:
        yield base


def _bomb(unpacked_mb: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"<row>" + b"<c><v>0</v></c>" * 4096 + b"</row>"
            for _ in range(unpacked_mb * 1024 * 1024 // len(block)):
                sheet.write(block)
    return buffer.getvalue()


def test_an_xlsx_zip_bomb_is_refused_in_a_moment(server: str) -> None:
    bomb = _bomb(900)  # about the 868 MB of XML the 6.5 MB bomb unpacked to
    response = httpx.post(
        server + "/api/orgs", files={"file": ("bomb.xlsx", bomb, "application/octet-stream")}, timeout=60
    )
    assert response.status_code == 400, response.text
    # the size comes from the zip's directory: the refusal is made before anything unpacks
    assert "bomb.xlsx: unpacks to 900 MB, over the 256 MB limit" in response.json()["detail"]
    assert httpx.get(server + "/healthz").status_code == 200


def _raw_request(server: str, header_bytes: int) -> bytes:
    """Send a GET with one header of `header_bytes` over a raw socket; the status line the server answers."""
    host, port = server.removeprefix("http://").split(":")
    answer = b""
    request = f"GET /healthz HTTP/1.1\r\nHost: {host}\r\nX-Pad: {'a' * header_bytes}\r\n\r\n".encode()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        # the server may stop reading past its limit and hang up; its answer may still be waiting
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            sock.sendall(request)
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_request_headers_past_the_cap_are_refused_at_the_server(server: str) -> None:
    assert _raw_request(server, 8 * 1024) == b"HTTP/1.1 200 OK"
    assert _raw_request(server, 64 * 1024 * 1024) in (
        b"HTTP/1.1 400 Bad Request",
        b"",
    )  # h11 gives up, or hangs up
    assert _raw_request(server, 64 * 1024).startswith(b"HTTP/1.1 4")
    assert httpx.get(server + "/healthz").status_code == 200  # and the server lives on


def test_rotating_x_forwarded_for_does_not_escape_the_rate_limit(limited_server: str) -> None:
    server = limited_server
    statuses = [
        httpx.get(server + "/v1/models", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
        for i in range(40)
    ]
    assert statuses.count(200) <= 23 and statuses[-1] == 429  # 20 a minute, plus what refills meanwhile
    limited = httpx.get(server + "/v1/models", headers={"X-Forwarded-For": "198.51.100.7"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["type"] == "RateLimited"  # /v1 answers in the OpenAI error shape
    assert httpx.get(server + "/healthz").status_code == 200  # probes are never limited


def test_forwarded_addresses_count_only_from_a_trusted_proxy() -> None:
    headers = [(b"x-forwarded-for", b"198.51.100.1, 203.0.113.9, 10.0.0.2")]
    scope = {"client": ("10.0.0.1", 5000), "headers": headers}
    assert client_address(scope, ()) == "10.0.0.1"  # no proxy configured: the peer
    assert client_address(scope, parse_networks("10.0.0.0/8")) == "203.0.113.9"  # nearest untrusted hop
    assert client_address({"client": ("192.0.2.5", 1), "headers": headers}, parse_networks("10.0.0.0/8")) == (
        "192.0.2.5"
    )  # an untrusted peer's header is ignored
    assert client_address({"client": ("10.0.0.1", 1), "headers": [(b"x-forwarded-for", b"junk")]}, parse_networks(
        "10.0.0.0/8"
    )) == "10.0.0.1"  # fmt: skip


def test_over_long_fields_are_refused_or_set_aside_never_a_500(server: str) -> None:
    question = httpx.post(server + "/api/chat", json={"question": "x" * 5000})
    assert question.status_code == 422
    cell = b"rep_id,name,role,hire_date\n1," + b"n" * 300_000 + b",ae,2020-01-06\n2,b,sdr,2021-01-06\n"
    upload = httpx.post(server + "/api/orgs", files={"file": ("long.csv", cell, "text/csv")}, timeout=60)
    assert upload.status_code == 201, upload.text
    huge = b"rep_id,name,role,hire_date\n1," + b"n" * 2_000_000 + b",ae,2020-01-06\n2,b,sdr,2021-01-06\n"
    upload = httpx.post(server + "/api/orgs", files={"file": ("huge.csv", huge, "text/csv")}, timeout=60)
    assert upload.status_code == 201, upload.text
    assert "2,000,000 characters, over the 1024 KB limit" in upload.text


def test_errors_name_the_uploaded_file_never_a_server_path(server: str, tmp_path: Path) -> None:
    response = httpx.post(
        server + "/api/orgs", files={"file": ("export.csv", b"\xd0\xcf\x11\xe0" + b"\0" * 64)}
    )
    assert response.status_code == 400
    assert "export.csv is an old binary Excel" in response.json()["detail"]
    assert "/tmp" not in response.text and str(tmp_path.parent) not in response.text
