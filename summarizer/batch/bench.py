"""Throughput of ``summarizer batch`` against the engine's own ``summarize_batch``, same data.

    python -m summarizer.batch.bench --update docs/batch.md

Builds a backlog of distinct articles from ``samples/cnndm_sample.jsonl`` (each with a different
id and a closing sentence that makes it unique, so no deduplication helps the batch command),
then for each engine measures, alternately:

* the engine: ``Summarizer.summarize_batch`` over the articles in chunks of ``--batch-size``, in
  input order, in this process (text preparation included, model loading excluded);
* the command: ``python -m summarizer batch`` in a subprocess, whose final report gives
  articles/s over its processing time (reading, preparing, summarizing, writing; loading excluded).

The best of ``--repeats`` runs of each is kept. The seq2seq engine is a tiny random-weight BART
built on the spot (``summarizer.testing.build_checkpoint``, 2,048 positions so an article is one
chunk). The table is written between the ``bench`` markers of the file given to ``--update``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from summarizer.core import Summarizer

ROOT = Path(__file__).resolve().parents[2]
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def build_input(path: Path, n: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "samples" / "cnndm_sample.jsonl").open()]
    texts = []
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = f"{rows[i % len(rows)]['article']} This is backlog item number {i}."
            texts.append(text)
            f.write(json.dumps({"id": f"item-{i:06d}", "article": text}) + "\n")
    return texts


def engine_rate(model: str, texts: list[str], length: str, batch_size: int) -> float:
    summarizer = Summarizer.load(model, batch_size=batch_size)
    started = time.perf_counter()
    for start in range(0, len(texts), batch_size):
        summarizer.summarize_batch(texts[start : start + batch_size], length=length)
    return len(texts) / (time.perf_counter() - started)


def batch_rate(
    source: Path, model: str, length: str, batch_size: int, workers: int, work: Path
) -> tuple[float, float | None]:
    out = work / f"out-{time.monotonic_ns()}.jsonl"
    report = work / "report.json"
    args = [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(out)]
    args += ["--model", model, "--length", length, "--batch-size", str(batch_size)]
    args += ["--workers", str(workers), "--report-json", str(report)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(args, check=True, cwd=ROOT, env=env, capture_output=True)
    data = json.loads(report.read_text())
    assert data["failed"] == 0 and data["done"] > 0, data
    share = data["engine_seconds"] / data["run_seconds"] if data["engine_seconds"] else None
    return float(data["articles_per_second"]), share


def measure(args: argparse.Namespace, work: Path) -> list[dict]:
    from summarizer.testing import build_checkpoint

    rows = []
    sample = [json.loads(line)["article"] for line in (ROOT / "samples/cnndm_sample.jsonl").open()]
    tiny = build_checkpoint(
        work / "tiny-bart", "bart", sample, config={"max_position_embeddings": 2048}
    )
    setups = [
        ("extractive", "extractive", args.n_extractive, args.repeats, (1, 2)),
        ("seq2seq (tiny BART)", str(tiny), args.n_seq2seq, 1, (1,)),
    ]
    for label, model, n, repeats, worker_counts in setups:
        source = work / f"backlog-{n}.jsonl"
        texts = build_input(source, n)
        engine, batch = 0.0, {w: (0.0, None) for w in worker_counts}
        for _ in range(repeats):
            engine = max(engine, engine_rate(model, texts, args.length, args.batch_size))
            for w in worker_counts:
                measured = batch_rate(source, model, args.length, args.batch_size, w, work)
                batch[w] = max(batch[w], measured, key=lambda m: m[0])
        for w in worker_counts:
            rows.append(
                {
                    "engine": label,
                    "articles": n,
                    "workers": w,
                    "engine_rate": engine,
                    "batch_rate": batch[w][0],
                    "engine_share": batch[w][1],
                }
            )
        print(json.dumps(rows[-len(worker_counts) :]), file=sys.stderr)
    return rows


def render(rows: list[dict], args: argparse.Namespace) -> str:
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    flags = " ".join(sys.argv[1:])
    lines = [
        START,
        f"Written by `python -m summarizer.batch.bench {flags}` on {when}"
        f" ({platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, shared; "
        f"`--length {args.length} --batch-size {args.batch_size}`, best of {args.repeats} "
        "for extractive, 1 run for seq2seq). The command measured is "
        f"`summarizer batch backlog.jsonl -o OUT.jsonl --model M --length {args.length} "
        f"--batch-size {args.batch_size} --workers W`.",
        "",
        "| engine | articles | `--workers` | engine's own articles/s | `summarizer batch` "
        "articles/s | batch / engine | time in the engine |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        ratio = row["batch_rate"] / row["engine_rate"]
        share = f"{100 * row['engine_share']:.1f}%" if row["engine_share"] else "-"
        lines.append(
            f"| {row['engine']} | {row['articles']} | {row['workers']} | "
            f"{row['engine_rate']:.1f} | {row['batch_rate']:.1f} | {ratio:.2f} | {share} |"
        )
    lines += [
        "",
        "*time in the engine*: the share of the command's processing time spent inside the "
        "model calls (text preparation included), from the command's own report; the rest is "
        "reading, deduplication, ordering and writing. It does not depend on how busy the "
        "machine is, unlike the two rates (`--workers 1` only).",
        "",
        END,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-extractive", type=int, default=1000)
    parser.add_argument("--n-seq2seq", type=int, default=200)
    parser.add_argument("--length", default="short")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--update", type=Path, help="Markdown file with bench markers to update.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        table = render(measure(args, Path(tmp)), args)
    print(table)
    if args.update:
        text = args.update.read_text(encoding="utf-8")
        if START not in text or END not in text:
            raise SystemExit(f"{args.update} has no {START} ... {END} markers")
        head, rest = text.split(START, 1)
        args.update.write_text(head + table + rest.split(END, 1)[1], encoding="utf-8")


if __name__ == "__main__":
    main()
