"""How ``summarizer batch`` stops: SIGTERM, SIGINT (Ctrl-C) and SIGHUP all mean "stop now,
keep what is finished", and any number of them, at any moment, end the run the same way.

Only the first signal interrupts (as ``KeyboardInterrupt``), and only while ``armed``: from the
start of the command until the run's work loop ends. The later ones are counted and otherwise
ignored, so the flush, the workers' shutdown and the summary line are never interrupted in turn
(a second signal that lands inside a pool's shutdown is what used to hang a run). Worker
processes ignore these signals (``ignore_in_worker``): a Ctrl-C reaches the whole process group,
and the parent alone decides when its workers stop (it kills them after an interrupt).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _State:
    armed = False
    received: ClassVar[list[int]] = []


def _handle(signum: int, frame: object) -> None:
    first = not _State.received
    _State.received.append(signum)
    if first and _State.armed:
        _State.armed = False
        raise KeyboardInterrupt


def install() -> None:
    """Handle the stop signals in this process (the command's main thread) and arm them."""
    _State.received = []
    _State.armed = True
    for signum in STOP_SIGNALS:
        signal.signal(signum, _handle)


def ignore_from_now() -> None:
    """The command is ending: ignore the stop signals. Python resets its own handlers to the
    default while it shuts down, so a signal in that moment would kill the process (exit -15
    instead of the documented 130); an ignored one is not reset."""
    _State.armed = False
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def received() -> list[int]:
    return list(_State.received)


@contextmanager
def interruptible() -> Iterator[None]:
    """The work loop: a first stop signal raises KeyboardInterrupt inside it (when ``install``
    ran), never after it ends. A signal that came before it raises at once."""
    try:
        yield
    finally:
        _State.armed = False


@contextmanager
def blocked() -> Iterator[None]:
    """The stop signals held back (delivered on leaving): processes started meanwhile inherit
    the block, so a worker is never stopped by one before it has set itself to ignore them."""
    old = block()
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def block() -> set[signal.Signals]:
    """Hold the stop signals back in this thread (again: starting multiprocessing's resource
    tracker unblocks SIGINT and SIGTERM in the thread that starts it); returns the old mask."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def ignore_in_worker() -> None:
    """In a worker process: ignore the stop signals, then let them through (a signal held back
    since the process started is dropped)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
