"""Fixtures of the deployment tests: a real PostgreSQL started by `deploy/plain/cluster.sh`, one per session."""

from __future__ import annotations

import secrets
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

# the helper module beside this file must import under both the prepend and the importlib import modes
sys.path.insert(0, str(Path(__file__).resolve().parent))
from deploy_helpers import cluster_env, free_port, postgres_bin, run_cluster  # noqa: E402


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
