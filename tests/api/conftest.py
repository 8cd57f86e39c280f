"""Fixtures for the HTTP service: apps in-process, a real redis-server, a real serve process."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from summarizer.core import Summarizer
from summarizer.engines.base import Engine
from summarizer.summary import Coverage, Summary
from tests.conftest import ROOT, SAMPLES


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def make_settings(tmp_path):
    def make(**overrides) -> Settings:
        values = {
            "cache_url": f"sqlite:///{tmp_path / 'cache.sqlite3'}",
            "log_json": False,
            "microbatch_wait_ms": 5,
        }
        return Settings(**{**values, **overrides})

    return make


@pytest.fixture(scope="module")
def small_client(tmp_path_factory):
    """Small limits so that the limits themselves can be tested cheaply."""
    from api.settings import Settings

    cache = tmp_path_factory.mktemp("cache") / "c.sqlite3"
    settings = Settings(
        cache_url=f"sqlite:///{cache}", max_body_bytes=4096, max_article_chars=1000, log_json=False
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        wait_ready(c)
        yield c


@pytest.fixture(scope="session")
def article() -> str:
    return (SAMPLES / "article.txt").read_text(encoding="utf-8")


class SlowEngine(Engine):
    """Takes ``delay`` seconds per model call and records every call's batch size."""

    name = "slow"

    def __init__(self, delay: float = 0.2) -> None:
        super().__init__("slow-test")
        self.delay = delay
        self.calls: list[int] = []
        self.lock = threading.Lock()

    def summarize_batch(self, docs, options):
        with self.lock:
            self.calls.append(len(docs))
        time.sleep(self.delay)
        return [
            Summary(
                text=doc.sentences[0],
                sentences=[doc.sentences[0]],
                engine=self.name,
                model=self.model_id,
                coverage=Coverage(len(doc.text), doc.words, len(doc.sentences)),
                options=dataclasses.asdict(options),
            )
            for doc in docs
        ]


def wait_ready(client: TestClient, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.02)
    raise AssertionError(f"not ready in {seconds}s: {client.get('/readyz').text}")


@pytest.fixture
def client(make_settings) -> Iterator[TestClient]:
    """The default app (model auto → extractive offline), started and ready."""
    with TestClient(create_app(make_settings())) as c:
        wait_ready(c)
        yield c


async def await_ready(c: httpx.AsyncClient, seconds: float = 15) -> None:
    """Poll ``/readyz`` until it answers 200; the async twin of ``wait_ready``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if (await c.get("/readyz")).status_code == 200:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"app not ready in {seconds}s")


@contextlib.asynccontextmanager
async def running(app):
    """An app with its lifespan running and an async client on it, ready to serve."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            await await_ready(c)
            yield c


def slow_app(settings: Settings, delay: float = 0.2):
    engine = SlowEngine(delay)
    return create_app(settings, summarizer=Summarizer(engine)), engine


@pytest.fixture
def one_slot_app(make_settings):
    """``make(delay)``: a slow app whose model takes one article a call and whose queue holds
    one more, so that two requests fill it; returns (app, engine)."""

    def make(delay: float):
        settings = make_settings(queue_max_depth=1, microbatch_max_size=1, microbatch_wait_ms=0)
        return slow_app(settings, delay)

    return make


async def occupy_model(c: httpx.AsyncClient, text: str) -> asyncio.Task:
    """Start summarizing ``text`` and return once it is in the model (the slow engine's call)."""
    task = asyncio.create_task(c.post("/v1/summaries", json={"text": text}))
    await asyncio.sleep(0.2)
    return task


def http_scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict:
    """The ASGI scope of a POST to ``path`` from a loopback client, to call an app directly."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 80),
    }


def post_head(body: bytes, *headers: str) -> bytes:
    """The request line and headers of a JSON POST to /v1/summaries carrying ``body``."""
    lines = [
        "POST /v1/summaries HTTP/1.1",
        "Host: x",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *headers,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


# -- a real redis-server -------------------------------------------------------------------------


@dataclasses.dataclass
class RedisServer:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def start_redis(tmp: Path) -> RedisServer:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (scripts/setup.sh --test installs it)")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(200):
        try:
            if client.ping():
                break
        except redis.ConnectionError:
            time.sleep(0.02)
    else:
        process.kill()
        raise AssertionError("redis-server did not start")
    client.close()
    return RedisServer(port, process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    server = start_redis(tmp_path)
    try:
        yield server
    finally:
        stop(server.process)


# -- a real `python -m summarizer serve` ---------------------------------------------------------


@dataclasses.dataclass
class ServeProcess:
    url: str
    process: subprocess.Popen
    log: Path


def start_serve(tmp: Path, *args: str, env: dict[str, str] | None = None) -> ServeProcess:
    port = free_port()
    log = tmp / f"serve-{port}.log"
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SUMMARIZER_CACHE_URL": f"sqlite:///{tmp / 'serve-cache.sqlite3'}",
        **(env or {}),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "summarizer", "serve", "--port", str(port), *args],
            cwd=ROOT,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 90
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return ServeProcess(url, process, log)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    stop(process)
    raise AssertionError(f"serve not ready in 90 s:\n{log.read_text()}")


def run_serve_to_exit(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m summarizer serve ARGS`` run until it exits (for what it must refuse to start
    with); its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "summarizer", "serve", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def stop_serve(serve: ServeProcess) -> None:
    """SIGTERM (a graceful stop), then SIGKILL after 30 s."""
    serve.process.send_signal(signal.SIGTERM)
    try:
        serve.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        serve.process.kill()
