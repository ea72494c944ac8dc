"""Helpers of the deployment tests: where `deploy/plain/cluster.sh` is, the environment it runs with, free ports."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLUSTER = REPO / "deploy" / "plain" / "cluster.sh"


def postgres_bin() -> str | None:
    """The newest Debian PostgreSQL bin folder (the `postgresql` package), else the folder of `initdb` on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version) or [
        shutil.which("initdb") or ""
    ]
    return str(Path(found[-1]).parent) if found[-1] else None


def _version(initdb: str) -> tuple[int, ...]:
    return tuple(int(part) for part in Path(initdb).parts[-3].split(".") if part.isdigit())


def free_port() -> int:
    """A free TCP port on loopback."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cluster_env(deploy_dir: Path, **extra: str) -> dict[str, str]:
    """The environment `cluster.sh` runs with: the venv's commands, offline, state under `deploy_dir`."""
    venv_bin = str(Path(sys.executable).parent)
    env = {key: value for key, value in os.environ.items() if not key.startswith("ADVISOR_")}
    env.update(
        DEPLOY_DIR=str(deploy_dir),
        PATH=f"{venv_bin}:{env.get('PATH', '/usr/bin:/bin')}",
        ADVISOR=f"{venv_bin}/advisor",
        CHROMA=f"{venv_bin}/chroma",
        HF_HUB_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        **extra,
    )
    return env


def run_cluster(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """Run `cluster.sh` and return its output; a failure shows the logs it wrote."""
    result = subprocess.run(
        ["bash", str(CLUSTER), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        logs = {p.name: p.read_text(errors="replace")[-2000:] for p in Path(env["DEPLOY_DIR"]).glob("*.log")}
        raise RuntimeError(f"cluster.sh {' '.join(args)} failed: {result.stderr}\n{logs}")
    return result.stdout
