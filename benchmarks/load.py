"""Load test of `summarizer serve` with wrk on loopback, against a bare FastAPI anchor in the same
run; writes docs/load.md.

    PYTHONPATH=. python benchmarks/load.py                 # the full run (about 9 minutes)
    PYTHONPATH=. python benchmarks/load.py --quick --out /tmp/load.md   # 1 s runs: checks the tool
    PYTHONPATH=. python benchmarks/load.py --only flood --flood-duration 10   # one part, printed

Every server is a real process on a free 127.0.0.1 port (never anything else), every wrk run
lasts ``--duration`` seconds. In one run:

1. cache hits at 4, 16 and 64 connections, ours (extractive engine, SQLite cache, warmed) and the
   bare endpoint (``benchmarks/bare_app.py``: one POST route, the same pydantic body, a JSON
   response of the same size, uvicorn with one worker), each alone and with nginx in front
   (deploy/nginx), run by turns;
2. cache misses at the same connections (every request a distinct article);
3. cache hits with one worker and with ``--workers 2``, both servers up, by turns, in
   ``--worker-rounds`` rounds (the median round is reported, with every round's ratio);
4. a flood: a slow seq2seq model (random-weight tiny BART, 2,048 positions, beam 4, in a child
   process as the service runs PyTorch models by default) with a queue of ``--flood-queue``,
   through nginx (deploy/nginx, the documented deployment: it lets the queue's depth + 1
   requests through and answers the rest 503 itself) and against the service alone
   (``--flood-front``); first its unloaded rate (``--flood-queue`` + 1 connections: the
   queue just full), then ten times the queue in connections, the same kind of request (each a
   distinct large article), while a second wrk probes ``/healthz``; then one normal request.
   Client latency per status is timed in the Lua script (one connection per wrk thread); the
   server's /metrics (model calls, single-flight joins, CPU), its threads' CPU (/proc) and the
   kernel's accept-queue overflow counters (nstat) are read before and after each phase.

``--only hits|workers|flood`` (repeatable) runs a part; its report is printed, and written only
where ``--out`` says (docs/load.md is the full run's).

wrk is the Debian package ``wrk`` (``scripts/setup.sh --test`` installs it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # benchmarks.loadtest, also without PYTHONPATH

from benchmarks.loadtest.flood import measure_flood  # noqa: E402
from benchmarks.loadtest.hits import measure_hits  # noqa: E402
from benchmarks.loadtest.inputs import article_near, joined_to, load_articles  # noqa: E402
from benchmarks.loadtest.report import Results, report  # noqa: E402
from benchmarks.loadtest.workers import measure_workers  # noqa: E402
from benchmarks.loadtest.wrk import Wrk  # noqa: E402

CONNECTIONS = (4, 16, 64)
SECTIONS = ("hits", "workers", "flood")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=8, help="Seconds per wrk run.")
    parser.add_argument(
        "--worker-rounds",
        type=int,
        default=3,
        help="Rounds of one worker and two by turns at each connection count (median shown).",
    )
    parser.add_argument("--flood-duration", type=float, default=30, help="Seconds of flood.")
    parser.add_argument("--flood-queue", type=int, default=8, help="Queue depth of the flood.")
    parser.add_argument(
        "--flood-model",
        default="tiny-bart",
        help="tiny-bart (random weights, built in the run) or any SUMMARIZER_MODEL value.",
    )
    parser.add_argument(
        "--flood-threads",
        type=int,
        default=None,
        help="SUMMARIZER_THREADS of the flood server (default: the service's, all cores).",
    )
    parser.add_argument(
        "--flood-model-process",
        choices=("off", "on", "both"),
        default="on",
        help="SUMMARIZER_MODEL_PROCESS of the flood server (the model in a child process, the "
        "default for a PyTorch model); both: each mode, off first.",
    )
    parser.add_argument(
        "--flood-front",
        choices=("proxy", "alone", "both"),
        default="both",
        help="The flood through nginx (deploy/nginx, the documented deployment), against the "
        "service alone, or both (proxy first); an A/B table compares the modes that ran.",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        help="Run only this part (repeatable); the report then has only its tables and is "
        "printed, written only where --out says.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="1 s runs, 16 connections, extractive flood."
    )
    parser.add_argument("--out", type=Path, default=None, help="Default: docs/load.md.")
    args = parser.parse_args()
    sections = tuple(args.only or SECTIONS)
    if args.out is None and sections == SECTIONS:
        args.out = ROOT / "docs" / "load.md"
    connections = CONNECTIONS
    if args.quick:
        args.duration, args.flood_duration, connections = 1.0, 2.0, (16,)
        args.worker_rounds = 1
        if args.flood_model == "tiny-bart":
            args.flood_model = "extractive"
            args.flood_model_process = "off"  # a child for the extractive engine: start-up only
    load_before = os.getloadavg()[0]
    articles, source = load_articles()
    text = article_near(articles, 4000)

    with tempfile.TemporaryDirectory(prefix="load-") as tmp_name:
        tmp = Path(tmp_name)
        wrk = Wrk(tmp, args.duration)
        results = Results(
            args, connections, load_before, 0.0, source, text, joined_to(articles, 12_000)
        )
        if "hits" in sections:
            results.hits = measure_hits(tmp, wrk, text, connections)
        if "workers" in sections:
            results.workers = measure_workers(tmp, wrk, text, connections, args.worker_rounds)
        if "flood" in sections:
            modes = {"off": (False,), "on": (True,), "both": (False, True)}
            fronts = {"proxy": (True,), "alone": (False,), "both": (True, False)}
            results.floods = [
                measure_flood(
                    tmp, wrk, args, articles, results.large, model_process=mode, proxy=proxy
                )
                for proxy in fronts[args.flood_front]
                for mode in modes[args.flood_model_process]
            ]
    results.load_after = os.getloadavg()[0]
    lines = report(results)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
