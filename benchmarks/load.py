"""Load test of `summarizer serve` with wrk on loopback, against a bare FastAPI anchor in the same
run; writes docs/load.md.

    PYTHONPATH=. python benchmarks/load.py                 # the full run (about 6 minutes)
    PYTHONPATH=. python benchmarks/load.py --quick --out /tmp/load.md   # 1 s runs: checks the tool
    PYTHONPATH=. python benchmarks/load.py --only flood --flood-duration 10   # one part, printed

Every server is a real process on a free 127.0.0.1 port (never anything else), every wrk run
lasts ``--duration`` seconds. In one run:

1. cache hits at 4, 16 and 64 connections, ours (extractive engine, SQLite cache, warmed) and the
   bare endpoint (``benchmarks/bare_app.py``: one POST route, the same pydantic body, a JSON
   response of the same size, uvicorn with one worker), run by turns;
2. cache misses at the same connections (every request a distinct article);
3. cache hits with one worker and with ``--workers 2``, both servers up, by turns;
4. a flood: a slow seq2seq model (random-weight tiny BART, 2,048 positions, beam 4) with a
   queue of ``--flood-queue``; first its unloaded rate (``--flood-queue`` + 1 connections: the
   queue just full), then ten times the queue in connections, the same kind of request (each a
   distinct large article), while a second wrk probes ``/healthz``; then one normal request.
   Client latency per status is timed in the Lua script (one connection per wrk thread); the
   server's /metrics (model calls, single-flight joins, CPU), its threads' CPU (/proc) and the
   kernel's accept-queue overflow counters (nstat) are read before and after each phase.

``--only hits|workers|flood`` (repeatable) runs a part; its report is printed, and written only
where ``--out`` says (docs/load.md is the full run's).

wrk is the Debian package ``wrk`` (``scripts/setup.sh --test`` installs it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
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
        """The ``q`` quantile of the service's own ``Server-Timing`` for one status."""
        return quantile(self.data["server_ms"].get(str(status), []), q)

    def client_ms(self, status: int, q: float) -> float:
        """The ``q`` quantile of the client latency of one status (a clocked run only)."""
        return quantile(self.data["client_ms"].get(str(status), []), q)

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
        clock: bool = False,
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
            "LOAD_TRACK": "1" if track or clock else "0",
            "LOAD_CLOCK": "1" if clock else "0",
            "LOAD_OUT": str(out),
            "LOAD_PATH": path,
        }
        seconds = duration or self.duration
        # A clocked run times each request in Lua, which needs one connection per wrk thread.
        threads = connections if clock else min(2, connections)
        argv = [self.binary, "-t", str(threads), "-c", str(connections)]
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
        client_ms: dict[str, list[float]] = {}
        for part in sorted(out.parent.glob(out.name + ".thread*")):
            for line in part.read_text().splitlines():
                status, ms, *client = line.split(" ")
                statuses[status] = statuses.get(status, 0) + 1
                if ms != "-":
                    server_ms.setdefault(status, []).append(float(ms))
                if client:
                    client_ms.setdefault(status, []).append(float(client[0]))
        data = {**data, "statuses": statuses, "server_ms": server_ms, "client_ms": client_ms}
        return Run(name, data)

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


def quantile(values: list[float], q: float) -> float:
    """The ``q`` (0-100) quantile of ``values`` (nearest rank), NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def listen_counters() -> dict[str, int]:
    """The kernel's accept-queue overflow counters (``nstat``; machine-wide), or {} without it."""
    names = ["TcpExtListenOverflows", "TcpExtListenDrops"]
    try:
        out = subprocess.run(["nstat", "-asz", *names], capture_output=True, text=True).stdout
    except OSError:
        return {}
    values = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in names:
            values[parts[0].removeprefix("TcpExt")] = int(parts[1])
    return values


def thread_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds of a process's main thread (the event loop) and of all its other threads
    (model, preparation, torch's), from /proc; (NaN, NaN) where there is none."""
    tick = os.sysconf("SC_CLK_TCK")

    def seconds(path: str) -> float:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

    try:
        main_thread = seconds(f"/proc/{pid}/task/{pid}/stat")
        return main_thread, seconds(f"/proc/{pid}/stat") - main_thread
    except OSError:
        return float("nan"), float("nan")


def scrape(url: str) -> dict[str, float]:
    """The service's /metrics as {series: value} (one worker: its own process counters too)."""
    values = {}
    for line in httpx.get(f"{url}/metrics", timeout=10).text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


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


SECTIONS = ("hits", "workers", "flood")


@dataclass
class Phase:
    """What /metrics and the kernel said across one wrk run of the flood server."""

    model_calls: float
    model_seconds: float
    cpu_seconds: float
    joined: float  # requests that joined another's flight: distinct bodies must give none
    listen: dict[str, int]
    loop_cpu: float  # CPU seconds of the server's main thread (the event loop)
    other_cpu: float  # and of its other threads (model, preparation)

    @classmethod
    def between(cls, before: tuple, after: tuple) -> Phase:
        (m0, k0, t0), (m1, k1, t1) = before, after

        def delta(name: str) -> float:
            return m1.get(name, 0.0) - m0.get(name, 0.0)

        return cls(
            delta("summarizer_model_call_seconds_count"),
            delta("summarizer_model_call_seconds_sum"),
            delta("process_cpu_seconds_total"),
            delta("summarizer_single_flight_joins_total"),
            {k: k1[k] - k0.get(k, 0) for k in k1},
            t1[0] - t0[0],
            t1[1] - t0[1],
        )

    @property
    def seconds_per_call(self) -> float:
        return self.model_seconds / self.model_calls if self.model_calls else float("nan")


@dataclass
class HitResults:
    engine: dict
    hit_seconds: float  # one hit from a fresh connection
    hits: dict[int, Run]
    bares: dict[int, Run]
    misses: dict[int, Run]
    logged_connections: int
    logged: Run  # hits with the INFO access log on


@dataclass
class WorkerResults:
    one: dict[int, Run]
    two: dict[int, Run]
    spread: dict[int, list[int]]  # wrk's connections per worker process, midway through a run


def connections_per_process(port: int) -> list[int]:
    """How many established connections to ``port`` each server process holds (``ss -tnp``),
    most first; [] where ss is not there."""
    try:
        out = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
        ).stdout
    except OSError:
        return []
    counts: dict[str, int] = {}
    for line in out.splitlines():
        for pid in re.findall(r"pid=(\d+)", line)[:1]:
            counts[pid] = counts.get(pid, 0) + 1
    return sorted(counts.values(), reverse=True)


@dataclass
class FloodResults:
    engine: dict
    unloaded: Run
    unloaded_phase: Phase
    flood: Run
    flood_phase: Phase
    health: dict[str, float]
    before: tuple[int, float]  # a normal request before the flood: status, seconds
    after: tuple[int, float]  # and right after it


@dataclass
class Results:
    """Everything one run of this tool measured; ``report`` writes it as Markdown."""

    args: argparse.Namespace
    connections: tuple[int, ...]
    load_before: float
    load_after: float
    source: str
    text: str
    large: str
    hits: HitResults | None = None
    workers: WorkerResults | None = None
    flood: FloodResults | None = None


def measure_hits(tmp: Path, wrk: Wrk, text: str, connections: tuple[int, ...]) -> HitResults:
    """Cache hits and the bare anchor by turns, then misses, then hits with the access log."""
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
    logged_server = serve(
        tmp, "logged", {"SUMMARIZER_MODEL": "extractive", "SUMMARIZER_LOG_LEVEL": "INFO"}
    )
    try:
        post(logged_server.url, text)
        c_logged = 16 if 16 in connections else connections[0]
        logged = wrk.run(f"ours, hit, INFO, {c_logged}", logged_server.url, text, c_logged)
    finally:
        logged_server.stop()
    return HitResults(engine, hit_seconds, hits, bares, misses, c_logged, logged)


def measure_workers(tmp: Path, wrk: Wrk, text: str, connections: tuple[int, ...]) -> WorkerResults:
    """Cache hits with one worker and with two, both servers up, run by turns."""
    one = serve(tmp, "one-worker", {"SUMMARIZER_MODEL": "extractive"})
    two = None
    try:
        two = serve(tmp, "two-workers", {"SUMMARIZER_MODEL": "extractive"}, "--workers", "2")
        for server in (one, two):
            post(server.url, text)
        time.sleep(1.0)  # both workers ready (each loads the engine)
        ones, twos, spread = {}, {}, {}
        for c in connections:
            ones[c] = wrk.run(f"1 worker, hit, {c}", one.url, text, c)
            started = wrk.start(f"2 workers, hit, {c}", two.url, text, c)
            time.sleep(wrk.duration / 2)
            spread[c] = connections_per_process(two.port)
            twos[c] = wrk.finish(started)
    finally:
        one.stop()
        if two is not None:
            two.stop()
    return WorkerResults(ones, twos, spread)


def measure_flood(
    tmp: Path, wrk: Wrk, args: argparse.Namespace, articles: list[str], large: str
) -> FloodResults:
    """The slow model's rate with the queue just full, then ten times the queue, with probes."""
    small = next((a for a in articles if 1500 <= len(a) <= 4000), articles[0])
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

    def probe() -> tuple[dict, dict, tuple[float, float]]:
        return scrape(slow.url), listen_counters(), thread_cpu(slow.process.pid)

    try:
        engine = httpx.get(f"{slow.url}/v1/models").json()["loaded"]
        before = post(slow.url, small + "\n\nBefore the flood.")
        # Unloaded: the same kind of request, as many connections as fill the queue and the
        # model (one in the model, the queue's depth waiting) without a refusal.
        mark = probe()
        unloaded = wrk.run(
            "unloaded",
            slow.url,
            large,
            args.flood_queue + 1,
            distinct=True,
            clock=True,
            duration=args.flood_duration,
        )
        unloaded_phase = Phase.between(mark, mark := probe())
        health = wrk.get("healthz", slow.url, "/healthz", 2, args.flood_duration)
        flood = wrk.run(
            "flood",
            slow.url,
            large,
            10 * args.flood_queue,
            distinct=True,
            clock=True,
            duration=args.flood_duration,
        )
        health_result = health.result()
        flood_phase = Phase.between(mark, probe())
        after = post(slow.url, small + "\n\nAfter the flood.")
    finally:
        slow.stop()
    return FloodResults(
        engine,
        unloaded,
        unloaded_phase,
        flood,
        flood_phase,
        health_result,
        (before[0].status_code, before[1]),
        (after[0].status_code, after[1]),
    )


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
        "--only",
        action="append",
        choices=SECTIONS,
        help="Run only this part (repeatable); the report then has only its tables and is "
        "printed, written only where --out says.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="1 s runs, 16 connections, extractive flood."
    )
    parser.add_argument("--out", type=Path, default=None, help="Default: docs/load.md.")
    args = parser.parse_args()
    sections = tuple(args.only or SECTIONS)
    if args.out is None and sections == SECTIONS:
        args.out = ROOT / "docs" / "load.md"
    connections = CONNECTIONS
    if args.quick:
        args.duration, args.flood_duration, connections = 1.0, 2.0, (16,)
        if args.flood_model == "tiny-bart":
            args.flood_model = "extractive"
    load_before = os.getloadavg()[0]
    articles, source = load_articles()
    text = article_near(articles, 4000)

    with tempfile.TemporaryDirectory(prefix="load-") as tmp_name:
        tmp = Path(tmp_name)
        wrk = Wrk(tmp, args.duration)
        results = Results(
            args, connections, load_before, 0.0, source, text, joined_to(articles, 12_000)
        )
        if "hits" in sections:
            results.hits = measure_hits(tmp, wrk, text, connections)
        if "workers" in sections:
            results.workers = measure_workers(tmp, wrk, text, connections)
        if "flood" in sections:
            results.flood = measure_flood(tmp, wrk, args, articles, results.large)
    results.load_after = os.getloadavg()[0]
    lines = report(results)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


def report(results: Results) -> list[str]:
    """The Markdown report of one run: the header, then a section per part that ran."""
    lines = _header(results)
    if results.hits is not None:
        lines += _hits_section(results.hits, results.connections)
    if results.workers is not None:
        lines += _workers_section(results.workers, results.connections, results.args)
    if results.flood is not None:
        lines += _flood_section(results.flood, results.args, len(results.large))
    return lines


def _header(results: Results) -> list[str]:
    args = results.args
    command = "PYTHONPATH=. python benchmarks/load.py " + " ".join(sys.argv[1:])
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return [
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
        f"1-minute load average {results.load_before:.1f} before the run and "
        f"{results.load_after:.1f} after it (other work on the machine slows every row; the "
        "tool's own servers and wrk count too).",
        "- Ours: `summarizer serve`, SQLite cache, one worker unless said. Bare: "
        "`benchmarks/bare_app.py` (one FastAPI POST route, the same pydantic body "
        '`{"text": ...}`, returning our cached response\'s JSON), uvicorn, one worker. Each row '
        f"is one wrk run of {args.duration:g} s (2 wrk threads); runs compared in a ratio ran "
        "by turns in this run.",
        f"- Body: a {len(results.text):,}-character article from `{results.source}`; hits "
        "send the same body (one warm-up request cached it), misses a distinct body each "
        "request.",
        "- Latency in ms at the client (wrk: from the request's first write to its response; "
        "a connect is not counted).",
        "",
    ]


def _hits_section(h: HitResults, connections: tuple[int, ...]) -> list[str]:
    lines = [
        "## Cache hits and misses",
        "",
        f"Engine {h.engine['engine']} / {h.engine['model']}.",
        "",
        "| connections | hit req/s | bare req/s | ratio | hit p50 | hit p99 | bare p50 | bare p99 "
        "| p99 ratio | miss req/s | miss p50 | miss p99 | miss ratio to bare |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for c in connections:
        hit, b, m = h.hits[c], h.bares[c], h.misses[c]
        lines.append(
            f"| {c} | {fmt(hit.rps)} | {fmt(b.rps)} | {hit.rps / b.rps:.2f} | {fmt(hit.ms(50))} "
            f"| {fmt(hit.ms(99))} | {fmt(b.ms(50))} | {fmt(b.ms(99))} "
            f"| {hit.ms(99) / b.ms(99):.2f} | {fmt(m.rps)} | {fmt(m.ms(50))} | {fmt(m.ms(99))} "
            f"| {m.rps / b.rps:.3f} |"
        )
    problems = _problems([*h.hits.values(), *h.bares.values(), *h.misses.values()])
    logged_ratio = h.logged.rps / h.bares[h.logged_connections].rps
    lines += [
        "",
        f"A single hit from a fresh connection took {h.hit_seconds * 1000:.1f} ms. "
        + (
            "Every hit, bare and miss request got a 2xx and no socket error."
            if not problems
            else "Errors: " + "; ".join(problems) + "."
        ),
        "",
        "The rows above run the service with `SUMMARIZER_LOG_LEVEL=WARNING` (the bare endpoint "
        "logs nothing either). With the access log on (`INFO`, one JSON line per request), "
        f"hits at {h.logged_connections} connections: {fmt(h.logged.rps)} req/s, "
        f"{logged_ratio:.2f} × bare, p99 {fmt(h.logged.ms(99))} ms.",
        "",
    ]
    return lines


def _workers_section(
    w: WorkerResults, connections: tuple[int, ...], args: argparse.Namespace
) -> list[str]:
    lines = [
        "## One worker and two",
        "",
        "Cache hits (extractive engine), a one-worker and a two-worker `summarizer serve` up at "
        f"the same time, one {args.duration:g} s wrk run each by turns at every connection "
        "count. wrk runs on the same two cores, so two workers share them with it. The workers "
        "share one listening socket (uvicorn's): the last column is how many of wrk's "
        "connections each worker process held midway through its run (`ss -tnp`); a worker "
        "with none adds nothing.",
        "",
        "| connections | 1 worker hit req/s | 2 workers hit req/s | ratio | 1 worker p99 "
        "| 2 workers p99 | connections per worker |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in connections:
        one, two = w.one[c], w.two[c]
        spread = " / ".join(map(str, w.spread.get(c, []))) or "-"
        lines.append(
            f"| {c} | {fmt(one.rps)} | {fmt(two.rps)} | {two.rps / one.rps:.2f} "
            f"| {fmt(one.ms(99))} | {fmt(two.ms(99))} | {spread} |"
        )
    problems = _problems([*w.one.values(), *w.two.values()])
    if problems:
        lines += ["", "Errors: " + "; ".join(problems) + "."]
    lines.append("")
    return lines


def _flood_section(f: FloodResults, args: argparse.Namespace, large_chars: int) -> list[str]:
    flood, unloaded = f.flood, f.unloaded
    total = max(1, flood.data["requests"])
    refused = flood.count(503)
    statuses = ", ".join(f"{k}: {v:,}" for k, v in sorted(flood.statuses.items()))
    done_rate = flood.count(200) / flood.seconds
    unloaded_rate = unloaded.count(200) / unloaded.seconds
    goodput = done_rate / unloaded_rate if unloaded_rate else float("nan")
    u_phase, f_phase = f.unloaded_phase, f.flood_phase
    listen = ", ".join(f"{k} +{v:,}" for k, v in f_phase.listen.items()) or "nstat not available"
    n = 10 * args.flood_queue
    return [
        f"## Flood: {n} connections, queue depth {args.flood_queue}",
        "",
        f"Engine {f.engine['engine']} / {f.engine['model']}"
        + (" (random weights, 2,048 positions, beam 4)" if args.flood_model == "tiny-bart" else "")
        + (f", {args.flood_threads} model thread(s)" if args.flood_threads else "")
        + ", no cache, one article per model call. Every request a distinct "
        f"{large_chars:,}-character article. Unloaded: {args.flood_queue + 1} connections (one "
        "request in the model and the queue's depth waiting: the queue full, nothing refused) "
        f"for {args.flood_duration:g} s. Flood: {n} connections of the same kind for "
        f"{args.flood_duration:g} s, while a second wrk (2 connections, 20 ms between requests) "
        "sends `GET /healthz`. Client latency by status is timed per request in wrk's Lua "
        "script (one connection per wrk thread); server ms is the service's own `Server-Timing` "
        "(first byte of the request to the response headers).",
        "",
        "| measure | unloaded | flood |",
        "| --- | ---: | ---: |",
        f"| requests | {unloaded.data['requests']:,} | {flood.data['requests']:,} |",
        f"| statuses | {', '.join(f'{k}: {v:,}' for k, v in sorted(unloaded.statuses.items()))} "
        f"| {statuses} |",
        f"| summaries/s completed | {fmt(unloaded_rate, 2)} | {fmt(done_rate, 2)} |",
        f"| model calls, mean s per call | {u_phase.model_calls:,.0f}, "
        f"{fmt(u_phase.seconds_per_call, 3)} | {f_phase.model_calls:,.0f}, "
        f"{fmt(f_phase.seconds_per_call, 3)} |",
        f"| requests joined to another's flight | {u_phase.joined:,.0f} | {f_phase.joined:,.0f} |",
        f"| server CPU s per s: all / event loop thread / other threads "
        f"| {_cpu(u_phase, unloaded.seconds)} | {_cpu(f_phase, flood.seconds)} |",
        f"| 200 client ms p50 / p99 | {fmt(unloaded.client_ms(200, 50))} / "
        f"{fmt(unloaded.client_ms(200, 99))} | {fmt(flood.client_ms(200, 50))} / "
        f"{fmt(flood.client_ms(200, 99))} |",
        f"| 200 server ms p50 | {fmt(unloaded.server_ms(200, 50))} "
        f"| {fmt(flood.server_ms(200, 50))} |",
        "",
        "| measure during the flood | value |",
        "| --- | ---: |",
        f"| 503 share | {refused / total:.1%} |",
        f"| 503 server ms p50 / p99 | {fmt(flood.server_ms(503, 50), 2)} / "
        f"{fmt(flood.server_ms(503, 99), 2)} |",
        f"| 503 client ms p50 / p99 / max | {fmt(flood.client_ms(503, 50), 2)} / "
        f"{fmt(flood.client_ms(503, 99), 2)} / {fmt(flood.client_ms(503, 100), 2)} |",
        f"| socket errors (connect, read, write, timeout) | {_socket_errors(flood)} |",
        f"| accept-queue overflows (kernel, machine-wide) | {listen} |",
        f"| goodput: summaries/s flood ÷ unloaded | {fmt(goodput, 2)} |",
        f"| /healthz: requests, p50 / p99 ms | {f.health.get('requests', 0):,.0f}, "
        f"{fmt(f.health.get('50%', float('nan')), 2)} / "
        f"{fmt(f.health.get('99%', float('nan')), 2)} |",
        f"| a normal request before the flood: status, ms | {f.before[0]}, "
        f"{f.before[1] * 1000:.0f} |",
        f"| the same kind right after it: status, ms | {f.after[0]}, {f.after[1] * 1000:.0f} |",
        "",
    ]


def _cpu(phase: Phase, seconds: float) -> str:
    return " / ".join(
        fmt(v / seconds, 2) for v in (phase.cpu_seconds, phase.loop_cpu, phase.other_cpu)
    )


def _socket_errors(run: Run) -> str:
    e = run.data["errors"]
    return f"{e['connect']}, {e['read']}, {e['write']}, {e['timeout']}"


def _problems(runs: list[Run]) -> list[str]:
    return [
        f"{r.name}: {r.errors} socket errors, non-2xx {r.data['errors']['status']}"
        for r in runs
        if r.errors or r.data["errors"]["status"]
    ]


if __name__ == "__main__":
    sys.exit(main())
