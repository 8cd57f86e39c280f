"""Loading one system and timing it, in the child process a row runs in."""

from __future__ import annotations

import json
import resource
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.speed.systems import NEW_TOKENS, WORKLOAD


def peak_rss_mb() -> float:
    """This process's peak resident set. VmHWM, not ru_maxrss: on Linux ru_maxrss survives
    exec, so a child would inherit the parent's peak."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_system(job: dict[str, Any]) -> tuple[Any, Any]:
    """(run, calls): ``run(texts)`` does the job's work over all texts; ``calls`` lists the wall
    time of each model call it made (one article, or one batch)."""
    kind, threads, new = job["system"], job["threads"], job.get("new_tokens", NEW_TOKENS)
    generation = {**WORKLOAD, **job.get("generation", {})}
    calls: list[float] = []

    def timed(fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            out = fn(*args, **kwargs)
            calls.append(time.perf_counter() - t0)
            return out

        return wrapper

    if kind == "extractive":
        from summarizer import Summarizer

        summarizer = Summarizer.load("extractive")
        return timed(summarizer.summarize_batch), calls

    if kind == "baseline":
        if job.get("keep_freed_memory"):
            # The baseline with the malloc settings the engines make (summarizer.engines
            # .allocator): what those settings give the baseline itself.
            from summarizer.engines.allocator import keep_freed_memory

            if not keep_freed_memory():
                raise SystemExit("could not set malloc up as the engines do (glibc only)")

        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        torch.set_num_threads(threads)

        tokenizer = AutoTokenizer.from_pretrained(job["checkpoint"])
        model = AutoModelForSeq2SeqLM.from_pretrained(job["checkpoint"]).eval()
        prefix = job.get("prefix", "")

        @timed
        def one(text: str) -> None:
            # What the summarization pipeline did: one article, the checkpoint's generation
            # config, the fixed output length.
            inputs = tokenizer([prefix + text], return_tensors="pt")
            with torch.no_grad():
                model.generate(**inputs, min_new_tokens=new, max_new_tokens=new)

        def run_baseline(texts: list[str]) -> None:
            for text in texts:
                one(text)

        return run_baseline, calls

    # The engines load as the product loads them (`summarizer batch --batch-size N --replicas R`).
    from summarizer import Summarizer

    engine: Any = Summarizer.load(
        job["checkpoint"],
        device="cpu",
        threads=threads,
        batch_size=job["batch"],
        generation=generation,
        quantize=job.get("quantize", False),
        replicas=job.get("replicas", 1),
    ).engine
    engine.generate = timed(engine.generate)

    def run_engine(texts: list[str]) -> None:
        # The engine's own path for a backlog (what summarize_batch and `summarizer batch` do):
        # sorted by length, cut into batches of `batch`, the fixed output length.
        engine.generate_backlog(texts, new)

    return run_engine, calls


def child(job: dict[str, Any], t0: float) -> dict[str, Any]:
    """Load one system with one setting, warm it up on a short input, then time it over all the
    articles. Load time counts from the process start (``t0``): imports are part of what a user
    waits for; peak RSS is this process's."""
    texts = json.loads(Path(job["texts"]).read_text(encoding="utf-8"))
    run, calls = load_system(job)
    load_s = time.perf_counter() - t0
    run([" ".join(texts[0].split()[:64])])  # warm-up, not counted
    calls.clear()
    start = time.perf_counter()
    run(texts)
    total = time.perf_counter() - start
    return {
        "load_s": load_s,
        "peak_rss_mb": peak_rss_mb(),
        # Replicas that run queued batches side by side make no single call to time.
        "latency_s": statistics.median(calls) if calls else None,
        "articles_per_s": len(texts) / total,
        "total_s": total,
    }
