"""Each row run in a child process of its own (``run.py --child``), and one model's rows."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.speed import ROOT, SCRIPT
from benchmarks.speed.inputs import build, converted, cut
from benchmarks.speed.report import seconds
from benchmarks.speed.rows import plan, trade_offs
from benchmarks.speed.targets import best_setting, check_targets


def spawn(job: dict[str, Any], timeout: int) -> dict[str, Any]:
    """What ``child`` measured for ``job``, in a fresh process running the same code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOKENIZERS_PARALLELISM": "false"}
    env.setdefault("HF_HUB_OFFLINE", "1")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--child", json.dumps(job)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{job['name']} ({job.get('label')}) failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_extractive(articles: list[str], work: Path, timeout: int) -> dict[str, Any]:
    """The extractive engine over the full articles (no input window to cut them to)."""
    full_texts = work / f"extractive-inputs-{len(articles)}.json"
    full_texts.write_text(json.dumps(articles), encoding="utf-8")
    job = {"system": "extractive", "name": "extractive", "texts": str(full_texts), "threads": 1}
    return {**spawn(job, timeout), "articles": len(articles)}


def measure_model(
    name: str,
    arch: dict[str, Any],
    args: argparse.Namespace,
    corpus: list[str],
    articles: list[str],
    new_tokens: int,
    timeout: int,
) -> dict[str, Any]:
    """Every row for one architecture (the trade-offs too, unless ``--quick``), its inputs, and
    the targets where it is ``--targets-model``."""
    checkpoint = build(name, arch, args.work, corpus)
    ct2 = converted(checkpoint)
    texts = cut(checkpoint, articles, arch)
    texts_file = args.work / f"{checkpoint.name}-inputs-{len(texts)}.json"
    texts_file.write_text(json.dumps(texts), encoding="utf-8")
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(checkpoint)
    mean_tokens = statistics.mean(len(tok(t)["input_ids"]) for t in texts)
    common = {
        "texts": str(texts_file),
        "threads": args.threads,
        "new_tokens": new_tokens,
        "prefix": arch.get("prefix", ""),
    }
    rows: list[dict[str, Any]] = []

    def measure(row: dict[str, Any]) -> None:
        path = ct2 if row["system"] == "ctranslate2" else checkpoint
        measured = spawn({**common, **row, "checkpoint": str(path)}, timeout)
        rows.append({**row, **measured})
        print(
            f"{name:20} {row['name']:44} {row.get('label') or '-':34} "
            f"latency {seconds(measured['latency_s']):>7}s  "
            f"{measured['articles_per_s']:6.3f} art/s  "
            f"load {measured['load_s']:5.1f}s  rss {measured['peak_rss_mb']:6.0f} MB",
            flush=True,
        )

    for row in plan(args):
        measure(row)
    if not args.quick:
        best = best_setting(rows)
        keys = ("system", "name", "batch", "replicas", "label")
        for row in trade_offs({k: best[k] for k in keys if k in best}):
            measure(row)
    res = {
        "articles": len(texts),
        "max_input_tokens": arch["max_input_tokens"],
        "mean_input_tokens": mean_tokens,
        "rows": rows,
    }
    if name == args.targets_model:
        res["targets"] = check_targets(rows)
    return res
