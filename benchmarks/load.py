"""Load test of `summarizer serve` on loopback; writes docs/load.md.

    PYTHONPATH=. python benchmarks/load.py [--requests 200] [--concurrency 16] [--max-seconds 120]

Starts a real server process on a free 127.0.0.1 port (never anything else) with a fresh cache,
then measures, each phase bounded in requests and time:

1. cache misses: N distinct articles at concurrency C;
2. cache hits: the same N requests again (the ratio to phase 1 is the cache's speed-up);
3. a flood: F concurrent distinct long articles against a second server with a small queue,
   counting fast 503s, while /healthz is probed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "cnndm_sample.jsonl"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_articles() -> tuple[list[str], str]:
    source = DEV if DEV.is_file() else SAMPLES
    with source.open(encoding="utf-8") as f:
        return [json.loads(line)["article"] for line in f], source.name


def distinct(articles: list[str], n: int) -> list[str]:
    """n different articles: the corpus first, then numbered editions of it."""
    return [
        articles[i % len(articles)] + ("" if i < len(articles) else f"\n\nEdition {i}.")
        for i in range(n)
    ]


class Server:
    def __init__(self, tmp: Path, name: str, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = (tmp / f"{name}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "summarizer", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "SUMMARIZER_CACHE_URL": f"sqlite:///{tmp / (name + '.sqlite3')}",
                "SUMMARIZER_LOG_LEVEL": "WARNING",
                **env,
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds: float = 120) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise SystemExit("server not ready")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, client side
    server_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    cached: int = 0
    wall: float = 0.0

    def add(self, response: httpx.Response, seconds: float) -> None:
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        self.latencies.append(seconds)
        # Server-Timing: app;dur=MS, on every response (set by the request-id middleware)
        timing = response.headers.get("server-timing", "")
        if timing.startswith("app;dur="):
            self.server_ms.append(float(timing.removeprefix("app;dur=")))
        if response.headers.get("content-type", "").startswith("application/json"):
            self.cached += bool(response.json().get("cached"))

    @property
    def count(self) -> int:
        return len(self.latencies)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def run_phase(
    name: str, url: str, bodies: list[dict], concurrency: int, deadline: float
) -> Phase:
    phase = Phase(name)
    queue: asyncio.Queue[dict] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def worker() -> None:
            while not queue.empty() and time.monotonic() < deadline:
                body = queue.get_nowait()
                start = time.perf_counter()
                r = await client.post("/v1/summaries", json=body)
                phase.add(r, time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        phase.wall = time.perf_counter() - start
    return phase


async def _probe(url: str, extra: list[dict], stop, out) -> None:
    late: dict[int, Phase] = {}
    health = Phase("healthz during flood")
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:

        async def probe_health() -> None:
            while not stop.is_set():
                start = time.perf_counter()
                r = await client.get("/healthz")
                health.add(r, time.perf_counter() - start)
                await asyncio.sleep(0.02)

        async def late_one(body: dict) -> None:
            start = time.perf_counter()
            r = await client.post("/v1/summaries", json=body)
            name = f"new article every 50 ms: {r.status_code}"
            late.setdefault(r.status_code, Phase(name)).add(r, time.perf_counter() - start)

        async def probe_late() -> None:
            await asyncio.sleep(0.5)  # the burst has filled the queue by now
            tasks = []
            for body in extra:
                if stop.is_set():
                    break
                tasks.append(asyncio.create_task(late_one(body)))
                await asyncio.sleep(0.05)
            await asyncio.gather(*tasks)

        await asyncio.gather(probe_health(), probe_late())
    out.put([*(late[k] for k in sorted(late)), health])


def _probe_process(url: str, extra: list[dict], stop, out) -> None:
    asyncio.run(_probe(url, extra, stop, out))


async def _burst(url: str, bodies: list[dict]) -> tuple[list[Phase], float]:
    by_status: dict[int, Phase] = {}
    limits = httpx.Limits(max_connections=len(bodies))
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def one(body: dict) -> None:
            start = time.perf_counter()
            r = await client.post("/v1/summaries", json=body)
            phase = by_status.setdefault(r.status_code, Phase(f"flood: {r.status_code}"))
            phase.add(r, time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.gather(*(one(b) for b in bodies))
        wall = time.perf_counter() - start
    return [by_status[k] for k in sorted(by_status)], wall


def run_flood(url: str, bodies: list[dict], extra: list[dict]) -> list[Phase]:
    """All bodies at once from this process, results split by status (fast 503s vs served).
    Meanwhile a separate client process (so the burst's own client load does not distort its
    timings) probes /healthz and sends a new article every 50 ms."""
    ctx = multiprocessing.get_context("fork")
    stop, out = ctx.Event(), ctx.Queue()
    prober = ctx.Process(target=_probe_process, args=(url, extra, stop, out))
    prober.start()
    try:
        burst, wall = asyncio.run(_burst(url, bodies))
    finally:
        stop.set()
    probes = out.get(timeout=120)
    prober.join(30)
    phases = [*burst, *probes]
    for phase in phases:
        phase.wall = wall
    return phases


def row(phase: Phase, ms: bool = True) -> str:
    lat = [s * 1000 for s in phase.latencies]
    rps = phase.count / phase.wall if phase.wall else float("nan")
    server = f"{statistics.median(phase.server_ms):.1f}" if phase.server_ms else "-"
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(phase.statuses.items()))
    return (
        f"| {phase.name} | {phase.count} | {rps:.1f} | {pct(lat, 50):.1f} | {pct(lat, 99):.1f} "
        f"| {server} | {statuses} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--flood", type=int, default=200, help="Concurrent flood requests.")
    parser.add_argument("--flood-queue", type=int, default=8, help="Queue depth of flood server.")
    parser.add_argument("--max-seconds", type=float, default=120, help="Per phase.")
    parser.add_argument("--model", default="auto")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "load.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    articles, source = load_articles()
    bodies = [{"text": t} for t in distinct(articles, args.requests)]
    long_text = "\n\n".join(articles[:12])
    flood_bodies = [{"text": f"{long_text}\n\nEdition {i}."} for i in range(args.flood)]

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        server = Server(tmp, "main", {"SUMMARIZER_MODEL": args.model})
        try:
            server.wait_ready()
            engine = httpx.get(f"{server.url}/v1/models").json()["loaded"]
            miss = asyncio.run(
                run_phase(
                    "cache miss",
                    server.url,
                    bodies,
                    args.concurrency,
                    time.monotonic() + args.max_seconds,
                )
            )
            hit = asyncio.run(
                run_phase(
                    "cache hit",
                    server.url,
                    bodies[: miss.count],
                    args.concurrency,
                    time.monotonic() + args.max_seconds,
                )
            )
            one_by_one = asyncio.run(
                run_phase(
                    "cache hit, one client",
                    server.url,
                    bodies[: min(50, miss.count)],
                    1,
                    time.monotonic() + args.max_seconds,
                )
            )
        finally:
            server.stop()
        flooded = Server(
            tmp,
            "flood",
            {
                "SUMMARIZER_MODEL": args.model,
                "SUMMARIZER_QUEUE_MAX_DEPTH": str(args.flood_queue),
                "SUMMARIZER_REQUEST_DEADLINE_SECONDS": "30",
            },
        )
        try:
            flooded.wait_ready()
            extra = [{"text": t} for t in distinct(articles, 400)[-200:]]
            flood = run_flood(flooded.url, flood_bodies, extra)
        finally:
            flooded.stop()

    speedup = (hit.count / hit.wall) / (miss.count / miss.wall)
    lines = [
        "# Load test",
        "",
        "Written by `benchmarks/load.py` (do not edit by hand). Command:",
        "",
        "```sh",
        "PYTHONPATH=. python benchmarks/load.py " + " ".join(sys.argv[1:]),
        "```",
        "",
        f"- Date (UTC): {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}; machine: "
        f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}; "
        f"client and server share the machine (loopback); 1-minute load average "
        f"{load_before:.1f} before the run (other work on the machine slows every row).",
        f"- Engine: {engine['engine']} / {engine['model']}; articles from `{source}`; "
        f"{args.concurrency} concurrent clients; one server process.",
        "- Latency in ms, measured by the client; *server ms* is the median of the server's own "
        "`Server-Timing` (from the first byte of the request to the response headers).",
        "",
        "| phase | requests | req/s | p50 ms | p99 ms | server ms (p50) | statuses |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        row(miss),
        row(hit),
        row(one_by_one),
        "",
        f"Cache hits served **{speedup:.1f}×** the requests per second of cache misses "
        f"({hit.cached} of {hit.count} answered `cached: true`).",
        "",
        f"## Flood: {args.flood} concurrent requests, queue depth {args.flood_queue}",
        "",
        f"Each request is a distinct {len(long_text.split()):,}-word article, all sent at once "
        "to a fresh server. From 0.5 s on, a second client process sends a new (short, distinct) "
        "article every 50 ms until the flood is over, and probes `/healthz` every 20 ms.",
        "",
        "| phase | requests | req/s | p50 ms | p99 ms | server ms (p50) | statuses |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(row(phase) for phase in flood),
        "",
        "req/s of a flood row is its count over the whole flood's duration. The 503s carry "
        "`Retry-After` and come back without waiting for the model: compare their *server ms* "
        "with the served rows. The burst's client-side latencies are mostly that one Python "
        "client pushing all the large bodies at once on the same CPUs as the server; the second "
        "client's rows show what a new visitor sees while the service is saturated.",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
