"""``summarizer batch`` on one machine, and the job logic every engine shares.

A :class:`Job` reads records, skips the ones already in OUTPUT or ERRORS, writes input errors,
groups the rest into *windows* of a few hundred articles, and inside each window:

* identical texts are summarized once (also across windows, through a bounded memo, and across
  runs through ``--cache``);
* the distinct texts are sorted by length and cut into *units* of work for one call to a worker:
  a batch of ``--batch-size`` (the engine's own batches, so the model pads little), or with
  CTranslate2 ``--replicas`` a few batches for each replica to take as it frees up;
* results are written back **in input order**, then flushed.

Who computes the units is the *backend*: in this process (``--workers 1``), a pool of worker
processes that each load the model once (``--workers N``), or a Ray cluster (``ray_runner``).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import re
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from summarizer import registry
from summarizer.batch.progress import Progress
from summarizer.batch.readers import Item, Reader, RecordError
from summarizer.batch.work import (
    LoadSpec,
    Result,
    cache_health,
    init_worker,
    merge_cache_health,
    summarize_texts,
    worker_summarize,
)
from summarizer.batch.writer import ForeignFileError, JsonlAppender
from summarizer.cache import DisabledCache, open_cache, redact_url
from summarizer.errors import OptionsError, SummarizerError
from summarizer.options import SummaryOptions

log = logging.getLogger(__name__)

# Batches per CTranslate2 replica in one call to a worker: replicas take queued batches as they
# free up and wait for each other only at the end of a call, so one batch each would idle them.
BATCHES_PER_REPLICA = 4
MEMO_ENTRIES = 100_000  # identical-text memo across windows; beyond it, --cache still dedups


def default_errors_path(output: str | Path) -> Path:
    output = Path(output)
    name = output.name[: -len(".jsonl")] if output.name.endswith(".jsonl") else output.name
    return output.with_name(name + ".errors.jsonl")


# What tells OUTPUT and ERRORS lines this tool wrote from anyone else's (json.dumps keeps the
# order of the keys as written in Job._finish and RecordError.to_dict).
_OUTPUT_PREFIX = re.compile(rb'\{"id": "(?:[^"\\]|\\.)*", "summary": ')
_ERRORS_PREFIX = re.compile(rb'\{"key": "(?:[^"\\]|\\.)*", "id": ')


def _is_output_record(line: dict[str, Any]) -> bool:
    return {"id", "summary", "engine", "model"} <= line.keys()


def _is_errors_record(line: dict[str, Any]) -> bool:
    return {"key", "stage", "reason"} <= line.keys()


def _same_file(a: Path, b: Path) -> bool:
    """Also through symbolic and hard links (same inode) when both exist."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def text_hash(item: Item) -> str:
    data = item.text.encode("utf-8", "surrogatepass") if isinstance(item.text, str) else item.text
    return hashlib.sha256(item.input_format.encode() + b"\0" + data).hexdigest()


@dataclass
class BatchConfig:
    input: str
    output: Path
    errors: Path | None = None
    model: str = "auto"
    options: SummaryOptions = field(default_factory=SummaryOptions)
    id_field: str = "id"
    text_field: str | None = None
    workers: int = 1
    batch_size: int = 16
    device: str = "auto"
    threads: int | None = None
    num_beams: int | None = None
    replicas: int = 1  # CTranslate2 model replicas per worker, sharing its weights and threads
    cache_url: str | None = None
    window: int | None = None  # articles per window; default 16 batches per worker and replica
    retry_errors: bool = False  # set ERRORS aside and try its records again
    log_every: float = 30.0
    progress: bool | None = None  # None: a bar when stderr is a terminal

    def __post_init__(self) -> None:
        self.output = Path(self.output)
        self.errors = Path(self.errors) if self.errors else default_errors_path(self.output)
        if _same_file(self.output, self.errors):
            raise OptionsError("--errors must be a different file from OUTPUT")
        if self.input != "-":
            for name, path in (("OUTPUT", self.output), ("ERRORS", self.errors)):
                if _same_file(Path(self.input), path):
                    raise OptionsError(f"{name} {path} is the input file: give another file")
        if self.workers < 1 or self.batch_size < 1 or self.replicas < 1:
            raise OptionsError("--workers, --batch-size and --replicas must be at least 1")
        registry.check_device(self.device)  # here, not in a worker that would die of it
        registry.check_threads(self.threads)

    @property
    def unit_size(self) -> int:
        """Articles a worker summarizes in one call: a batch, or with replicas a few each."""
        if self.replicas == 1:
            return self.batch_size
        return self.batch_size * self.replicas * BATCHES_PER_REPLICA

    @property
    def window_size(self) -> int:
        return self.window or self.batch_size * self.replicas * max(1, self.workers) * 16

    def load_spec(self) -> LoadSpec:
        threads = self.threads
        if threads is None and self.workers > 1:
            threads = max(1, (os.cpu_count() or 1) // self.workers)
        return LoadSpec(
            model=self.model,
            device=self.device,
            threads=threads,
            batch_size=self.batch_size,
            num_beams=self.num_beams,
            replicas=self.replicas,
            cache_url=self.cache_url,
        )


@dataclass
class Report:
    total: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    reused: int = 0
    cached: int = 0
    changed: int = 0
    repaired: int = 0
    engine: str = ""
    model: str = ""
    load_seconds: float = 0.0
    run_seconds: float = 0.0
    wall_seconds: float = 0.0
    engine_seconds: float | None = None  # time inside the engine (--workers 1 only)
    interrupted: bool = False
    cache: dict[str, Any] | None = None  # the workers' SafeCache.health(), merged

    @property
    def cache_degraded(self) -> bool:
        return self.cache is not None and (self.cache["errors"] > 0 or self.cache["state"] != "ok")

    @property
    def rate(self) -> float:
        """Articles summarized per second of processing (model loading excluded)."""
        return self.done / self.run_seconds if self.run_seconds > 0 else 0.0

    def line(self) -> str:
        extra = f", {self.reused} reused" if self.reused else ""
        extra += f", {self.cached} from cache" if self.cached else ""
        status = "interrupted" if self.interrupted else "finished"
        text = (
            f"batch {status}: {self.total} records read: {self.done} done{extra}, "
            f"{self.skipped} skipped (already done), {self.failed} failed; "
            f"{self.rate:.1f} articles/s; wall {self.wall_seconds:.1f} s "
            f"(model load {self.load_seconds:.1f} s)"
        )
        if self.changed:
            text += f"; {self.changed} changed since summarized (kept)"
        if self.cache is not None and self.cache_degraded:
            text += (
                f"; cache degraded ({self.cache['backend']}, {self.cache['state']}: "
                f"{self.cache['errors']} errors, {self.cache['skipped']} skipped; "
                f"{self.cache['detail']}): articles were summarized without it"
            )
        if self.interrupted:
            text += "; re-run the same command to continue"
        return text

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["articles_per_second"] = round(self.rate, 3)
        return data


@dataclass
class Unit:
    """One batch for the model: distinct texts of similar length from one window."""

    window: Window
    hashes: list[str]
    texts: list[tuple[str | bytes, str]]


@dataclass
class Window:
    items: list[tuple[Item, str]]  # (item, text hash) in input order
    units: list[Unit] = field(default_factory=list)
    received: int = 0
    results: dict[str, Result] = field(default_factory=dict)
    pinned: set[str] = field(default_factory=set)  # computed by an earlier window


class Backend(Protocol):
    def map(self, units: Iterable[Unit]) -> Iterator[tuple[Unit, list[Result]]]:
        """Results for each unit, in the order the units were given."""
        ...

    def cache_health(self) -> dict[str, Any] | None:
        """The workers' caches, merged (``merge_cache_health``); None without a cache."""
        ...

    def close(self) -> None: ...


class InlineBackend:
    """``--workers 1``: the model is loaded in this process."""

    def __init__(self, spec: LoadSpec, options: SummaryOptions) -> None:
        self.summarizer = spec.load()
        self.options = options
        self.seconds = 0.0  # spent in summarize_texts: what the engine itself costs

    def map(self, units: Iterable[Unit]) -> Iterator[tuple[Unit, list[Result]]]:
        for unit in units:
            started = time.perf_counter()
            results = (
                summarize_texts(self.summarizer, unit.texts, self.options) if unit.texts else []
            )
            self.seconds += time.perf_counter() - started
            yield unit, results

    def cache_health(self) -> dict[str, Any] | None:
        health = cache_health(self.summarizer)
        return merge_cache_health([health]) if health else None

    def close(self) -> None:
        if self.summarizer.cache is not None:
            self.summarizer.cache.close()


class ProcessBackend:
    """``--workers N``: N spawned processes, each loading the model once."""

    def __init__(self, spec: LoadSpec, options: SummaryOptions, workers: int) -> None:
        self.workers = workers
        self.options = options
        self.healths: dict[int, dict[str, Any]] = {}  # the latest cache health of each worker
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(spec, os.getpid()),  # workers die with this process, even on kill -9
        )

    def map(self, units: Iterable[Unit]) -> Iterator[tuple[Unit, list[Result]]]:
        ahead: deque[tuple[Unit, Future[Any] | None]] = deque()
        for unit in units:
            future = (
                self.pool.submit(worker_summarize, unit.texts, self.options) if unit.texts else None
            )
            ahead.append((unit, future))
            while len(ahead) > 2 * self.workers:
                done, fut = ahead.popleft()
                yield done, self._results(fut)
        while ahead:
            done, fut = ahead.popleft()
            yield done, self._results(fut)

    def _results(
        self, future: Future[tuple[list[Result], dict[str, Any] | None]] | None
    ) -> list[Result]:
        if future is None:
            return []
        results, health = future.result()
        if health is not None:
            self.healths[health["worker"]] = health
        return results

    def cache_health(self) -> dict[str, Any] | None:
        return merge_cache_health(list(self.healths.values()))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Job:
    """Reading, skipping, deduplicating, ordering and writing: the same for every backend."""

    def __init__(self, config: BatchConfig) -> None:
        self.config = config
        self.report = Report()
        self.reader = Reader(config.input, config.id_field, config.text_field)  # may raise
        total = self.reader.count()  # before any file is created: an unusable input writes none
        assert config.errors is not None
        if config.retry_errors:
            self._set_errors_aside(config.errors)
        # Resume needs only the ids (with their text hash), the error keys and the models used:
        # OUTPUT is streamed, its summaries are not kept.
        self.done_hashes: dict[str, str | None] = {}
        self.previous_models: set[str] = set()
        error_keys: set[str] = set()

        def done_output(line: dict[str, Any]) -> None:
            if "id" in line:
                self.done_hashes[str(line["id"])] = line.get("text_hash")
            self.previous_models.add(f"{line.get('engine')}:{line.get('model')}")

        def done_error(line: dict[str, Any]) -> None:
            if "key" in line:
                error_keys.add(str(line["key"]))

        try:
            self.output = JsonlAppender(
                config.output,
                on_existing=done_output,
                owned=_is_output_record,
                owned_prefix=_OUTPUT_PREFIX,
            )
            try:
                self.errors = JsonlAppender(
                    config.errors,
                    on_existing=done_error,
                    owned=_is_errors_record,
                    owned_prefix=_ERRORS_PREFIX,
                )
            except BaseException:
                self.output.close()
                raise
        except ForeignFileError as exc:
            raise SummarizerError(str(exc)) from None
        except OSError as exc:
            raise SummarizerError(f"cannot write {exc.filename}: {exc.strerror}") from None
        self.report.repaired = int(bool(self.output.repaired_bytes)) + int(
            bool(self.errors.repaired_bytes)
        )
        self.done_keys = set(self.done_hashes)
        self.done_keys.update(error_keys)
        self._memo: OrderedDict[str, Result] = OrderedDict()
        self._inflight: set[str] = set()
        self._pins: Counter[str] = Counter()  # memo entries a planned window still needs
        self._model_checked = False
        self._changed_logged = 0
        todo = None if total is None else max(0, total - len(self.done_keys))
        self.progress = Progress(todo, bar=config.progress, log_every=config.log_every)

    @staticmethod
    def _set_errors_aside(errors: Path) -> None:
        """``--retry-errors``: rename ERRORS (kept, never deleted) so its records count as not
        done and are tried again; the ones that fail again go to a fresh ERRORS, so every record
        is still in exactly one of OUTPUT or ERRORS. A crash after the rename loses nothing: the
        next run retries whatever is in neither file."""
        if not errors.is_file() or errors.stat().st_size == 0:
            return
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = errors.with_name(f"{errors.name}.retried-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = errors.with_name(f"{errors.name}.retried-{stamp}-{n}")
        os.replace(errors, aside)
        log.warning("retrying the records of %s; the old file is kept as %s", errors, aside)

    # -- reading --------------------------------------------------------------------------------

    def _pending(self) -> Iterator[tuple[Item, str]]:
        for record in self.reader:
            self.report.total += 1
            if record.key in self.done_keys:
                self.report.skipped += 1
                if isinstance(record, Item):
                    self._check_changed(record)
                continue
            if isinstance(record, RecordError):
                self.errors.write(record.to_dict())
                self.report.failed += 1
                self.progress.advance(failed=1)
                continue
            yield record, text_hash(record)

    def _check_changed(self, item: Item) -> None:
        old = self.done_hashes.get(item.key)
        if old is None or old == text_hash(item)[:16]:
            return
        self.report.changed += 1
        if self._changed_logged < 5:
            self._changed_logged += 1
            log.warning(
                "id %r changed since it was summarized; keeping the summary in %s "
                "(delete its line to summarize it again)",
                item.id,
                self.config.output,
            )

    def windows(self) -> Iterator[Window]:
        batch: list[tuple[Item, str]] = []
        for pair in self._pending():
            batch.append(pair)
            if len(batch) >= self.config.window_size:
                yield self._plan(batch)
                batch = []
        if batch:
            yield self._plan(batch)

    def _plan(self, items: list[tuple[Item, str]]) -> Window:
        window = Window(items)
        distinct: dict[str, Item] = {}
        for item, digest in items:
            if digest in self._memo or digest in self._inflight:
                if digest not in window.pinned:
                    window.pinned.add(digest)
                    self._pins[digest] += 1
            else:
                distinct.setdefault(digest, item)
        self._inflight.update(distinct)
        order = sorted(distinct.items(), key=lambda kv: len(kv[1].text))
        size = self.config.unit_size
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            window.units.append(
                Unit(window, [d for d, _ in chunk], [(i.text, i.input_format) for _, i in chunk])
            )
        if not window.units:
            window.units.append(Unit(window, [], []))  # so the window still comes back
        return window

    def units(self) -> Iterator[Unit]:
        for window in self.windows():
            yield from window.units

    # -- writing --------------------------------------------------------------------------------

    def accept(self, unit: Unit, results: list[Result]) -> None:
        window = unit.window
        window.results.update(zip(unit.hashes, results, strict=True))
        window.received += 1
        # Show work as batches finish (a window may take minutes); settled in _finish.
        self.progress.advance(done=len(results))
        if window.received == len(window.units):
            self._finish(window)

    def _finish(self, window: Window) -> None:
        for digest, result in window.results.items():
            self._memo[digest] = result
            self._inflight.discard(digest)
        fresh = set(window.results)
        done = failed = 0
        for digest in window.pinned:
            window.results[digest] = self._memo[digest]
            self._pins[digest] -= 1
            if not self._pins[digest]:
                del self._pins[digest]
        self._evict()
        for item, digest in window.items:
            result = window.results[digest]
            if "error" in result:
                self.errors.write(
                    {
                        "key": item.key,
                        "id": item.id,
                        "line": item.line,
                        "stage": result["stage"],
                        "reason": result["error"],
                        "raw": None,
                    }
                )
                self.report.failed += 1
                failed += 1
                continue
            self._check_model(result)
            if digest in fresh:
                fresh.discard(digest)
                self.report.cached += bool(result.get("cached"))
            else:
                self.report.reused += 1
            self.output.write(
                {
                    "id": item.id,
                    "summary": result["summary"],
                    "engine": result["engine"],
                    "model": result["model"],
                    "chars": result["chars"],
                    "words": result["words"],
                    "text_hash": digest[:16],
                }
            )
            self.report.done += 1
            done += 1
        computed = sum(len(unit.hashes) for unit in window.units)
        self.progress.advance(done=done - computed, failed=failed)
        # A window is the unit of loss on a crash: make it durable before the next one.
        self.output.flush()
        self.errors.flush()

    def _evict(self) -> None:
        excess = len(self._memo) - MEMO_ENTRIES
        if excess <= 0:
            return
        for digest in list(self._memo):
            if excess <= 0:
                break
            if digest not in self._pins:
                del self._memo[digest]
                excess -= 1

    def _check_model(self, result: Result) -> None:
        if self._model_checked:
            return
        self._model_checked = True
        self.report.engine, self.report.model = result["engine"], result["model"]
        now = f"{result['engine']}:{result['model']}"
        others = self.previous_models - {now}
        if others:
            log.warning(
                "%s already holds summaries from %s; this run uses %s",
                self.config.output,
                ", ".join(sorted(others)),
                now,
            )

    # -- running --------------------------------------------------------------------------------

    def run(self, make_backend: Any) -> Report:
        """Load the backend, stream every unit through it, write, and report."""
        started = loaded = time.perf_counter()
        backend: Backend | None = None
        try:
            try:
                backend = make_backend()  # loading a model can take minutes: interruptible too
                loaded = time.perf_counter()
                self.report.load_seconds = loaded - started
                self.progress.start()
                for unit, results in backend.map(self.units()):
                    self.accept(unit, results)
            except KeyboardInterrupt:  # Ctrl-C or SIGTERM: keep what is finished, say so
                self.report.interrupted = True
            finally:
                if backend is not None:
                    health = getattr(backend, "cache_health", None)  # optional for test doubles
                    self.report.cache = health() if health else None
                    backend.close()
            if backend is None:  # stopped while loading
                self.report.load_seconds = time.perf_counter() - started
            else:
                self.report.run_seconds = time.perf_counter() - loaded
                self.report.engine_seconds = getattr(backend, "seconds", None)
        finally:
            self.progress.stop()
            self.output.close()
            self.errors.close()
            self.report.wall_seconds = time.perf_counter() - started
        return self.report


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


def run_local(config: BatchConfig) -> Report:
    if config.model not in ("auto", "extractive"):
        registry.resolve(config.model)  # fail fast, before any file is created
    check_cache(config.cache_url)
    job = Job(config)
    spec = config.load_spec()

    def make() -> InlineBackend | ProcessBackend:
        if config.workers == 1:
            return InlineBackend(spec, config.options)
        return ProcessBackend(spec, config.options, config.workers)

    return job.run(make)
