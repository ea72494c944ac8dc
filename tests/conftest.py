"""Suite-wide guards: no test reaches the network, and no test touches the user's ./.advisor state."""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.offline import enforce_offline

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
blocked_connections: list[object] = []


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        blocked_connections.append(address)
        raise ConnectionRefusedError(f"tests are offline: blocked connection to {address!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address):
        blocked_connections.append(address)
        return 111  # ECONNREFUSED
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


def pytest_configure(config: pytest.Config) -> None:
    """Make the whole run offline and point ADVISOR_HOME at a throwaway folder before anything loads."""
    enforce_offline()
    os.environ.setdefault("ADVISOR_HOME", tempfile.mkdtemp(prefix="advisor-test-home-"))
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


@pytest.fixture
def advisor_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh ADVISOR_HOME for one test, with the cached settings reset around it."""
    from advisor.config import get_settings

    home = tmp_path / "home"
    monkeypatch.setenv("ADVISOR_HOME", str(home))
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture
def blocked_connections_log() -> list[object]:
    """Every outside address a test tried to reach (the guard refused each one)."""
    return blocked_connections
