"""How long preparing a real article page takes: decode, extract, structure, split sentences.

Times ``summarizer.text.prepare(page_bytes, "html")`` (what ``Summarizer.prepare`` and the HTTP
service run for an ``html`` request) on every page of the web dev file, on one pinned core, next
to two anchors measured on the same page in the same run: ``lxml.html.document_fromstring`` (the
parse any HTML handling pays) and ``trafilatura.extract`` with its default settings (a plain
extraction call). Writes docs/benchmarks-prepare.md (``--out``); numbers there come from here.

    python benchmarks/prepare.py                      # all 197 dev pages, 3 timings each
    python benchmarks/prepare.py --limit 40 --repeat 1 --out /tmp/prepare.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402
import numpy as np  # noqa: E402
import trafilatura  # noqa: E402

from summarizer.errors import InputError  # noqa: E402
from summarizer.evaluation.web.pages import WebPage, load_pages  # noqa: E402
from summarizer.evaluation.web.runner import ALL, GROUPS, language_group  # noqa: E402
from summarizer.text import prepare  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "web" / "dev.jsonl.gz"
OUT = ROOT / "docs" / "benchmarks-prepare.md"
MEDIAN_TARGET_MS = 30.0
P99_TARGET_MS = 300.0
SLOWEST = 10


def page_bytes(page: WebPage) -> bytes:
    """What a client sends: the page's original bytes (UTF-8 unless the file kept others)."""
    return page.html_bytes if page.html_bytes is not None else page.html.encode("utf-8")


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, float]:
    """The fastest of ``repeat`` calls in wall-clock ms, and in CPU ms of this process (which a
    busy machine's other processes inflate much less): the least disturbed timings."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - began)
        cpu = min(cpu, time.process_time() - began_cpu)
    return 1000 * wall, 1000 * cpu


def measure(pages: list[WebPage], repeat: int) -> list[dict[str, Any]]:
    rows = []
    prepare(page_bytes(pages[0]), "html") if pages else None  # warm imports and caches
    for page in pages:
        raw = page_bytes(page)
        row: dict[str, Any] = {
            "id": page.id,
            "lang": page.lang,
            "group": language_group(page.lang),
            "kb": len(raw) / 1024,
            "error": "",
        }
        try:
            prepare(raw, "html")
        except InputError as exc:
            row["error"] = str(exc)
        gc.collect()
        gc.disable()  # a collection inside one timing would be charged to that page
        try:
            if not row["error"]:
                row["prepare_ms"], row["prepare_cpu_ms"] = best_of(
                    repeat, partial(prepare, raw, "html")
                )
            row["lxml_ms"], _ = best_of(repeat, partial(lxml.html.document_fromstring, page.html))
            row["trafilatura_ms"], _ = best_of(repeat, partial(trafilatura.extract, page.html))
        finally:
            gc.enable()
        rows.append(row)
    return rows


def pin_one_core() -> str:
    """Run on one core (the last one this process may use), as the target says."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def stats(values: list[float]) -> dict[str, float]:
    array = np.asarray(values, dtype=float)
    return {
        "n": len(array),
        "median": float(np.median(array)),
        "p95": float(np.percentile(array, 95)),
        "p99": float(np.percentile(array, 99)),
        "max": float(array.max()),
    }


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| languages (pages) | timed | median ms | p95 ms | p99 ms | max ms | median CPU ms "
        "| p99 CPU ms | median x lxml parse | median x trafilatura.extract |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for group in GROUPS:
        part = [r for r in rows if group == ALL or r["group"] == group]
        timed = [r for r in part if "prepare_ms" in r]
        if not timed:
            continue
        s = stats([r["prepare_ms"] for r in timed])
        c = stats([r["prepare_cpu_ms"] for r in timed])
        lxml_ratio = np.median([r["prepare_ms"] / r["lxml_ms"] for r in timed])
        traf_ratio = np.median([r["prepare_ms"] / r["trafilatura_ms"] for r in timed])
        lines.append(
            f"| {group} ({len(part)}) | {len(timed)} | {s['median']:.1f} | {s['p95']:.1f} | "
            f"{s['p99']:.1f} | {s['max']:.1f} | {c['median']:.1f} | {c['p99']:.1f} | "
            f"{lxml_ratio:.1f}x | {traf_ratio:.2f}x |"
        )
    return lines


def slowest(rows: list[dict[str, Any]]) -> list[str]:
    timed = sorted((r for r in rows if "prepare_ms" in r), key=lambda r: -r["prepare_ms"])
    lines = [
        "| page | lang | KiB | prepare ms | prepare CPU ms | lxml parse ms "
        "| trafilatura.extract ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in timed[:SLOWEST]:
        lines.append(
            f"| `{r['id']}` | {r['lang']} | {r['kb']:.0f} | {r['prepare_ms']:.1f} | "
            f"{r['prepare_cpu_ms']:.1f} | "
            f"{r['lxml_ms']:.1f} | {r['trafilatura_ms']:.1f} |"
        )
    return lines


def versions() -> str:
    from importlib.metadata import version

    names = ("trafilatura", "lxml", "blingfire")
    return ", ".join(f"{n} {version(n)}" for n in names)


def cpu() -> str:
    info = Path("/proc/cpuinfo")
    if info.is_file():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def report(rows: list[dict[str, Any]], args: argparse.Namespace, pinned: str, secs: float) -> str:
    timed = [r for r in rows if "prepare_ms" in r]
    s = stats([r["prepare_ms"] for r in timed]) if timed else None
    refused = [r for r in rows if r["error"]]
    command = shlex.join(["python", "benchmarks/prepare.py", *sys.argv[1:]])
    lines = [
        "# Preparing article pages",
        "",
        "Written by `python benchmarks/prepare.py` — do not edit by hand. It times",
        '`summarizer.text.prepare(page_bytes, "html")` (decoding, extraction, structure, sentence',
        "splitting: what `Summarizer.prepare` and the HTTP service run for an `html` request) on",
        "every page, the fastest of `--repeat` timings per page, on one pinned core. Two anchors",
        "are timed on the same page in the same run, so the ratios hold on any machine: the lxml",
        "parse of the page (`lxml.html.document_fromstring`) and `trafilatura.extract` with its",
        "default settings. Ratios are the median over pages of prepare time / anchor time (wall",
        "clock). CPU ms is the process's CPU time for the same call, which other processes on a",
        "busy machine inflate less than the wall clock; the targets are checked on the wall clock.",
        "",
        f"`{command}`",
        "",
        f"- {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {cpu()}, {pinned}, "
        f"{os.cpu_count()} logical cores, load average "
        f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} at the end",
        f"- Python {platform.python_version()}, {versions()}; {len(rows)} pages of "
        f"`{args.pages.name}`, {args.repeat} timing(s) each, {secs:.0f} s in all",
        "",
        *table(rows),
        "",
    ]
    if s is not None:
        median_ok = "met" if s["median"] <= MEDIAN_TARGET_MS else "NOT met"
        p99_ok = "met" if s["p99"] <= P99_TARGET_MS else "NOT met"
        lines += [
            f"Targets: median <= {MEDIAN_TARGET_MS:.0f} ms ({median_ok}: {s['median']:.1f} ms), "
            f"p99 <= {P99_TARGET_MS:.0f} ms ({p99_ok}: {s['p99']:.1f} ms), wall clock, all timed "
            "pages.",
            "",
        ]
    lines += [f"Refused pages (an `InputError`, not timed): {len(refused)}.", ""]
    if refused:
        lines += [f"- `{r['id']}` ({r['kb']:.0f} KiB): {r['error'][:160]}" for r in refused]
        lines.append("")
    lines += [f"## The {min(SLOWEST, len(timed))} slowest pages", "", *slowest(rows)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEV, help="web page file (gzip JSONL)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--repeat", type=int, default=3, help="timings per page (the best counts)")
    parser.add_argument("--out", type=Path, default=OUT, help="markdown file to (re)write")
    args = parser.parse_args(argv)
    if not 1 <= args.repeat <= 20:
        parser.error("--repeat must be between 1 and 20")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    try:
        pages = load_pages(args.pages, limit=args.limit)
    except InputError as exc:
        parser.error(str(exc))
    pinned = pin_one_core()
    began = time.perf_counter()
    rows = measure(pages, args.repeat)
    text = report(rows, args, pinned, time.perf_counter() - began)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
