"""Load test of `summarizer serve` with wrk on loopback, against a bare FastAPI anchor in the same
run; writes docs/load.md.

    PYTHONPATH=. python benchmarks/load.py                 # the full run (about 5 minutes)
    PYTHONPATH=. python benchmarks/load.py --quick --out /tmp/load.md   # 1 s runs: checks the tool

Every server is a real process on a free 127.0.0.1 port (never anything else), every wrk run
lasts ``--duration`` seconds. In one run:

1. cache hits at 4, 16 and 64 connections, ours (extractive engine, SQLite cache, warmed) and the
   bare endpoint (``benchmarks/bare_app.py``: one POST route, the same pydantic body, a JSON
   response of the same size, uvicorn with one worker), run by turns;
2. cache misses at the same connections (every request a distinct article);
3. cache hits with ``--workers 2``;
4. a flood: a slow seq2seq model (random-weight tiny BART, 2,048 positions, beam 4) with a
   queue of ``--flood-queue``; first its unloaded rate (``--flood-queue`` connections of distinct
   articles), then ten times the queue in connections, each a distinct large article, while a
   second wrk probes ``/healthz``; then one normal request.

wrk is the Debian package ``wrk`` (``scripts/setup.sh --test`` installs it).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "benchmarks" / "wrk" / "post.lua"
PROBE_LUA = ROOT / "benchmarks" / "wrk" / "probe.lua"
SAMPLES = ROOT / "samples" / "cnndm_sample.jsonl"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
CONNECTIONS = (4, 16, 64)
FLOOD_MODEL_CONFIG = {"max_position_embeddings": 2048}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_articles() -> tuple[list[str], str]:
    source = DEV if DEV.is_file() else SAMPLES
    with source.open(encoding="utf-8") as f:
        return [json.loads(line)["article"] for line in f], source.name


def article_near(articles: list[str], chars: int) -> str:
    """The article whose length is closest to ``chars`` (the hit/miss body)."""
    return min(articles, key=lambda a: abs(len(a) - chars))


def joined_to(articles: list[str], chars: int) -> str:
    """Articles joined until at least ``chars`` long (the flood's large body)."""
    parts, size = [], 0
    for article in articles:
        parts.append(article)
        size += len(article) + 2
        if size >= chars:
            break
    return "\n\n".join(parts)


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


def bare(tmp: Path, response: dict) -> Server:
    path = tmp / "bare-response.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    argv = ["-m", "uvicorn", "--app-dir", str(ROOT / "benchmarks"), "bare_app:app"]
    argv += ["--host", "127.0.0.1", "--log-level", "warning", "--no-access-log", "--workers", "1"]
    server = Server(tmp, "bare", argv, {"LOAD_BARE_RESPONSE": str(path)})
    server.wait_ready("/v1/summaries")  # GET on the POST route: 405 once it listens
    return server


@dataclass
class Run:
    """One wrk run's summary (``done()`` of benchmarks/wrk/post.lua)."""

    name: str
    data: dict

    @property
    def seconds(self) -> float:
        return self.data["duration_us"] / 1e6

    @property
    def rps(self) -> float:
        return self.data["requests"] / self.seconds

    def ms(self, q: float) -> float:
        return self.data["latency_us"][f"{q:g}"] / 1000

    @property
    def statuses(self) -> dict[int, int]:
        return {int(k): v for k, v in self.data["statuses"].items()}

    def count(self, status: int) -> int:
        return self.statuses.get(status, 0)

    def server_ms(self, status: int, q: float) -> float:
        values = sorted(self.data["server_ms"].get(str(status), []))
        if not values:
            return float("nan")
        return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]

    @property
    def errors(self) -> int:
        e = self.data["errors"]
        return e["connect"] + e["read"] + e["write"] + e["timeout"]


class Wrk:
    """Runs wrk with benchmarks/wrk/post.lua and reads its JSON summary."""

    def __init__(self, tmp: Path, duration: float) -> None:
        self.binary = shutil.which("wrk")
        if self.binary is None:
            raise SystemExit("wrk is not installed: apt-get install wrk (scripts/setup.sh --test)")
        self.tmp = tmp
        self.duration = duration
        self.runs = 0

    def text_file(self, text: str) -> Path:
        path = self.tmp / f"text-{abs(hash(text))}.json"
        path.write_text(json.dumps(text, ensure_ascii=False)[1:-1], encoding="utf-8")
        return path

    def start(
        self,
        name: str,
        url: str,
        text: str,
        connections: int,
        *,
        distinct: bool = False,
        track: bool = False,
        path: str = "/v1/summaries",
        method: str = "POST",
        duration: float | None = None,
    ) -> tuple[subprocess.Popen, Path, str]:
        self.runs += 1
        out = self.tmp / f"wrk-{self.runs}.json"
        env = {
            **os.environ,
            "LOAD_TEXT_FILE": str(self.text_file(text)),
            "LOAD_MODE": "distinct" if distinct else "same",
            "LOAD_SALT": str(self.runs),
            "LOAD_TRACK": "1" if track else "0",
            "LOAD_OUT": str(out),
            "LOAD_PATH": path,
        }
        seconds = duration or self.duration
        argv = [self.binary, "-t", str(min(2, connections)), "-c", str(connections)]
        argv += ["-d", f"{seconds:g}s", "--timeout", "30s"]
        if method == "POST":
            argv += ["-s", str(LUA)]
        process = subprocess.Popen(
            [*argv, url + path], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        return process, out, name

    def finish(self, started: tuple[subprocess.Popen, Path, str]) -> Run:
        process, out, name = started
        output, _ = process.communicate(timeout=self.duration + 120)
        if process.returncode != 0 or not out.is_file():
            raise SystemExit(f"wrk failed ({name}): {output.decode(errors='replace')}")
        data = json.loads(out.read_text())
        statuses: dict[str, int] = {}
        server_ms: dict[str, list[float]] = {}
        for part in sorted(out.parent.glob(out.name + ".thread*")):
            for line in part.read_text().splitlines():
                status, _, ms = line.partition(" ")
                statuses[status] = statuses.get(status, 0) + 1
                if ms != "-":
                    server_ms.setdefault(status, []).append(float(ms))
        return Run(name, {**data, "statuses": statuses, "server_ms": server_ms})

    def run(self, name: str, url: str, text: str, connections: int, **kw) -> Run:
        return self.finish(self.start(name, url, text, connections, **kw))

    def get(self, name: str, url: str, path: str, connections: int, duration: float) -> Run:
        """GET ``path`` (latency only, from wrk's own output)."""
        self.runs += 1
        seconds = f"{duration:g}s"
        argv = [self.binary, "-t", "1", "-c", str(connections), "-d", seconds, "--latency"]
        argv += ["-s", str(PROBE_LUA)]  # a pause between requests: a probe, not more load
        process = subprocess.Popen(
            [*argv, url + path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        return _GetRun(name, process, duration)


class _GetRun:
    """A GET run started in the background; ``result()`` parses wrk's text output."""

    def __init__(self, name: str, process: subprocess.Popen, duration: float) -> None:
        self.name = name
        self.process = process
        self.duration = duration

    def result(self) -> dict[str, float]:
        output, _ = self.process.communicate(timeout=self.duration + 120)
        text = output.decode(errors="replace")
        if self.process.returncode != 0:
            raise SystemExit(f"wrk failed ({self.name}): {text}")
        values: dict[str, float] = {}
        for line in text.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0].endswith("%"):
                values[parts[0]] = _to_ms(parts[1])
            elif line.startswith("Requests/sec:"):
                values["rps"] = float(parts[1])
            elif "requests in" in line:
                values["requests"] = float(parts[0])
        return values


def _to_ms(value: str) -> float:
    for unit, scale in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)):
        if value.endswith(unit):
            return float(value.removesuffix(unit)) * scale
    raise ValueError(f"not a wrk latency: {value}")


def post(url: str, text: str, timeout: float = 60) -> tuple[httpx.Response, float]:
    start = time.perf_counter()
    r = httpx.post(f"{url}/v1/summaries", json={"text": text}, timeout=timeout)
    return r, time.perf_counter() - start


def build_flood_model(work: Path, articles: list[str]) -> Path:
    from summarizer.testing import build_checkpoint

    folder = work / "tiny-bart-2048"
    if not (folder / "model.safetensors").is_file():
        build_checkpoint(folder, "bart", articles, config=FLOOD_MODEL_CONFIG)
    return folder


def fmt(value: float, digits: int = 1) -> str:
    return "-" if value != value else f"{value:,.{digits}f}"  # NaN -> "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=8, help="Seconds per wrk run.")
    parser.add_argument("--flood-duration", type=float, default=30, help="Seconds of flood.")
    parser.add_argument("--flood-queue", type=int, default=8, help="Queue depth of the flood.")
    parser.add_argument(
        "--flood-model",
        default="tiny-bart",
        help="tiny-bart (random weights, built in the run) or any SUMMARIZER_MODEL value.",
    )
    parser.add_argument(
        "--flood-threads",
        type=int,
        default=None,
        help="SUMMARIZER_THREADS of the flood server (default: the service's, all cores).",
    )
    parser.add_argument(
        "--quick", action="store_true", help="1 s runs, 16 connections, extractive flood."
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "load.md")
    args = parser.parse_args()
    connections = CONNECTIONS
    if args.quick:
        args.duration, args.flood_duration, connections = 1.0, 2.0, (16,)
        if args.flood_model == "tiny-bart":
            args.flood_model = "extractive"
    load_before = os.getloadavg()[0]
    articles, source = load_articles()
    text = article_near(articles, 4000)
    large = joined_to(articles, 12_000)
    small_bodies = [a for a in articles if 1500 <= len(a) <= 4000][:1] or [articles[0]]

    with tempfile.TemporaryDirectory(prefix="load-") as tmp_name:
        tmp = Path(tmp_name)
        wrk = Wrk(tmp, args.duration)
        ours = serve(tmp, "ours", {"SUMMARIZER_MODEL": "extractive"})
        try:
            first, _ = post(ours.url, text)
            hit, hit_seconds = post(ours.url, text)
            assert first.status_code == 200 and hit.json()["cached"] is True, hit.text
            engine = httpx.get(f"{ours.url}/v1/models").json()["loaded"]
            anchor = bare(tmp, hit.json())
            try:
                hits, bares = {}, {}
                for c in connections:
                    hits[c] = wrk.run(f"ours, hit, {c}", ours.url, text, c)
                    bares[c] = wrk.run(f"bare, {c}", anchor.url, text, c)
            finally:
                anchor.stop()
            misses = {
                c: wrk.run(f"ours, miss, {c}", ours.url, text, c, distinct=True, track=True)
                for c in connections
            }
        finally:
            ours.stop()

        logged = serve(
            tmp, "logged", {"SUMMARIZER_MODEL": "extractive", "SUMMARIZER_LOG_LEVEL": "INFO"}
        )
        try:
            post(logged.url, text)
            c_logged = 16 if 16 in connections else connections[0]
            logged_hits = wrk.run(f"ours, hit, INFO, {c_logged}", logged.url, text, c_logged)
        finally:
            logged.stop()

        two = serve(tmp, "two-workers", {"SUMMARIZER_MODEL": "extractive"}, "--workers", "2")
        try:
            post(two.url, text)
            time.sleep(1.0)  # both workers ready (each loads the engine)
            two_hits = {c: wrk.run(f"2 workers, hit, {c}", two.url, text, c) for c in connections}
        finally:
            two.stop()

        flood_model = args.flood_model
        if flood_model == "tiny-bart":
            flood_model = str(build_flood_model(tmp, articles))
        flood_env = {
            "SUMMARIZER_MODEL": flood_model,
            "SUMMARIZER_QUEUE_MAX_DEPTH": str(args.flood_queue),
            "SUMMARIZER_CACHE_URL": "none",
            # one article per model call: summaries complete one by one, so a run of some
            # seconds counts them finely (a batch of 8 large articles takes longer than that)
            "SUMMARIZER_MICROBATCH_MAX_SIZE": "1",
        }
        if args.flood_model == "tiny-bart":
            flood_env["SUMMARIZER_NUM_BEAMS"] = "4"
        if args.flood_threads is not None:
            flood_env["SUMMARIZER_THREADS"] = str(args.flood_threads)
        slow = serve(tmp, "flood", flood_env)
        try:
            engine_flood = httpx.get(f"{slow.url}/v1/models").json()["loaded"]
            before, before_seconds = post(slow.url, small_bodies[0] + "\n\nBefore the flood.")
            unloaded = wrk.run(
                "unloaded",
                slow.url,
                large,
                args.flood_queue,
                distinct=True,
                track=True,
                duration=args.flood_duration,
            )
            flood_connections = 10 * args.flood_queue
            health = wrk.get("healthz", slow.url, "/healthz", 2, args.flood_duration)
            flood = wrk.run(
                "flood",
                slow.url,
                large,
                flood_connections,
                distinct=True,
                track=True,
                duration=args.flood_duration,
            )
            health_result = health.result()
            after, after_seconds = post(slow.url, small_bodies[0] + "\n\nAfter the flood.")
        finally:
            slow.stop()

    lines = report(
        args,
        connections,
        load_before,
        source,
        engine,
        engine_flood,
        text,
        large,
        hit_seconds,
        hits,
        bares,
        misses,
        two_hits,
        (c_logged, logged_hits),
        unloaded,
        flood,
        health_result,
        (before.status_code, before_seconds, after.status_code, after_seconds),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


def report(
    args,
    connections,
    load_before,
    source,
    engine,
    engine_flood,
    text,
    large,
    hit_seconds,
    hits,
    bares,
    misses,
    two_hits,
    logged,
    unloaded,
    flood,
    health,
    after,
) -> list[str]:
    command = "PYTHONPATH=. python benchmarks/load.py " + " ".join(sys.argv[1:])
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    lines = [
        "# Load test",
        "",
        "Written by `benchmarks/load.py` (do not edit by hand). Command:",
        "",
        "```sh",
        command.strip(),
        "```",
        "",
        f"- Date (UTC): {time.strftime('%Y-%m-%d %H:%M', time.gmtime())}; machine: "
        f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}; "
        f"load generator: {' '.join(wrk_version[:2]) or 'wrk'} on the same machine (loopback); "
        f"1-minute load average {load_before:.1f} before the run (other work on the machine "
        "slows every row).",
        f"- Ours: `summarizer serve`, engine {engine['engine']} / {engine['model']}, SQLite "
        "cache, one worker unless said. Bare: `benchmarks/bare_app.py` (one FastAPI POST route, "
        'the same pydantic body `{"text": ...}`, returning our cached response\'s JSON), '
        "uvicorn, one worker. Each row is one wrk run of "
        f"{args.duration:g} s; ours and bare ran by turns in this run.",
        f"- Body: a {len(text):,}-character article from `{source}`; hits send the same body "
        "(one warm-up request cached it), misses a distinct body each request.",
        "- Latency in ms at the client (wrk).",
        "",
        "## Cache hits and misses",
        "",
        "| connections | hit req/s | bare req/s | ratio | hit p50 | hit p99 | bare p50 | bare p99 "
        "| p99 ratio | miss req/s | miss p50 | miss p99 | miss ratio to bare |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for c in connections:
        h, b, m = hits[c], bares[c], misses[c]
        lines.append(
            f"| {c} | {fmt(h.rps)} | {fmt(b.rps)} | {h.rps / b.rps:.2f} | {fmt(h.ms(50))} "
            f"| {fmt(h.ms(99))} | {fmt(b.ms(50))} | {fmt(b.ms(99))} | {h.ms(99) / b.ms(99):.2f} "
            f"| {fmt(m.rps)} | {fmt(m.ms(50))} | {fmt(m.ms(99))} | {m.rps / b.rps:.3f} |"
        )
    problems = [
        f"{r.name}: {r.errors} socket errors, non-2xx {r.data['errors']['status']}"
        for r in [*hits.values(), *bares.values(), *misses.values(), *two_hits.values()]
        if r.errors or r.data["errors"]["status"]
    ]
    lines += [
        "",
        f"A single hit from a fresh connection took {hit_seconds * 1000:.1f} ms. "
        + (
            "Every hit, bare and miss request got a 2xx and no socket error."
            if not problems
            else "Errors: " + "; ".join(problems) + "."
        ),
        "",
        f"The rows above run the service with `SUMMARIZER_LOG_LEVEL=WARNING` (the bare endpoint "
        f"logs nothing either). With the access log on (`INFO`, one JSON line per request), "
        f"hits at {logged[0]} connections: {fmt(logged[1].rps)} req/s, "
        f"{logged[1].rps / bares[logged[0]].rps:.2f} × bare, p99 {fmt(logged[1].ms(99))} ms.",
        "",
        "## One worker and two",
        "",
        "| connections | 1 worker hit req/s | 2 workers hit req/s | ratio | 2 workers p99 |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in connections:
        one, two = hits[c], two_hits[c]
        lines.append(
            f"| {c} | {fmt(one.rps)} | {fmt(two.rps)} | {two.rps / one.rps:.2f} "
            f"| {fmt(two.ms(99))} |"
        )
    total = max(1, flood.data["requests"])
    refused = flood.count(503)
    share_other = 1 - refused / total
    # wrk gives one latency histogram for the whole run. If every other response was slower
    # than every 503, the 503s' p99 is the run's quantile at 99 % of their share; in any case
    # it is at most the quantile at that + the others' share (the bound shown).
    bound_q = min(999, math.ceil(990 * (1 - share_other) + 1000 * share_other)) / 10
    bound_ms = flood.data["latency_us"][f"{bound_q:g}"]
    quantile_text = f"p{bound_q:g}"
    statuses = ", ".join(f"{k}: {v:,}" for k, v in sorted(flood.statuses.items()))
    done_rate = flood.count(200) / flood.seconds
    unloaded_rate = unloaded.count(200) / unloaded.seconds
    lines += [
        "",
        f"## Flood: {10 * args.flood_queue} connections, queue depth {args.flood_queue}",
        "",
        f"Engine {engine_flood['engine']} / {engine_flood['model']}"
        + (" (random weights, 2,048 positions, beam 4)" if args.flood_model == "tiny-bart" else "")
        + (f", {args.flood_threads} model thread(s)" if args.flood_threads else "")
        + f", no cache, one article per model call. Unloaded: {args.flood_queue} connections "
        f"(the queue's depth) of the flood's kind of request for {args.flood_duration:g} s. "
        f"Flood: {10 * args.flood_queue} connections, every request a distinct "
        f"{len(large):,}-character article, for {args.flood_duration:g} s, "
        "while a second wrk (2 connections, 20 ms between requests) sends `GET /healthz`.",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| unloaded summaries/s | {fmt(unloaded_rate, 2)} |",
        f"| flood requests | {flood.data['requests']:,} |",
        f"| flood statuses | {statuses} |",
        f"| 503 share | {refused / total:.1%} |",
        f"| 503 server ms p50 / p99 | {fmt(flood.server_ms(503, 50), 2)} / "
        f"{fmt(flood.server_ms(503, 99), 2)} |",
        f"| 503 client ms p99 (at most the flood's {quantile_text}) | {fmt(bound_ms / 1000)} |",
        f"| flood client ms p50 / p99 (all statuses) | {fmt(flood.ms(50))} / {fmt(flood.ms(99))} |",
        f"| summaries/s completed during the flood | {fmt(done_rate, 2)} |",
        f"| goodput: flood / unloaded | {done_rate / unloaded_rate if unloaded_rate else 0:.2f} |",
        f"| 200 server ms p50 during the flood | {fmt(flood.server_ms(200, 50))} |",
        f"| /healthz during the flood: requests, p50 / p99 ms | {health.get('requests', 0):,.0f}, "
        f"{fmt(health.get('50%', float('nan')), 2)} / {fmt(health.get('99%', float('nan')), 2)} |",
        f"| a normal request before the flood: status, ms | {after[0]}, {after[1] * 1000:.0f} |",
        f"| the same kind right after it: status, ms | {after[2]}, {after[3] * 1000:.0f} |",
        "",
        "Server ms is the service's own `Server-Timing` (first byte of the request to the "
        "response headers).",
        "",
    ]
    return lines


if __name__ == "__main__":
    sys.exit(main())
