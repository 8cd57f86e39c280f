"""Progress of an evaluation run, shown the way ``summarizer batch`` shows it: a bar on a
terminal, a log line every ``log_every`` seconds otherwise (a log file, CI), where a bar would
write hundreds of redrawn lines."""

from __future__ import annotations

import logging
import sys
import time
from typing import Protocol

from tqdm import tqdm

from summarizer.batch.progress import Progress

log = logging.getLogger("summarizer.evaluation")


class Tracker(Protocol):
    def update(self, n: int) -> object: ...

    def close(self) -> None: ...


def tracker(
    total: int, name: str, unit: str, progress: bool | None, log_every: float = 30.0
) -> Tracker:
    """``progress``: True a bar (tqdm, which notebooks draw too), False nothing, None a bar
    when stderr is a terminal and log lines otherwise (batch's rule and its log lines)."""
    if progress is None and not sys.stderr.isatty():
        return LogLines(total, name, unit, log_every)
    return tqdm(total=total, desc=name, unit=unit, disable=progress is False, leave=False)


class LogLines:
    """Log lines for one system's run: where it starts, ``Progress``'s line every
    ``log_every`` seconds, and how long it took."""

    def __init__(self, total: int, name: str, unit: str, log_every: float):
        # A system may be a folder's path: escaped, so the log line holds no control character.
        self.name = name.encode("unicode_escape").decode("ascii")
        self.unit = unit
        self.progress = Progress(total, bar=False, log_every=log_every, logger=log)
        log.info("%s: %d %ss", self.name, total, unit)
        self.began = time.monotonic()
        self.progress.start()

    def update(self, n: int) -> None:
        self.progress.advance(done=n)

    def close(self) -> None:
        self.progress.stop()
        seconds = time.monotonic() - self.began
        log.info("%s: %d %ss done in %.1f s", self.name, self.progress.done, self.unit, seconds)
