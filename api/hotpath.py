"""The hot path of ``POST /v1/summaries``, in pure ASGI (no FastAPI routing, no thread hop).

* :class:`AdmissionMiddleware` runs before the body is read: while the summary queue (with the
  requests on their way to it) is full, a new request is answered 503 + ``Retry-After`` at once,
  its body never read or parsed, so a flood costs the model no CPU and waits behind nothing.
  One exception: a request whose ``Content-Length`` is the length of a body the hot tier holds
  may be a cached summary (a viral article is a flood of exactly those). It goes on to
  :class:`HotSummaryMiddleware`, whose hash look-up answers it or refuses it then (its body read
  and hashed, never parsed).
* :class:`HotSummaryMiddleware` runs after the body limits: a request whose exact body was
  answered before is served from :class:`HotSummaries`, an in-process LRU of response bodies
  keyed by a hash of the raw body, without parsing it. The shared cache (SQLite or Redis) stays
  the source of truth; an entry lives ``HOT_TTL_SECONDS`` (or the cache's TTL, if shorter) from
  when its response was made, so it outlives the shared entry it came from by at most that, and
  belongs to one loaded model (a new service starts with an empty tier).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError, error_body
from api.keys import key_matches

SUMMARY_PATH = "/v1/summaries"
HOT_TTL_SECONDS = 10.0  # how long a hot entry is served without asking the shared cache
HOT_MAX_ENTRIES = 20_000
HOT_MAX_BYTES = 64 * 1024 * 1024  # response bytes held, keys and overhead not counted
HOT_READS_MAX = (
    32  # requests past a full queue at once on a hot length (each body <= max_body_bytes)
)

_JSON = (b"content-type", b"application/json")
Headers = Iterable[tuple[bytes, bytes]]


@dataclass(frozen=True)
class _RouteTemplate:
    path: str


# What the router would have put in scope["route"]: RequestContextMiddleware labels the metrics
# and the access log by its template, for the requests answered here as well.
SUMMARY_ROUTE = _RouteTemplate(SUMMARY_PATH)


@dataclass
class _Entry:
    head: bytes  # the response JSON up to (without) its timing object
    expires: float


class HotSummaries:
    """Response bodies of recent successful summary requests, by the raw request body.

    Bounded in entries and in bytes (least recently used first out); thread-safe."""

    def __init__(
        self,
        ttl_seconds: float = HOT_TTL_SECONDS,
        max_entries: int = HOT_MAX_ENTRIES,
        max_bytes: int = HOT_MAX_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.clock = clock
        self.size = 0
        self._entries: OrderedDict[bytes, _Entry] = OrderedDict()
        self._lengths: Counter[int] = Counter()  # body lengths of the entries held
        # When the newest entry of each length expires: after it, none of that length is live.
        self._length_expires: dict[int, float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(body: bytes) -> bytes:
        """The body's length (8 bytes) and its SHA-256: the length alone tells, before a body
        is read, whether it can be one held here (:meth:`may_hold`)."""
        return len(body).to_bytes(8, "big") + hashlib.sha256(body).digest()

    def may_hold(self, length: int) -> bool:
        """Whether a body of ``length`` bytes can be one held here and still live (no lock: a
        stale answer only means one request is looked up or refused unread). An expired entry
        is dropped only when it is asked for, so its length alone would let bodies of that
        length past the admission check long after it could answer any of them."""
        return self._length_expires.get(length, 0.0) > self.clock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: bytes) -> bytes | None:
        """The stored response without its timing, or None (absent or expired)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if self.clock() >= entry.expires:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry.head

    def put(self, key: bytes, response: dict[str, Any]) -> None:
        """Remember a 200 response (a ``SummaryResponse`` as JSON data; timing is left out and
        ``cached`` set, as the shared cache would answer it)."""
        data = {k: v for k, v in response.items() if k != "timing"}
        data["cached"] = True
        head = orjson.dumps(data)[:-1]  # without the closing brace: timing goes last
        if len(head) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            expires = self.clock() + self.ttl
            self._entries[key] = _Entry(head, expires)
            self._lengths[_length(key)] += 1
            self._length_expires[_length(key)] = expires
            self.size += len(head)
            while len(self._entries) > self.max_entries or self.size > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._lengths.clear()
            self._length_expires.clear()
            self.size = 0

    def _drop(self, key: bytes) -> None:
        entry = self._entries.pop(key)
        self.size -= len(entry.head)
        length = _length(key)
        self._lengths[length] -= 1
        if self._lengths[length] <= 0:
            del self._lengths[length]
            del self._length_expires[length]


def _length(key: bytes) -> int:
    return int.from_bytes(key[:8], "big")


def render(head: bytes, total_ms: float) -> bytes:
    """A stored response with this request's timing, as the route would have written it."""
    return head + b',"timing":{"total_ms":' + orjson.dumps(round(total_ms, 3)) + b"}}"


# Set by HotSummaryMiddleware for the route, which stores its 200 response under this key.
hot_key_var: contextvars.ContextVar[bytes | None] = contextvars.ContextVar("hot_key", default=None)


def _is_summary_post(scope: Scope) -> bool:
    return scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == SUMMARY_PATH


async def _send_json(send: Send, status: int, body: bytes, headers: list) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [_JSON, (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


class AdmissionMiddleware:
    """Before the body is read: 503 + Retry-After while the service is saturated (queue full
    with the requests on their way to it, too many in flight, or shutting down)."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state  # the FastAPI app's state: .service, .settings, .metrics
        # Requests let past a full queue because their length is a hot body's: each may have
        # its body read (up to max_body_bytes), so at most this many at once.
        self.hot_reads = 0
        self.max_hot_reads = HOT_READS_MAX

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = self.state.service if _is_summary_post(scope) else None
        # Not this route, or still loading (the route says not_ready), or a wrong API key (the
        # route says 401): on as usual. A body that may be a hot summary gets past a full queue
        # (not past shutting down or the in-flight limit) to its look-up, which refuses it if
        # it is not one (counted once, there).
        headers = scope.get("headers") or ()
        if service is None or not _key_ok(self.state.settings, headers):
            await self.app(scope, receive, send)
            return
        may_be_hot = self.hot_reads < self.max_hot_reads and _maybe_hot(service, headers)
        refusal = service.refusal(may_be_hot=may_be_hot)
        if refusal is not None:
            await _refuse(refusal, scope, send)
            return
        if not may_be_hot:
            await self.app(scope, receive, send)
            return
        self.hot_reads += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.hot_reads -= 1


class HotSummaryMiddleware:
    """After the body limits (the body arrives whole, in one message): a known body is answered
    from the service's :class:`HotSummaries`; any other is admitted once more (the queue may
    have filled while it arrived) and goes on to the route, which remembers its 200 response
    under the body's key. Until the service takes it, it counts as arriving work."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = self.state.service if _is_summary_post(scope) else None
        if service is None or not _key_ok(self.state.settings, scope.get("headers") or ()):
            await self.app(scope, receive, send)
            return
        message = await receive()
        if message["type"] != "http.request" or message.get("more_body", False):
            # Not the whole body in one message (BodyLimitMiddleware always gives one): as is.
            await self.app(scope, _replay(message, receive), send)
            return
        key = HotSummaries.key(message.get("body", b""))
        hot = service.hot_tier()
        head = hot.get(key) if hot is not None else None
        if head is not None:
            service.metrics.cache.labels("hit").inc()
            scope["route"] = SUMMARY_ROUTE
            started = scope.get("state", {}).get("started") or time.perf_counter()
            total_ms = (time.perf_counter() - started) * 1000
            await _send_json(send, 200, render(head, total_ms), [])
            return
        refusal = service.refusal()
        if refusal is not None:
            await _refuse(refusal, scope, send)
            return
        token = hot_key_var.set(key if hot is not None else None)
        try:
            with service.arriving():
                await _cancel_on_disconnect(
                    self.app(scope, _replay(message, receive), send), scope, receive
                )
        finally:
            hot_key_var.reset(token)


async def _cancel_on_disconnect(work: Any, scope: Scope, receive: Receive) -> None:
    """Run the route; if the client goes away first, cancel it, so that its place in the queue
    is given up at once (a flood's clients leave no queue of abandoned work behind them).

    The body has been read: the next message is ``http.disconnect``, which the server sends
    when the connection is lost or, harmlessly, once the response is complete."""
    task = asyncio.ensure_future(work)
    watch = asyncio.ensure_future(receive())
    try:
        # A server may first hand over an empty end-of-body message: watch again (a few times).
        for _ in range(3):
            await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
            if task.done():
                break
            if watch.result().get("type") == "http.disconnect":
                task.cancel()
                scope.setdefault("state", {})["client_gone"] = True  # logged as 499
                break
            watch = asyncio.ensure_future(receive())
    except asyncio.CancelledError:
        task.cancel()
        watch.cancel()
        raise
    watch.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    if not task.cancelled():
        task.result()


async def _refuse(refusal: Any, scope: Scope, send: Send) -> None:
    scope["route"] = SUMMARY_ROUTE
    body = orjson.dumps(error_body(refusal.code, refusal.message))
    headers = [(k.lower().encode(), v.encode()) for k, v in refusal.headers.items()]
    # A flood's clients ignore Retry-After and send again at once: on a kept-alive connection
    # that loop costs the event loop (and the model beside it) the most. Closed, each has to
    # reconnect first; measured on 2 cores with wrk, /healthz p99 fell from ~140 ms to ~15-40.
    headers.append((b"connection", b"close"))
    await _send_json(send, refusal.status, body, headers)


def _replay(first: Message, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return first
        return await receive()

    return replay


def early_refusal(state: Any, headers: Headers) -> ApiError | None:
    """The refusal of a ``POST /v1/summaries`` request decided from its headers alone, as
    :class:`AdmissionMiddleware` would decide it, for ``api.protocols``, which answers it
    without making an ASGI request of it. None: on to the app as usual (not loaded yet, a wrong
    API key, room in the queue, or a length the hot tier holds, which the middleware decides)."""
    service = state.service
    if service is None or not _key_ok(state.settings, headers):
        return None
    return service.refusal(may_be_hot=_maybe_hot(service, headers))


def _maybe_hot(service: Any, headers: Headers) -> bool:
    """Whether the request's declared body length is that of a body in the hot tier."""
    hot = service.hot
    if hot is None or not len(hot):
        return False
    for name, value in headers:
        if name == b"content-length":
            return value.isdigit() and hot.may_hold(int(value))
    return False  # chunked: no length to go by, refused unread


def _key_ok(settings: Any, headers: Headers) -> bool:
    """No API keys configured, or the request's ``X-API-Key`` is one of them."""
    if not settings.api_keys:
        return True
    for name, value in headers:
        if name == b"x-api-key":
            return key_matches(settings.api_keys, value.decode("latin-1"))
    return False
