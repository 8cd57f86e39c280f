"""Part "flood": a slow model with a bounded queue, unloaded and then flooded with ten times the
queue in connections, while a second wrk probes /healthz."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.loadtest.metrics import Phase, listen_counters, scrape, thread_cpu
from benchmarks.loadtest.servers import Proxy, post, serve
from benchmarks.loadtest.wrk import Run, Wrk

FLOOD_MODEL_CONFIG = {"max_position_embeddings": 2048}


def build_flood_model(work: Path, articles: list[str]) -> Path:
    from summarizer.testing import build_checkpoint

    folder = work / "tiny-bart-2048"
    if not (folder / "model.safetensors").is_file():
        build_checkpoint(folder, "bart", articles, config=FLOOD_MODEL_CONFIG)
    return folder


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
    model_process: bool = False  # SUMMARIZER_MODEL_PROCESS: the model in a child process
    proxy: bool = False  # nginx in front (the documented deployment)


def measure_flood(
    tmp: Path,
    wrk: Wrk,
    args: argparse.Namespace,
    articles: list[str],
    large: str,
    *,
    model_process: bool = False,
    proxy: bool = False,
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
    flood_env["SUMMARIZER_MODEL_PROCESS"] = "true" if model_process else "false"
    if args.flood_threads is not None:
        flood_env["SUMMARIZER_THREADS"] = str(args.flood_threads)
    slow = serve(tmp, "flood" + ("-proxied" if proxy else ""), flood_env)
    # Behind nginx, the summary routes take the queue's depth and the one in the model at once
    # (SUMMARIZER_PROXY_IN_FLIGHT); nginx answers the rest 503 itself.
    front = Proxy(tmp, slow, in_flight=args.flood_queue + 1) if proxy else slow

    def probe() -> tuple[dict, dict, tuple[float, float]]:
        return scrape(slow.url), listen_counters(), thread_cpu(slow.process.pid)

    try:
        engine = httpx.get(f"{slow.url}/v1/models").json()["loaded"]
        before = post(front.url, small + "\n\nBefore the flood.")
        # Unloaded: the same kind of request, as many connections as fill the queue and the
        # model (one in the model, the queue's depth waiting) without a refusal.
        mark = probe()
        unloaded = wrk.run(
            "unloaded",
            front.url,
            large,
            args.flood_queue + 1,
            distinct=True,
            clock=True,
            duration=args.flood_duration,
        )
        unloaded_phase = Phase.between(mark, mark := probe())
        health = wrk.get("healthz", front.url, "/healthz", 2, args.flood_duration)
        flood = wrk.run(
            "flood",
            front.url,
            large,
            10 * args.flood_queue,
            distinct=True,
            clock=True,
            duration=args.flood_duration,
        )
        health_result = health.result()
        flood_phase = Phase.between(mark, probe())
        after = post(front.url, small + "\n\nAfter the flood.")
    finally:
        if proxy:
            front.stop()
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
        model_process,
        proxy,
    )
