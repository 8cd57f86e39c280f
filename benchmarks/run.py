"""Speed of the summarization engines against the baseline a user would pick.

Random-weight checkpoints with the real architectures (weights do not change speed), a tokenizer
trained on the spot and padded to the real vocabulary size, real articles from
``../shared/eval/dev.jsonl`` cut to the model's input size, and the same work for every system:
beam 4, exactly 60 new tokens, ``no_repeat_ngram_size=3``. Every system runs in a subprocess of
its own, so its peak RSS is its own. Writes ``docs/benchmarks.md``; see benchmarks/README.md.

    python benchmarks/run.py                       # distilbart-cnn-12-6 (the targets) + t5-small
    python benchmarks/run.py --models all          # + bart-large-cnn
    python benchmarks/run.py --quick --out /tmp/b.md   # tiny sizes: checks the harness works
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
SAMPLE = ROOT / "samples" / "cnndm_sample.jsonl"
NEW_TOKENS = 60
# The same decoding for every system (the fixed workload).
WORKLOAD = {"num_beams": 4, "no_repeat_ngram_size": 3}

# From each checkpoint's public config.json on the Hugging Face hub (typed in: the hub is not
# reachable from the benchmark machines). Generation settings are the checkpoint's own.
BART_CNN_GENERATION = {
    "num_beams": 4,
    "length_penalty": 2.0,
    "no_repeat_ngram_size": 3,
    "early_stopping": True,
    "min_length": 56,
    "max_length": 142,
    "forced_bos_token_id": 0,
    "forced_eos_token_id": 2,
}
ARCHS: dict[str, dict[str, Any]] = {
    "distilbart-cnn-12-6": {
        "family": "bart",
        "vocab_size": 50264,
        "config": dict(
            d_model=1024,
            encoder_layers=12,
            decoder_layers=6,
            encoder_attention_heads=16,
            decoder_attention_heads=16,
            encoder_ffn_dim=4096,
            decoder_ffn_dim=4096,
            max_position_embeddings=1024,
            activation_function="gelu",
            scale_embedding=False,
        ),
        "generation": BART_CNN_GENERATION,
        "max_input_tokens": 1024,
    },
    "t5-small": {
        "family": "t5",
        "vocab_size": 32128,
        "config": dict(
            d_model=512,
            d_ff=2048,
            d_kv=64,
            num_heads=8,
            num_layers=6,
            num_decoder_layers=6,
            relative_attention_num_buckets=32,
            feed_forward_proj="relu",
        ),
        "generation": {
            "num_beams": 4,
            "length_penalty": 2.0,
            "no_repeat_ngram_size": 3,
            "early_stopping": True,
            "min_length": 30,
            "max_length": 200,
        },
        "prefix": "summarize: ",
        "max_input_tokens": 512,
    },
    "bart-large-cnn": {
        "family": "bart",
        "vocab_size": 50264,
        "config": dict(
            d_model=1024,
            encoder_layers=12,
            decoder_layers=12,
            encoder_attention_heads=16,
            decoder_attention_heads=16,
            encoder_ffn_dim=4096,
            decoder_ffn_dim=4096,
            max_position_embeddings=1024,
            activation_function="gelu",
            scale_embedding=False,
        ),
        "generation": BART_CNN_GENERATION,
        "max_input_tokens": 1024,
    },
}
QUICK_ARCH = {
    "family": "bart",
    "vocab_size": 1100,
    "config": {},  # summarizer.testing's tiny BART
    "generation": BART_CNN_GENERATION,
    "max_input_tokens": 128,
}
DEFAULT_MODELS = ["distilbart-cnn-12-6", "t5-small"]


# --- measuring, in a child process -------------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set. VmHWM, not ru_maxrss: on Linux ru_maxrss survives
    exec, so a child would inherit the parent's peak."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_runs(texts: list[str], batch: int, run) -> dict[str, Any]:
    """Run ``texts`` in batches of ``batch``; per-batch wall times and the total."""
    times = []
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        t0 = time.perf_counter()
        run(texts[i : i + batch])
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    return {
        "batch": batch,
        "latency_s": statistics.median(times),
        "articles_per_s": len(texts) / total,
        "total_s": total,
    }


def child(job: dict[str, Any], t0: float) -> dict[str, Any]:
    """Load one system, warm it up on one article, then time each of its settings. Load time
    counts from the process start (``t0``): imports are part of what a user waits for."""
    texts = json.loads(Path(job["texts"]).read_text(encoding="utf-8"))
    threads = job["threads"]
    kind = job["system"]
    new = job.get("new_tokens", NEW_TOKENS)
    if kind == "extractive":
        from summarizer import Summarizer

        summarizer = Summarizer.load("extractive")
        load_s = time.perf_counter() - t0
        summarizer.summarize_batch(texts[:1])
        rows = [timed_runs(texts, len(texts), summarizer.summarize_batch)]
        return {"load_s": load_s, "peak_rss_mb": peak_rss_mb(), "rows": rows}

    import torch

    torch.set_num_threads(threads)
    configure: Any = None  # applies a setting's generation changes to the loaded system
    if kind == "baseline":
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(job["checkpoint"])
        model = AutoModelForSeq2SeqLM.from_pretrained(job["checkpoint"]).eval()
        load_s = time.perf_counter() - t0
        prefix = job.get("prefix", "")

        def run(batch: list[str]) -> None:
            # What the summarization pipeline did: one article, the checkpoint's generation
            # config, the fixed output length.
            inputs = tokenizer([prefix + t for t in batch], return_tensors="pt")
            with torch.no_grad():
                model.generate(**inputs, min_new_tokens=new, max_new_tokens=new)

        settings = [{"batch": 1}]
    else:
        if kind == "pytorch":
            from summarizer.engines.seq2seq import Seq2SeqEngine

            engine = Seq2SeqEngine(
                job["checkpoint"],
                device="cpu",
                threads=threads,
                generation=WORKLOAD,
                quantize=job.get("quantize", False),
            )

            def configure(generation: dict[str, Any]) -> None:
                for key, value in generation.items():
                    setattr(engine.generation_config, key, value)
        else:
            from summarizer.engines.ctranslate2 import CTranslate2Engine

            inter = job.get("inter_threads", 1)
            engine = CTranslate2Engine(
                job["checkpoint"],
                device="cpu",
                threads=max(1, threads // inter),
                inter_threads=inter,
                generation=WORKLOAD,
            )

            def configure(generation: dict[str, Any]) -> None:
                engine.generation.update(generation)

        load_s = time.perf_counter() - t0

        def run(batch: list[str]) -> None:
            engine.batch_size = len(batch)
            # The engine's own path: sorted by length, batched, fixed budget.
            engine._generate_sorted(batch, [True] * len(batch), (new, new), (new, new))

        settings = job["settings"]
    run([" ".join(texts[0].split()[:64])])  # warm-up on a short input, not counted
    rows = []
    for setting in settings:
        if configure:
            configure({**WORKLOAD, **setting.get("generation", {})})
        row = timed_runs(texts, setting["batch"], run)
        row["label"] = setting.get("label", "")
        rows.append(row)
    return {"load_s": load_s, "peak_rss_mb": peak_rss_mb(), "rows": rows}


# --- preparing checkpoints and inputs ----------------------------------------------------------


def read_articles(limit: int) -> tuple[list[str], Path]:
    path = DEV if DEV.is_file() else SAMPLE
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [r["article"] for r in rows[:limit]], path


def build(name: str, arch: dict[str, Any], work: Path, corpus: list[str]) -> Path:
    """A random-weight checkpoint with the architecture, its embeddings padded to the real
    vocabulary size; cached in ``work`` under a hash of the recipe."""
    recipe = json.dumps(arch, sort_keys=True).encode()
    folder = work / f"{name}-{hashlib.sha256(recipe).hexdigest()[:10]}"
    if (folder / "model.safetensors").is_file():
        return folder
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from summarizer.testing import build_checkpoint

    print(f"building {name} (random weights, tokenizer trained on {len(corpus)} articles)")
    tmp = folder.with_suffix(".tmp")
    summarization = {"prefix": arch["prefix"]} if "prefix" in arch else None
    build_checkpoint(
        tmp,
        arch["family"],
        corpus,
        config=arch["config"],
        vocab_size=arch["vocab_size"],
        task_specific_params={"summarization": summarization} if summarization else None,
    )
    model = AutoModelForSeq2SeqLM.from_pretrained(tmp)
    tokenizer = AutoTokenizer.from_pretrained(tmp)
    if model.config.vocab_size < arch["vocab_size"]:
        model.resize_token_embeddings(arch["vocab_size"], mean_resizing=False)
    for key, value in arch["generation"].items():
        setattr(model.generation_config, key, value)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    for path in tmp.iterdir():
        path.unlink()
    tmp.rmdir()
    return folder


def converted(checkpoint: Path) -> Path:
    """The int8 CTranslate2 conversion, made once and kept beside the checkpoint."""
    target = checkpoint.with_name(checkpoint.name + "-ct2-int8")
    if not (target / "model.bin").is_file():
        from summarizer.convert import convert

        convert(str(checkpoint), target, "int8", force=True)
    return target


def cut(checkpoint: Path, articles: list[str], arch: dict[str, Any]) -> list[str]:
    """Each article cut to what fits the model's input window (prefix and specials included)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    prefix = arch.get("prefix", "")
    budget = arch["max_input_tokens"] - len(tokenizer(prefix)["input_ids"]) - 2
    out = []
    for text in articles:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"][:budget]
        out.append(tokenizer.decode(ids).strip())
    return out


# --- orchestration -----------------------------------------------------------------------------


def spawn(job: dict[str, Any], timeout: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TOKENIZERS_PARALLELISM": "false"}
    env.setdefault("HF_HUB_OFFLINE", "1")
    result = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(job)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{job['system']} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def plan(quick: bool, batches: list[int], torch_batch: int) -> list[dict[str, Any]]:
    """The systems to run, each a child process, with the settings it times."""
    best = torch_batch
    ct2_rows = [{"batch": b, "label": f"batch {b}"} for b in [1, *batches]]
    systems = [
        {"system": "baseline", "name": "baseline: model.generate, 1 article at a time"},
        {
            "system": "pytorch",
            "name": "PyTorch engine",
            "settings": [{"batch": b, "label": f"batch {b}"} for b in (1, best)],
        },
        {"system": "ctranslate2", "name": "CTranslate2 int8 engine", "settings": ct2_rows},
    ]
    if not quick:
        systems += [
            {
                "system": "pytorch",
                "quantize": True,
                "name": "PyTorch engine, dynamic int8",
                "settings": [{"batch": best, "label": f"batch {best}"}],
            },
            {
                "system": "ctranslate2",
                "inter_threads": 2,
                "name": "CTranslate2 int8, 2 replicas x 1 thread",
                "settings": [{"batch": best, "label": f"batch {best}"}],
            },
        ]
    return systems


def trade_offs(best: int) -> list[dict[str, Any]]:
    return [
        {"batch": best, "label": f"batch {best}, beam 2", "generation": {"num_beams": 2}},
        {"batch": best, "label": f"batch {best}, greedy", "generation": {"num_beams": 1}},
    ]


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
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kib = int(meminfo.read_text().split()[1])
        mem = f"{kib / 1024**2:.0f} GiB"
    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical cores, {mem} RAM",
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "ctranslate2": ctranslate2.__version__,
    }


def ratio(value: float, base: float, lower_is_better: bool) -> str:
    if not base or not value:
        return "-"
    return f"{(base / value if lower_is_better else value / base):.1f}x"


def render(results: dict[str, Any], info: dict[str, Any]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `python benchmarks/run.py` — do not edit by hand (see benchmarks/README.md).",
        "",
        f"- date: {info['date']}",
        f"- command: `{info['command']}`",
        f"- machine: {info['machine']['cpu']}; {info['machine']['os']}",
        "- versions: " + ", ".join(f"{k} {info['machine'][k]}" for k in info["versions"]),
        f"- load average (1/5/15 min) before: {info['load_before']}, after: {info['load_after']}"
        " — the machine is shared; absolute numbers are noisy, ratios to the baseline measured"
        " in the same run are what count.",
        f"- threads per system: {info['threads']}; articles: {info['articles_source']}",
        f"- workload, every system: beam {WORKLOAD['num_beams']}, exactly {info['new_tokens']} new"
        " tokens"
        f" (min = max), no_repeat_ngram_size {WORKLOAD['no_repeat_ngram_size']} (rows marked"
        " otherwise change only the beam). Random weights with the real architecture and the"
        " real vocabulary size (a tokenizer trained on the articles, embeddings padded).",
        "- latency: median wall time until an article's summary is ready (batch 1: one article;"
        " batch N: the whole batch). Throughput: articles / total wall time. Load: process start"
        " to model ready (imports included). Peak RSS: the system's own process (VmHWM, all its"
        " rows).",
        "",
    ]
    for model, res in results.items():
        base = res["systems"][0]
        base_row = base["rows"][0]
        lines += [
            f"## {model}",
            "",
            f"{res['articles']} articles, inputs cut to {res['max_input_tokens']} tokens"
            f" (mean {res['mean_input_tokens']:.0f}).",
            "",
            "| system | setting | latency s | vs baseline | articles/s | vs baseline "
            "| load s | peak RSS MB | RSS vs baseline |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for system in res["systems"]:
            for row in system["rows"]:
                lines.append(
                    f"| {system['name']} | {row.get('label') or '-'} | {row['latency_s']:.2f} "
                    f"| {ratio(row['latency_s'], base_row['latency_s'], True)} "
                    f"| {row['articles_per_s']:.2f} "
                    f"| {ratio(row['articles_per_s'], base_row['articles_per_s'], False)} "
                    f"| {system['load_s']:.1f} | {system['peak_rss_mb']:.0f} "
                    f"| {system['peak_rss_mb'] / base['peak_rss_mb']:.2f} |"
                )
        lines.append("")
        if "targets" in res:
            lines += ["Targets (distilbart-cnn-12-6, best CTranslate2 beam-4 row vs baseline):", ""]
            lines += [f"- {t}" for t in res["targets"]]
            lines.append("")
    if "extractive" in info:
        e = info["extractive"]
        lines += [
            "## Extractive engine (the offline default)",
            "",
            f"{e['rows'][0]['articles_per_s']:.1f} articles/s over {e['articles']} full articles"
            f" (whole `summarize_batch`, sentence splitting included); peak RSS"
            f" {e['peak_rss_mb']:.0f} MB, load {e['load_s']:.2f} s.",
            "",
        ]
    return "\n".join(lines)


def check_targets(res: dict[str, Any]) -> list[str]:
    base = res["systems"][0]
    base_row = base["rows"][0]
    ct2 = next(s for s in res["systems"] if s["system"] == "ctranslate2")
    beam4 = [r for r in ct2["rows"] if "beam" not in r["label"] and "greedy" not in r["label"]]
    throughput = max(r["articles_per_s"] for r in beam4) / base_row["articles_per_s"]
    one = next(r for r in beam4 if r["batch"] == 1)
    latency = base_row["latency_s"] / one["latency_s"]
    rss = ct2["peak_rss_mb"] / base["peak_rss_mb"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    return [
        f"throughput {throughput:.1f}x the baseline (target >= 6x): {verdict(throughput >= 6)}",
        f"single-article latency {latency:.1f}x lower (target >= 4x): {verdict(latency >= 4)}",
        f"peak RSS {rss:.2f} of the baseline's (target <= 0.5): {verdict(rss <= 0.5)}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny model and few articles")
    parser.add_argument(
        "--models", default=",".join(DEFAULT_MODELS), help=f"comma list or 'all': {list(ARCHS)}"
    )
    parser.add_argument("--articles", type=int, default=32)
    parser.add_argument("--batches", default="8,16", help="batch sizes tried for CTranslate2")
    parser.add_argument("--torch-batch", type=int, default=8, help="PyTorch engine's batch")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".cache")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child), STARTED)))
        return

    if args.quick:
        archs = {"tiny-bart": QUICK_ARCH}
        args.articles = min(args.articles, 2)
        batches = [2]
        new_tokens = 8
    else:
        names = list(ARCHS) if args.models == "all" else args.models.split(",")
        archs = {n: ARCHS[n] for n in names}
        batches = [int(b) for b in args.batches.split(",")]
        new_tokens = NEW_TOKENS
    args.work.mkdir(parents=True, exist_ok=True)
    corpus, source = read_articles(40 if args.quick else 250)
    articles = corpus[: args.articles]
    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "versions": ["python", "torch", "transformers", "ctranslate2"],
        "load_before": load_average(),
        "threads": args.threads,
        "new_tokens": new_tokens,
        "articles_source": f"{source.relative_to(ROOT.parent)} (first {len(articles)})",
    }
    timeout = 300 if args.quick else 3600
    results: dict[str, Any] = {}
    for name, arch in archs.items():
        checkpoint = build(name, arch, args.work, corpus)
        ct2 = converted(checkpoint)
        texts = cut(checkpoint, articles, arch)
        texts_file = args.work / f"{checkpoint.name}-inputs-{len(texts)}.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(checkpoint)
        mean_tokens = statistics.mean(len(tok(t)["input_ids"]) for t in texts)
        systems = plan(args.quick, batches, 2 if args.quick else args.torch_batch)
        res = {
            "articles": len(texts),
            "max_input_tokens": arch["max_input_tokens"],
            "mean_input_tokens": mean_tokens,
            "systems": [],
        }
        for system in systems:
            job = {
                **system,
                "texts": str(texts_file),
                "threads": args.threads,
                "new_tokens": new_tokens,
                "prefix": arch.get("prefix", ""),
                "checkpoint": str(ct2 if system["system"] == "ctranslate2" else checkpoint),
            }
            if system["system"] == "ctranslate2" and not args.quick and "inter_threads" not in job:
                sweep = spawn({**job, "settings": system["settings"]}, timeout)
                best = max(sweep["rows"], key=lambda r: r["articles_per_s"])["batch"]
                extra = spawn({**job, "settings": trade_offs(best)}, timeout)
                measured = {**sweep, "rows": sweep["rows"] + extra["rows"]}
                measured["peak_rss_mb"] = max(sweep["peak_rss_mb"], extra["peak_rss_mb"])
            else:
                measured = spawn(job, timeout)
            measured.update(name=system["name"], system=system["system"])
            res["systems"].append(measured)
            for row in measured["rows"]:
                print(
                    f"{name:20} {system['name']:42} {row.get('label') or '-':18} "
                    f"latency {row['latency_s']:7.2f}s  {row['articles_per_s']:6.2f} art/s  "
                    f"load {measured['load_s']:5.1f}s  rss {measured['peak_rss_mb']:6.0f} MB",
                    flush=True,
                )
        if name == "distilbart-cnn-12-6":
            res["targets"] = check_targets(res)
        results[name] = res
    full_texts = args.work / f"extractive-inputs-{len(articles)}.json"
    full_texts.write_text(json.dumps(articles), encoding="utf-8")
    extractive = spawn({"system": "extractive", "texts": str(full_texts), "threads": 1}, timeout)
    info["extractive"] = {**extractive, "articles": len(articles)}
    info["load_after"] = load_average()
    text = render(results, info)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print()
    print(text)


if __name__ == "__main__":
    main()
