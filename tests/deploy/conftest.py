"""Fixtures of the deployment tests: a real PostgreSQL started by `deploy/plain/cluster.sh`, one per session."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
CLUSTER = REPO / "deploy" / "plain" / "cluster.sh"


def postgres_bin() -> str | None:
    """The newest Debian PostgreSQL bin folder, if the `postgresql` package is installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return str(Path(found[-1]).parent) if found else None


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


@pytest.fixture(scope="session")
def deploy_dir() -> Iterator[Path]:
    """A folder the `postgres` user can reach (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="advisor-deploy-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres(deploy_dir: Path) -> Iterator[dict[str, str]]:
    """A real PostgreSQL on loopback in a temp data folder; yields the cluster environment naming it."""
    pg_bin = postgres_bin()
    if pg_bin is None:
        pytest.skip(
            "PostgreSQL binaries missing: install Debian's `postgresql` package (apt-get install postgresql)"
        )
    port = free_port()
    url = f"postgresql+psycopg://advisor@127.0.0.1:{port}/advisor"
    env = cluster_env(deploy_dir, PG_BIN=pg_bin, PG_PORT=str(port), ADVISOR_DATABASE_URL=url)
    try:
        run_cluster(env, "start", "postgres")
        yield env
    finally:
        run_cluster(env, "stop")


@pytest.fixture
def fresh_postgres_url(postgres: dict[str, str]) -> Iterator[str]:
    """An empty database of its own on the session's PostgreSQL."""
    name = f"t_{secrets.token_hex(4)}"
    admin = create_engine(
        postgres["ADVISOR_DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = postgres["ADVISOR_DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    yield url
    from advisor.db import dispose_engines

    dispose_engines()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()
