"""Rate limiting keyed on who is asking: the authenticated principal, else the direct peer address.

A client cannot mint new identities to escape its budget: a bearer token or session counts as a principal only
once it is verified (an invalid one falls back to the peer address), and `X-Forwarded-For` is believed only when the
direct peer is one of the configured trusted proxies (`ADVISOR_TRUSTED_PROXIES`), read from the right so a client
cannot prepend addresses of its own. Budgets are token buckets kept in a `CounterStore`: in memory by default,
pluggable so several workers can share one (a database table, for instance).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from advisor.config import Settings
from advisor.errors import ConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Static assets and health probes are cheap and are fetched in bursts by every page load or orchestrator.
UNLIMITED_PREFIXES = ("/static/", "/healthz", "/readyz")
_TOKEN_CACHE_SECONDS = 60.0


class CounterStore(ABC):
    """Where the buckets live; `take` must be atomic for one key (one lock, one transaction)."""

    blocking = False  # True when `take` does I/O: the middleware then calls it off the event loop

    @abstractmethod
    def take(self, key: str, *, capacity: float, refill_per_second: float, now: float) -> float:
        """Take one token from `key`'s bucket: 0.0 when allowed, else the seconds until one is available."""


class MemoryCounterStore(CounterStore):
    """Buckets in this process, bounded: past `max_keys` the least recently seen key is forgotten."""

    def __init__(self, *, max_keys: int = 10_000) -> None:
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, *, capacity: float, refill_per_second: float, now: float) -> float:
        """Refill the bucket for the time passed, then take one token if there is one."""
        with self._lock:
            tokens, last = self._buckets.pop(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * refill_per_second)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / refill_per_second
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait

    def __len__(self) -> int:
        return len(self._buckets)


class DatabaseCounterStore(CounterStore):
    """Buckets in the state database (`advisor.counters`): one budget per key across every worker and machine."""

    blocking = True

    def __init__(self, settings: Settings) -> None:
        from advisor.counters import SharedBuckets

        self._buckets = SharedBuckets(settings)

    def take(self, key: str, *, capacity: float, refill_per_second: float, now: float) -> float:
        """Take one token; the time is the database-wide wall clock, not the caller's per-process monotonic one."""
        return self._buckets.take(key, capacity=capacity, refill_per_second=refill_per_second)


class RateLimiter:
    """`per_minute` requests per key, refilled continuously, counted in `store`."""

    def __init__(self, per_minute: int, *, store: CounterStore | None = None) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.store = store if store is not None else MemoryCounterStore()

    def acquire(self, key: str, *, now: float | None = None) -> float:
        """0.0 when `key` may go ahead, else the seconds to wait before retrying."""
        now = time.monotonic() if now is None else now
        return self.store.take(key, capacity=self.capacity, refill_per_second=self.refill_per_second, now=now)


def parse_networks(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses or CIDR networks (`10.0.0.0/8, 127.0.0.1`); a bad entry raises ValueError."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(scope: Scope, trusted: Sequence[Network]) -> str:
    """The direct peer, or, when the peer is a trusted proxy, the nearest untrusted hop of `X-Forwarded-For`."""
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    peer_ip = _address(peer)
    if not trusted or peer_ip is None or not any(peer_ip in net for net in trusted):
        return peer
    forwarded = b",".join(value for name, value in scope["headers"] if name.lower() == b"x-forwarded-for")
    for hop in reversed(forwarded.decode("latin-1").split(",")):
        hop_ip = _address(hop)
        if hop_ip is None:
            break  # a garbled chain: trust nothing further left
        if not any(hop_ip in net for net in trusted):
            return str(hop_ip)
    return peer


class PrincipalResolver:
    """Who a request is, from its verified credentials: `key`, `user:<id>`, or None (then the peer address counts)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._tokens: OrderedDict[str, tuple[str | None, float]] = OrderedDict()
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope) -> str | None:
        request = Request(scope)
        authorization = request.headers.get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return await self._bearer(token.strip())
        return await self._session(request)

    async def _bearer(self, token: str) -> str | None:
        from api.auth import accounts_enabled, key_matches

        if self.settings.api_key is not None and key_matches(self.settings, token):
            return "key"
        digest = hashlib.sha256(token.encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            cached = self._tokens.get(digest)
        if cached is not None and now - cached[1] < _TOKEN_CACHE_SECONDS:
            return cached[0]
        principal = None
        if await run_in_threadpool(accounts_enabled, self.settings):
            from advisor.users import user_for_token

            user = await run_in_threadpool(user_for_token, self.settings, token)
            principal = f"user:{user.id}" if user is not None else None
        with self._lock:
            self._tokens[digest] = (principal, now)
            while len(self._tokens) > 10_000:
                self._tokens.popitem(last=False)
        return principal

    async def _session(self, request: Request) -> str | None:
        from api.auth import SESSION_COOKIE, accounts_enabled, has_session, session_user

        if SESSION_COOKIE not in request.cookies:
            return None
        if await run_in_threadpool(accounts_enabled, self.settings):
            user = await run_in_threadpool(session_user, request, self.settings)
            return f"user:{user.id}" if user is not None else None
        if self.settings.api_key is not None and await run_in_threadpool(has_session, request, self.settings):
            return "key"
        return None


async def _too_many(send: Send, scope: Scope, wait: float) -> None:
    from api.security import send_error

    retry_after = str(max(1, math.ceil(wait)))
    message = f"Too many requests; retry in {retry_after} s."
    await send_error(send, scope, 429, message, "RateLimited", [(b"retry-after", retry_after.encode())])


class RateLimitMiddleware:
    """Answers 429 with Retry-After once a principal (or, without one, a client address) exceeds its budget."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        store: CounterStore | None = None,
    ) -> None:
        self.app = app
        per_minute = settings.rate_limit_per_minute
        if store is None and settings.rate_limit_shared:
            store = DatabaseCounterStore(settings)
        self.limiter = RateLimiter(per_minute, store=store) if per_minute > 0 else None
        try:
            self.trusted = parse_networks(settings.trusted_proxies)
        except ValueError as exc:
            raise ConfigError(
                f"ADVISOR_TRUSTED_PROXIES has an entry that is not an address or network ({exc}): "
                "write addresses or CIDR networks separated by commas, e.g. 10.0.0.0/8,127.0.0.1."
            ) from exc
        self.principal = PrincipalResolver(settings)

    async def key(self, scope: Scope) -> str:
        """The bucket a request counts against."""
        principal = await self.principal(scope)
        return f"principal:{principal}" if principal else f"address:{client_address(scope, self.trusted)}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.limiter is None or scope["type"] != "http" or scope["path"].startswith(UNLIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        key = await self.key(scope)
        if self.limiter.store.blocking:
            wait = await run_in_threadpool(self.limiter.acquire, key)
        else:
            wait = self.limiter.acquire(key)
        if wait > 0:
            await _too_many(send, scope, wait)
            return
        await self.app(scope, receive, send)
