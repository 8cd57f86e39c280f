"""The job logic every backend shares (local processes and Ray alike).

A :class:`Job` reads records, skips the ones already in OUTPUT or ERRORS, writes input errors,
groups the rest into *windows* of a few hundred articles, and inside each window:

* identical texts are summarized once (also across windows, through a bounded memo, and across
  runs through ``--cache``);
* the distinct texts are sorted by length and cut into *units* of work for one call to a worker:
  a batch of ``--batch-size`` (the engine's own batches, so the model pads little), or with
  CTranslate2 ``--replicas`` a few batches for each replica to take as it frees up;
* results are written back **in input order**, then flushed.

Who computes the units is the *backend*: in this process (``--workers 1``), a pool of worker
processes that each load the model once (``--workers N``), both in ``backends``, or a Ray
cluster (``ray_runner``). What a worker returns for each article is an ``outcome.Outcome``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from summarizer.batch import signals
from summarizer.batch.config import BatchConfig
from summarizer.batch.lock import RunLock
from summarizer.batch.outcome import Outcome
from summarizer.batch.progress import Progress
from summarizer.batch.readers.reader import Reader
from summarizer.batch.readers.records import Item, RecordError, is_id_key
from summarizer.batch.report import Report
from summarizer.batch.writer import ForeignFileError, JsonlAppender
from summarizer.errors import InputError, SummarizerError
from summarizer.paths import free_aside_name

log = logging.getLogger("summarizer.batch.runner")

UNREADABLE_LIMIT = 1_000  # unreadable records at the start that make an input refused
MEMO_ENTRIES = 100_000  # identical-text memo across windows; beyond it, --cache still dedups


# What tells OUTPUT and ERRORS lines this tool wrote from anyone else's (json.dumps keeps the
# order of the keys as written in Outcome.output_line and RecordError.to_dict).
OUTPUT_PREFIX = re.compile(rb'\{"id": "(?:[^"\\]|\\.)*", "summary": ')
ERRORS_PREFIX = re.compile(rb'\{"key": "(?:[^"\\]|\\.)*", "id": ')


def _is_output_record(line: dict[str, Any]) -> bool:
    return {"id", "summary", "engine", "model"} <= line.keys()


def _is_errors_record(line: dict[str, Any]) -> bool:
    return {"key", "stage", "reason"} <= line.keys()


def options_text(options: dict[str, Any]) -> str:
    """Summary options as one comparable text (sorted, compact JSON)."""
    return json.dumps(options, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def text_hash(item: Item) -> str:
    data = item.text.encode("utf-8", "surrogatepass") if isinstance(item.text, str) else item.text
    return hashlib.sha256(item.input_format.encode() + b"\0" + data).hexdigest()


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
    results: dict[str, Outcome] = field(default_factory=dict)
    pinned: set[str] = field(default_factory=set)  # computed by an earlier window


class Backend(Protocol):
    def map(self, units: Iterable[Unit]) -> Iterator[tuple[Unit, list[Outcome]]]:
        """The outcomes of each unit, in the order the units were given."""
        ...

    def cache_health(self) -> dict[str, Any] | None:
        """The workers' caches, merged (``merge_cache_health``); None without a cache."""
        ...

    def close(self) -> None: ...


class Job:
    """Reading, skipping, deduplicating, ordering and writing: the same for every backend."""

    def __init__(self, config: BatchConfig, lock: RunLock | None = None) -> None:
        """``lock``: this OUTPUT's lock, taken by the caller (``run_local`` takes it first of
        all, so a second run is refused at once); without it the job takes it here."""
        self.config = config
        self.report = Report()
        self.lock = lock or RunLock(config.output).acquire()  # one run per OUTPUT
        try:
            self.reader = Reader(config.input, config.id_field, config.text_field)  # may raise
            total = self.reader.count()  # before any file is created: a bad input writes none
            if config.input != "-":
                self._check_readable()  # standard input is checked as it is read (_pending)
            self._open(config, total)
        except BaseException:
            self.lock.release()
            raise

    def _open(self, config: BatchConfig, total: int | None) -> None:
        assert config.errors is not None
        if config.retry_errors:
            self._set_errors_aside(config.errors)
        # Resume needs only the ids (with their text hash), the error keys and the models used:
        # OUTPUT is streamed, its summaries are not kept. Ids and positional keys (``line:N``,
        # ``ID@line:N``, a folder file's path) are separate sets: they can never collide.
        self.done_hashes: dict[str, str | None] = {}
        self.previous_models: set[str] = set()
        self.previous_options: set[str] = set()
        self.failed_ids: set[str] = set()
        self.failed_positions: set[str] = set()

        def done_output(line: dict[str, Any]) -> None:
            if "id" in line:
                self.done_hashes[str(line["id"])] = line.get("text_hash")
            self.previous_models.add(f"{line.get('engine')}:{line.get('model')}")
            if isinstance(line.get("options"), dict):
                self.previous_options.add(options_text(line["options"]))

        def done_error(line: dict[str, Any]) -> None:
            if "key" in line:
                if is_id_key(line):
                    self.failed_ids.add(str(line["key"]))
                else:
                    self.failed_positions.add(str(line["key"]))

        try:
            self.output = JsonlAppender(
                config.output,
                on_existing=done_output,
                owned=_is_output_record,
                owned_prefix=OUTPUT_PREFIX,
            )
            try:
                self.errors = JsonlAppender(
                    config.errors,
                    on_existing=done_error,
                    owned=_is_errors_record,
                    owned_prefix=ERRORS_PREFIX,
                )
            except BaseException:
                self.output.close()
                raise
        except ForeignFileError as exc:
            raise SummarizerError(str(exc)) from None
        except OSError as exc:
            raise SummarizerError(f"cannot write {exc.filename}: {exc.strerror}") from None
        try:
            self._check_options()
        except BaseException:
            self.output.close()
            self.errors.close()
            raise
        self.report.repaired = int(bool(self.output.repaired_bytes)) + int(
            bool(self.errors.repaired_bytes)
        )
        self.done_ids = set(self.done_hashes) | self.failed_ids
        self._memo: OrderedDict[str, Outcome] = OrderedDict()
        self._inflight: set[str] = set()
        self._pins: Counter[str] = Counter()  # memo entries a planned window still needs
        self._model_checked = False
        self._changed_logged = 0
        self._options = self.config.options.as_dict()
        done = len(self.done_ids) + len(self.failed_positions)
        todo = None if total is None else max(0, total - done)
        self.progress = Progress(todo, bar=config.progress, log_every=config.log_every)

    def _check_options(self) -> None:
        """Refuse to resume an OUTPUT written with other summary options (``--length``, ...),
        unless ``--mixed-options``: its lines would mix two kinds of summary silently."""
        now = options_text(self.config.options.as_dict())
        others = self.previous_options - {now}
        if not others:
            return
        message = (
            f"{self.config.output} holds summaries made with other options "
            f"({'; '.join(sorted(others))}) than this run's ({now})"
        )
        if not self.config.mixed_options:
            raise SummarizerError(
                message + ": run with the same options, give another OUTPUT, or pass "
                "--mixed-options to add these summaries to it anyway"
            )
        log.warning("%s; --mixed-options: adding them anyway", message)

    @staticmethod
    def _set_errors_aside(errors: Path) -> None:
        """``--retry-errors``: rename ERRORS (kept, never deleted) so its records count as not
        done and are tried again; the ones that fail again go to a fresh ERRORS, so every record
        is still in exactly one of OUTPUT or ERRORS. A crash after the rename loses nothing: the
        next run retries whatever is in neither file."""
        if not errors.is_file() or errors.stat().st_size == 0:
            return
        aside = free_aside_name(errors, "retried")
        os.replace(errors, aside)
        log.warning("retrying the records of %s; the old file is kept as %s", errors, aside)

    # -- reading --------------------------------------------------------------------------------

    def _pending(self) -> Iterator[tuple[Item, str]]:
        # Unreadable records (no id) are held until the input shows it is readable at all: a
        # record that parses, or one an earlier run finished. Standard input is checked here;
        # a file is checked before any file is created (``_check_readable``).
        held: list[RecordError] | None = []
        records = iter(self.reader)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except InputError as exc:  # damaged part-way: what was read is still summarized
                if held is not None:
                    raise
                self.report.input_error = str(exc)
                break
            self.report.total += 1
            done = self._is_done(record)
            if held is not None:
                if not done and isinstance(record, RecordError) and record.id is None:
                    held.append(record)
                    if len(held) >= UNREADABLE_LIMIT:
                        self._refuse_unreadable(held)
                    continue
                for error in held:  # in input order, before the record that proved it
                    self._write_input_error(error)
                held = None
            if done:
                self.report.skipped += 1
                if isinstance(record, Item):
                    self._check_changed(record)
                continue
            if isinstance(record, RecordError):
                self._write_input_error(record)
                continue
            yield record, text_hash(record)
        if held:
            self._refuse_unreadable(held)

    def _check_readable(self) -> None:
        """Refuse, before any file is created, an input none of whose first records can be read
        (a compressed file of another kind, a pretty-printed JSON array, ...)."""
        held: list[RecordError] = []
        for record in self.reader:
            if not isinstance(record, RecordError) or record.id is not None:
                return
            held.append(record)
            if len(held) >= UNREADABLE_LIMIT:
                break
        if held:
            self._refuse_unreadable(held)

    def _is_done(self, record: Item | RecordError) -> bool:
        """In OUTPUT or ERRORS already; counts the ones that failed before."""
        if is_id_key(record):
            if record.key not in self.done_ids:
                return False
            self.report.skipped_failed += record.key in self.failed_ids
            return True
        if record.key in self.failed_positions:
            self.report.skipped_failed += 1
            return True
        return False

    def _write_input_error(self, record: RecordError) -> None:
        self.errors.write(record.to_dict())
        self.report.failed += 1
        self.progress.advance(failed=1)

    def _refuse_unreadable(self, held: list[RecordError]) -> None:
        first = held[0]
        more = "the first " if len(held) >= UNREADABLE_LIMIT else ""
        name = "standard input" if self.config.input == "-" else self.config.input
        raise InputError(
            f"{name} has no readable record ({more}{len(held):,} records could not be read; "
            f"line {first.line}: {first.reason}); no record was written. Is it in the format "
            "its name says (JSONL: one JSON object a line; CSV with a header)?"
        )

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

    def accept(self, unit: Unit, results: list[Outcome]) -> None:
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
            if not result.ok:
                self.errors.write(result.errors_line(item))
                self.report.failed += 1
                failed += 1
                continue
            self._check_model(result)
            if digest in fresh:
                fresh.discard(digest)
                self.report.cached += bool(result.cached)
            else:
                self.report.reused += 1
            line = result.output_line(item, digest)
            line["options"] = self._options
            self.output.write(line)
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

    def _check_model(self, result: Outcome) -> None:
        if self._model_checked:
            return
        self._model_checked = True
        self.report.engine, self.report.model = result.engine, result.model
        now = f"{result.engine}:{result.model}"
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
                with signals.interruptible():
                    backend = make_backend()  # loading a model can take minutes: interruptible
                    loaded = time.perf_counter()
                    self.report.load_seconds = loaded - started
                    self.progress.start()
                    for unit, results in backend.map(self.units()):
                        self.accept(unit, results)
            except KeyboardInterrupt:  # Ctrl-C, SIGTERM or SIGHUP: keep what is finished
                self.report.interrupted = True
            finally:
                # No stop signal interrupts what follows (batch.signals): it always ends.
                if backend is not None:
                    health = getattr(backend, "cache_health", None)  # optional for test doubles
                    self.report.cache = health() if health else None
                    abort = getattr(backend, "abort", None)
                    if self.report.interrupted and abort is not None:
                        abort()
                    else:
                        backend.close()
            if backend is None:  # stopped while loading
                self.report.load_seconds = time.perf_counter() - started
            else:
                self.report.run_seconds = time.perf_counter() - loaded
                self.report.engine_seconds = getattr(backend, "seconds", None)
        finally:
            self.progress.stop()
            try:
                self.output.close()
            finally:
                try:
                    self.errors.close()
                finally:
                    self.lock.release()
            self.report.wall_seconds = time.perf_counter() - started
        return self.report
