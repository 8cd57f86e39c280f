"""uvicorn's HTTP protocols with a deadline for reading a request's headers.

uvicorn closes an idle keep-alive connection (``--timeout-keep-alive``) but has no limit on how
long a client may take to send a request's headers: a client that sends one byte every few
seconds ("slowloris") holds its connection for ever. These subclasses give the headers of each
request ``header_timeout_seconds`` from the connection (or from the first byte after the last
response) and at most ``max_header_bytes``; past either the client gets 408 or 431 and the
connection is closed. The body has its own deadline in ``api.middleware.BodyLimitMiddleware``.

``summarizer serve`` passes ``http="api.protocols:<class>"`` to uvicorn; each worker process
reads the limits from the ``SUMMARIZER_*`` environment (``api.settings.Settings``).
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

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
        if self._waiting_for_headers():
            if self._header_timer is None:
                self._arm()
        else:
            self._disarm()  # the head is complete; the body has its own deadline

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


class TimedH11Protocol(HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol with the header deadline."""


if HttpToolsProtocol is not None:

    class TimedHttpToolsProtocol(HeaderDeadline, HttpToolsProtocol):
        """uvicorn's httptools protocol with the header deadline."""

    DEFAULT = "api.protocols:TimedHttpToolsProtocol"
else:  # pragma: no cover - httptools comes with uvicorn[standard]
    DEFAULT = "api.protocols:TimedH11Protocol"
