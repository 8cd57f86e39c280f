"""How the extractive engine's settings were chosen: a small grid search on the tuning half only.

The held-out half is never scored here. Every setting is run over the tuning articles and ranked
by ROUGE-1 + ROUGE-2 + ROUGE-Lsum (docs/evaluation.md says how the defaults of
``ExtractiveConfig`` relate to the top rows).
``GRID`` sets the ``medium`` (three-sentence) summary against the full highlights; ``SHORT_GRID``
then sets the one-sentence prior of ``length="short"`` against one-sentence references (each
article's first highlight), the other settings fixed at their defaults.

    python -m summarizer.evaluation.tuning ../shared/eval/dev.jsonl
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from summarizer.engines.extractive import ExtractiveConfig, ExtractiveEngine
from summarizer.evaluation.datasets import Example, load_dataset
from summarizer.evaluation.rouge import Rouge
from summarizer.options import SummaryOptions
from summarizer.text import prepare

GRID: dict[str, tuple[Any, ...]] = {
    "quote_weight": (0.0, -0.1),
    "opener_weight": (0.0, -0.05),
    "centrality_weight": (0.0, 0.3, 0.6),
    "length_weight": (0.0, 0.3),
    "position_decay": (1.0, 0.5),
    "redundancy_penalty": (0.0, 0.3),
    "min_sentence_words": (6, 8),
}


SHORT_GRID: dict[str, tuple[Any, ...]] = {
    "single_position_decay": (1.0, 0.5, 0.3, 0.15),
    "single_length_weight": (0.0, 0.3, 0.6, 1.0),
}


def grid_search(
    examples: Sequence[Example],
    grid: Mapping[str, Sequence[Any]] = GRID,
    options: SummaryOptions | None = None,
) -> pd.DataFrame:
    """One row per setting with its mean F1 (x100), best first."""
    docs = [prepare(e.article) for e in examples]
    rouge = Rouge(("rouge1", "rouge2", "rougeLsum"))
    options = options or SummaryOptions()
    rows = []
    for values in itertools.product(*grid.values()):
        setting = dict(zip(grid, values, strict=True))
        engine = ExtractiveEngine(replace(ExtractiveConfig(), **setting))
        summaries = engine.summarize_batch(docs, options)
        scores = pd.DataFrame(
            [rouge.f1(s.sentences, e.references) for s, e in zip(summaries, examples, strict=True)]
        ).mean()
        rows.append({**setting, **scores.to_dict(), "total": scores.sum()})
    return pd.DataFrame(rows).sort_values("total", ascending=False, ignore_index=True)


def main(argv: Sequence[str] = sys.argv[1:]) -> None:
    path = argv[0] if argv else "../shared/eval/dev.jsonl"
    medium = grid_search(load_dataset(path, half="tune"))
    short = grid_search(
        load_dataset(path, half="tune", reference_lines=1),
        SHORT_GRID,
        SummaryOptions(length="short"),
    )
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print("medium, full highlights:\n", medium.head(10).round(2).to_string())
        print("short, first highlight:\n", short.head(10).round(2).to_string())


if __name__ == "__main__":
    main()
