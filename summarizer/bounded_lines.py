"""Lines of a stream with a bound on each: no line over the limit is ever held whole.

One reader for every line-based input (batch JSONL records, the evaluation files): it imports
nothing from the project, so any package may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, AnyStr

_SKIP_CHUNK = 1 << 20  # how much of an over-long line's rest is read at a time


class UnendedLine(Exception):
    """An over-long line of a stream that may never end (standard input, ``/dev/zero``)."""


def bounded_lines(
    stream: IO[AnyStr], max_len: int, *, endless: bool = False
) -> Iterator[AnyStr | None]:
    """The lines of ``stream`` (newline kept), each read with at most ``max_len + 1``
    characters (bytes, for a binary stream) in memory.

    A line longer than ``max_len`` comes out as ``None``; if the caller reads on, the rest of it
    is skipped in bounded chunks. Where the stream may never end a line (``endless``: standard
    input), an over-long line that has not ended raises ``UnendedLine`` instead of reading on.
    """
    while True:
        line = stream.readline(max_len + 1)
        if not line:
            return
        if len(line) <= max_len:
            yield line
            continue
        ended = _ended(line)
        if endless and not ended:
            raise UnendedLine(f"a line longer than {max_len:,}")
        yield None
        while line and not _ended(line):
            line = stream.readline(_SKIP_CHUNK)


def _ended(line: str | bytes) -> bool:
    return line.endswith("\n" if isinstance(line, str) else b"\n")  # type: ignore[arg-type]
