"""``Summarizer``: the one object the CLI, the HTTP service, batch jobs and notebooks share."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarizer import registry
from summarizer.cache import Cache, SafeCache, cache_key
from summarizer.engines.base import Engine
from summarizer.errors import InputError
from summarizer.options import Format, Length, SummaryOptions
from summarizer.summary import Summary
from summarizer.text import MAX_INPUT_CHARS, PreparedText, prepare
from summarizer.text.prepare import InputFormat

log = logging.getLogger(__name__)


class Summarizer:
    """Summarizes articles with one loaded engine.

    >>> s = Summarizer.load()                     # "auto": a local seq2seq model, else extractive
    >>> s.summarize(article, length="short").text
    """

    def __init__(
        self, engine: Engine, *, cache: Cache | None = None, max_input_chars: int = MAX_INPUT_CHARS
    ) -> None:
        self.engine = engine
        self.cache = cache  # wrapped in SafeCache by the setter
        self.max_input_chars = max_input_chars

    @property
    def cache(self) -> SafeCache | None:
        """The cache, always behind :class:`SafeCache`: a cache fault (Redis down, a full
        disk) is a miss, counted in ``cache.health()``, and never fails a summary."""
        return self._cache

    @cache.setter
    def cache(self, cache: Cache | None) -> None:
        self._cache = SafeCache(cache) if cache is not None else None

    @classmethod
    def load(
        cls,
        model: str | registry.ModelSpec = "auto",
        options: registry.LoadOptions | None = None,
        *,
        cache: Cache | None = None,
        models_dir: str | Path | None = None,
        max_input_chars: int = MAX_INPUT_CHARS,
        **settings: Any,
    ) -> Summarizer:
        """Resolve ``model`` (auto, extractive, a manifest name, a folder or a hub id) and load it
        as ``options`` (:class:`summarizer.registry.LoadOptions`) say.

        Never downloads for ``auto`` or a manifest name. A model that was asked for by name and
        cannot be loaded raises; only ``auto`` chooses, and it logs what it chose. ``model`` may
        also be a ``ModelSpec`` that was already resolved (a batch worker gets the driver's).
        ``settings`` are a shorthand for ``options``: ``Summarizer.load(m, device="cpu",
        num_beams=2)`` is ``Summarizer.load(m, LoadOptions(device="cpu", num_beams=2))``; the
        fields and what they mean are documented on ``LoadOptions`` (e.g. ``replicas``: copies
        of a CTranslate2 model sharing one set of weights, docs/benchmarks.md).
        """
        if options is None:
            options = registry.LoadOptions(**settings)
        elif settings:
            raise TypeError(f"give either options or {', '.join(settings)}, not both")
        if isinstance(model, registry.ModelSpec):
            spec = model
        else:
            spec = registry.resolve(model, Path(models_dir) if models_dir else None)
        return cls(
            registry.load_engine(spec, options), cache=cache, max_input_chars=max_input_chars
        )

    @property
    def engine_name(self) -> str:
        return self.engine.name

    @property
    def model_name(self) -> str:
        return self.engine.model_id

    def describe(self) -> dict[str, Any]:
        return self.engine.describe()

    def prepare(
        self, raw: str | bytes, input_format: InputFormat = "auto", language: str | None = None
    ) -> PreparedText:
        """``raw`` ready for an engine; ``language`` (ISO 639-1) wins over detection."""
        return prepare(raw, input_format, max_chars=self.max_input_chars, language=language)

    def summarize(
        self,
        text: str | bytes,
        *,
        length: Length = "medium",
        max_words: int | None = None,
        min_words: int | None = None,
        format: Format = "paragraph",
        input_format: InputFormat = "auto",
        language: str | None = None,
    ) -> Summary:
        """Summarize one article given as plain text or HTML (str, or UTF-8 bytes).

        ``language`` (an ISO 639-1 code like "de") is the article's language; without it the
        language is detected. Either way ``Summary.language`` reports it."""
        options = SummaryOptions(
            length=length,
            max_words=max_words,
            min_words=min_words,
            format=format,
            language=language,
        )
        doc = self.prepare(text, input_format, options.language)
        return self.summarize_prepared([doc], options)[0]

    def summarize_batch(
        self,
        texts: Sequence[str | bytes],
        *,
        length: Length = "medium",
        max_words: int | None = None,
        min_words: int | None = None,
        format: Format = "paragraph",
        input_format: InputFormat = "auto",
        language: str | None = None,
    ) -> list[Summary]:
        """Summarize many articles in batched model calls; same results as one by one.
        ``language``, when given, is the language of every article."""
        options = SummaryOptions(
            length=length,
            max_words=max_words,
            min_words=min_words,
            format=format,
            language=language,
        )
        docs = []
        for index, text in enumerate(texts):
            try:
                docs.append(self.prepare(text, input_format, options.language))
            except InputError as exc:
                raise InputError(f"article {index}: {exc}") from None
        return self.summarize_prepared(docs, options)

    def summarize_prepared(
        self, docs: Sequence[PreparedText], options: SummaryOptions, *, read_cache: bool = True
    ) -> list[Summary]:
        """Summaries for prepared articles: cached ones read back, identical ones computed once.

        ``read_cache=False`` is for callers that have just looked these articles up themselves
        (the HTTP service): new summaries are still written to the cache."""
        keys = [self.cache_key(doc, options) for doc in docs]
        results: dict[str, Summary] = {}
        if self.cache is not None and read_cache:
            for key in dict.fromkeys(keys):
                hit = self.cache.get(key)
                if hit is not None:
                    results[key] = dataclasses.replace(Summary.from_dict(hit), cached=True)
        todo = {key: doc for key, doc in zip(keys, docs, strict=True) if key not in results}
        if todo:
            fresh = self.engine.summarize_batch(list(todo.values()), options)
            for key, summary in zip(todo, fresh, strict=True):
                results[key] = summary
                if self.cache is not None:
                    self.cache.set(key, summary.to_dict())
        return [results[key] for key in keys]

    def summarize_prepared_each(
        self, docs: Sequence[PreparedText], options: SummaryOptions, *, read_cache: bool = True
    ) -> list[Summary | Exception]:
        """``summarize_prepared``, but one bad article never fails the others: when the batched
        call raises, each article is retried alone and gets its summary or its own exception."""
        try:
            return list(self.summarize_prepared(docs, options, read_cache=read_cache))
        except Exception as exc:
            if len(docs) <= 1:
                return [exc]
            log.warning("a batch of %d failed; retrying its articles one by one", len(docs))
        outcomes: list[Summary | Exception] = []
        for doc in docs:
            try:
                outcomes.append(self.summarize_prepared([doc], options, read_cache=read_cache)[0])
            except Exception as exc:
                outcomes.append(exc)
        return outcomes

    def cache_key(self, doc: PreparedText, options: SummaryOptions) -> str:
        # The language decides the sentence splitting, so it is part of the key.
        return cache_key(
            doc.text,
            self.engine.fingerprint(),
            {**dataclasses.asdict(options), "language": doc.language},
        )
