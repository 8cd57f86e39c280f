"""ASGI middleware: request ids, access log and metrics; body size and content-type limits."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import re
import time
from collections.abc import Sequence
from typing import Any

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import (
    BodyTooLarge,
    InvalidEncoding,
    RequestTimeout,
    UnsupportedMediaType,
    send_error,
)
from api.logs import request_id_var
from api.metrics import Metrics

access_log = logging.getLogger("api.access")

_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Request ids: unique, not secret. A random per-process prefix and a counter (32 hex digits,
# like a UUID's) cost no system call; uuid4() reads os.urandom on every request, which gives
# up the GIL on the hot path.
_ID_PREFIX = os.urandom(8).hex()
_ID_COUNTER = itertools.count(1)


def new_request_id() -> str:
    return f"{_ID_PREFIX}{next(_ID_COUNTER):016x}"


def not_utf8(body: bytes) -> bool:
    """True for a UTF-16 or UTF-32 body, which Python's JSON decoder would silently accept.

    JSON text in UTF-8 never holds a NUL byte (control characters in strings are escaped), while
    UTF-16 and UTF-32 encode its ASCII punctuation with NUL bytes; a UTF-16/32 byte-order mark
    starts with 0xFF 0xFE or 0xFE 0xFF, which is not UTF-8 either."""
    return b"\x00" in body or body[:2] in (b"\xff\xfe", b"\xfe\xff")


def request_id_from(given: bytes) -> str:
    """The client's ``X-Request-ID`` if it is well-formed, else a new id."""
    text = given.decode("latin-1")
    return text if _CLIENT_ID.match(text) else new_request_id()


def server_timing(start: float) -> bytes:
    """The ``Server-Timing`` value of a response whose request began at ``start``."""
    return f"app;dur={(time.perf_counter() - start) * 1000:.2f}".encode()


def replayed(first: Message, receive: Receive) -> Receive:
    """``receive`` that gives ``first`` (a body already read) again, then the client's next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return first
        return await receive()

    return replay


class RequestContextMiddleware:
    """Outermost: gives every request an id (``X-Request-ID``, the client's if well-formed),
    logs one access line and records the request count and latency by route template: the
    template of the route that answered, or of the route whose path it is (a request refused
    before routing, ``/docs``), else ``unmatched`` (bounded: paths come from clients)."""

    def __init__(self, app: ASGIApp, metrics: Metrics, paths: frozenset[str]) -> None:
        self.app = app
        self.metrics = metrics
        self.paths = paths  # every route's path (the app's routes take no path parameters)
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def _template(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is not None:
            return route.path
        path = scope["path"]
        return path if path in self.paths else "unmatched"

    def _record(self, scope: Scope, status: int, elapsed: float) -> None:
        key = (self._template(scope), scope["method"], status)
        series = self._series.get(key)
        if series is None:  # each label set looked up once (bounded labels)
            labels = (key[0], key[1], str(status))
            series = (self.metrics.requests.labels(*labels), self.metrics.latency.labels(*labels))
            self._series[key] = series
        series[0].inc()
        series[1].observe(elapsed)
        if access_log.isEnabledFor(logging.INFO):
            method, path = scope["method"], scope["path"]
            access_log.info(
                "%s %s %d %.1fms",
                method,
                path,
                status,
                elapsed * 1000,
                extra={
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "client": (scope.get("client") or ("-",))[0],
                },
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = request_id_from(dict(scope.get("headers") or ()).get(b"x-request-id", b""))
        token = request_id_var.set(request_id)
        state = scope.setdefault("state", {})
        state["started"] = start
        state["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = [
                    (b"x-request-id", request_id.encode()),
                    (b"server-timing", server_timing(start)),
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if state.get("client_gone"):
                status = 499  # nginx's "client closed request": cancelled, nothing was sent
            self._record(scope, status, time.perf_counter() - start)
            request_id_var.reset(token)


class BodyLimitMiddleware:
    """Requests with a body: JSON only (415), at most ``max_bytes`` (413), UTF-8 (400) and all
    of it within ``timeout_seconds`` (408, then the connection is closed), checked before any
    parsing; the body is read here, within the limit, and replayed to the app.

    Only for a method and path that a route takes (``routes``): anything else goes on unread
    to the router, which answers 404 or 405 without reading the body."""

    METHODS = frozenset({"POST", "PUT", "PATCH"})

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        routes: Sequence[BaseRoute] = (),
        timeout_seconds: float | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.routes = routes
        self.timeout_seconds = timeout_seconds
        self._seen: dict[tuple[str, str], bool] = {}

    def _routed(self, scope: Scope) -> bool:
        if not self.routes:
            return True
        # The routes take no path parameters: (method, path) decides, and matching every route
        # on every request was a tenth of a cache hit's time. Bounded: paths come from clients.
        where = (scope["method"], scope["path"])
        routed = self._seen.get(where)
        if routed is None:
            routed = any(route.matches(scope)[0] == Match.FULL for route in self.routes)
            if len(self._seen) >= 1024:
                self._seen.clear()
            self._seen[where] = routed
        return routed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in self.METHODS
            or not self._routed(scope)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        ctype = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        if ctype != "application/json" and not (
            ctype.startswith("application/") and ctype.endswith("+json")
        ):
            err = UnsupportedMediaType(
                f"Content-Type must be application/json, not {ctype or 'missing'!r}"
            )
            await send_error(err, scope, receive, send)
            return
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await send_error(self._too_large(), scope, receive, send)
            return
        chunks, size, more = [], 0, True
        loop = asyncio.get_running_loop()
        deadline = None if self.timeout_seconds is None else loop.time() + self.timeout_seconds
        while more:
            try:
                remaining = None if deadline is None else max(0.0, deadline - loop.time())
                async with asyncio.timeout(remaining):  # no task per chunk, unlike wait_for
                    message = await receive()
            except TimeoutError:
                err = RequestTimeout(
                    f"the request body did not arrive within {self.timeout_seconds:g} s"
                )
                await send_error(err, scope, receive, send, close=True)
                return
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_error(self._too_large(), scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if not_utf8(body):
            err = InvalidEncoding(
                "the request body must be JSON encoded as UTF-8 (this looks like UTF-16 or UTF-32)"
            )
            await send_error(err, scope, receive, send)
            return
        whole = {"type": "http.request", "body": body, "more_body": False}
        await self.app(scope, replayed(whole, receive), send)

    def _too_large(self) -> BodyTooLarge:
        return BodyTooLarge(f"request body is larger than {self.max_bytes:,} bytes")
