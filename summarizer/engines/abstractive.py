"""Shared driver for engines that generate text with a fixed-size input window.

Articles that fit are summarized in one pass. Longer ones are mapped and reduced: split into
windows on sentence boundaries, each window summarized, the partial summaries joined and summarized
again until one window holds them. Work from many articles at the same stage is batched together,
sorted by length, so padding stays small. The PyTorch and CTranslate2 engines only supply
``count_tokens`` and ``generate``; the plan, and so its behaviour, is the same for both.
"""

from __future__ import annotations

import logging
import math
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.chunking import pack_windows, split_oversized
from summarizer.engines.base import Engine
from summarizer.options import SummaryOptions
from summarizer.sentence_fit import drop_unfinished, fit_to_words, word_count
from summarizer.summary import Summary
from summarizer.text import PreparedText, split_sentences

log = logging.getLogger(__name__)

# Subword tokens per English word, with headroom: generation may overshoot, and the text is
# trimmed back to whole sentences within the word budget afterwards.
TOKENS_PER_WORD = 1.5
MAX_REDUCE_ROUNDS = 8


@dataclass
class Batch:
    """Texts the model runs as one call, with their new-token limits."""

    texts: list[str]
    min_new_tokens: int
    max_new_tokens: int


@dataclass
class _Job:
    """One article's progress through map and reduce."""

    doc: PreparedText
    inputs: list[str]
    input_tokens: int
    chunks: int
    rounds: int = 0
    result: str | None = None
    partials: list[str] = field(default_factory=list)


class AbstractiveEngine(Engine):
    """Map-reduce over a model with ``max_input_tokens``; subclasses run the model."""

    def __init__(
        self, model_id: str, *, max_input_tokens: int, max_output_tokens: int, batch_size: int = 8
    ) -> None:
        super().__init__(model_id)
        if max_input_tokens < 16:
            raise ValueError(f"max_input_tokens is too small to be useful: {max_input_tokens}")
        self.max_input_tokens = max_input_tokens
        self.max_output_tokens = max_output_tokens
        self.batch_size = batch_size

    @abstractmethod
    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text takes as model input, prefix and special tokens included."""

    @abstractmethod
    def generate(
        self, texts: Sequence[str], *, min_new_tokens: int, max_new_tokens: int
    ) -> list[str]:
        """Summaries of texts that each fit the input window, in order, as one batch."""

    def generate_batches(self, batches: Sequence[Batch]) -> list[list[str]]:
        """Every batch of one stage, in the order given (longest first); results in that order.

        One batch after another here; an engine that can run several at once overrides this.
        """
        return [
            self.generate(b.texts, min_new_tokens=b.min_new_tokens, max_new_tokens=b.max_new_tokens)
            for b in batches
        ]

    def describe(self) -> dict[str, Any]:
        return {
            **super().describe(),
            "max_input_tokens": self.max_input_tokens,
            "max_output_tokens": self.max_output_tokens,
        }

    # --- the plan -------------------------------------------------------------------------

    def token_budget(self, options: SummaryOptions) -> tuple[int, int]:
        low, high = options.word_range
        max_new = min(self.max_output_tokens, math.ceil(high * TOKENS_PER_WORD))
        min_new = min(max_new, math.ceil(low * 1.1))
        return min_new, max_new

    def windows(self, sentences: Sequence[str]) -> list[str]:
        return pack_windows(sentences, self.count_tokens, self.max_input_tokens)

    def summarize_batch(
        self, docs: Sequence[PreparedText], options: SummaryOptions
    ) -> list[Summary]:
        min_new, max_new = self.token_budget(options)
        # Partial summaries must shrink the text each round, or reduction would never end.
        map_max = max(1, min(max_new, self.max_input_tokens // 4))
        map_min = min(min_new, map_max // 2)

        jobs = []
        for doc in docs:
            inputs = self.windows(doc.sentences)
            tokens = sum(self.count_tokens(inputs))
            jobs.append(_Job(doc=doc, inputs=inputs, input_tokens=tokens, chunks=len(inputs)))

        active = list(jobs)
        while active:
            texts, owners, finals = [], [], []
            for job in active:
                final = len(job.inputs) == 1
                for text in job.inputs:
                    texts.append(text)
                    owners.append(job)
                    finals.append(final)
            outputs = self._generate_sorted(texts, finals, (min_new, max_new), (map_min, map_max))
            for job in active:
                job.partials = []
            for job, out in zip(owners, outputs, strict=True):
                job.partials.append(out)
            still = []
            for job in active:
                if len(job.inputs) == 1:
                    job.result = job.partials[0]
                    continue
                joined = " ".join(job.partials)
                if word_count(joined) <= options.word_range[1]:
                    job.result = joined  # the partial summaries already fit the target
                    continue
                job.rounds += 1
                if job.rounds > MAX_REDUCE_ROUNDS:
                    raise RuntimeError("map-reduce did not converge; this is a bug")
                partials = [self._clip(p, map_max) for p in job.partials]
                job.inputs = self.windows(split_sentences("\n".join(partials), job.doc.language))
                still.append(job)
            active = still

        return [self._to_summary(job, options) for job in jobs]

    def _clip(self, partial: str, limit: int) -> str:
        """A partial summary re-encodes to about the tokens it was generated as; a model that emits
        text which re-encodes longer (broken bytes) is cut back, so every round shrinks."""
        if self.count_tokens([partial])[0] <= limit:
            return partial
        return split_oversized(partial, self.count_tokens, limit)[0]

    def _generate_sorted(
        self,
        texts: list[str],
        finals: list[bool],
        final_budget: tuple[int, int],
        map_budget: tuple[int, int],
    ) -> list[str]:
        """Generate in batches of similar length (and equal budget); results in input order.

        The batches are handed over together, longest first: an engine that runs them in
        parallel then ends the stage on short batches, so no core waits long for the last one.
        """
        lengths = self.count_tokens(texts)
        order = sorted(range(len(texts)), key=lambda i: (finals[i], lengths[i]), reverse=True)
        groups: list[list[int]] = []
        for i in order:
            group = groups[-1] if groups else None
            if group is None or len(group) == self.batch_size or finals[group[0]] != finals[i]:
                groups.append([i])
            else:
                group.append(i)
        batches = [
            Batch([texts[i] for i in group], *(final_budget if finals[group[0]] else map_budget))
            for group in groups
        ]
        results: list[str] = [""] * len(texts)
        for group, outs in zip(groups, self.generate_batches(batches), strict=True):
            for i, out in zip(group, outs, strict=True):
                results[i] = out
        return results

    def generate_backlog(self, texts: list[str], new_tokens: int) -> list[str]:
        """``new_tokens`` for each text, batched by length as ``summarize_batch`` batches them:
        the engine's own path for a backlog, for benchmarks that fix the output length."""
        budget = (new_tokens, new_tokens)
        return self._generate_sorted(texts, [True] * len(texts), budget, budget)

    def _to_summary(self, job: _Job, options: SummaryOptions) -> Summary:
        sentences = drop_unfinished(split_sentences(job.result or "", job.doc.language))
        sentences = fit_to_words(sentences, options.word_range[1])
        return self.make_summary(
            job.doc,
            sentences,
            options,
            chunks=job.chunks,
            reduce_rounds=job.rounds,
            input_tokens=job.input_tokens,
        )
