"""Progress for long batch runs: a rich bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

log = logging.getLogger("summarizer.batch")


class Progress:
    """Counts records as they are written; ``total`` is what is left to do (None: unknown)."""

    def __init__(
        self,
        total: int | None,
        *,
        bar: bool | None = None,
        log_every: float = 30.0,
        logger: logging.Logger = log,
    ):
        self.total = total
        self.bar = sys.stderr.isatty() if bar is None else bar
        self.log_every = log_every
        self.log = logger
        self.done = 0
        self.failed = 0
        self._started = 0.0
        self._last_log = 0.0
        self._rich: Any = None
        self._task: Any = None

    def start(self) -> None:
        self._started = self._last_log = time.monotonic()
        if self.bar:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._rich = RichProgress(
                TextColumn("summarizing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} articles/s"),
                TextColumn("{task.fields[failed]} failed"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                transient=False,
            )
            self._rich.start()
            self._task = self._rich.add_task("batch", total=self.total, rate="-", failed=0)

    def advance(self, done: int = 0, failed: int = 0) -> None:
        self.done += done
        self.failed += failed
        now = time.monotonic()
        if self._rich is not None:
            self._rich.update(
                self._task,
                advance=done + failed,
                rate=f"{self.rate(now):.1f}",
                failed=self.failed,
            )
        elif self._started and now - self._last_log >= self.log_every:
            self._last_log = now
            self.log.info(self.status(now))

    def rate(self, now: float) -> float:
        elapsed = now - self._started
        return self.done / elapsed if elapsed > 0 else 0.0

    def status(self, now: float) -> str:
        count = self.done + self.failed
        rate = self.rate(now)
        if self.total:
            left = max(0, self.total - count)
            eta = f", ETA {left / rate:.0f} s" if rate > 0 else ""
            where = f"{count}/{self.total} ({100 * count / self.total:.0f}%)"
        else:
            eta, where = "", str(count)
        return f"progress: {where} records, {self.failed} failed, {rate:.1f} articles/s{eta}"

    def stop(self) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich = None
