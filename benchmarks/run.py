"""Speed of the summarization engines against the baseline a user would pick.

Random-weight checkpoints with the real architectures (weights do not change speed), a tokenizer
trained on the spot and padded to the real vocabulary size, real articles from
``../shared/eval/dev.jsonl`` cut to the model's input size, and the same work for every system:
beam 4, exactly 60 new tokens, ``no_repeat_ngram_size=3``. Every row (a system at one setting)
runs in a subprocess of its own, so its load time and peak RSS are its own. Rewrites the measured
models' sections of ``docs/benchmarks.md``; see benchmarks/README.md.

    python benchmarks/run.py            # distilbart-cnn-12-6 (the targets), t5-small, extractive
    python benchmarks/run.py --models bart-large-cnn --articles 8   # adds that section
    python benchmarks/run.py --quick --out /tmp/b.md   # tiny sizes: checks the harness works
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # a row's load time counts from here: imports are part of it

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # benchmarks.speed, also without PYTHONPATH

from benchmarks.speed.child import child  # noqa: E402
from benchmarks.speed.inputs import read_articles  # noqa: E402
from benchmarks.speed.machine import load_average, run_info  # noqa: E402
from benchmarks.speed.measure import measure_extractive, measure_model  # noqa: E402
from benchmarks.speed.report import render_extractive, render_model, write_report  # noqa: E402
from benchmarks.speed.systems import (  # noqa: E402
    ARCHS,
    DEFAULT_MODELS,
    NEW_TOKENS,
    QUICK_ARCH,
    TARGETS_MODEL,
)


def int_list(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny model and few articles")
    parser.add_argument(
        "--models",
        default=",".join(DEFAULT_MODELS),
        help=f"comma list or 'all': {[*ARCHS, 'extractive']}",
    )
    parser.add_argument("--articles", type=int, default=32)
    parser.add_argument("--batches", default="2,4,8", help="CTranslate2 batch sizes besides 1")
    parser.add_argument("--replicas", default="1,2", help="CTranslate2 replica counts tried")
    parser.add_argument("--torch-batch", type=int, default=8, help="PyTorch engine's batch")
    parser.add_argument("--no-dynamic-int8", dest="dynamic_int8", action="store_false")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".cache")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--targets-model",
        default=TARGETS_MODEL,
        help="architecture whose rows are checked against the speed targets",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child), STARTED)))
        return

    args.batches = int_list(args.batches)
    args.replicas = int_list(args.replicas)
    with_extractive = True
    if args.quick:
        archs = {"tiny-bart": QUICK_ARCH}
        args.articles = min(args.articles, 3)
        args.batches, args.replicas, args.torch_batch, args.dynamic_int8 = [2], [1, 2], 2, False
        new_tokens = 8
    else:
        names = [*ARCHS, "extractive"] if args.models == "all" else args.models.split(",")
        unknown = sorted(set(names) - {*ARCHS, "extractive"})
        if unknown:
            parser.error(f"unknown models {unknown}; choose from {[*ARCHS, 'extractive']}")
        archs = {n: ARCHS[n] for n in names if n in ARCHS}
        with_extractive = "extractive" in names
        new_tokens = NEW_TOKENS
    args.work.mkdir(parents=True, exist_ok=True)
    corpus, source = read_articles(40 if args.quick else 250)
    articles = corpus[: args.articles]
    timeout = 300 if args.quick else 3600
    sections: dict[str, str] = {}
    for name, arch in archs.items():
        info = run_info(args, source, len(articles), new_tokens)
        res = measure_model(name, arch, args, corpus, articles, new_tokens, timeout)
        info["load_after"] = load_average()
        sections[name] = render_model(name, res, info)
    if with_extractive:
        info = run_info(args, source, len(articles), new_tokens)
        extractive = measure_extractive(articles, args.work, timeout)
        info["load_after"] = load_average()
        sections["extractive"] = render_extractive(extractive, info)
    text = write_report(args.out, sections)
    print()
    print(text)


if __name__ == "__main__":
    main()
