"""``Summarizer``: the one object the CLI, the HTTP service, batch jobs and notebooks share."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from summarizer import registry
from summarizer.cache.base import Cache
from summarizer.cache.keys import cache_key
from summarizer.cache.safe import SafeCache
from summarizer.engines.base import Engine
from summarizer.errors import InputError
from summarizer.isolation import PreparationPool
from summarizer.options import SummaryOptions
from summarizer.summary import Summary
from summarizer.text import MAX_INPUT_CHARS, PreparedText, prepare
from summarizer.text.prepare import InputFormat

log = logging.getLogger(__name__)

WARMUP_TEXT = (
    "The city council approved the new budget on Monday after a long debate. "
    "The plan adds money for schools and roads. Critics said taxes would rise. "
    "The mayor said the budget was balanced and fair. A final vote is due next month."
)


@dataclass(frozen=True)
class CacheLookup:
    """What the cache said about one key, as a value (a cache fault is never raised).

    ``state``: ``hit`` (``summary`` is the cached one, marked ``cached``), ``miss``, ``error``
    (the cache failed, counted by ``cache_health()``, or held an entry this code cannot read:
    ``error`` says which; to the caller it is a miss) or ``off`` (this ``Summarizer`` has no
    cache). A read the circuit breaker skips
    while the cache is failing is a ``miss`` (``cache_health()`` counts it as skipped)."""

    key: str
    state: Literal["hit", "miss", "error", "off"]
    summary: Summary | None = None
    error: str | None = None


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
        # Where ``prepare`` runs: here, or (a service) in worker processes, each call under its
        # deadline, so that no article holds this process's GIL (summarizer.isolation).
        self.preparation_pool: PreparationPool | None = None

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
        process: bool = False,
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
        of a CTranslate2 model sharing one set of weights, docs/benchmarks.md). ``process``: run
        the model in one child process (``summarizer.engines.process``); this process then
        holds no weights, and the cache stays here.
        """
        if options is None:
            options = registry.LoadOptions(**settings)
        elif settings:
            raise TypeError(f"give either options or {', '.join(settings)}, not both")
        if isinstance(model, registry.ModelSpec):
            spec = model
        else:
            spec = registry.resolve(model, Path(models_dir) if models_dir else None)
        if process:
            from summarizer.engines.process import ProcessEngine

            engine: Engine = ProcessEngine(spec, options)
        else:
            engine = registry.load_engine(spec, options)
        return cls(engine, cache=cache, max_input_chars=max_input_chars)

    @property
    def engine_name(self) -> str:
        return self.engine.name

    @property
    def model_name(self) -> str:
        return self.engine.model_id

    def describe(self) -> dict[str, Any]:
        return self.engine.describe()

    def prepare(
        self,
        raw: str | bytes,
        input_format: InputFormat = "auto",
        language: str | None = None,
        *,
        deadline: float | None = None,
    ) -> PreparedText:
        """``raw`` ready for an engine; ``language`` (ISO 639-1) wins over detection.

        With a ``preparation_pool`` the work runs in one of its processes, stopped at
        ``deadline`` (``time.monotonic()`` seconds) with :class:`summarizer.errors.WorkTimeout`;
        without one it runs here and ``deadline`` is not used."""
        pool = self.preparation_pool
        if pool is not None:
            return pool.prepare(
                raw,
                input_format,
                max_chars=self.max_input_chars,
                language=language,
                deadline=deadline,
            )
        return prepare(raw, input_format, max_chars=self.max_input_chars, language=language)

    def summarize(
        self,
        text: str | bytes,
        options: SummaryOptions | None = None,
        *,
        input_format: InputFormat = "auto",
        **values: Any,
    ) -> Summary:
        """Summarize one article given as plain text or HTML (str, or UTF-8 bytes).

        ``options`` (:class:`SummaryOptions`), or its fields as keywords: ``summarize(text,
        length="short")`` is ``summarize(text, SummaryOptions(length="short"))``. Its
        ``language`` (an ISO 639-1 code like "de") is the article's language; without it the
        language is detected. Either way ``Summary.language`` reports it."""
        options = SummaryOptions.of(options, **values)
        doc = self.prepare(text, input_format, options.language)
        return self.summarize_prepared([doc], options)[0]

    def summarize_batch(
        self,
        texts: Sequence[str | bytes],
        options: SummaryOptions | None = None,
        *,
        input_format: InputFormat = "auto",
        **values: Any,
    ) -> list[Summary]:
        """Summarize many articles in batched model calls; same results as one by one.
        ``options`` as for :meth:`summarize`; a ``language`` is that of every article."""
        options = SummaryOptions.of(options, **values)
        docs = []
        for index, text in enumerate(texts):
            try:
                docs.append(self.prepare(text, input_format, options.language))
            except InputError as exc:
                raise InputError(f"article {index}: {exc}") from None
        return self.summarize_prepared(docs, options)

    def summarize_prepared(
        self, docs: Sequence[PreparedText], options: SummaryOptions
    ) -> list[Summary]:
        """Summaries for prepared articles: cached ones read back, identical ones computed once,
        new ones written to the cache. A failing model call raises."""
        summaries: list[Summary] = []
        for outcome in self._summarize(docs, options, each=False):
            if isinstance(outcome, Exception):  # not with each=False: the model call raised
                raise outcome
            summaries.append(outcome)
        return summaries

    def summarize_prepared_each(
        self, docs: Sequence[PreparedText], options: SummaryOptions
    ) -> list[Summary | Exception]:
        """``summarize_prepared``, but one bad article never fails the others: when the batched
        call raises, each article is retried alone and gets its summary or its own exception."""
        return self._summarize(docs, options, each=True)

    # -- the cache: one call looks up, one computes -------------------------------------------

    def cache_key(self, doc: PreparedText, options: SummaryOptions) -> str:
        """The key of ``doc``'s summary with ``options`` by this engine (``keys.cache_key`` of
        ``options.applied(doc.language)``: the language decides the sentence splitting)."""
        return cache_key(doc.text, self.engine.fingerprint(), options.applied(doc.language))

    def cached(self, key: str, options: SummaryOptions) -> CacheLookup:
        """The cache's answer for ``key`` (from :meth:`cache_key` with these ``options``): hit,
        miss, error or off, never an exception. A hit records ``options`` as they apply to its
        article, so an entry written before ``Summary.options`` held them all reads complete."""
        if self._cache is None:
            return CacheLookup(key, "off")
        read = self._cache.read(key)
        if read.value is None:
            return CacheLookup(key, read.state, error=read.error)
        try:
            summary = Summary.from_dict(read.value)
        except (KeyError, TypeError, ValueError) as exc:  # an entry this code cannot read
            return CacheLookup(key, "error", error=f"unreadable entry: {type(exc).__name__}")
        return CacheLookup(
            key,
            "hit",
            dataclasses.replace(summary, cached=True, options=options.applied(summary.language)),
        )

    def compute(
        self,
        docs: Sequence[PreparedText],
        options: SummaryOptions,
        *,
        keys: Sequence[str] | None = None,
    ) -> list[Summary | Exception]:
        """New summaries for articles that :meth:`cached` missed, written to the cache (never
        read): identical articles computed once, and when the batched call raises each article
        is retried alone and gets its summary or its own exception. ``keys``: the docs'
        :meth:`cache_key`, when the caller has them already (not computed again)."""
        if keys is None:
            keys = [self.cache_key(doc, options) for doc in docs]
        keys = list(keys)
        todo = dict(zip(keys, docs, strict=True))
        done = self._compute(todo, options, each=True)
        return [done[key] for key in keys]

    def cache_health(self) -> dict[str, Any]:
        """``SafeCache.health()`` of this summarizer's cache: ``{"backend", "state": "ok" |
        "open" | "disabled", "errors", "skipped", "detail"}``; without a cache, state ``"off"``
        and backend None (the same dict, so a caller never needs a None check)."""
        if self._cache is None:
            return {"backend": None, "state": "off", "errors": 0, "skipped": 0, "detail": None}
        return self._cache.health()

    def close(self) -> None:
        """Flush and release the cache, and stop an engine that runs a process."""
        if self._cache is not None:
            self._cache.close()
        self.close_engine()

    @property
    def engine_ready(self) -> bool:
        """The engine can take a call now: False only while an engine that runs a process
        (``process=True``) replaces one that died."""
        return bool(getattr(self.engine, "ready", True))

    def close_engine(self) -> None:
        """Stop the engine's own process, if it runs one (``process=True``); else nothing."""
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()

    def warm_up(self, text: str = WARMUP_TEXT) -> None:
        """One real model call on ``text``, outside the cache (neither read nor written), so
        the first reader does not pay for what the engine sets up lazily."""
        doc = self.prepare(text, "text")
        self.engine.summarize_batch([doc], SummaryOptions(length="short"))

    def _summarize(
        self, docs: Sequence[PreparedText], options: SummaryOptions, *, each: bool
    ) -> list[Summary | Exception]:
        keys = [self.cache_key(doc, options) for doc in docs]
        results: dict[str, Summary | Exception] = {}
        if self._cache is not None:
            for key in dict.fromkeys(keys):
                hit = self.cached(key, options).summary
                if hit is not None:
                    results[key] = hit
        todo = {key: doc for key, doc in zip(keys, docs, strict=True) if key not in results}
        results.update(self._compute(todo, options, each=each))
        return [results[key] for key in keys]

    def _compute(
        self, todo: dict[str, PreparedText], options: SummaryOptions, *, each: bool
    ) -> dict[str, Summary | Exception]:
        """``todo``'s summaries by key, each written to the cache. ``each``: a failing batched
        call is retried article by article (each gets its summary or its exception); else it
        raises."""
        if not todo:
            return {}
        try:
            fresh = self.engine.summarize_batch(list(todo.values()), options)
        except Exception as exc:
            if not each:
                raise
            if len(todo) == 1:
                return {key: exc for key in todo}
            log.warning("a batch of %d failed; retrying its articles one by one", len(todo))
            done: dict[str, Summary | Exception] = {}
            for key, doc in todo.items():
                done.update(self._compute({key: doc}, options, each=True))
            return done
        for key, summary in zip(todo, fresh, strict=True):
            if self._cache is not None:
                self._cache.set(key, summary.to_dict())
        return dict(zip(todo, fresh, strict=True))
