"""Slow clients are cut off: headers and bodies have deadlines (issue 16, Medium 11).

Raw sockets against a real ``summarizer serve`` on loopback, with one-second limits."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import httpx
import pytest

from tests.api.conftest import ServeProcess, post_head, start_serve, stop_serve

LIMIT = 1.0  # SUMMARIZER_HEADER_TIMEOUT_SECONDS and SUMMARIZER_BODY_TIMEOUT_SECONDS here
ARTICLE = (
    "The council met on Monday to debate the new budget for the city. "
    "It approved the plan after a long discussion that lasted into the night. "
    "Critics said the plan would raise taxes for families across the region."
)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ServeProcess]:
    env = {
        "SUMMARIZER_HEADER_TIMEOUT_SECONDS": str(LIMIT),
        "SUMMARIZER_BODY_TIMEOUT_SECONDS": str(LIMIT),
        "SUMMARIZER_KEEP_ALIVE_SECONDS": "1",
        "SUMMARIZER_MAX_HEADER_BYTES": "8192",
        "SUMMARIZER_LOG_JSON": "false",
    }
    process = start_serve(tmp_path_factory.mktemp("slow"), env=env)
    try:
        yield process
    finally:
        stop_serve(process)


def connect(server: ServeProcess) -> socket.socket:
    url = urlparse(server.url)
    sock = socket.create_connection((url.hostname, url.port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def closed_after(sock: socket.socket, trickle: bytes = b"", every: float = 0.2) -> tuple:
    """Send ``trickle`` one byte every ``every`` s until the server closes the connection.
    Returns (seconds until closed, what the server sent)."""
    start = time.monotonic()
    received = b""
    sock.settimeout(every)
    i = 0
    while time.monotonic() - start < 10:
        if i < len(trickle):
            try:
                sock.sendall(trickle[i : i + 1])
            except OSError:
                break
            i += 1
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        if not chunk:
            break
        received += chunk
    return time.monotonic() - start, received


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "A client that sends its headers one byte at a time (or nothing at all) gets 408 and its "
    "connection closed after SUMMARIZER_HEADER_TIMEOUT_SECONDS.",
)
@pytest.mark.parametrize(
    "trickle", [b"", b"POST /v1/summaries HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200]
)
def test_slow_headers_are_cut_off(server, trickle):
    with connect(server) as sock:
        elapsed, received = closed_after(sock, trickle)
    assert LIMIT * 0.8 < elapsed < LIMIT + 2, elapsed
    assert received.startswith(b"HTTP/1.1 408"), received


@pytest.mark.hostile(
    "http",
    "A client that sends a summary request's body one byte at a time gets 408 and its "
    "connection closed after SUMMARIZER_BODY_TIMEOUT_SECONDS.",
)
def test_slow_body_is_cut_off(server):
    body = json.dumps({"text": ARTICLE}).encode()
    with connect(server) as sock:
        sock.sendall(post_head(body))
        elapsed, received = closed_after(sock, body)
    assert LIMIT * 0.8 < elapsed < LIMIT + 2, elapsed
    assert received.startswith(b"HTTP/1.1 408"), received
    assert b"request_timeout" in received


@pytest.mark.hostile(
    "http",
    "Request headers larger than SUMMARIZER_MAX_HEADER_BYTES get 431 and the connection closed.",
)
def test_oversized_headers_are_refused(server):
    with connect(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n")
        elapsed, received = closed_after(sock)
    assert elapsed < LIMIT + 2, elapsed
    assert received.startswith(b"HTTP/1.1 431"), received[:100]


@pytest.mark.hostile(
    "http",
    "50 slow-header and 50 slow-body connections at once are all closed within a few seconds, "
    "while a normal client is answered.",
)
def test_many_slow_clients_are_all_closed_and_others_served(server):
    body = json.dumps({"text": ARTICLE}).encode()
    body_head = post_head(body)
    socks = []
    try:
        for i in range(100):
            sock = connect(server)
            sock.sendall(body_head + body[:10] if i % 2 else b"POST /v1/summaries HTTP/1.1\r\n")
            socks.append(sock)
        start = time.monotonic()
        r = httpx.post(f"{server.url}/v1/summaries", json={"text": ARTICLE}, timeout=10)
        assert r.status_code == 200, r.text
        assert time.monotonic() - start < LIMIT + 2
        deadline = start + LIMIT + 4
        open_socks = list(socks)
        while open_socks and time.monotonic() < deadline:
            for sock in list(open_socks):
                sock.settimeout(0.05)
                try:
                    chunk = sock.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    chunk = b""
                if not chunk or b"408" in chunk:
                    open_socks.remove(sock)
        assert not open_socks, f"{len(open_socks)} of 100 slow connections still open"
    finally:
        for sock in socks:
            sock.close()


def test_a_large_body_sent_at_once_is_not_mistaken_for_large_headers(server):
    # The first read holds the head and tens of kilobytes of body: only the head counts.
    body = json.dumps({"html": f"<html><body><article><p>{ARTICLE}</p>" + " " * 300_000}).encode()
    with connect(server) as sock:
        sock.sendall(post_head(body, "Connection: close") + body)
        _, received = closed_after(sock)
    assert received.startswith(b"HTTP/1.1 200"), received[:200]


def test_ordinary_keep_alive_clients_are_unaffected(server):
    with httpx.Client(base_url=server.url, timeout=10) as client:
        for _ in range(3):
            assert client.post("/v1/summaries", json={"text": ARTICLE}).status_code == 200
            time.sleep(LIMIT * 0.6)  # idle less than the keep-alive limit, on one connection
        assert client.get("/healthz").status_code == 200
