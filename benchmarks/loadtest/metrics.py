"""Readings of a server under load: its /metrics, its threads' CPU (/proc), the kernel's
accept-queue counters (nstat) and connections per process (ss); a phase is the difference of
two readings."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx


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


def thread_cpu(pid: int) -> tuple[float, float, float]:
    """CPU seconds of a process's main thread (the event loop), of all its other threads
    (model, preparation, torch's), and of its live child processes (the model process of
    SUMMARIZER_MODEL_PROCESS), from /proc; NaN where there is none."""
    tick = os.sysconf("SC_CLK_TCK")

    def seconds(path: str) -> float:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

    try:
        main_thread = seconds(f"/proc/{pid}/task/{pid}/stat")
        others = seconds(f"/proc/{pid}/stat") - main_thread
    except OSError:
        return float("nan"), float("nan"), float("nan")
    children = 0.0
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in listing.read_text().split():
            with contextlib.suppress(OSError):
                children += seconds(f"/proc/{child}/stat")
    return main_thread, others, children


def scrape(url: str) -> dict[str, float]:
    """The service's /metrics as {series: value} (one worker: its own process counters too)."""
    values = {}
    for line in httpx.get(f"{url}/metrics", timeout=10).text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


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
class Phase:
    """What /metrics and the kernel said across one wrk run of the flood server."""

    model_calls: float
    model_seconds: float
    cpu_seconds: float
    joined: float  # requests that joined another's flight: distinct bodies must give none
    listen: dict[str, int]
    loop_cpu: float  # CPU seconds of the server's main thread (the event loop)
    other_cpu: float  # and of its other threads (model, preparation)
    child_cpu: float  # and of its child processes (the model process, if any)

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
            t1[2] - t0[2],
        )

    @property
    def seconds_per_call(self) -> float:
        return self.model_seconds / self.model_calls if self.model_calls else float("nan")
