"""Opening an input file or standard input, decompressing what the standard library reads.

A compressed input is recognised by its first bytes (not its name), so ``dump.jsonl.gz``,
``export.csv.bz2``, ``dump.xz`` and a gzip stream on standard input are all read as what they
hold. The format (CSV or JSONL) is decided by the name without its compression suffix.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from summarizer.errors import InputError

# magic bytes -> (name, opener of a binary stream)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
)
COMPRESSED_SUFFIXES = (".gz", ".gzip", ".bz2", ".xz", ".lzma")
# What a damaged compressed stream raises part-way through.
DECOMPRESS_ERRORS = (OSError, EOFError, lzma.LZMAError, zlib.error)


def plain_name(name: str) -> str:
    """``name`` without its compression suffix: ``a.csv.gz`` -> ``a.csv``."""
    lowered = name.lower()
    for suffix in COMPRESSED_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def compression_of(head: bytes) -> str | None:
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def _decompressing(raw: BinaryIO, kind: str | None) -> BinaryIO:
    if kind == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if kind == "bzip2":
        return bz2.BZ2File(raw, mode="rb")  # type: ignore[return-value]
    if kind == "xz":
        return lzma.LZMAFile(raw, mode="rb")  # type: ignore[return-value]
    return raw


@contextmanager
def open_input(source: str) -> Iterator[BinaryIO]:
    """The bytes of ``source`` (``-``: standard input), decompressed when they are compressed.

    A stream damaged part-way (a cut ``.gz``) raises ``InputError`` naming the input."""
    if source == "-":
        raw = sys.stdin.buffer
        head = raw.peek(8)[:8] if hasattr(raw, "peek") else b""
        stream = _decompressing(raw, compression_of(head))
        try:
            yield stream
        except DECOMPRESS_ERRORS as exc:
            raise InputError(f"standard input is damaged: {exc}") from None
        return
    with open(source, "rb") as raw:
        kind = compression_of(raw.peek(8)[:8])
        stream = _decompressing(raw, kind)
        try:
            yield stream
        except DECOMPRESS_ERRORS as exc:
            if kind is None:
                raise
            raise InputError(
                f"{source} is a damaged {kind} file: {exc}; the records before the damage were read"
            ) from None
        finally:
            if stream is not raw:
                stream.close()
