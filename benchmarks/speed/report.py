"""docs/benchmarks.md: each measured model's section rendered, and merged with the ones kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from benchmarks.speed.rows import KEPT_MEMORY_LABEL
from benchmarks.speed.systems import ARCHS, WORKLOAD

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
SECTION = re.compile(r"<!-- section:(?P<name>[\w.-]+) -->\n(?P<body>.*?)<!-- /section -->\n", re.S)


def ratio(value: float | None, base: float, lower_is_better: bool) -> str:
    if not base or not value:
        return "-"
    return f"{(base / value if lower_is_better else value / base):.1f}x"


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


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
