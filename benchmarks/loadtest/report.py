"""The Markdown report of one run (docs/load.md): the header, then a section per part that ran."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field

from benchmarks.loadtest.flood import FloodResults
from benchmarks.loadtest.hits import HitResults
from benchmarks.loadtest.metrics import Phase
from benchmarks.loadtest.workers import WorkerResults
from benchmarks.loadtest.wrk import Run


def fmt(value: float, digits: int = 1) -> str:
    return "-" if value != value else f"{value:,.{digits}f}"  # NaN -> "-"


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
    floods: list[FloodResults] = field(default_factory=list)  # one per mode that ran


def report(results: Results) -> list[str]:
    """The Markdown report of one run: the header, then a section per part that ran."""
    lines = _header(results)
    if results.hits is not None:
        lines += _hits_section(results.hits, results.connections)
    if results.workers is not None:
        lines += _workers_section(results.workers, results.connections, results.args)
    for flood in results.floods:
        lines += _flood_section(flood, results.args, len(results.large))
    if len(results.floods) > 1:
        lines += _flood_modes(results.floods)
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
        '`{"text": ...}`, returning our cached response\'s JSON), uvicorn with the h11 '
        "parser (ours' default, `SUMMARIZER_HTTP_PARSER`), one worker. Each row "
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
    lines += [
        "",
        "Through nginx (the documented deployment, deploy/nginx/summarizer.conf.template) in "
        "front of each, in the same rounds:",
        "",
        "| connections | nginx+ours hit req/s | nginx+bare req/s | ratio | nginx+ours p99 "
        "| nginx+bare p99 | nginx+ours ÷ ours alone |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in connections:
        ph, pb = h.proxied_hits[c], h.proxied_bares[c]
        lines.append(
            f"| {c} | {fmt(ph.rps)} | {fmt(pb.rps)} | {ph.rps / pb.rps:.2f} | {fmt(ph.ms(99))} "
            f"| {fmt(pb.ms(99))} | {ph.rps / h.hits[c].rps:.2f} |"
        )
    problems = _problems(
        [
            *h.hits.values(),
            *h.bares.values(),
            *h.misses.values(),
            *h.proxied_hits.values(),
            *h.proxied_bares.values(),
        ]
    )
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
        f"the same time, one {args.duration:g} s wrk run each by turns, "
        f"{len(next(iter(w.ratios.values()), []))} rounds at every connection count: each row is "
        "the round with the median ratio, and the ratio of every round follows it. wrk runs "
        "on the same two cores, so two workers share them with it. The workers "
        "share one listening socket (uvicorn's): the last column is how many of wrk's "
        "connections each worker process held midway through its run (`ss -tnp`); a worker "
        "with none adds nothing. CPU per request is read from /proc (all the server's "
        "processes) and from wrk's own usage; the ceiling is what two workers could give over "
        "one on these two cores at those costs: 2 core-seconds ÷ (server + wrk CPU per request "
        "with two workers) ÷ one worker's req/s. The bare anchor (`benchmarks/bare_app.py`) "
        "ran with one uvicorn worker and with two in the same rounds (its req/s from the "
        "median round of ours): how far uvicorn itself scales here.",
        "",
        "| connections | 1 worker hit req/s | 2 workers hit req/s | ratio | every round "
        "| bare FastAPI req/s, 1 / 2 workers | bare 2 ÷ 1, every round | ceiling "
        "| CPU µs per request: 1 worker / 2 workers / wrk | 1 worker p99 | 2 workers p99 "
        "| connections per worker |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in connections:
        one, two = w.one[c], w.two[c]
        rounds = ", ".join(f"{r:.2f}" for r in w.ratios[c])
        bare_rounds = ", ".join(f"{r:.2f}" for r in w.bare_ratios[c])
        spread = " / ".join(map(str, w.spread.get(c, []))) or "-"
        costs = " / ".join(f"{us:.0f}" for us in w.per_request_us(c))
        lines.append(
            f"| {c} | {fmt(one.rps)} | {fmt(two.rps)} | {two.rps / one.rps:.2f} | {rounds} "
            f"| {fmt(w.bare_rps[c][0])} / {fmt(w.bare_rps[c][1])} | {bare_rounds} "
            f"| {w.ceiling(c):.2f} | {costs} | {fmt(one.ms(99))} "
            f"| {fmt(two.ms(99))} | {spread} |"
        )
    problems = _problems([*w.one.values(), *w.two.values()])
    if problems:
        lines += ["", "Errors: " + "; ".join(problems) + "."]
    lines.append("")
    return lines


def _rates(f: FloodResults) -> tuple[float, float, float]:
    """Summaries/s completed unloaded and during the flood, and their ratio (the goodput)."""
    done_rate = f.flood.count(200) / f.flood.seconds
    unloaded_rate = f.unloaded.count(200) / f.unloaded.seconds
    return unloaded_rate, done_rate, done_rate / unloaded_rate if unloaded_rate else float("nan")


def _flood_modes(floods: list[FloodResults]) -> list[str]:
    """One row per flood that ran (in the order they ran)."""
    lines = [
        "## Flood A/B: behind nginx or alone, the model in the server process or a child",
        "",
        "| front | SUMMARIZER_MODEL_PROCESS | summaries/s unloaded | summaries/s flood | goodput "
        "| 503 client ms p99 | /healthz p99 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in floods:
        unloaded_rate, done_rate, goodput = _rates(f)
        lines.append(
            f"| {'nginx' if f.proxy else 'alone'} "
            f"| {'true' if f.model_process else 'false'} | {fmt(unloaded_rate, 2)} "
            f"| {fmt(done_rate, 2)} | {fmt(goodput, 2)} | {fmt(f.flood.client_ms(503, 99), 2)} "
            f"| {fmt(f.health.get('99%', float('nan')), 2)} |"
        )
    return [*lines, ""]


def _flood_section(f: FloodResults, args: argparse.Namespace, large_chars: int) -> list[str]:
    flood, unloaded = f.flood, f.unloaded
    total = max(1, flood.data["requests"])
    refused = flood.count(503)
    statuses = ", ".join(f"{k}: {v:,}" for k, v in sorted(flood.statuses.items()))
    unloaded_rate, done_rate, goodput = _rates(f)
    u_phase, f_phase = f.unloaded_phase, f.flood_phase
    listen = ", ".join(f"{k} +{v:,}" for k, v in f_phase.listen.items()) or "nstat not available"
    n = 10 * args.flood_queue
    return [
        f"## Flood: {n} connections, queue depth {args.flood_queue}"
        + (", through nginx" if f.proxy else ", the service alone")
        + (", the model in a child process" if f.model_process else ""),
        "",
        f"Engine {f.engine['engine']} / {f.engine['model']}"
        + (" (random weights, 2,048 positions, beam 4)" if args.flood_model == "tiny-bart" else "")
        + (f", {args.flood_threads} model thread(s)" if args.flood_threads else "")
        + (
            " in a child process (SUMMARIZER_MODEL_PROCESS; its CPU is not in the server CPU row)"
            if f.model_process
            else ""
        )
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
        f"| model process CPU s per s (SUMMARIZER_MODEL_PROCESS) "
        f"| {fmt(u_phase.child_cpu / unloaded.seconds, 2)} "
        f"| {fmt(f_phase.child_cpu / flood.seconds, 2)} |",
        f"| load generator (wrk) CPU s per s | {fmt(unloaded.cpu_per_second, 2)} "
        f"| {fmt(flood.cpu_per_second, 2)} |",
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
