"""Part "workers": cache hits with one worker and with two, both servers up, by turns, in
rounds."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.loadtest.metrics import connections_per_process, thread_cpu
from benchmarks.loadtest.servers import Server, bare, post, serve
from benchmarks.loadtest.wrk import Run, Wrk


@dataclass
class WorkerResults:
    one: dict[int, Run]
    two: dict[int, Run]
    spread: dict[int, list[int]]  # wrk's connections per worker process, midway through a run
    # CPU seconds of all the server's processes (supervisor and workers) during each run
    one_cpu: dict[int, float]
    two_cpu: dict[int, float]
    ratios: dict[int, list[float]]  # two workers ÷ one in every round, lowest first
    # the bare FastAPI anchor's two workers ÷ one, in the same rounds (lowest first): how far
    # uvicorn itself scales on this machine with wrk beside it
    bare_ratios: dict[int, list[float]]
    bare_rps: dict[int, tuple[float, float]]  # the bare anchor, 1 and 2 workers, median round

    def per_request_us(self, c: int) -> tuple[float, float, float]:
        """CPU µs per request: the one-worker server's, the two-worker server's (all its
        processes) and wrk's in the two-worker run."""
        one, two = self.one[c], self.two[c]
        return (
            self.one_cpu[c] / one.data["requests"] * 1e6,
            self.two_cpu[c] / two.data["requests"] * 1e6,
            two.data["cpu_seconds"] / two.data["requests"] * 1e6,
        )

    def ceiling(self, c: int) -> float:
        """The most two workers could give over one on these two cores, shared with wrk: both
        cores' seconds divided by what a request costs the two workers' server and wrk
        together, over one worker's measured rate. A ratio near it is limited by the machine,
        not by the service."""
        _, server_us, wrk_us = self.per_request_us(c)
        return 2 / ((server_us + wrk_us) / 1e6) / self.one[c].rps


@dataclass
class _Round:
    one: Run
    two: Run
    spread: list[int]
    one_cpu: float
    two_cpu: float
    bare_one_rps: float = float("nan")
    bare_two_rps: float = float("nan")

    @property
    def bare_ratio(self) -> float:
        return self.bare_two_rps / self.bare_one_rps

    @property
    def ratio(self) -> float:
        return self.two.rps / self.one.rps


def _round(wrk: Wrk, one: Server, two: Server, text: str, c: int) -> _Round:
    """One wrk run against the one-worker server, then one against the two-worker server."""
    before = sum(thread_cpu(one.process.pid))
    one_run = wrk.run(f"1 worker, hit, {c}", one.url, text, c)
    one_cpu = sum(thread_cpu(one.process.pid)) - before
    before = sum(thread_cpu(two.process.pid))
    started = wrk.start(f"2 workers, hit, {c}", two.url, text, c)
    time.sleep(wrk.duration / 2)
    spread = connections_per_process(two.port)
    two_run = wrk.finish(started)
    return _Round(one_run, two_run, spread, one_cpu, sum(thread_cpu(two.process.pid)) - before)


def measure_workers(
    tmp: Path, wrk: Wrk, text: str, connections: tuple[int, ...], rounds: int = 3
) -> WorkerResults:
    """Cache hits with one worker and with two, both servers up, run by turns ``rounds`` times
    at each connection count, and the bare anchor with one uvicorn worker and two in the same
    rounds; the round with the median ratio is reported (runs on a shared machine vary by more
    than the difference being measured), with every round's ratio."""
    with contextlib.ExitStack() as stack:

        def up(server: Server) -> Server:
            stack.callback(server.stop)
            return server

        one = up(serve(tmp, "one-worker", {"SUMMARIZER_MODEL": "extractive"}))
        two = up(serve(tmp, "two-workers", {"SUMMARIZER_MODEL": "extractive"}, "--workers", "2"))
        for server in (one, two):
            post(server.url, text)
        time.sleep(1.0)  # both workers ready (each loads the engine)
        anchor = post(one.url, text)[0].json()
        bare_one, bare_two = up(bare(tmp, anchor)), up(bare(tmp, anchor, workers=2))
        result = WorkerResults({}, {}, {}, {}, {}, {}, {}, {})
        for c in connections:
            measured = []
            for _ in range(rounds):
                ours = _round(wrk, one, two, text, c)
                bare_1 = wrk.run(f"bare, 1 worker, {c}", bare_one.url, text, c)
                bare_2 = wrk.run(f"bare, 2 workers, {c}", bare_two.url, text, c)
                ours.bare_one_rps, ours.bare_two_rps = bare_1.rps, bare_2.rps
                measured.append(ours)
            measured.sort(key=lambda r: r.ratio)
            median = measured[len(measured) // 2]
            result.one[c], result.two[c], result.spread[c] = median.one, median.two, median.spread
            result.one_cpu[c], result.two_cpu[c] = median.one_cpu, median.two_cpu
            result.ratios[c] = [r.ratio for r in measured]
            result.bare_ratios[c] = sorted(r.bare_ratio for r in measured)
            result.bare_rps[c] = (median.bare_one_rps, median.bare_two_rps)
    return result
