"""One run per OUTPUT: an advisory lock on ``OUTPUT.lock`` that the kernel drops when its holder
dies (``kill -9`` included), so a stale lock can never stop a re-run.

The lock file is never deleted (deleting a lock file another process has open lets two runs
each lock "their" file); it holds the running command's pid, host and start time, so a second
run is refused at once with one line that names the first. ``flock`` is held on a file
descriptor that worker processes do not inherit (Python opens files close-on-exec), so only the
command itself holds it.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import time
from pathlib import Path

from summarizer.errors import SummarizerError


class OutputBusy(SummarizerError):
    """Another run holds the lock of this OUTPUT."""


def lock_path(output: Path) -> Path:
    return output.with_name(output.name + ".lock")


class RunLock:
    def __init__(self, output: Path) -> None:
        self.path = lock_path(output)
        self._fd = -1

    def acquire(self) -> RunLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise SummarizerError(f"cannot create the lock {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputBusy(
                    f"{self.path.name[: -len('.lock')]} is being written by another run "
                    f"({holder}); wait for it to end or stop it, then re-run"
                ) from None
            raise SummarizerError(f"cannot lock {self.path}: {exc.strerror}") from None
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(me) + "\n").encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing drops the flock; the file stays (see the module doc)
            self._fd = -1


def _read_holder(fd: int) -> str:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {data['pid']} on {data['host']}, started {data['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "its pid is not recorded yet"
