"""Offline by construction: ingest and ask in a fresh process whose every non-loopback connection fails."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.bundled import KNOWLEDGE_DIR

REPO = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter so that model loading itself happens under the guard.
GUARDED_RUN = r"""
import ipaddress, json, socket, sys

attempts = []
real_connect = socket.socket.connect

def guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host != "localhost":
        try:
            local = ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            local = False
        if not local:
            attempts.append(repr(address))
            raise ConnectionRefusedError("offline test: " + repr(address))
    return real_connect(self, address)

socket.socket.connect = guarded_connect
real_getaddrinfo = socket.getaddrinfo

def guarded_getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost", "127.0.0.1", "::1"):
        attempts.append("dns:" + str(host))
        raise socket.gaierror("offline test: no DNS for " + str(host))
    return real_getaddrinfo(host, *args, **kwargs)

socket.getaddrinfo = guarded_getaddrinfo

from advisor.cli import app

codes = []
for args in (["ingest", sys.argv[1]], ["ask", "--json", sys.argv[2]]):
    try:
        app(args=args, prog_name="advisor")
    except SystemExit as exc:
        codes.append(exc.code or 0)
sys.stderr.write("\nOFFLINE-REPORT " + json.dumps({"attempts": attempts, "codes": codes}) + "\n")
"""


@pytest.mark.integration
def test_ingest_and_ask_never_touch_the_network(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("en/metrics-span-of-control.md", "zh/metrics-span-of-control.md"):
        shutil.copy(KNOWLEDGE_DIR / name, docs / name.replace("/", "-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADVISOR_", "HF_", "TRANSFORMERS_"))}
    env.update(
        {
            "ADVISOR_HOME": str(tmp_path / "home"),
            "ADVISOR_MAX_TOKENS": "48",
            "ADVISOR_BUNDLED_KNOWLEDGE": "false",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", GUARDED_RUN, str(docs), "How many reps should one sales manager lead?"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=900,
    )
    report_line = next(line for line in result.stderr.splitlines() if line.startswith("OFFLINE-REPORT "))
    report = json.loads(report_line.removeprefix("OFFLINE-REPORT "))
    assert report == {"attempts": [], "codes": [0, 0]}, result.stderr[-2000:]
    answer = json.loads(result.stdout[result.stdout.index("{") :])
    assert not answer["refused"]
    assert {c["doc_id"] for c in answer["citations"]} <= {
        "metrics-span-of-control-en",
        "metrics-span-of-control-zh",
    }
    assert answer["citations"], answer


def test_the_suite_guard_refuses_outside_connections(blocked_connections_log: list[object]) -> None:
    before = len(blocked_connections_log)
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="tests are offline"):
        sock.connect(("203.0.113.7", 443))
    assert blocked_connections_log[before:] == [("203.0.113.7", 443)]


def test_the_suite_guard_allows_loopback() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())
