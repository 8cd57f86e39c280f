"""What a section records about its run: the machine, the versions, the command, the load."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
from pathlib import Path
from typing import Any

from benchmarks.speed import ROOT


def load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine() -> dict[str, str]:
    import ctranslate2
    import torch
    import transformers

    cpu = platform.processor() or "?"
    flags: set[str] = set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        lines = cpuinfo.read_text().splitlines()
        cpu = next((x.split(":", 1)[1].strip() for x in lines if x.startswith("model name")), cpu)
        flags = set(next((x.split(":", 1)[1].split() for x in lines if x.startswith("flags")), []))
    isa = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    mem = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kib = int(meminfo.read_text().split()[1])
        mem = f"{kib / 1024**2:.0f} GiB"
    return {
        "cpu": f"{cpu} ({', '.join(isa) or 'no AVX2'}), {os.cpu_count()} logical cores, {mem} RAM",
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "ctranslate2": ctranslate2.__version__,
    }


def run_info(args: argparse.Namespace, source: Path, n: int, new_tokens: int) -> dict[str, Any]:
    try:
        shown = source.relative_to(ROOT.parent)
    except ValueError:
        shown = source
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["python benchmarks/run.py", *sys.argv[1:]]),
        "machine": machine(),
        "versions": ["python", "torch", "transformers", "ctranslate2"],
        "load_before": load_average(),
        "threads": args.threads,
        "new_tokens": new_tokens,
        "articles_source": f"{shown} (first {n})",
    }
