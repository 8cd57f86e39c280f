"""Slow clients, big heads, a client that never reads, and a flood, against the documented
deployment: Debian's nginx with deploy/nginx/summarizer.conf.template in front of a real
``summarizer serve`` (issue 24). The last tests run the service alone, as on a laptop.

The header deadline and sizes are the shipped file's own (10 s, 8 KB a line), so the slow
clients are all held in one test."""

from __future__ import annotations

import concurrent.futures
import json
import select
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import httpx
import pytest

from tests.api.conftest import ServeProcess, post_head, start_serve, stop_serve
from tests.api.nginx import Nginx, start_nginx, stop_nginx

HEADER_DEADLINE = 10.0  # client_header_timeout in the shipped file
IN_FLIGHT = 4  # SUMMARIZER_PROXY_IN_FLIGHT for these tests (the queue's depth + 1)
ARTICLE = (
    "The council met on Monday to debate the new budget for the city. "
    "It approved the plan after a long discussion that lasted into the night. "
    "Critics said the plan would raise taxes for families across the region."
)


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[ServeProcess]:
    env = {
        "SUMMARIZER_LOG_LEVEL": "WARNING",
        "SUMMARIZER_LOG_JSON": "false",
        "SUMMARIZER_QUEUE_MAX_DEPTH": str(IN_FLIGHT - 1),
        "SUMMARIZER_MICROBATCH_MAX_SIZE": "1",
        "SUMMARIZER_MAX_HEADER_BYTES": "16384",
    }
    process = start_serve(tmp_path_factory.mktemp("deploy"), env=env)
    try:
        yield process
    finally:
        stop_serve(process)


@pytest.fixture(scope="module")
def proxy(service, tmp_path_factory) -> Iterator[Nginx]:
    upstream = urlparse(service.url).netloc
    nginx = start_nginx(tmp_path_factory.mktemp("nginx"), upstream, IN_FLIGHT)
    try:
        yield nginx
    finally:
        stop_nginx(nginx)


def connect(url: str) -> socket.socket:
    parts = urlparse(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


def wait_closed(socks: list[socket.socket], seconds: float) -> list[socket.socket]:
    """Read from ``socks`` until each is closed by the server or ``seconds`` pass; the ones
    still open."""
    open_socks = list(socks)
    end = time.monotonic() + seconds
    while open_socks and time.monotonic() < end:
        readable, _, _ = select.select(open_socks, [], [], 0.1)
        for sock in readable:
            try:
                chunk = sock.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                open_socks.remove(sock)
    return open_socks


@pytest.mark.hostile(
    "http",
    "Behind the shipped nginx, 60 connections that send nothing, or a request head a byte at a "
    "time, are all closed by nginx within its 10 s header deadline, while normal clients are "
    "answered at once.",
)
def test_slow_heads_are_closed_by_the_proxy_within_its_deadline(proxy):
    silent = [connect(proxy.url) for _ in range(30)]
    trickling = [connect(proxy.url) for _ in range(30)]
    try:
        start = time.monotonic()
        for sock in trickling:
            sock.sendall(b"POST /v1/summaries HTTP/1.1\r\nHost: x\r\n")
        while time.monotonic() - start < 3:  # a byte a second for a while: still too slow
            for sock in trickling:
                sock.sendall(b"X")
            r = httpx.post(f"{proxy.url}/v1/summaries", json={"text": ARTICLE}, timeout=5)
            assert r.status_code == 200, r.text
            time.sleep(1)
        still_open = wait_closed(
            silent + trickling, HEADER_DEADLINE + 5 - (time.monotonic() - start)
        )
        elapsed = time.monotonic() - start
    finally:
        for sock in silent + trickling:
            sock.close()
    assert not still_open, f"{len(still_open)} of 60 slow connections still open"
    assert HEADER_DEADLINE * 0.8 < elapsed < HEADER_DEADLINE + 5, elapsed


@pytest.mark.hostile(
    "http",
    "Behind the shipped nginx, a request head with a header line over 8 KB is answered 431 in "
    "the service's JSON error shape and the connection closed, before the service sees it.",
)
def test_a_header_flood_gets_431_from_the_proxy(proxy):
    with connect(proxy.url) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431"), head
    assert json.loads(body)["error"]["code"] == "header_too_large"


@pytest.mark.hostile(
    "http",
    "Behind the shipped nginx, a summary request whose body arrives a byte at a time never "
    "reaches the service: nginx reads bodies whole before passing them on, and the service "
    "keeps answering others.",
)
def test_a_slow_body_is_held_by_the_proxy_not_the_service(proxy):
    body = json.dumps({"text": ARTICLE}).encode()
    socks = [connect(proxy.url) for _ in range(20)]
    try:
        for sock in socks:
            sock.sendall(post_head(body) + body[:10])
        for _ in range(3):
            time.sleep(0.5)
            for sock in socks:
                sock.sendall(body[10:11])
            r = httpx.post(f"{proxy.url}/v1/summaries", json={"text": ARTICLE}, timeout=5)
            assert r.status_code == 200
        metrics = httpx.get(f"{proxy.url}/metrics", timeout=5).text
    finally:
        for sock in socks:
            sock.close()
    # the service counted only the complete requests: none of the 20 trickling ones
    line = 'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="200"}'
    counted = [x for x in metrics.splitlines() if x.startswith(line)]
    assert counted and float(counted[0].split()[-1]) >= 3


def pipeline_and_never_read(url: str, seconds: float) -> int:
    """One connection with a small receive buffer: 600 pipelined ``GET /widget.js`` it never
    reads the answers of, then endless 1 MB header lines; bytes the server took."""
    parts = urlparse(url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((parts.hostname, parts.port))
    sock.setblocking(False)
    data = b"GET /widget.js HTTP/1.1\r\nHost: x\r\n\r\n" * 600
    data += b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
    line = b"X-Flood: " + b"a" * 1_000_000 + b"\r\n"
    sent = 0
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            if not data:
                data = line
            _, writable, _ = select.select([], [sock], [], 0.1)
            if not writable:
                continue
            try:
                n = sock.send(data[:262144])
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                break  # closed by the server
            sent += n
            data = data[n:]
    finally:
        sock.close()
    return sent


@pytest.mark.hostile(
    "http",
    "A client that pipelines 600 requests, never reads the answers and then sends endless 1 MB "
    "header lines grows the service's memory by at most 50 MB, behind nginx and alone.",
)
@pytest.mark.parametrize("front", ["proxy", "alone"])
def test_a_client_that_pipelines_and_never_reads_cannot_take_the_memory(front, request, service):
    url = request.getfixturevalue("proxy").url if front == "proxy" else service.url
    before = rss_mb(service.process.pid)
    sent = pipeline_and_never_read(url, seconds=6)
    growth = rss_mb(service.process.pid) - before
    assert growth <= 50, f"service RSS grew {growth:.0f} MB ({sent / 1e6:.0f} MB sent)"
    if front == "proxy":  # nor nginx's
        for pid in children(request.getfixturevalue("proxy").process.pid):
            assert rss_mb(pid) < 100, f"nginx worker {pid}: {rss_mb(pid):.0f} MB"
    assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200


@pytest.mark.hostile(
    "http",
    "Served alone, a request head that keeps coming (endless header lines) is answered 400 and "
    "the connection closed once SUMMARIZER_MAX_HEADER_BYTES of it are buffered (uvicorn's h11 "
    "limit on an incomplete head).",
)
def test_alone_a_header_flood_is_cut_at_the_header_bound(service):
    received = b""
    with connect(service.url) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        start = time.monotonic()
        try:
            for _ in range(100):  # up to 1 MB, 10 KB a write
                sock.sendall(b"X-Flood: " + b"a" * 10_000 + b"\r\n")
        except OSError:
            pass  # closed by the server
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except OSError:
            pass
    assert received.startswith(b"HTTP/1.1 400"), received[:100]
    assert time.monotonic() - start < 3


def post(url: str, text: str) -> tuple[int, dict, float, str | None]:
    start = time.perf_counter()
    r = httpx.post(f"{url}/v1/summaries", json={"text": text}, timeout=30)
    return r.status_code, r.json(), time.perf_counter() - start, r.headers.get("retry-after")


@pytest.mark.hostile(
    "http",
    "Behind the shipped nginx, a flood of summary requests beyond SUMMARIZER_PROXY_IN_FLIGHT is "
    "answered 503 with Retry-After and the service's JSON error by nginx itself, while the "
    "requests let through are summarized and /healthz answers.",
)
def test_a_flood_is_shed_by_the_proxy_with_the_services_error(proxy, articles):
    texts = [f"{articles[i % len(articles)]}\n\nEdition {i}." * 3 for i in range(48)]
    with concurrent.futures.ThreadPoolExecutor(48) as pool:
        results = list(pool.map(lambda t: post(proxy.url, t), texts))
        health = [httpx.get(f"{proxy.url}/healthz", timeout=5) for _ in range(3)]
    ok = [r for r in results if r[0] == 200]
    shed = [r for r in results if r[0] == 503]
    assert len(ok) + len(shed) == len(results), [r[0] for r in results]
    assert ok and shed
    for _, body, _, retry_after in shed:
        assert body["error"]["code"] == "overloaded" and int(retry_after) >= 1
    assert all(h.status_code == 200 for h in health)


def test_closed_connections_left_no_traceback_in_the_service_log(service):
    """Run last in this module: every connection above was closed by a client or a limit,
    none of it an error of the service's."""
    log = service.log.read_text(errors="replace")
    assert "Traceback" not in log and " ERROR " not in log, log[-3000:]
