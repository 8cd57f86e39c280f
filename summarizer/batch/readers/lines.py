"""Lines of a byte stream with a bound on each: no line over ``MAX_RECORD_BYTES`` is held."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from summarizer.batch.readers.records import MAX_RECORD_BYTES
from summarizer.errors import InputError


def bounded_lines(stream: BinaryIO, source: str) -> Iterator[bytes | None]:
    """The lines of ``stream``, each read with at most ``MAX_RECORD_BYTES + 1`` bytes in memory.

    A line over the limit comes out as ``None`` (one record error); the rest of it is skipped
    in bounded chunks. On standard input (``source`` ``-``) the rest may never end
    (``/dev/zero``), so there an over-long line stops the run with an InputError instead of
    reading on."""
    while True:
        line = stream.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_RECORD_BYTES:
            yield line
            continue
        if source == "-" and not line.endswith(b"\n"):
            raise InputError(
                f"standard input has a line longer than {MAX_RECORD_BYTES:,} bytes; "
                "stopped reading (split the input or pass it as a file)"
            )
        yield None
        while line and not line.endswith(b"\n"):
            line = stream.readline(1 << 20)
