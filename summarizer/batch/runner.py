"""``summarizer batch`` on one machine: resolve the model once, check the cache, run the
:class:`~summarizer.batch.job.Job` on the inline or the process backend.

The pieces, one job each: ``config`` (what the run is asked to do), ``job`` (reading, planning,
deduplicating, writing in order), ``backends`` (who computes locally), ``work`` (what a worker
runs), ``outcome`` (what it returns for an article), ``report`` (the summary line),
``ray_runner`` (the Ray backend).
"""

from __future__ import annotations

from summarizer import registry
from summarizer.batch.backends import InlineBackend, ProcessBackend
from summarizer.batch.config import BatchConfig
from summarizer.batch.job import Job
from summarizer.batch.lock import RunLock
from summarizer.batch.report import Report
from summarizer.batch.work import WorkerModel
from summarizer.cache import DisabledCache, open_cache, redact_url
from summarizer.errors import SummarizerError
from summarizer.load_options import ModelSpec

__all__ = ["BatchConfig", "Job", "Report", "check_cache", "resolve_model", "run_local"]


def check_cache(url: str | None) -> None:
    """Refuse, before any file is created, a ``--cache`` that cannot be opened at all (a SQLite
    path in a folder that is a file, ...): the user asked for it by name. A broken SQLite file
    is moved aside here, once, by ``open_cache``. A Redis that is down is not refused: it is
    only an optimisation, and the run summarizes without it (the summary line says so)."""
    cache = open_cache(url)
    if cache is None:
        return
    try:
        if isinstance(cache, DisabledCache):
            raise SummarizerError(f"--cache {redact_url(url or '')}: {cache.reason}")
    finally:
        cache.close()


def resolve_model(config: BatchConfig) -> ModelSpec:
    """The model, resolved once, in the driver, before any file is created: a model asked for by
    name that is not here fails now, and every worker loads the same one (``auto`` included)."""
    return registry.resolve(config.model)


def run_local(config: BatchConfig) -> Report:
    lock = RunLock(config.output).acquire()  # first: a second run on OUTPUT is refused at once
    try:
        spec = resolve_model(config)
        check_cache(config.cache_url)
        job = Job(config, lock)
    except BaseException:
        lock.release()
        raise
    model = WorkerModel(spec, config.worker_load(), config.cache_url)

    def make() -> InlineBackend | ProcessBackend:
        if config.workers == 1:
            return InlineBackend(model, config.options)
        return ProcessBackend(model, config.options, config.workers)

    return job.run(make)
