"""Lines of a byte stream with a bound on each: no line over ``MAX_RECORD_BYTES`` is held.

A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (a file saved with old Mac line ends is one
record a line, not one record in all); a raw ``\\r`` or ``\\n`` cannot occur inside a JSON string,
and CSV re-joins the lines of a quoted field itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from summarizer.batch.readers.records import MAX_RECORD_BYTES
from summarizer.errors import InputError

CHUNK_BYTES = 1 << 16


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    """Chunks of ``stream`` that never end between the two bytes of ``\r\n``."""
    read = getattr(stream, "read1", stream.read)  # read1: what a pipe has now, not a full chunk
    chunk = read(CHUNK_BYTES)
    while chunk:
        while chunk.endswith(b"\r"):
            more = read(CHUNK_BYTES)
            if not more:
                break
            chunk += more
        yield chunk
        chunk = read(CHUNK_BYTES)


def line_pieces(stream: BinaryIO, piece: int = CHUNK_BYTES) -> Iterator[tuple[bytes, bool]]:
    """The lines of ``stream`` as ``(bytes, ended)`` with their line end: a line longer than
    about ``piece`` bytes comes in several pieces, the last one ``ended``. A piece that does not
    end its line never ends in a ``"`` (it may be half of a CSV ``""``), so quotes can be
    followed piece by piece. Memory: one chunk and one piece."""
    parts: list[bytes] = []  # the start of a line that has not ended yet
    held = 0
    cut_before = False  # a piece of the last line went out unended
    for chunk in _chunks(stream):
        lines = chunk.splitlines(keepends=True)  # bytes: at \n, \r\n and \r only
        rest = lines.pop() if not lines[-1].endswith((b"\n", b"\r")) else b""
        for line in lines:
            if parts:
                parts.append(line)
                yield b"".join(parts), True
                parts, held = [], 0
            else:
                yield line, True
            cut_before = False
        if rest:
            parts.append(rest)
            held += len(rest)
            if held > piece:
                start = b"".join(parts)
                cut = len(start.rstrip(b'"'))
                if cut:
                    yield start[:cut], False
                    cut_before = True
                parts = [start[cut:]] if cut < len(start) else []
                held = len(start) - cut
    if parts or cut_before:
        yield b"".join(parts), True  # the end of the last line (empty when all went out)


def universal_lines(
    stream: BinaryIO, limit: int = MAX_RECORD_BYTES, *, endless: bool = False
) -> Iterator[bytes | None]:
    """The lines of ``stream`` with their line end, each at most ``limit`` bytes (its end
    excluded); a longer one comes out as ``None`` and the rest of it is skipped, never held.
    ``endless`` (standard input, which may be ``/dev/zero``): an over-long line raises
    ``UnendedLine`` instead of being read on. The last line may lack a line end."""
    line: list[bytes] = []
    size = 0
    for piece, ended in line_pieces(stream):
        if ended and not size and len(piece) <= limit:  # the usual case, kept short
            yield piece
            continue
        size += len(piece)
        if size <= limit + 2:  # its line end (up to 2 bytes) does not count
            line.append(piece)
        else:
            line = []  # over the limit: skipped, never held
            if endless:
                raise UnendedLine
        if not ended:
            continue
        whole = b"".join(line)
        if size > limit + 2 or len(whole.rstrip(b"\r\n")) > limit:
            yield None
        else:
            yield whole
        line, size = [], 0


class UnendedLine(Exception):
    """An over-long line of a stream that may never end."""


def bounded_lines(stream: BinaryIO, source: str) -> Iterator[bytes | None]:
    """``universal_lines`` of an input: on standard input (``source`` ``-``) the rest of an
    over-long line may never end (``/dev/zero``), so there it stops the run with an InputError."""
    try:
        yield from universal_lines(stream, endless=source == "-")
    except UnendedLine:
        raise InputError(
            f"standard input has a line longer than {MAX_RECORD_BYTES:,} bytes; "
            "stopped reading (split the input or pass it as a file)"
        ) from None
