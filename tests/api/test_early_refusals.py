"""Refusals answered in the server's HTTP protocol (api/protocols.py EarlyRefusal, api/early.py):
a real uvicorn server in a thread, raw sockets on loopback, a deliberately slow engine whose
queue two requests fill."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from api.protocols import TimedHttpToolsProtocol
from api.settings import Settings
from tests.api.conftest import free_port, slow_app

ARTICLE = (
    "The council met on Monday to debate the new budget for the city. "
    "It approved the plan after a long discussion that lasted into the night. "
    "Critics said the plan would raise taxes for families across the region."
)


class Spy:
    """The ASGI app as uvicorn sees it, counting the summary requests that reach it."""

    def __init__(self, app) -> None:
        self.app = app
        self.summary_requests = 0

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/v1/summaries":
            self.summary_requests += 1
        await self.app(scope, receive, send)


@contextlib.contextmanager
def serving(app) -> Iterator[tuple[str, int]]:
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, http=TimedHttpToolsProtocol, log_config=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 30
    while time.monotonic() < end:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                break
        time.sleep(0.05)
    else:
        raise AssertionError("the server did not get ready in 30 s")
    try:
        yield url, port
    finally:
        server.should_exit = True
        thread.join(30)


@contextlib.contextmanager
def full_queue(url: str, seconds: float) -> Iterator[None]:
    """One request in the model and one waiting (queue depth 1): the queue is full meanwhile."""
    threads = [
        threading.Thread(
            target=httpx.post,
            args=(f"{url}/v1/summaries",),
            kwargs={"json": {"text": f"{ARTICLE} Edition {i}."}, "timeout": 60},
            daemon=True,
        )
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.25)
    try:
        yield
    finally:
        for thread in threads:
            thread.join(seconds + 30)


def post(body: bytes, *headers: str) -> bytes:
    lines = [
        "POST /v1/summaries HTTP/1.1",
        "Host: x",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


_leftovers: dict[int, bytes] = {}  # bytes read past a response, by socket (pipelining)


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """The next HTTP response (status, headers, body) on ``sock``."""
    data = _leftovers.pop(sock.fileno(), b"")
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed before a response: {data!r}"
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    headers = {}
    for field in fields:
        name, _, value = field.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "closed inside a body"
        rest += chunk
    if len(rest) > length:
        _leftovers[sock.fileno()] = rest[length:]
    return int(status_line.split()[1]), headers, rest[:length]


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def body(i: int) -> bytes:
    return json.dumps({"text": f"{ARTICLE} Refused {i}."}).encode()


@pytest.fixture
def slow_server(make_settings):
    """``make(**settings)``: a served slow app (3 s a call, queue depth 1) and its spy."""
    with contextlib.ExitStack() as stack:

        def make(**overrides):
            settings = make_settings(
                queue_max_depth=1, microbatch_max_size=1, microbatch_wait_ms=0, **overrides
            )
            app, _ = slow_app(settings, 3.0)
            spy = Spy(app)
            url, port = stack.enter_context(serving(spy))
            return url, port, spy

        yield make


@pytest.mark.hostile(
    "http",
    "While the summary queue is full a refused request is answered 503 with Retry-After from its "
    "headers, before the app sees it, on a connection that stays open, and a client that sends "
    "again at once waits the refusal pace for its next answer.",
)
def test_a_full_queue_is_refused_in_the_protocol_on_a_kept_connection(slow_server):
    url, port, spy = slow_server(refusal_pace_ms=300)
    with full_queue(url, 3.0):
        seen = spy.summary_requests
        with connect(port) as sock:
            sock.sendall(post(body(1), "X-Request-ID: client-id-1"))
            status, headers, payload = read_response(sock)
            sent = time.perf_counter()
            sock.sendall(post(body(2)))  # at once, on the same connection
            again = read_response(sock)
            waited = time.perf_counter() - sent
        after = spy.summary_requests
        metrics = httpx.get(f"{url}/metrics").text
    assert status == 503 and json.loads(payload)["error"]["code"] == "overloaded"
    assert int(headers["retry-after"]) >= 1
    assert headers["x-request-id"] == "client-id-1"
    assert headers["server-timing"].startswith("app;dur=")
    assert "connection" not in headers  # kept open: the body was read
    assert again[0] == 503 and again[1]["x-request-id"] != "client-id-1"
    assert waited >= 0.25, waited  # the second was read only after the pace
    assert after == seen  # neither reached the ASGI app
    assert 'summarizer_rejected_total{reason="overloaded"} 2.0' in metrics
    assert 'route="/v1/summaries",status="503"} 2.0' in metrics


@pytest.mark.hostile(
    "http",
    "A refused client's request heads never add up to a 431 on a kept connection: hundreds of "
    "refusals in a row each get their own 503.",
)
def test_many_refusals_on_one_connection_each_get_a_503(slow_server):
    url, port, _ = slow_server(refusal_pace_ms=0)
    padding = "X-Padding: " + "p" * 200
    limit = Settings().max_header_bytes  # what api.protocols reads (the environment's)
    count = limit // len(post(b"", padding)) + 50  # together far past the limit
    with full_queue(url, 3.0), connect(port) as sock:
        statuses = []
        for i in range(count):
            sock.sendall(post(body(i), padding))
            statuses.append(read_response(sock)[0])
    assert statuses == [503] * count


def test_a_request_arriving_in_pieces_goes_to_the_app(slow_server):
    """Early refusal needs the whole request in one read; a body still arriving is the app's,
    which refuses it the usual way (and closes), or summarizes it when there is room."""
    url, port, spy = slow_server(refusal_pace_ms=0)
    request = post(json.dumps({"text": ARTICLE}).encode())
    with connect(port) as sock:  # room in the queue: summarized, from its pieces
        sock.sendall(request[:-20])
        time.sleep(0.2)
        sock.sendall(request[-20:])
        status, _, payload = read_response(sock)
    assert status == 200 and json.loads(payload)["summary"]
    request = post(body(2))  # not one the hot tier now holds
    with full_queue(url, 3.0), connect(port) as sock:
        seen = spy.summary_requests
        sock.sendall(request[:-20])
        time.sleep(0.2)
        sock.sendall(request[-20:])
        status, headers, _ = read_response(sock)
        assert spy.summary_requests == seen + 1  # the app's own refusal
    assert status == 503 and headers["connection"] == "close"


def test_pipelined_requests_are_answered_in_order(slow_server):
    url, port, _ = slow_server(refusal_pace_ms=0)
    health = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    # (a summary of another length than the refused ones': a body of a length the hot tier
    # holds goes on to its look-up in the app)
    summary = json.dumps({"text": ARTICLE}).encode()
    with connect(port) as sock:  # a summary, then a probe, in one write
        sock.sendall(post(summary) + health)
        first, second = read_response(sock), read_response(sock)
    assert first[0] == 200 and "summary" in json.loads(first[2])
    assert second[0] == 200 and json.loads(second[2]) == {"status": "ok"}
    with full_queue(url, 3.0), connect(port) as sock:  # a refusal, a probe, a refusal
        sock.sendall(post(body(2)) + health + post(body(3)))
        answers = [read_response(sock) for _ in range(3)]
    assert [a[0] for a in answers] == [503, 200, 503]
    assert json.loads(answers[1][2]) == {"status": "ok"}


def test_an_early_refusal_carries_the_apps_cors_headers(slow_server):
    """The browser widget must be able to read a 503 and its Retry-After: the early refusal has
    exactly the CORS headers the app's CORSMiddleware gives the app's own refusal."""
    origin = "https://news.example"
    url, port, _ = slow_server(refusal_pace_ms=0, cors_origins=[origin])
    cors = ("access-control-allow-origin", "access-control-expose-headers", "vary")
    with full_queue(url, 3.0):
        with connect(port) as sock:
            sock.sendall(post(body(1), f"Origin: {origin}"))
            _, early, _ = read_response(sock)
            sock.sendall(post(body(2), "Origin: https://elsewhere.example"))
            _, other, _ = read_response(sock)
        with connect(port) as sock:  # the app's own refusal: a body arriving in two reads
            request = post(body(3), f"Origin: {origin}")
            sock.sendall(request[:-5])
            time.sleep(0.2)
            sock.sendall(request[-5:])
            _, own, _ = read_response(sock)
    assert "connection" not in early and own["connection"] == "close"  # the two paths
    assert {k: early.get(k) for k in cors} == {k: own.get(k) for k in cors}
    assert early["access-control-allow-origin"] == origin
    assert "Retry-After" in early["access-control-expose-headers"]
    assert "access-control-allow-origin" not in other
