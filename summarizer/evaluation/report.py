"""Writing results: JSON/JSONL/CSV per-article files and markdown tables for the docs."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from summarizer.evaluation.rouge import ROUGE_TYPES
from summarizer.evaluation.runner import EvaluationResult

LABELS = {"rouge1": "R1", "rouge2": "R2", "rougeL": "RL", "rougeLsum": "RLsum"}


def write_results(result: EvaluationResult, path: str | Path, *, n_resamples: int = 1000) -> Path:
    """Per-article results and the aggregate: ``.json`` (everything, CIs from ``n_resamples``
    bootstrap resamples), ``.jsonl`` or ``.csv`` (one row per system and article)."""
    return write_rows(result.per_article, path, lambda: result.to_dict(n_resamples=n_resamples))


def write_rows(rows: pd.DataFrame, path: str | Path, whole: Callable[[], dict]) -> Path:
    """``rows`` as ``.csv`` or ``.jsonl``; any other suffix gets ``whole()`` as JSON (NaN as
    null), which is built only then."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        rows.to_csv(path, index=False)
    elif path.suffix == ".jsonl":
        rows.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        data = _clean(whole())
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _clean(value: Any) -> Any:
    """JSON-safe: NaN becomes null, numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def with_ci(row: pd.Series, column: str) -> str:
    return f"{row[column]:.2f} [{row[f'{column}_low']:.1f}, {row[f'{column}_high']:.1f}]"


def table_rows(summary: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Header and cells of the table printed by ``summarizer eval``.

    ``unsupported``: numbers and names per summary that the article does not contain;
    ``quote frag %`` and ``redundant %``: summaries holding a piece of a quotation, or two
    sentences that state one fact (``summarizer.evaluation.reading``);
    ``ms``: milliseconds per article, preparation included.
    """
    header = [
        "system",
        "n",
        *(f"{LABELS[t]} (95% CI)" for t in ROUGE_TYPES),
        "words",
        "novel 2-grams %",
        "unsupported",
        "quote frag %",
        "redundant %",
        "ms",
    ]
    rows = []
    for name, row in summary.iterrows():
        rows.append(
            [
                str(name),
                str(int(row["articles"])),
                *(with_ci(row, t) for t in ROUGE_TYPES),
                f"{row['summary_words']:.1f}",
                f"{row['novel_2grams']:.1f}",
                f"{row['unsupported_numbers'] + row['unsupported_entities']:.2f}",
                f"{row['quote_fragment']:.1f}",
                f"{row['redundant']:.1f}",
                f"{row['ms_per_article']:.1f}",
            ]
        )
    return header, rows


def markdown_table(summary: pd.DataFrame) -> str:
    header, rows = table_rows(summary)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def write_markdown_section(path: str | Path, key: str, body: str) -> Path:
    """Put ``body`` between ``<!-- eval:KEY -->`` and ``<!-- /eval:KEY -->`` in ``path``.

    The prose around the markers is left alone, so a document can mix hand-written explanation
    with tables that only the command writes. Without markers, the section is appended.
    """
    path = Path(path)
    start, end = f"<!-- eval:{key} -->", f"<!-- /eval:{key} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = f"{text.rstrip()}\n\n{block}\n" if text.strip() else f"{block}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
