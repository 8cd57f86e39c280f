"""``summarizer batch --engine ray``: the same job, with the model calls spread over a Ray cluster.

The driver (this process) does what must happen exactly once: reading the input, skipping ids
already in OUTPUT or ERRORS, writing input errors, and appending results to OUTPUT and ERRORS with
the same crash-safe writer as the local runner. The articles left to do become a Ray Dataset
(``from_items``); ``map_batches`` runs them through a fixed pool of actors, each loading the model
once; results stream back in order (``preserve_order``) and are written as they come, so a killed
run loses at most the windows in flight and a re-run of the same command continues.

The driver holds the articles left to do in memory while the job runs; for inputs larger than the
driver's memory, split the input and run one job per part into the same OUTPUT.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

from summarizer.batch.config import BatchConfig
from summarizer.batch.job import Job, Unit
from summarizer.batch.lock import RunLock
from summarizer.batch.outcome import OUTCOME_FIELDS, Outcome
from summarizer.batch.report import Report
from summarizer.batch.runner import check_cache, resolve_model
from summarizer.batch.work import WorkerModel, cache_health, merge_cache_health, summarize_texts
from summarizer.errors import SummarizerError
from summarizer.options import SummaryOptions

log = logging.getLogger(__name__)

# The actor's cache health rides along on each row (Arrow columns), for the summary line.
_HEALTH_FIELDS = ("worker", "backend", "state", "errors", "skipped", "detail")


class SummarizeActor:
    """One per actor in the pool: loads the model in ``__init__``, then summarizes batches."""

    def __init__(self, model: WorkerModel, options: SummaryOptions) -> None:
        self.summarizer = model.load()
        self.options = options

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        texts = list(zip(batch["text"], batch["fmt"], strict=True))
        results = summarize_texts(
            self.summarizer,
            [(t if isinstance(t, bytes) else str(t), str(f)) for t, f in texts],
            self.options,
        )
        out: dict[str, list[Any]] = {"u": list(batch["u"])}
        rows = [result.to_row() for result in results]
        for name in OUTCOME_FIELDS:
            out[name] = [row[name] for row in rows]
        health = cache_health(self.summarizer)
        if health is not None:
            for name in _HEALTH_FIELDS:
                value = health[name] if name != "detail" else health[name] or ""
                out[f"cache_{name}"] = [value] * len(results)
        return out


class RayBackend:
    """Runs units on Ray; starts (or joins) the cluster only when there is work to do."""

    def __init__(
        self, config: BatchConfig, model: WorkerModel, address: str | None, cpus: int | None
    ) -> None:
        self.config = config
        self.model = model
        self.address = address
        self.cpus = cpus
        self.started = False
        self.healths: dict[Any, dict[str, Any]] = {}

    def cache_health(self) -> dict[str, Any] | None:
        return merge_cache_health(list(self.healths.values()))

    def _row(self, row: dict[str, Any]) -> Outcome:
        if "cache_worker" in row:
            health = {name: row[f"cache_{name}"] for name in _HEALTH_FIELDS}
            health["detail"] = health["detail"] or None
            self.healths[health["worker"]] = health
        return Outcome.from_row(row)

    def _connect(self) -> Any:
        try:
            import ray
        except ImportError:  # pragma: no cover - depends on the install
            raise SummarizerError(
                "--engine ray needs Ray: pip install 'article-summarizer[ray]'"
            ) from None
        if not ray.is_initialized():
            import summarizer

            kwargs: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                # Ship this very package to the workers, so they run the driver's code.
                "runtime_env": {"py_modules": [os.path.dirname(summarizer.__file__)]},
            }
            if self.address:
                kwargs["address"] = self.address
            elif self.cpus:
                kwargs["num_cpus"] = self.cpus
            try:
                ray.init(**kwargs)
            except Exception as exc:  # a wrong address, a cluster that is down, ...
                where = self.address or "a local instance"
                raise SummarizerError(f"cannot start or join Ray ({where}): {exc}") from None
            self.started = True
        return ray

    def map(self, units: Iterable[Unit]) -> Iterator[tuple[Unit, list[Outcome]]]:
        units = list(units)
        rows = [
            {"u": n, "text": text, "fmt": fmt}
            for n, unit in enumerate(units)
            for text, fmt in unit.texts
        ]
        if not rows:
            for unit in units:
                yield unit, []
            return
        ray = self._connect()
        ray.data.DataContext.get_current().execution_options.preserve_order = True
        ray.data.DataContext.get_current().enable_progress_bars = False
        workers = self.config.workers
        cpus = int(ray.cluster_resources().get("CPU", 1))
        load = self.config.worker_load(cpus)
        per_actor = load.threads or 1
        model = dataclasses.replace(self.model, load_options=load)
        blocks = max(1, min(len(rows) // self.config.unit_size, 200))
        dataset = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            SummarizeActor,
            fn_constructor_kwargs={"model": model, "options": self.config.options},
            batch_size=self.config.unit_size,
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=per_actor,
        )
        stream = iter(dataset.iter_rows())
        for unit in units:
            yield unit, [self._row(next(stream)) for _ in unit.texts]

    def close(self) -> None:
        if self.started:
            import ray

            ray.shutdown()


def run_ray(config: BatchConfig, address: str | None = None, cpus: int | None = None) -> Report:
    lock = RunLock(config.output).acquire()  # first: a second run on OUTPUT is refused at once
    try:
        spec = resolve_model(config)  # once, before any file or cluster work
        check_cache(config.cache_url)
        job = Job(config, lock)
    except BaseException:
        lock.release()
        raise
    model = WorkerModel(spec, config.load, config.cache_url)
    return job.run(lambda: RayBackend(config, model, address, cpus))
