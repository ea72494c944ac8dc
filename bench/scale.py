"""Scale-out benchmark: two advisor workers against one, over the same PostgreSQL and Chroma server.

Starts the team deployment with `deploy/plain/cluster.sh` in a throwaway folder (PostgreSQL on loopback, `chroma
run`, two `advisor serve` workers with their own ADVISOR_HOME, the real models), uploads one roster, then runs the
same load twice in one run: all clients on worker 1, and the clients split evenly between workers 1 and 2 (as a
round-robin proxy would):

1. metrics: clients on GET /api/orgs/<id>/metrics and /findings;
2. mixed: the same clients while streaming chat clients POST /api/chat.

Prints requests per second, p50/p95 and errors per route and the two-worker/one-worker ratio, and writes the
figures to bench/results/scale.md. The load loops are bench/load.py's. Needs Debian's `postgresql` package.

    .venv/bin/python bench/scale.py [--duration 10] [--clients 20] [--chats 2]
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from load import ROSTER, Tally, _phase  # the same load loops as the single-server benchmark

REPO = Path(__file__).resolve().parents[1]
CLUSTER = REPO / "deploy" / "plain" / "cluster.sh"
RESULTS = REPO / "bench" / "results" / "scale.md"
ARTICLES = ("metrics-span-of-control.md", "retention-sdr-burnout.md", "structure-inside-vs-field.md")
CHAT = "POST /api/chat (SSE)"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cluster(folder: Path, *, chat_threads: int) -> tuple[dict[str, str], list[str]]:
    if not (glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb")):
        raise SystemExit("PostgreSQL binaries missing: apt-get install postgresql")
    knowledge = folder / "knowledge"
    knowledge.mkdir()
    for name in ARTICLES:
        shutil.copy(REPO / "advisor" / "bundled" / "knowledge" / "en" / name, knowledge / name)
    venv = Path(sys.executable).parent
    pg_port, chroma_port, ports = _port(), _port(), [_port(), _port()]
    env = {key: value for key, value in os.environ.items() if not key.startswith("ADVISOR_")} | {
        "DEPLOY_DIR": str(folder),
        "PATH": f"{venv}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "ADVISOR": str(venv / "advisor"),
        "CHROMA": str(venv / "chroma"),
        "PG_PORT": str(pg_port),
        "CHROMA_PORT": str(chroma_port),
        "WORKER_PORTS": " ".join(map(str, ports)),
        "ADVISOR_DATABASE_URL": f"postgresql+psycopg://advisor@127.0.0.1:{pg_port}/advisor",
        "ADVISOR_CHROMA_URL": f"http://127.0.0.1:{chroma_port}",
        "ADVISOR_KNOWLEDGE_DIR": str(knowledge),
        "ADVISOR_BUNDLED_KNOWLEDGE": "false",
        "ADVISOR_RATE_LIMIT_PER_MINUTE": "0",  # one client address by construction
        "ADVISOR_MAX_TOKENS": "64",
        "ADVISOR_THREADS": str(chat_threads),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    subprocess.run(["bash", str(CLUSTER), "start"], env=env, check=True, timeout=900)
    workers = [f"http://127.0.0.1:{port}" for port in ports]
    for base in workers:
        deadline = time.monotonic() + 600
        while httpx.get(base + "/readyz", timeout=10).status_code != 200:
            if time.monotonic() > deadline:
                raise SystemExit(f"{base} did not become ready")
            time.sleep(0.5)
    return env, workers


async def _spread(
    workers: list[str], *, seconds: float, paths: tuple[str, ...], clients: int, chats: int
) -> dict[str, Tally]:
    """The clients (and chats) split evenly between the workers, run at once, tallies merged."""
    share = [
        _phase(
            base,
            seconds=seconds,
            get_paths=paths,
            clients=clients // len(workers),
            chats=chats // len(workers),
        )
        for base in workers
    ]
    merged = {name: Tally() for name in (*paths, CHAT)}
    for tally in await asyncio.gather(*share):
        for name, part in tally.items():
            merged[name].latencies += part.latencies
            merged[name].first_token += part.first_token
            merged[name].errors += part.errors
    return merged


def _rate(tally: dict[str, Tally], names: tuple[str, ...], seconds: float) -> float:
    return sum(len(tally[name].latencies) for name in names) / seconds


def _p95(tally: dict[str, Tally], names: tuple[str, ...]) -> float:
    ordered = sorted(latency for name in names for latency in tally[name].latencies)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000 if ordered else float("nan")


def main() -> None:
    """Run the benchmark, print its figures and write bench/results/scale.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="Seconds per phase (default 10).")
    parser.add_argument(
        "--clients", type=int, default=20, help="Concurrent clients on the metrics endpoints."
    )
    parser.add_argument("--chats", type=int, default=2, help="Concurrent streaming chat clients.")
    parser.add_argument(
        "--chat-threads", type=int, default=1, help="llama.cpp threads per worker (default 1)."
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="advisor-scale-"))
    folder.chmod(0o755)  # the postgres user must reach its data folder
    env: dict[str, str] = {}
    try:
        env, workers = _cluster(folder, chat_threads=args.chat_threads)
        with ROSTER.open("rb") as handle:
            org = httpx.post(
                workers[0] + "/api/orgs", files={"file": (ROSTER.name, handle, "text/csv")}
            ).json()
        paths = (f"/api/orgs/{org['org_id']}/metrics", f"/api/orgs/{org['org_id']}/findings")
        for base in workers:  # warm each worker's cache, as a dashboard view would
            for path in paths:
                httpx.get(base + path, timeout=60).raise_for_status()
        runs = {}
        for phase, chats in (("metrics", 0), ("mixed", args.chats)):
            for count in (1, 2):
                runs[(phase, count)] = asyncio.run(
                    _spread(
                        workers[:count], seconds=args.duration, paths=paths, clients=args.clients, chats=chats
                    )
                )
    finally:
        if env:
            subprocess.run(["bash", str(CLUSTER), "stop"], env=env, check=False, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)
    lines = [
        "# Scale-out: two workers against one",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on this {os.cpu_count()}-core machine with "
        f"`.venv/bin/python bench/scale.py --duration {args.duration:g} --clients {args.clients} --chats {args.chats}`: "
        "PostgreSQL, a `chroma run` server and two `advisor serve` workers started by `deploy/plain/cluster.sh`, the "
        f"real models (SmolLM2 with {args.chat_threads} llama.cpp thread per worker). Each phase runs "
        f"{args.duration:g} s; with two workers the clients are split evenly between them.",
        "",
        "| phase | workers | metrics req/s | metrics p95 ms | chats done | chat p95 s | errors |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    errors = 0
    for (phase, count), tally in runs.items():
        failed = sum(part.errors for part in tally.values())
        errors += failed
        chat = tally[CHAT]
        chat_p95 = f"{_p95(tally, (CHAT,)) / 1000:.1f}" if chat.latencies else "-"
        lines.append(
            f"| {phase} | {count} | {_rate(tally, paths, args.duration):.1f} | {_p95(tally, paths):.1f} | "
            f"{len(chat.latencies) if phase == 'mixed' else '-'} | {chat_p95 if phase == 'mixed' else '-'} | {failed} |"
        )
    lines.append("")
    for phase in ("metrics", "mixed"):
        one, two = (_rate(runs[(phase, n)], paths, args.duration) for n in (1, 2))
        lines.append(
            f"- {phase}: two workers serve {two / one:.2f}x the metrics requests of one." if one else ""
        )
    lines += [f"- errors: {errors} (target 0)", ""]
    report = "\n".join(lines)
    print(report)
    RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
