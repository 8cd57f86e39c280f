"""Lines of a byte stream with a bound on each: no line over ``MAX_RECORD_BYTES`` is held."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from summarizer.batch.readers.records import MAX_RECORD_BYTES
from summarizer.bounded_lines import UnendedLine
from summarizer.bounded_lines import bounded_lines as _bounded_lines
from summarizer.errors import InputError


def bounded_lines(stream: BinaryIO, source: str) -> Iterator[bytes | None]:
    """The lines of ``stream``, each read with at most ``MAX_RECORD_BYTES + 1`` bytes in memory.

    A line over the limit comes out as ``None`` (one record error); the rest of it is skipped
    in bounded chunks. On standard input (``source`` ``-``) the rest may never end
    (``/dev/zero``), so there an over-long line stops the run with an InputError instead of
    reading on."""
    try:
        yield from _bounded_lines(stream, MAX_RECORD_BYTES, endless=source == "-")
    except UnendedLine:
        raise InputError(
            f"standard input has a line longer than {MAX_RECORD_BYTES:,} bytes; "
            "stopped reading (split the input or pass it as a file)"
        ) from None
