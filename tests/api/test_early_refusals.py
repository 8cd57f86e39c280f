"""Refusals answered in the server's HTTP protocol (api/protocols.py EarlyRefusal, api/early.py):
a real uvicorn server in a thread, raw sockets on loopback, a deliberately slow engine whose
queue two requests fill."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from api import protocols
from api.protocols import TimedHttpToolsProtocol
from api.settings import Settings
from tests.api.conftest import free_port, post_head, slow_app

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
def serving(app, **config_options) -> Iterator[tuple[str, int]]:
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        **{"http": TimedHttpToolsProtocol, **config_options},
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
    """A whole JSON POST to /v1/summaries carrying ``body``."""
    return post_head(body, *headers) + body


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
    """``make(**settings)``: a served slow app (3 s a call, queue depth 1) and its spy;
    ``config_options``: uvicorn.Config arguments."""
    with contextlib.ExitStack() as stack:

        def make(*, config_options=None, **overrides):
            settings = make_settings(
                queue_max_depth=1, microbatch_max_size=1, microbatch_wait_ms=0, **overrides
            )
            app, _ = slow_app(settings, 3.0)
            spy = Spy(app)
            url, port = stack.enter_context(serving(spy, **(config_options or {})))
            return url, port, spy

        yield make


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``sock`` (reading and dropping what comes), or None."""
    start = time.perf_counter()
    sock.settimeout(0.1)
    while time.perf_counter() - start < seconds:
        try:
            if not sock.recv(65536):
                return time.perf_counter() - start
        except TimeoutError:
            continue
        except ConnectionResetError:
            return time.perf_counter() - start
    return None


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "A refused request sent with HTTP/1.0 or Connection: close gets its 503 with Connection: "
    "close and the connection is closed; nothing after it in the same write is answered.",
)
@pytest.mark.parametrize("variant", ["http/1.0", "connection: close"])
def test_a_refusal_asked_to_close_closes(slow_server, variant):
    url, port, _ = slow_server(refusal_pace_ms=0)
    if variant == "http/1.0":
        first = post(body(1)).replace(b"HTTP/1.1", b"HTTP/1.0", 1)
    else:
        first = post(body(1), "Connection: close")
    with full_queue(url, 3.0), connect(port) as sock:
        sock.sendall(first + post(body(2)))
        status, headers, _ = read_response(sock)
        rest = _leftovers.pop(sock.fileno(), b"")
        closed = closed_within(sock, 2.0)
    assert status == 503 and headers["connection"] == "close"
    assert rest == b"" and closed is not None and closed < 1.0


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "A connection left idle after a refusal is closed after the keep-alive timeout, as after "
    "any other response.",
)
def test_an_idle_connection_after_a_refusal_is_closed_after_keep_alive(slow_server):
    url, port, _ = slow_server(refusal_pace_ms=0, config_options={"timeout_keep_alive": 1})
    with full_queue(url, 3.0), connect(port) as sock:
        sock.sendall(post(body(1)))
        assert read_response(sock)[0] == 503
        closed = closed_within(sock, 2.5)
    assert closed is not None and 0.8 <= closed < 2.0, closed


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "A client that starts a request's head in the same write as a refused request and then "
    "trickles it gets 408 once the header deadline passes.",
)
def test_a_slow_head_after_a_refusal_still_gets_408(slow_server, monkeypatch):
    monkeypatch.setattr(protocols, "_limits", lambda: (1.0, 8192))  # a one-second deadline
    url, port, _ = slow_server(refusal_pace_ms=0, config_options={"timeout_keep_alive": 30})
    with full_queue(url, 3.0), connect(port) as sock:
        sock.sendall(post(body(1)) + b"POST /v1/summaries HTTP/1.1\r\nHost: x\r\n")
        assert read_response(sock)[0] == 503
        start = time.perf_counter()
        answer = b""
        sock.settimeout(0.25)
        while time.perf_counter() - start < 4 and b"\r\n\r\n" not in answer:
            with contextlib.suppress(OSError):
                sock.sendall(b"X-Slow: 1\r\n")  # a header line every quarter second
            with contextlib.suppress(TimeoutError):
                answer += sock.recv(65536)
        waited = time.perf_counter() - start
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert waited < 2.5, waited


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "A client that sends refused requests and never reads the answers cannot make the server "
    "buffer them without bound: once the connection's write buffer is full its requests wait.",
)
def test_a_client_that_never_reads_its_refusals_is_not_buffered_without_bound(
    slow_server, monkeypatch
):
    buffered = []  # the connection's write buffer after each early refusal

    class Watched(protocols.TimedHttpToolsProtocol):
        def connection_made(self, transport):
            # Small kernel buffers, so that the transport's own buffer is what fills.
            transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
            super().connection_made(transport)

        def on_message_complete(self):
            super().on_message_complete()
            buffered.append(self.transport.get_write_buffer_size())

    url, port, _ = slow_server(refusal_pace_ms=0, config_options={"http": Watched})
    request = post(body(1))
    with full_queue(url, 3.0):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", port))
        sock.settimeout(1.0)
        with sock, contextlib.suppress(OSError):  # a send that cannot go on: the server waits
            for _ in range(3000):  # ~1 MB of requests, ~1 MB of answers
                sock.sendall(request)
                time.sleep(0.0005)  # each request whole in its read: none goes to the app
    assert buffered, "no request was answered"
    assert max(buffered) < 512 * 1024, max(buffered)


@pytest.mark.slow
def test_an_early_refusal_reads_the_first_origin_as_the_app_does(slow_server):
    """Two Origin headers: the CORS headers of the early refusal are the app's own refusal's,
    which CORSMiddleware takes from the first."""
    allowed = "https://news.example"
    url, port, _ = slow_server(refusal_pace_ms=0, cors_origins=[allowed])
    origins = ("Origin: https://elsewhere.example", f"Origin: {allowed}")
    cors = ("access-control-allow-origin", "access-control-expose-headers", "vary")
    with full_queue(url, 3.0):
        with connect(port) as sock:
            sock.sendall(post(body(1), *origins))
            _, early, _ = read_response(sock)
        with connect(port) as sock:  # the app's own refusal: a body arriving in two reads
            request = post(body(2), *origins)
            sock.sendall(request[:-5])
            time.sleep(0.2)
            sock.sendall(request[-5:])
            _, own, _ = read_response(sock)
    assert "connection" not in early and own["connection"] == "close"  # the two paths
    assert {k: early.get(k) for k in cors} == {k: own.get(k) for k in cors}
    assert "access-control-allow-origin" not in early


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "A client that pipelines refused requests gets at most one early refusal per read: the "
    "next is the app's, refused with Connection: close, so pipelining cannot outrun the pace.",
)
def test_pipelined_refusals_cannot_outrun_the_pace(slow_server):
    url, port, spy = slow_server(refusal_pace_ms=25)
    with full_queue(url, 3.0), connect(port) as sock:
        seen = spy.summary_requests
        sock.sendall(b"".join(post(body(i)) for i in range(50)))  # one write, 50 requests
        first, second = read_response(sock), read_response(sock)
        rest = _leftovers.pop(sock.fileno(), b"")
        closed = closed_within(sock, 2.0)
        reached_app = spy.summary_requests - seen
    assert first[0] == 503 and "connection" not in first[1]  # the early refusal
    assert second[0] == 503 and second[1]["connection"] == "close"  # the app's own
    assert reached_app == 1
    assert rest == b"" and closed is not None  # nothing more answered


@pytest.mark.slow
def test_an_early_refusal_is_logged_like_the_apps_own(slow_server):
    """One access line (api.access, INFO) per early refusal, with the app's fields and the
    request's id, as RequestContextMiddleware logs the requests that reach the app."""
    from api.logs import request_id_var

    lines: list[tuple[str, dict, str]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            fields = {k: getattr(record, k, None) for k in ("method", "path", "status", "client")}
            lines.append((record.getMessage(), fields, request_id_var.get()))

    url, port, _ = slow_server(refusal_pace_ms=0)  # the app sets up logging: add after it
    access = logging.getLogger("api.access")
    keep, level = Keep(logging.INFO), access.level
    access.addHandler(keep)
    access.setLevel(logging.INFO)  # whatever the settings' log level
    try:
        with full_queue(url, 3.0), connect(port) as sock:
            lines.clear()
            sock.sendall(post(body(1), "X-Request-ID: logged-1"))
            assert read_response(sock)[0] == 503
    finally:
        access.removeHandler(keep)
        access.setLevel(level)
    refused = [line for line in lines if line[1]["status"] == 503]
    assert len(refused) == 1, lines
    message, fields, request_id = refused[0]
    assert message.startswith("POST /v1/summaries 503 ")
    assert fields == {
        "method": "POST",
        "path": "/v1/summaries",
        "status": 503,
        "client": "127.0.0.1",
    }
    assert request_id == "logged-1"


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "While the queue is full, a request whose body was summarized a moment ago is still answered "
    "200 from the hot tier on a raw connection; another body of the same length is refused.",
)
def test_a_hot_body_is_answered_past_a_full_queue(slow_server):
    url, port, _ = slow_server(refusal_pace_ms=0)
    hot = json.dumps({"text": f"{ARTICLE} Hot one."}).encode()
    other = json.dumps({"text": f"{ARTICLE} Hot two."}).encode()
    assert len(hot) == len(other)
    with connect(port) as sock:  # room in the queue: summarized, and remembered
        sock.sendall(post(hot))
        assert read_response(sock)[0] == 200
    with full_queue(url, 3.0), connect(port) as sock:
        sock.sendall(post(hot))
        status, _, payload = read_response(sock)
        sock.sendall(post(other))
        refused = read_response(sock)[0]
    assert status == 200 and json.loads(payload)["cached"] is True
    assert refused == 503


@pytest.mark.slow
@pytest.mark.hostile(
    "http",
    "Garbage after a refused request in the same write gets the refusal, then 400 and the "
    "connection closed.",
)
def test_garbage_after_a_refusal_gets_400_and_a_close(slow_server):
    url, port, _ = slow_server(refusal_pace_ms=0)
    with full_queue(url, 3.0), connect(port) as sock:
        sock.sendall(post(body(1)) + b"GARBAGE \x00\x01\r\n\r\n")
        first, second = read_response(sock), read_response(sock)
        closed = closed_within(sock, 2.0)
    assert first[0] == 503 and second[0] == 400
    assert second[1]["connection"] == "close" and closed is not None
