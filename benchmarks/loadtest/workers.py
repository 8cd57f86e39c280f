"""Part "workers": cache hits with one worker and with two, both servers up, by turns."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.loadtest.metrics import connections_per_process
from benchmarks.loadtest.servers import post, serve
from benchmarks.loadtest.wrk import Run, Wrk


@dataclass
class WorkerResults:
    one: dict[int, Run]
    two: dict[int, Run]
    spread: dict[int, list[int]]  # wrk's connections per worker process, midway through a run


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
