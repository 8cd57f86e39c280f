"""uvicorn's HTTP protocols with a deadline for reading a request's headers, and (httptools)
refusals answered from the headers.

uvicorn closes an idle keep-alive connection (``--timeout-keep-alive``) but has no limit on how
long a client may take to send a request's headers: a client that sends one byte every few
seconds ("slowloris") holds its connection for ever. These subclasses give the headers of each
request ``header_timeout_seconds`` from the connection (or from the first byte after the last
response) and at most ``max_header_bytes``; past either the client gets 408 or 431 and the
connection is closed. The body has its own deadline in ``api.middleware.BodyLimitMiddleware``.

With httptools, a summary request that the service refuses (its queue full) is answered by
:class:`EarlyRefusal` as soon as the whole request has been read, with no ASGI request made of it
(see ``api.early``).

``summarizer serve`` passes ``http="api.protocols:<class>"`` to uvicorn; each worker process
reads the limits from the ``SUMMARIZER_*`` environment (``api.settings.Settings``).
"""

from __future__ import annotations

import asyncio
import functools
import time
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from api.early import STATE_KEY
from api.hotpath import SUMMARY_PATH
from api.settings import Settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is optional in uvicorn; h11 is always there
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"connection: close\r\ncontent-length: 33\r\n\r\nrequest headers were not received\n"
)
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8"
    b"\r\nconnection: close\r\ncontent-length: 31\r\n\r\nrequest headers are too large.\n"
)


@functools.cache
def _limits() -> tuple[float, int]:
    settings = Settings()
    return settings.header_timeout_seconds, settings.max_header_bytes


class HeaderDeadline:
    """Mixin for a uvicorn HTTP protocol: bound the time and bytes of each request's headers.

    "Waiting for headers" means no request is in progress (``cycle`` is None or its response
    is complete): from the connection, or from the first byte after a response."""

    transport: asyncio.Transport
    cycle: Any
    loop: asyncio.AbstractEventLoop

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._header_timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._waiting_for_headers():
            if self._header_timer is None:
                self._arm()  # the first byte after a response: a new request's head begins
            # Count the head only (up to the blank line), never the body that follows it.
            end = data.find(b"\r\n\r\n")
            self._header_bytes += len(data) if end < 0 else end + 4
            if self._header_bytes > _limits()[1]:
                self._refuse(_TOO_LARGE)  # before the parser dispatches the request
                return
        super().data_received(data)  # type: ignore[misc]
        if not self._waiting_for_headers() or getattr(self, "answered_early", False):
            # The head is complete (the body has its own deadline), or the request was answered
            # already (EarlyRefusal): the first byte of the next request arms the deadline again.
            self._disarm()
        elif self._header_timer is None:
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _waiting_for_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        self._header_bytes = 0
        self._header_timer = self.loop.call_later(_limits()[0], self._expired)

    def _disarm(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
        self._header_timer = None

    def _expired(self) -> None:
        self._header_timer = None
        if self._waiting_for_headers():
            self._refuse(_TIMEOUT)

    def _refuse(self, response: bytes) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self.transport.write(response)
            self.transport.close()


_SUMMARY_URL = SUMMARY_PATH.encode()


class EarlyRefusal:
    """Mixin for uvicorn's httptools protocol: a ``POST /v1/summaries`` whose whole request
    arrived in one read is put before :meth:`api.early.EarlyRefusals.answer` before uvicorn
    makes an ASGI request of it; a refusal is written at once and the connection kept open (the
    body was read, so the next request can follow). Anything else, and a request still arriving
    at the end of the read, goes on to uvicorn as it came: its head, then the body so far.
    So does a second one in the same read (a client pipelining its retries: the pace holds
    back only the next read; the app refuses it and closes), and one that comes while the
    connection's write buffer is full (a client not reading its answers): uvicorn's response
    waits for the buffer to drain, and reading waits with it, where an early refusal would be
    buffered at once, without bound."""

    app_state: dict[str, Any]
    parser: Any
    url: bytes
    headers: list[tuple[bytes, bytes]]
    pipeline: Any
    server_state: Any
    client: tuple[str, int] | None
    timeout_keep_alive: float
    timeout_keep_alive_task: asyncio.TimerHandle | None

    answered_early = False  # in the current read (HeaderDeadline reads it)
    _held: list[bytes] | None = None  # a candidate's body so far, while it is being read
    _began = 0.0

    def data_received(self, data: bytes) -> None:
        self.answered_early = False
        super().data_received(data)  # type: ignore[misc]
        if self._held is not None:  # the request goes on in a later read: uvicorn's from here
            held, self._held = self._held, None
            if not self.transport.is_closing():
                self._dispatch(held)
        elif self.answered_early and self._idle() and not self.transport.is_closing():
            # As uvicorn does after a response: an idle connection is closed after a while.
            self.timeout_keep_alive_task = self.loop.call_later(
                self.timeout_keep_alive,
                self.timeout_keep_alive_handler,  # type: ignore[attr-defined]
            )

    def on_message_begin(self) -> None:
        self._began = time.perf_counter()
        super().on_message_begin()  # type: ignore[misc]

    def on_headers_complete(self) -> None:
        if (
            STATE_KEY in self.app_state
            and self.parser.get_method() == b"POST"
            and self.url.partition(b"?")[0] == _SUMMARY_URL
            and not self.answered_early  # one a read: pipelining cannot outrun the pace
            and self._idle()
            and not self.pipeline
            and not self.flow.write_paused  # type: ignore[attr-defined]
            and not self.parser.should_upgrade()
        ):
            self._held = []
            return
        super().on_headers_complete()  # type: ignore[misc]

    def on_body(self, body: bytes) -> None:
        if self._held is not None:
            self._held.append(body)  # at most one read's worth
            return
        super().on_body(body)  # type: ignore[misc]

    def on_message_complete(self) -> None:
        held = self._held
        if held is None:
            super().on_message_complete()  # type: ignore[misc]
            return
        self._held = None
        keep_alive = self.parser.should_keep_alive() and self.parser.get_http_version() != "1.0"
        response = self.app_state[STATE_KEY].answer(
            self.headers,
            self._began,
            keep_alive=keep_alive,
            client=self.client[0] if self.client else "-",
            default_headers=self.server_state.default_headers,
        )
        if response is None:
            self._dispatch(held)
            super().on_message_complete()  # type: ignore[misc]
            return
        self.server_state.total_requests += 1
        self.answered_early = True
        self.transport.write(response)
        if not keep_alive:
            self.transport.close()
            return
        pace = self.app_state[STATE_KEY].pace_seconds
        if pace > 0:
            # A client that ignores Retry-After sends again at once: its next request waits in
            # the socket, unread, for a moment. A flood of them then costs the event loop (and
            # the model beside it) a bounded number of refusals a second, the load generator
            # too, instead of as many as the loop can write.
            self.flow.pause_reading()  # type: ignore[attr-defined]
            self.loop.call_later(pace, self._resume_reading)

    def _resume_reading(self) -> None:
        if not self.transport.is_closing():
            self.flow.resume_reading()  # type: ignore[attr-defined]

    def _dispatch(self, held: list[bytes]) -> None:
        """Hand the held request to uvicorn as its parser would have: the head, then the body."""
        super().on_headers_complete()  # type: ignore[misc]
        for chunk in held:
            super().on_body(chunk)  # type: ignore[misc]

    def _idle(self) -> bool:
        """No request of this connection is in the app (a response to it would come first)."""
        cycle = self.cycle  # type: ignore[attr-defined]
        return cycle is None or cycle.response_complete


class TimedH11Protocol(HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol with the header deadline."""


if HttpToolsProtocol is not None:

    class TimedHttpToolsProtocol(HeaderDeadline, EarlyRefusal, HttpToolsProtocol):
        """uvicorn's httptools protocol with the header deadline and early refusals."""

    DEFAULT = "api.protocols:TimedHttpToolsProtocol"
else:  # pragma: no cover - httptools comes with uvicorn[standard]
    DEFAULT = "api.protocols:TimedH11Protocol"
