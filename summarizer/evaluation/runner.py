"""``evaluate(systems, dataset)``: run summarizers over a dataset and score every summary.

>>> from summarizer.evaluation import evaluate
>>> result = evaluate(["extractive", "lead-3"], "samples/cnndm_sample.jsonl")
>>> result.summary()        # one row per system: ROUGE with 95% CIs, lengths, novelty, faithfulness
>>> result.per_article      # one row per (system, article)
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import pandas as pd

from summarizer import registry
from summarizer.core import Summarizer
from summarizer.engines.base import Engine
from summarizer.errors import InputError, OptionsError
from summarizer.evaluation import metrics
from summarizer.evaluation.baselines import LeadEngine, lead_k
from summarizer.evaluation.datasets import Example, load_dataset
from summarizer.evaluation.progress import Tracker, tracker
from summarizer.evaluation.reading import QuoteContext, quote_fragments, redundant_pairs
from summarizer.evaluation.rouge import ROUGE_TYPES, Rouge
from summarizer.evaluation.stats import bootstrap_ci, paired_bootstrap
from summarizer.options import SummaryOptions
from summarizer.text import PreparedText
from summarizer.text.sentences import split_sentences

# Anything that can summarize: a loaded Summarizer, an Engine, a name for Summarizer.load
# ("extractive", "lead-3", a model folder), a model already resolved (a ModelSpec), or a function
# from article text to summary text.
System = Union[  # noqa: UP007
    Summarizer, Engine, str, registry.ModelSpec, Callable[[str], "str | Sequence[str]"]
]

SCORE_COLUMNS: tuple[str, ...] = ROUGE_TYPES
MEAN_COLUMNS: tuple[str, ...] = (
    "summary_words",
    "compression",
    "novel_1grams",
    "novel_2grams",
    "unsupported_numbers",
    "unsupported_entities",
    "quote_fragment",
    "redundant",
    "ms_per_article",
)


def load_system(spec: System) -> Summarizer | Callable[[str], str | Sequence[str]]:
    """A runnable system: ``lead-k`` names become baselines, other names are loaded models."""
    if isinstance(spec, Summarizer):
        return spec
    if isinstance(spec, Engine):
        return Summarizer(spec)
    if isinstance(spec, registry.ModelSpec):
        return Summarizer.load(spec)
    if isinstance(spec, str):
        k = lead_k(spec)
        return Summarizer(LeadEngine(k)) if k is not None else Summarizer.load(spec)
    if callable(spec):
        return spec
    raise TypeError(
        f"cannot evaluate {spec!r}: expected a Summarizer, an Engine, a name or a function"
    )


def system_name(spec: System) -> str:
    """The row label of a system, known before it is loaded (``_named`` has resolved ``auto``
    to the model it chose before naming it)."""
    if isinstance(spec, str):
        return spec
    if isinstance(spec, registry.ModelSpec):
        return spec.name
    if isinstance(spec, Summarizer):
        return spec.model_name
    if isinstance(spec, Engine):
        return spec.model_id
    return getattr(spec, "__name__", type(spec).__name__)


def _named(systems: Mapping[str, System] | Sequence[System] | System) -> list[tuple[str, System]]:
    """``(name, spec)`` pairs; two systems with the same name are an error, not a silent overwrite
    (``-m auto`` resolving to ``extractive`` next to ``-m extractive``, or two lambdas).

    ``auto`` is resolved here, once: its row is named after the model it chose (``extractive``
    without a local checkpoint) and that ``ModelSpec`` is what ``load_system`` loads."""
    if isinstance(systems, Mapping):
        return [(name, _resolved(spec)) for name, spec in systems.items()]
    specs = systems if isinstance(systems, list | tuple) else [systems]
    specs = [_resolved(spec) for spec in specs]
    named = [(system_name(spec), spec) for spec in specs]
    seen: dict[str, System] = {}
    for name, spec in named:
        if name in seen:
            raise OptionsError(
                f"two systems are named {name!r} ({seen[name]!r} and {spec!r}): evaluate each "
                "system once, or pass a {name: system} mapping to name them apart"
            )
        seen[name] = spec
    return named


def _resolved(spec: System) -> System:
    """``auto`` as the ModelSpec it resolves to (the choice logged once); the rest as they are."""
    return registry.resolve("auto") if isinstance(spec, str) and spec == "auto" else spec


@dataclass
class EvaluationResult:
    """Per-article scores of every system on one dataset, and their aggregate."""

    per_article: pd.DataFrame
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def systems(self) -> list[str]:
        return list(dict.fromkeys(self.per_article["system"]))

    def summary(
        self, *, confidence: float = 0.95, n_resamples: int = 1000, seed: int = 0
    ) -> pd.DataFrame:
        """One row per system: mean ROUGE F1 (x 100) with bootstrap CIs, and the other means."""
        rows = []
        for name, group in self.per_article.groupby("system", sort=False):
            row: dict[str, Any] = {"system": name, "articles": len(group)}
            for column in SCORE_COLUMNS:
                low, high = bootstrap_ci(
                    group[column], confidence=confidence, n_resamples=n_resamples, seed=seed
                )
                row[column] = group[column].mean()
                row[f"{column}_low"], row[f"{column}_high"] = low, high
            for column in MEAN_COLUMNS:
                row[column] = group[column].mean()
            rows.append(row)
        return pd.DataFrame(rows).set_index("system")

    def compare(
        self, system: str, baseline: str, metric: str = "rougeLsum", **kwargs: Any
    ) -> dict[str, float]:
        """Paired bootstrap of ``system - baseline`` on ``metric`` over the same articles."""
        table = self.per_article.pivot(index="id", columns="system", values=metric)
        return paired_bootstrap(table[system], table[baseline], **kwargs)

    def worst(self, system: str, metric: str = "rougeLsum", k: int = 5) -> pd.DataFrame:
        """The ``k`` articles where ``system`` scores lowest: the first ones to read."""
        rows = self.per_article[self.per_article["system"] == system]
        return rows.nsmallest(k, metric)

    def to_dict(self, **summary_options: Any) -> dict[str, Any]:
        """Settings, the aggregate (``summary_options`` go to ``summary``, e.g. ``n_resamples``,
        so the CIs match the printed table) and the per-article rows."""
        summary = self.summary(**summary_options).reset_index()
        return {
            "settings": self.settings,
            "summary": summary.to_dict(orient="records"),
            "per_article": self.per_article.to_dict(orient="records"),
        }


def evaluate(
    systems: Mapping[str, System] | Sequence[System] | System,
    dataset: str | Path | Sequence[Example],
    options: SummaryOptions | None = None,
    *,
    batch_size: int = 16,
    progress: bool | None = True,
    log_every: float = 30.0,
    rouge: Rouge | None = None,
    **values: Any,
) -> EvaluationResult:
    """Summarize every article with every system and score the summaries.

    ``systems`` is one system, a list, or a ``{name: system}`` mapping; ``dataset`` a JSONL path
    or loaded examples. All systems get the same ``options`` (a ``SummaryOptions``, or its
    fields as keywords: ``evaluate(systems, data, length="short")``). Systems in a list are named by
    ``system_name``; two with the same name raise ``OptionsError`` before anything runs. Each
    system is loaded just before it runs and released after, so one model is in memory at a time.
    ``progress``: True a bar, False none, None a bar on a terminal and otherwise a log line
    every ``log_every`` seconds (as ``summarizer batch``).
    """
    examples = load_dataset(dataset) if isinstance(dataset, str | Path) else list(dataset)
    named = _named(systems)
    options = SummaryOptions.of(options, **values)
    rouge = rouge or Rouge()
    frames = []
    for name, spec in named:
        # One system in memory at a time: loaded here, released before the next one loads.
        system = load_system(spec)
        bar = tracker(len(examples), name, "article", progress, log_every)
        outputs, seconds = _run(system, examples, options, batch_size, bar)
        del system
        gc.collect()
        frames.append(
            pd.DataFrame(
                [
                    _row(name, example, sentences, elapsed, rouge)
                    for example, sentences, elapsed in zip(examples, outputs, seconds, strict=True)
                ]
            )
        )
    per_article = pd.concat(frames, ignore_index=True)
    settings = {
        **options.as_dict(),
        "articles": len(examples),
        "rouge": "rouge-score 0.1.2, Porter stemmer, F1 x 100, Lsum on one sentence per line",
    }
    return EvaluationResult(per_article=per_article, settings=settings)


def _run(
    system: Summarizer | Callable[[str], str | Sequence[str]],
    examples: Sequence[Example],
    options: SummaryOptions,
    batch_size: int,
    bar: Tracker,
) -> tuple[list[list[str] | str], list[float]]:
    """Summaries (sentence lists, or text from a plain function) and seconds per article."""
    outputs: list[list[str] | str] = []
    seconds: list[float] = []
    for start in range(0, len(examples), batch_size):
        batch = examples[start : start + batch_size]
        began = time.perf_counter()
        if isinstance(system, Summarizer):
            docs = [_prepare(system, e) for e in batch]
            results: list[list[str] | str] = [
                list(s.sentences) for s in system.summarize_prepared(docs, options)
            ]
        else:
            results = [_as_output(system(e.article)) for e in batch]
        elapsed = (time.perf_counter() - began) / len(batch)
        outputs.extend(results)
        seconds.extend([elapsed] * len(batch))
        bar.update(len(batch))
    bar.close()
    return outputs, seconds


def _prepare(system: Summarizer, example: Example) -> PreparedText:
    try:
        return system.prepare(example.article)
    except InputError as exc:
        raise InputError(f"article {example.id!r}: {exc}") from None


def _as_output(value: str | Sequence[str]) -> list[str] | str:
    return value if isinstance(value, str) else list(value)


def _row(
    name: str, example: Example, output: list[str] | str, seconds: float, rouge: Rouge
) -> dict[str, Any]:
    text = output if isinstance(output, str) else " ".join(output)
    article_words = len(example.article.split())
    summary_words = len(text.split())
    numbers = metrics.unsupported_numbers(text, example.article)
    entities = metrics.unsupported_entities(text, example.article)
    row: dict[str, Any] = {
        "system": name,
        "id": example.id,
        "article_words": article_words,
        "reference_words": len(example.references[0].split()),
        "summary_words": summary_words,
        "compression": article_words / summary_words if summary_words else float("nan"),
    }
    row.update(rouge.f1(output, list(example.references)))
    sentences = split_sentences(output) if isinstance(output, str) else output
    # % of summaries holding a piece of a quotation, or two sentences stating one fact (the
    # measures of summarizer/evaluation/reading.py, as for web pages; English stopwords)
    row["quote_fragment"] = 100.0 * (quote_fragments(sentences, QuoteContext(example.article)) > 0)
    row["redundant"] = 100.0 * (redundant_pairs(sentences) > 0)
    row.update(
        {
            "novel_1grams": 100 * metrics.novel_ngram_share(text, example.article, 1),
            "novel_2grams": 100 * metrics.novel_ngram_share(text, example.article, 2),
            "unsupported_numbers": len(numbers),
            "unsupported_entities": len(entities),
            "unsupported": "; ".join(numbers + entities),
            "ms_per_article": 1000 * seconds,
            "summary": text,
            "reference": example.references[0],
        }
    )
    return row
