"""``ProcessEngine``: a model run in one child process, so its Python-heavy ``generate()`` never
shares a GIL with the caller (the HTTP service's event loop answering a flood of 503s).

The parent resolves the model once and passes the :class:`ModelSpec` and :class:`LoadOptions`;
the child (started with ``spawn``: no copy of the parent's threads or locks) loads the engine in
its initializer. The parent never loads the weights: it keeps the engine's name, model id,
fingerprint and description, which the child reports once it has loaded. The caller's
``Summarizer`` stays the only owner of the cache: the child returns summaries, the parent writes.

A child that dies (killed, out of memory) fails the calls in flight with
:class:`ModelProcessError`; a new child is started at once in the background (``ready`` is
False until it has loaded), and a call meanwhile waits for it.

``threads`` unset means all cores but one: the caller keeps a core (the event loop answering a
flood), and a model whose threads have a core each is not slowed down by waiting for the one
that was descheduled (measured in docs/load.md and docs/deployment.md on two cores).
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from summarizer.engines.base import Engine
from summarizer.errors import ModelLoadError, ModelProcessError
from summarizer.isolation import exit_with_parent
from summarizer.load_options import LoadOptions, ModelSpec
from summarizer.options import SummaryOptions
from summarizer.summary import Summary
from summarizer.text import PreparedText

log = logging.getLogger("summarizer.registry")

# -- in the child ------------------------------------------------------------------------------

_child_engine: Engine | None = None
_child_error: BaseException | None = None


def _child_load(spec: ModelSpec, options: LoadOptions) -> None:
    """The pool's initializer: load the engine once. A failure is kept and raised by the first
    call (an initializer that raises only breaks the pool, and its message would be lost)."""
    global _child_engine, _child_error
    from summarizer import registry

    # The pool's queues would never tell the child its parent ended: it holds both ends of their
    # pipes.
    threading.Thread(target=exit_with_parent, name="parent-watch", daemon=True).start()

    try:
        _child_engine = registry.load_engine(spec, options)
    except Exception as exc:  # raised again, in the parent, by the first call
        _child_error = exc


def _loaded() -> Engine:
    if _child_engine is None:
        raise _child_error or ModelLoadError("the model process has no engine")
    return _child_engine


def _child_describe() -> dict[str, Any]:
    engine = _loaded()
    return {
        "name": engine.name,
        "model_id": engine.model_id,
        "fingerprint": engine.fingerprint(),
        "describe": engine.describe(),
    }


def _child_summarize(docs: Sequence[PreparedText], options: SummaryOptions) -> list[Summary]:
    return _loaded().summarize_batch(docs, options)


# -- in the parent -----------------------------------------------------------------------------


class ProcessEngine(Engine):
    """An engine whose model runs in one child process; calls block the calling thread (its
    GIL released) until the child answers."""

    name = "process"  # replaced by the child's engine name once it has loaded

    def __init__(self, spec: ModelSpec, options: LoadOptions) -> None:
        self._spec = spec
        if options.threads is None:
            options = dataclasses.replace(options, threads=max(1, (os.cpu_count() or 1) - 1))
        self._options = options
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        info = self._start()
        super().__init__(info["model_id"])
        self.name = info["name"]  # type: ignore[misc]
        self._fingerprint: str = info["fingerprint"]
        self._describe: dict[str, Any] = info["describe"]

    @classmethod
    def from_spec(cls, spec: ModelSpec, options: LoadOptions) -> ProcessEngine:
        return cls(spec, options)

    def _start(self) -> dict[str, Any]:
        """A new child, loaded: its engine's description, or the load error (the child ended)."""
        pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_child_load,
            initargs=(self._spec, self._options),
        )
        try:
            info = pool.submit(_child_describe).result()
        except BrokenProcessPool as exc:
            pool.shutdown(wait=True, cancel_futures=True)
            raise ModelLoadError(
                f"the model process for {self._spec.source} exited while loading it"
            ) from exc
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        self._pool = pool
        return info

    def _current_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise ModelProcessError("the model process has been shut down")
            if self._pool is None:
                log.warning("starting a new model process for %s", self._spec.source)
                self._start()
            assert self._pool is not None
            return self._pool

    @property
    def ready(self) -> bool:
        """A loaded child is there to take a call (False while a dead one is being replaced)."""
        return self._pool is not None and not self._closed

    def _restart(self) -> None:
        try:
            self._current_pool()
        except Exception:  # the next call tries again, and raises this to its caller
            log.exception("the new model process failed to start")

    def pid(self) -> int | None:
        """The child's process id (None while none runs): for operators and tests."""
        pool = self._pool
        processes = getattr(pool, "_processes", None) or {}
        return next(iter(processes), None)

    def summarize_batch(
        self, docs: Sequence[PreparedText], options: SummaryOptions
    ) -> list[Summary]:
        pool = self._current_pool()
        try:
            return pool.submit(_child_summarize, list(docs), options).result()
        except BrokenProcessPool:
            with self._lock:
                replace = self._pool is pool  # the first caller to see it replaces the child
                if replace:
                    self._pool = None
                    pool.shutdown(wait=False, cancel_futures=True)
            if replace:
                log.error("the model process died during a model call; starting another")
                threading.Thread(target=self._restart, name="model-restart", daemon=True).start()
            raise ModelProcessError(
                "the model process stopped during this request; it is being restarted, retry"
            ) from None

    def fingerprint(self) -> str:
        return self._fingerprint

    def describe(self) -> dict[str, Any]:
        return {**self._describe, "process": "child", "threads": self._options.threads}

    def close(self) -> None:
        """Stop the child (waits for a call in progress); later calls raise."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
