"""The servers under load: ``summarizer serve`` and the bare anchor, each a process on a free
loopback port, and one timed POST to them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from benchmarks.loadtest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process on a free loopback port, its output in ``tmp/<name>.log``."""

    def __init__(self, tmp: Path, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"{name}.log"
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, *argv, "--port", str(self.port)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, path: str = "/readyz", seconds: float = 180) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}{path}", timeout=1).status_code in (200, 405):
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"{self.name} not ready in {seconds:g} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def serve(tmp: Path, name: str, env: dict[str, str], *args: str) -> Server:
    env = {
        "SUMMARIZER_CACHE_URL": f"sqlite:///{tmp / (name + '.sqlite3')}",
        "SUMMARIZER_LOG_LEVEL": "WARNING",
        **env,
    }
    server = Server(tmp, name, ["-m", "summarizer", "serve", *args], env)
    server.wait_ready()
    return server


def bare(tmp: Path, response: dict, workers: int = 1) -> Server:
    path = tmp / "bare-response.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    argv = ["-m", "uvicorn", "--app-dir", str(ROOT / "benchmarks"), "bare_app:app"]
    argv += ["--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"]
    # The HTTP parser ours defaults to (api.settings.http_parser): like is compared with like.
    argv += ["--workers", str(workers), "--http", "h11"]
    server = Server(tmp, f"bare-{workers}", argv, {"LOAD_BARE_RESPONSE": str(path)})
    server.wait_ready("/v1/summaries")  # GET on the POST route: 405 once it listens
    return server


def post(url: str, text: str, timeout: float = 60) -> tuple[httpx.Response, float]:
    start = time.perf_counter()
    r = httpx.post(f"{url}/v1/summaries", json={"text": text}, timeout=timeout)
    return r, time.perf_counter() - start


class Proxy:
    """The documented deployment's nginx (deploy/nginx/summarizer.conf.template, as the tests
    start it) in front of ``server``, on a free loopback port."""

    def __init__(self, tmp: Path, server: Server, in_flight: int) -> None:
        from tests.api.nginx import start_nginx

        self.server = server
        self.nginx = start_nginx(
            tmp / f"nginx-{server.name}", f"127.0.0.1:{server.port}", in_flight
        )
        self.url = self.nginx.url
        self.name = f"{server.name}+nginx"

    def stop(self) -> None:
        from tests.api.nginx import stop_nginx

        stop_nginx(self.nginx)
