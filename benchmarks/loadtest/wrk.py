"""Running wrk: POST runs with benchmarks/wrk/post.lua (its JSON summary and the per-request
lines its threads write), GET probes (wrk's text output), and the quantiles of what they timed."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from benchmarks.loadtest import ROOT

LUA = ROOT / "benchmarks" / "wrk" / "post.lua"
PROBE_LUA = ROOT / "benchmarks" / "wrk" / "probe.lua"


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
    def cpu_per_second(self) -> float:
        """wrk's CPU seconds per second of its run (the load generator shares the cores)."""
        return self.data["cpu_seconds"] / self.seconds

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
        # wrk's own CPU: the children reaped while waiting for it are it alone (the servers and
        # a probe running beside it are reaped later)
        before = _children_cpu()
        output, _ = process.communicate(timeout=self.duration + 120)
        cpu_seconds = _children_cpu() - before
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
        return Run(name, {**data, "cpu_seconds": cpu_seconds})

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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
