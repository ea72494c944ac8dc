"""Web load benchmark on loopback: 50 clients on the metrics endpoints while 10 clients stream chats.

Starts `advisor serve` (the real entry point, one uvicorn worker) over a throwaway ADVISOR_HOME with the knowledge
folder ingested and one roster uploaded, then runs two timed phases against it:

1. baseline: the same number of clients on GET /healthz (the cheapest route: what the server and this client can
   do at all on this machine);
2. metrics: the clients on GET /api/orgs/<id>/metrics and /findings alone;
3. mixed: the same metrics clients while chat clients stream POST /api/chat over Server-Sent Events (the model
   and the metrics share two cores, so this shows what chat costs the rest of the app).

Prints requests per second, p50/p95 latency and errors per route, and the metrics throughput as a ratio of the
baseline. Bounded: loopback only, `--duration` seconds per phase (default 60), a fixed number of clients.

    .venv/bin/python bench/load.py [--duration 60] [--clients 50] [--chats 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
ROSTER = REPO / "tests" / "fixtures" / "rosters" / "problem_team.csv"
QUESTIONS = (
    "What span of control should a first-line sales manager have?",
    "How do we reduce SDR turnover?",
    "When should we use inside sales rather than field sales?",
    "一线销售经理应该管理多少人？",
)


@dataclass
class Tally:
    """Latencies and errors of one route."""

    latencies: list[float] = field(default_factory=list)
    first_token: list[float] = field(default_factory=list)
    errors: int = 0

    def line(self, name: str, seconds: float) -> str:
        """One result row: count, requests per second, p50/p95 latency, errors."""
        count = len(self.latencies)
        if not count:
            return f"{name:<28} 0 requests, {self.errors} errors"
        ordered = sorted(self.latencies)
        p95 = ordered[min(count - 1, int(0.95 * count))]
        text = (
            f"{name:<28} {count:>7} req  {count / seconds:>8.1f} req/s  p50 {statistics.median(ordered) * 1000:>8.1f} ms"
            f"  p95 {p95 * 1000:>8.1f} ms  errors {self.errors}"
        )
        if self.first_token:
            text += f"  first token p50 {statistics.median(self.first_token) * 1000:.0f} ms"
        return text


async def _get_loop(
    client: httpx.AsyncClient, paths: tuple[str, ...], tally: dict[str, Tally], stop: float
) -> None:
    turn = 0
    while time.perf_counter() < stop:
        path = paths[turn % len(paths)]
        turn += 1
        started = time.perf_counter()
        try:
            response = await client.get(path)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        tally[path].latencies.append(time.perf_counter() - started) if ok else None
        tally[path].errors += 0 if ok else 1


async def _chat_loop(client: httpx.AsyncClient, offset: int, tally: Tally, stop: float) -> None:
    turn = offset
    while time.perf_counter() < stop:
        question = QUESTIONS[turn % len(QUESTIONS)]
        turn += 1
        started = time.perf_counter()
        first = None
        final = False
        try:
            async with client.stream(
                "POST", "/api/chat", json={"question": question}, headers={"Accept": "text/event-stream"}
            ) as response:
                async for line in response.aiter_lines():
                    if line.startswith("event: token") and first is None:
                        first = time.perf_counter() - started
                    final = final or line.startswith("event: final")
            ok = response.status_code == 200 and final
        except httpx.HTTPError:
            ok = False
        if ok:
            tally.latencies.append(time.perf_counter() - started)
            if first is not None:
                tally.first_token.append(first)
        else:
            tally.errors += 1


async def _phase(
    base: str, *, seconds: float, get_paths: tuple[str, ...], clients: int, chats: int
) -> dict[str, Tally]:
    tally = {path: Tally() for path in get_paths} | {"POST /api/chat (SSE)": Tally()}
    limits = httpx.Limits(max_connections=clients + chats + 4, max_keepalive_connections=clients + chats + 4)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=300) as client:
        stop = time.perf_counter() + seconds
        tasks = [_get_loop(client, get_paths, tally, stop) for _ in range(clients)]
        tasks += [_chat_loop(client, i, tally["POST /api/chat (SSE)"], stop) for i in range(chats)]
        await asyncio.gather(*tasks)
    return tally


def _start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    # the server's log goes to a file: an unread pipe would fill up and stall the server mid-benchmark
    env = os.environ | {
        "ADVISOR_HOME": str(home),
        "ADVISOR_RATE_LIMIT_PER_MINUTE": "0",  # this benchmark is one client address by construction
        "ADVISOR_CHAT_QUEUE": "64",
    }
    command = [
        str(Path(sys.executable).parent / "advisor"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log = (home / "server.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)


def _wait_ready(base: str, server: subprocess.Popen[bytes], home: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log = (home / "server.log").read_text(encoding="utf-8", errors="replace")
            raise SystemExit(f"advisor serve exited:\n{log[-2000:]}")
        try:
            if httpx.get(base + "/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("advisor serve did not become ready")


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds per phase (default 60).")
    parser.add_argument(
        "--clients", type=int, default=50, help="Concurrent clients on the metrics endpoints."
    )
    parser.add_argument("--chats", type=int, default=10, help="Concurrent streaming chat clients.")
    parser.add_argument(
        "--port", type=int, default=0, help="Loopback port for the server (default: a free one)."
    )
    args = parser.parse_args()
    if not args.port:
        with (
            socket.socket() as probe
        ):  # another benchmark or server may hold a fixed port on a shared machine
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory(prefix="advisor-load-") as home:
        server = _start_server(Path(home), args.port)
        try:
            _wait_ready(base, server, Path(home))
            with ROSTER.open("rb") as handle:
                org = httpx.post(base + "/api/orgs", files={"file": (ROSTER.name, handle, "text/csv")}).json()
            org_paths = (f"/api/orgs/{org['org_id']}/metrics", f"/api/orgs/{org['org_id']}/findings")
            for path in org_paths:  # warm the per-org cache, as a dashboard view would
                httpx.get(base + path).raise_for_status()
            baseline = asyncio.run(
                _phase(base, seconds=args.duration, get_paths=("/healthz",), clients=args.clients, chats=0)
            )
            alone = asyncio.run(
                _phase(base, seconds=args.duration, get_paths=org_paths, clients=args.clients, chats=0)
            )
            load = asyncio.run(
                _phase(
                    base, seconds=args.duration, get_paths=org_paths, clients=args.clients, chats=args.chats
                )
            )
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    print(f"Baseline: {args.clients} clients on /healthz for {args.duration:.0f} s")
    print("  " + baseline["/healthz"].line("GET /healthz", args.duration))
    rates = {}
    errors = baseline["/healthz"].errors
    for title, tallies in (("Metrics alone", alone), (f"Metrics with {args.chats} streaming chats", load)):
        print(f"{title}: {args.clients} clients on metrics + findings, {args.duration:.0f} s")
        for name, tally in tallies.items():
            if name.startswith("POST") and not tally.latencies and not tally.errors:
                continue
            label = name if name.startswith("POST") else "GET " + name.replace(org["org_id"], "<id>")
            print("  " + tally.line(label, args.duration))
            errors += tally.errors
        rates[title] = sum(len(tallies[path].latencies) for path in org_paths) / args.duration
    healthz_rps = len(baseline["/healthz"].latencies) / args.duration
    for title, rate in rates.items():
        ratio = f"{rate / healthz_rps:.2f}" if healthz_rps else "n/a"
        print(f"{title}: metrics endpoints {rate:.1f} req/s, ratio to the /healthz baseline {ratio}")
    print(f"Errors: {errors} (target 0); metrics target >= 300 req/s")


if __name__ == "__main__":
    main()
