"""Work on a client's text in worker processes, each call under a deadline: ``WorkerPool``.

Python code holds the GIL while it runs, so a thread that parses a hostile page stops every other
thread of its process: in the HTTP service, the event loop and its health endpoints. In a worker
process it stops nothing but that worker. A call that overruns its deadline gets
:class:`WorkTimeout` at the deadline, and its worker is killed and replaced (in the background:
the other workers keep taking calls), so a stuck call never holds a worker after its caller has
given up on it. A worker that dies (killed, out of memory) fails its call with
:class:`WorkerDied` and is replaced the same way.

Workers start with ``spawn`` (no copy of the parent's threads or locks), import what they run
once, and end with their parent, even when it is killed. ``PreparationPool`` is the pool for
:func:`summarizer.text.prepare`, the work every request starts with.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from summarizer.errors import SummarizerError, WorkerDied, WorkTimeout

log = logging.getLogger("summarizer.isolation")


def exit_with_parent() -> None:
    """In a child process: end it when its parent ends, even killed (SIGKILL, a crash). Run it
    in a daemon thread."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)


def _serve(
    connection: Connection, imports: Sequence[str], warm_up: Callable[[], object] | None
) -> None:
    """A worker's loop: ``(function, args)`` in, ``(ok, result or exception)`` out."""
    threading.Thread(target=exit_with_parent, name="parent-watch", daemon=True).start()
    from summarizer.log_setup import quiet_noisy_loggers

    quiet_noisy_loggers()  # as in the parent: trafilatura's lines about client input
    for module in imports:  # paid once at start, not by the first call
        importlib.import_module(module)
    if warm_up is not None:  # what the first call would set up lazily (models, tables)
        warm_up()
    connection.send(True)  # ready
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        if message is None:
            return
        function, args = message
        try:
            reply: tuple[bool, Any] = (True, function(*args))
        except Exception as exc:
            reply = (False, exc)
        try:
            connection.send(reply)
        except Exception as exc:  # a result or an exception that does not pickle
            connection.send((False, SummarizerError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(
        self, context: Any, imports: Sequence[str], warm_up: Callable[[], object] | None
    ) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_serve,
            args=(child, tuple(imports), warm_up),
            name="summarizer-worker",
            daemon=True,
        )
        self.process.start()
        child.close()

    def wait_ready(self) -> None:
        """Block until the worker has imported what it runs; WorkerDied if it ended instead."""
        try:
            self.connection.recv()
        except (EOFError, OSError):
            self.kill()
            raise WorkerDied("a worker process ended while it was starting") from None

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.connection.close()


class WorkerPool:
    """``workers`` processes that run module-level functions (picklable, as are their arguments
    and results), one call each at a time, every call under a deadline.

    ``imports``: modules each worker imports when it starts (what its calls need);
    ``warm_up``: a module-level function each worker then runs once, before its first call."""

    def __init__(
        self,
        workers: int,
        imports: Sequence[str] = (),
        warm_up: Callable[[], object] | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self._context = multiprocessing.get_context("spawn")
        self._imports = tuple(imports)
        self._warm_up = warm_up
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False
        self.size = workers
        self.replaced = 0  # workers killed at a deadline or found dead, and started again
        # The first worker alone (a caller waits only for it: its imports do not share the
        # cores with the others'), then the rest together; each joins the pool when ready.
        threading.Thread(target=self._start, args=(workers,), daemon=True).start()

    def _start(self, workers: int) -> None:
        self._join(_Worker(self._context, self._imports, self._warm_up))
        rest = [_Worker(self._context, self._imports, self._warm_up) for _ in range(workers - 1)]
        for worker in rest:
            threading.Thread(target=self._join, args=(worker,), daemon=True).start()

    def _join(self, worker: _Worker) -> None:
        try:
            self._add(worker)
        except Exception:
            log.exception("a worker process could not be started")

    def _add(self, worker: _Worker) -> None:
        """Take ``worker`` into the pool once it is ready."""
        worker.wait_ready()
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._workers.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in its place, off the caller's thread."""
        with self._lock:
            self._workers.discard(worker)
            self.replaced += 1

        def replace() -> None:
            worker.kill()
            self._join(_Worker(self._context, self._imports, self._warm_up))

        threading.Thread(target=replace, name="worker-replace", daemon=True).start()

    def run(self, function: Callable[..., Any], *args: Any, deadline: float | None) -> Any:
        """``function(*args)`` in a worker, by ``deadline`` (``time.monotonic()`` seconds; None:
        no deadline): its result, or its exception raised here. Waiting for a free worker
        counts against the deadline; a call not finished by then raises :class:`WorkTimeout`
        and its worker is replaced."""
        if self._closed:
            raise SummarizerError("the worker pool has been shut down")
        try:
            worker = self._idle.get(timeout=_left(deadline))
        except queue.Empty:
            raise WorkTimeout("no worker was free before the deadline") from None
        try:
            worker.connection.send((function, args))
            if not worker.connection.poll(_left(deadline)):
                self._replace(worker)
                raise WorkTimeout("the work did not finish before the deadline; stopped")
            ok, value = worker.connection.recv()
        except WorkTimeout:
            raise
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerDied("the worker process ended during the call; it is replaced") from None
        except BaseException:  # interrupted mid-call: its answer may still come, so not reused
            self._replace(worker)
            raise
        self._idle.put(worker)
        if not ok:
            raise value
        return value

    def pids(self) -> list[int]:
        """The workers' process ids (for operators and tests)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def close(self) -> None:
        """Stop every worker (an idle one at once, a busy one at the end of its call or after
        a few seconds); later calls raise."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _warm_prepare() -> None:
    """One small page and one text prepared: the language model, the sentence splitter's and
    the extractor's first-call set-up, paid before the worker takes its first article."""
    from summarizer.text.prepare import prepare

    text = "The council met on Monday. It approved the budget after a long debate."
    prepare(text, "text")
    prepare(f"<html><body><article><p>{text}</p></article></body></html>", "html")


def _prepare(
    raw: str | bytes, input_format: str, max_chars: int, language: str | None
) -> Any:  # PreparedText; imported in the worker only
    from summarizer.text.prepare import prepare

    return prepare(raw, input_format, max_chars=max_chars, language=language)  # type: ignore[arg-type]


class PreparationPool(WorkerPool):
    """Worker processes that prepare articles (:func:`summarizer.text.prepare`): decoding, HTML
    extraction, plain-text lines, language and sentences, each call under a deadline."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers, imports=("summarizer.text.prepare",), warm_up=_warm_prepare)

    def prepare(
        self,
        raw: str | bytes,
        input_format: str = "auto",
        *,
        max_chars: int,
        language: str | None = None,
        deadline: float | None,
    ) -> Any:
        """``prepare(raw, input_format, max_chars=..., language=...)`` in a worker, by
        ``deadline`` (``time.monotonic()`` seconds); InputError and the rest raised here."""
        return self.run(_prepare, raw, input_format, max_chars, language, deadline=deadline)


_shared: dict[int, PreparationPool] = {}
_shared_lock = threading.Lock()


def shared_preparation_pool(workers: int) -> PreparationPool:
    """One ``PreparationPool`` of ``workers`` processes for this whole process, started on the
    first call and kept until it exits: a service made again in the same process (tests, a
    reload) reuses its workers instead of starting more."""
    with _shared_lock:
        pool = _shared.get(workers)
        if pool is None:
            pool = _shared[workers] = PreparationPool(workers)
            atexit.register(pool.close)
        return pool
