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

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
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
RSS_TARGET = 0.5  # peak RSS as a fraction of the baseline's (the memory target)
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
BART_LARGE_CONFIG = dict(
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
)
ARCHS: dict[str, dict[str, Any]] = {
    # distilbart-cnn-12-6 is bart-large-cnn with 6 of its 12 decoder layers.
    "distilbart-cnn-12-6": {
        "family": "bart",
        "vocab_size": 50264,
        "config": {**BART_LARGE_CONFIG, "decoder_layers": 6},
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
        "config": BART_LARGE_CONFIG,
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
DEFAULT_MODELS = ["distilbart-cnn-12-6", "t5-small", "extractive"]
TARGETS_MODEL = DEFAULT_MODELS[0]  # the model the speed targets were set for (--targets-model)


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
        raise RuntimeError(f"{job['name']} ({job.get('label')}) failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


BASELINE = "baseline: model.generate, 1 article at a time"
PYTORCH = "PyTorch engine"
CT2 = "CTranslate2 int8 engine"


def ct2_label(batch: int, replicas: int, threads: int) -> str:
    if replicas == 1:
        return f"batch {batch}"
    return f"batch {batch}, {replicas} replicas x {max(1, threads // replicas)} thread"


KEPT_MEMORY_LABEL = "malloc keeps freed memory, as in the engines"


def plan(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The rows to measure before the trade-offs, each one child process."""
    tb = args.torch_batch
    rows = [
        {"system": "baseline", "name": BASELINE, "batch": 1, "label": ""},
        {
            "system": "baseline",
            "name": BASELINE,
            "batch": 1,
            "keep_freed_memory": True,
            "label": KEPT_MEMORY_LABEL,
        },
        {"system": "pytorch", "name": PYTORCH, "batch": 1, "label": "batch 1"},
        {"system": "pytorch", "name": PYTORCH, "batch": tb, "label": f"batch {tb}"},
    ]
    if args.dynamic_int8:
        label = f"batch {tb}, dynamic int8"
        rows.append(
            {"system": "pytorch", "name": PYTORCH, "batch": tb, "quantize": True, "label": label}
        )
    rows.append({"system": "ctranslate2", "name": CT2, "batch": 1, "label": "batch 1"})
    for replicas in args.replicas:
        for batch in args.batches:
            label = ct2_label(batch, replicas, args.threads)
            rows.append(
                {
                    "system": "ctranslate2",
                    "name": CT2,
                    "batch": batch,
                    "replicas": replicas,
                    "label": label,
                }
            )
    return rows


def trade_offs(best: dict[str, Any]) -> list[dict[str, Any]]:
    """The fastest beam-4 CTranslate2 setting again with a smaller beam."""
    return [
        {**best, "label": f"{best['label']}, {name}", "generation": {"num_beams": beam}}
        for name, beam in (("beam 2", 2), ("greedy", 1))
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


def ratio(value: float | None, base: float, lower_is_better: bool) -> str:
    if not base or not value:
        return "-"
    return f"{(base / value if lower_is_better else value / base):.1f}x"


HEADER = """# Benchmarks

Written by `python benchmarks/run.py` — do not edit by hand (see benchmarks/README.md). Each
section below comes from one run of that command, recorded with it; a run rewrites the sections
of the models it measured and keeps the others.

The machines are shared: absolute numbers move from run to run, so compare only ratios to the
baseline measured in the same run (same section).

- workload, every system: beam {beams}, exactly the stated number of new tokens (min = max),
  `no_repeat_ngram_size` {ngram} (rows marked beam 2 / greedy change only the beam). Random
  weights with the real architecture and the real vocabulary size (a tokenizer trained on the
  articles, embeddings padded).
- every row is its own process: load is process start to model ready (imports included), peak
  RSS is that process's `VmHWM`.
- latency: median wall time of one model call — one article at batch 1, a whole batch at batch
  N; none where replicas run batches side by side. Throughput: articles / total wall time over
  all the articles; the engines get the whole list and sort it by length into batches, as
  `summarize_batch` and `summarizer batch` do; the baseline takes them one at a time in order.
- the engines set glibc's malloc up to keep freed memory for their next call (no page faults
  on fresh pages each time; `SUMMARIZER_KEEP_FREED_MEMORY`); the baseline runs as a user's
  script would, with malloc's defaults. What those settings give the baseline itself is the
  row "{kept}".
- *batch N, R replicas*: R copies of the CTranslate2 model share one set of weights and the
  threads; each takes the next batch of N as soon as it is free (`--batch-size N --replicas R`).
- targets: the fastest beam-4 CTranslate2 setting whose peak RSS is within the memory target is
  the one checked (the fastest of all where none is); a faster one that is not is named too.
"""


def render_meta(info: dict[str, Any]) -> list[str]:
    m = info["machine"]
    return [
        f"- date: {info['date']}; command: `{info['command']}`",
        f"- machine: {m['cpu']}; {m['os']}",
        "- versions: " + ", ".join(f"{k} {m[k]}" for k in info["versions"]),
        f"- load average (1/5/15 min) before: {info['load_before']}, after: {info['load_after']}",
        f"- threads per system: {info['threads']}; articles: {info['articles_source']}",
    ]


def render_model(model: str, res: dict[str, Any], info: dict[str, Any]) -> str:
    base = res["rows"][0]
    lines = [
        f"## {model}",
        "",
        *render_meta(info),
        "",
        f"{res['articles']} articles, inputs cut to {res['max_input_tokens']} tokens"
        f" (mean {res['mean_input_tokens']:.0f}); {info['new_tokens']} new tokens.",
        "",
        "| system | setting | latency s | vs baseline | articles/s | vs baseline "
        "| load s | peak RSS MB | RSS vs baseline |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in res["rows"]:
        lines.append(
            f"| {row['name']} | {row.get('label') or '-'} | {seconds(row['latency_s'])} "
            f"| {ratio(row['latency_s'], base['latency_s'], True)} "
            f"| {row['articles_per_s']:.3f} "
            f"| {ratio(row['articles_per_s'], base['articles_per_s'], False)} "
            f"| {row['load_s']:.1f} | {row['peak_rss_mb']:.0f} "
            f"| {row['peak_rss_mb'] / base['peak_rss_mb']:.2f} |"
        )
    lines.append("")
    if "targets" in res:
        lines += ["Targets (CTranslate2 int8 at beam 4 vs the baseline):", ""]
        lines += [f"- {t}" for t in res["targets"]]
        lines.append("")
    return "\n".join(lines)


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def render_extractive(e: dict[str, Any], info: dict[str, Any]) -> str:
    return "\n".join(
        [
            "## Extractive engine (the offline default)",
            "",
            *render_meta(info),
            "",
            f"{e['articles_per_s']:.1f} articles/s over {e['articles']} full articles (one"
            f" `summarize_batch`, sentence splitting included); peak RSS"
            f" {e['peak_rss_mb']:.0f} MB, load {e['load_s']:.2f} s.",
            "",
        ]
    )


SECTION = re.compile(r"<!-- section:(?P<name>[\w.-]+) -->\n(?P<body>.*?)<!-- /section -->\n", re.S)


def write_report(path: Path, sections: dict[str, str]) -> str:
    """Rewrite ``path`` with these sections, keeping the other models' sections already there."""
    kept = {}
    if path.is_file():
        kept = {m["name"]: m["body"] for m in SECTION.finditer(path.read_text(encoding="utf-8"))}
    kept.update(sections)
    order = [*ARCHS, "tiny-bart", "extractive"]
    names = sorted(kept, key=lambda n: order.index(n) if n in order else len(order))
    text = HEADER.format(
        beams=WORKLOAD["num_beams"],
        ngram=WORKLOAD["no_repeat_ngram_size"],
        kept=KEPT_MEMORY_LABEL,
    )
    for name in names:
        text += f"\n<!-- section:{name} -->\n{kept[name].rstrip()}\n\n<!-- /section -->\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def ct2_beam4(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The CTranslate2 rows at the workload's beam (not the beam 2 / greedy trade-offs)."""
    return [r for r in rows if r["system"] == "ctranslate2" and "generation" not in r]


def best_setting(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest beam-4 CTranslate2 row within the memory target (the fastest of all where
    none is): a setting to run with has to meet both."""
    base = rows[0]
    beam4 = ct2_beam4(rows)
    within = [r for r in beam4 if r["peak_rss_mb"] <= RSS_TARGET * base["peak_rss_mb"]]
    return max(within or beam4, key=lambda r: r["articles_per_s"])


def check_targets(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's three targets, for the best setting (``best_setting``) and batch 1."""
    base = rows[0]
    beam4 = ct2_beam4(rows)
    best = best_setting(rows)
    fastest = max(beam4, key=lambda r: r["articles_per_s"])
    one = next(r for r in beam4 if r["batch"] == 1 and r.get("replicas", 1) == 1)
    throughput = best["articles_per_s"] / base["articles_per_s"]
    latency = base["latency_s"] / one["latency_s"]
    rss_best = best["peak_rss_mb"] / base["peak_rss_mb"]
    rss_one = one["peak_rss_mb"] / base["peak_rss_mb"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = [
        f"throughput {throughput:.2f}x the baseline at {best['label']} (target >= 6x):"
        f" {verdict(throughput >= 6)}",
        f"single-article latency {latency:.2f}x lower at batch 1 (target >= 4x):"
        f" {verdict(latency >= 4)}",
        f"peak RSS {rss_best:.2f} of the baseline's at {best['label']}, {rss_one:.2f} at batch 1"
        f" (target <= {RSS_TARGET}): {verdict(max(rss_best, rss_one) <= RSS_TARGET)}",
    ]
    if fastest is not best:
        lines.append(
            f"faster, above the memory target: {fastest['label']},"
            f" {fastest['articles_per_s'] / base['articles_per_s']:.2f}x at peak RSS"
            f" {fastest['peak_rss_mb'] / base['peak_rss_mb']:.2f}"
        )
    return lines


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
        full_texts = args.work / f"extractive-inputs-{len(articles)}.json"
        full_texts.write_text(json.dumps(articles), encoding="utf-8")
        job = {"system": "extractive", "name": "extractive", "texts": str(full_texts), "threads": 1}
        extractive = spawn(job, timeout)
        info["load_after"] = load_average()
        sections["extractive"] = render_extractive({**extractive, "articles": len(articles)}, info)
    text = write_report(args.out, sections)
    print()
    print(text)


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


def measure_model(
    name: str,
    arch: dict[str, Any],
    args: argparse.Namespace,
    corpus: list[str],
    articles: list[str],
    new_tokens: int,
    timeout: int,
) -> dict[str, Any]:
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


if __name__ == "__main__":
    main()
