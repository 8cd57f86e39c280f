"""Refusals of ``POST /v1/summaries`` answered from the request's headers inside uvicorn's HTTP
protocol (``api.protocols``), before an ASGI request is made of it.

Under a flood nearly every request is refused, and a client that ignores ``Retry-After`` sends
the next at once. Refused in the ASGI app, each refusal still cost a task, a scope, five
middleware layers and a connection closed and opened again (~290 µs of the event loop's time at
~2,800 refusals/s with the model in a child process: a core the model needed). Here it costs the
parser's callbacks and one write, and the connection stays open. The decision is the app's own
(:func:`api.hotpath.early_refusal`); whatever it lets on goes to the app unchanged.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Any

import orjson
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware

from api.errors import ApiError, error_body
from api.hotpath import SUMMARY_PATH, early_refusal
from api.logs import request_id_var
from api.metrics import Metrics
from api.middleware import RequestRecorder, request_id_from, server_timing

STATE_KEY = "early_refusals"  # where the lifespan state hands the refuser to the protocol
_CORS_CACHE_MAX = 256  # distinct Origin values whose CORS headers are remembered


class EarlyRefusals:
    """The app's admission check and its 503, as bytes a protocol writes as they are."""

    def __init__(self, state: Any, metrics: Metrics, cors: CORSMiddleware) -> None:
        self.state = state  # the FastAPI app's state: .service, .settings
        self.recorder = RequestRecorder(metrics)
        self.cors = cors  # the app's own CORS middleware, asked for each Origin's headers
        self._cors_headers: dict[bytes | None, list[tuple[bytes, bytes]]] = {}

    @property
    def pace_seconds(self) -> float:
        """How long a connection is not read after a refusal (``refusal_pace_ms``)."""
        return self.state.settings.refusal_pace_ms / 1000

    def answer(
        self,
        headers: Sequence[tuple[bytes, bytes]],
        began: float,
        *,
        keep_alive: bool,
        client: str,
        default_headers: Iterable[tuple[bytes, bytes]] = (),
    ) -> bytes | None:
        """The whole HTTP response refusing this request, or None when the app must see it.
        The refusal is counted and logged as the app's middleware would (same route label)."""
        refusal = early_refusal(self.state, headers)
        if refusal is None:
            return None
        given, origin = b"", None
        for name, value in headers:
            if name == b"x-request-id":
                given = value  # the last, as RequestContextMiddleware's dict() keeps it
            elif name == b"origin" and origin is None:
                origin = value  # the first, as CORSMiddleware's Headers.get() reads it
        request_id = request_id_from(given)
        body = _body(refusal.code, refusal.message)
        lines = [_status_line(refusal.status)]
        fields = [
            *default_headers,
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *((k.lower().encode(), v.encode()) for k, v in refusal.headers.items()),
            (b"x-request-id", request_id.encode()),
            (b"server-timing", server_timing(began)),
            *self._cors(origin),
        ]
        if not keep_alive:
            fields.append((b"connection", b"close"))
        for name, value in fields:
            lines += [name, b": ", value, b"\r\n"]
        lines += [b"\r\n", body]
        self._record(refusal, request_id, began, client)
        return b"".join(lines)

    def _record(self, refusal: ApiError, request_id: str, began: float, client: str) -> None:
        token = request_id_var.set(request_id)
        try:
            elapsed = time.perf_counter() - began
            self.recorder.record(
                SUMMARY_PATH, "POST", SUMMARY_PATH, refusal.status, elapsed, client
            )
        finally:
            request_id_var.reset(token)

    def _cors(self, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        """The CORS headers the app's CORSMiddleware adds to a response for this Origin, got
        from the middleware itself (its header step awaits nothing but the sink below), so the
        two can never differ. Remembered per Origin value, a bounded number of them."""
        cached = self._cors_headers.get(origin)
        if cached is not None:
            return cached
        message: dict[str, Any] = {"type": "http.response.start", "status": 503, "headers": []}
        raw = [(b"origin", origin)] if origin is not None else []
        step = self.cors.send(message, _sink, Headers(raw=raw))
        try:
            step.send(None)
        except StopIteration:
            pass
        else:  # pragma: no cover - Starlette's header step suspended: not a step we can reuse
            step.close()
            raise RuntimeError("CORSMiddleware.send awaited something besides its send")
        added = list(message["headers"])
        if len(self._cors_headers) >= _CORS_CACHE_MAX:
            self._cors_headers.clear()
        self._cors_headers[origin] = added
        return added


async def _sink(message: Any) -> None:
    """Where the CORS header step "sends" the response start: nowhere."""


@functools.cache
def _status_line(status: int) -> bytes:
    return f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode()


@functools.lru_cache(maxsize=64)
def _body(code: str, message: str) -> bytes:
    return orjson.dumps(error_body(code, message))
