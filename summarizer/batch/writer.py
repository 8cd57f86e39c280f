"""Crash-safe, append-only JSONL files for batch results.

Lines are written whole: each flush is one ``os.write`` of complete lines on a file opened for
appending, followed by ``fsync``. A process killed with ``kill -9`` can therefore leave at most
one torn line, at the very end; opening a JsonlAppender cuts it back to the last newline before
appending again. A complete line is never removed, and the torn line is cut only from a file
that is recognisably ours (``owned``): the torn tail of any other file (an input given as OUTPUT by
mistake) is refused with :class:`ForeignFileError`, and the file is left untouched.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class WriteError(Exception):
    """Lines could not be written (disk full, file too large, I/O error): the run must stop.

    What was flushed before stays; the lines of this flush may be torn at the end, which the
    next run's :class:`JsonlAppender` cuts back, so re-running the same command continues."""

    def __init__(self, path: Path, exc: OSError) -> None:
        super().__init__(f"cannot write {path}: {exc.strerror or exc}")
        self.path = path
        self.errno = exc.errno


class ForeignFileError(Exception):
    """The file ends in an incomplete line and does not look like one this tool wrote."""

    def __init__(self, path: Path, torn: int) -> None:
        super().__init__(
            f"{path} ends in an incomplete line ({torn:,} bytes) and does not look like a file "
            "summarizer batch wrote; it was left untouched: give another file"
        )
        self.path = path


class JsonlAppender:
    """Appends JSON objects as lines.

    The lines already in the file are streamed once, at opening, to ``on_existing`` (one call per
    complete line holding a JSON object); the appender keeps none of them, so resuming a file of
    millions of summaries costs what the caller keeps, not the file's size.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        on_existing: Callable[[dict[str, Any]], None] | None = None,
        flush_every: int = 64,
        flush_seconds: float = 2.0,
        fsync: bool = True,
        owned: Callable[[dict[str, Any]], bool] | None = None,
        owned_prefix: re.Pattern[bytes] | None = None,
    ) -> None:
        """``owned`` tells our own records from others; with it, a torn last line is cut only
        when every complete line is ours (and there is one), or the torn line itself matches
        ``owned_prefix`` (the start of one of our lines). Without it, any torn line is cut."""
        self.path = Path(path)
        self.owned = owned
        self.owned_prefix = owned_prefix
        self._foreign = 0  # complete lines that are not our records
        self._failed: OSError | None = None  # the write error that stopped this file
        self.flush_every = flush_every
        self.flush_seconds = flush_seconds
        self.fsync = fsync
        self.existing_lines = 0  # complete JSON-object lines found at opening
        self.repaired_bytes = 0
        self.unreadable_lines = 0
        self._pending: list[bytes] = []
        self._last_flush = time.monotonic()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and not self.path.is_file():  # /dev/zero would be read forever
            raise OSError(errno.EINVAL, "not a regular file", str(self.path))
        self._recover(on_existing)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def _recover(self, on_existing: Callable[[dict[str, Any]], None] | None) -> None:
        """Read complete lines back; cut a torn last line (from a crash) off the end."""
        if not self.path.exists():
            return
        with open(self.path, "r+b") as f:
            end = 0  # offset just after the last newline
            torn = b""
            for number, line in enumerate(f, start=1):
                if not line.endswith(b"\n"):
                    torn = line  # only the last line can lack its newline
                    break
                end += len(line)
                self._use(line, number, on_existing)
            if torn and not self._torn_is_ours(torn):
                raise ForeignFileError(self.path, len(torn))
            if torn:
                self.repaired_bytes = len(torn)
                log.warning(
                    "%s: removing a half-written last line (%d bytes) left by an interrupted run",
                    self.path,
                    self.repaired_bytes,
                )
                f.truncate(end)
                f.flush()
                os.fsync(f.fileno())

    def _torn_is_ours(self, torn: bytes) -> bool:
        if self.owned is None:
            return True
        if self.owned_prefix is not None and self.owned_prefix.match(torn):
            return True
        return self.existing_lines > 0 and self._foreign == 0

    def _use(
        self, line: bytes, number: int, on_existing: Callable[[dict[str, Any]], None] | None
    ) -> None:
        if not line.strip():
            return
        try:
            obj = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            obj = None
        if not isinstance(obj, dict):
            # A complete line we did not write (someone edited the file): kept, not used.
            self.unreadable_lines += 1
            self._foreign += 1
            log.warning("%s line %d is not a JSON object; left as it is", self.path, number)
            return
        self.existing_lines += 1
        if self.owned is not None and not self.owned(obj):
            self._foreign += 1
        if on_existing is not None:
            on_existing(obj)

    def write(self, obj: dict[str, Any]) -> None:
        try:
            line = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate somewhere: \uXXXX escapes are valid JSON
            line = json.dumps(obj, ensure_ascii=True).encode("ascii")
        self._pending.append(line + b"\n")
        if (
            len(self._pending) >= self.flush_every
            or time.monotonic() - self._last_flush >= self.flush_seconds
        ):
            self.flush()

    def flush(self) -> None:
        self._last_flush = time.monotonic()
        if not self._pending:
            return
        if self._failed:
            raise WriteError(self.path, self._failed)
        data = b"".join(self._pending)
        self._pending.clear()
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
            if self.fsync:
                os.fsync(self._fd)
        except OSError as exc:
            self._failed = exc  # nothing more is written; close() only releases the file
            raise WriteError(self.path, exc) from None

    def close(self) -> None:
        if self._fd < 0:
            return
        try:
            if not self._failed:
                self.flush()
        finally:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
