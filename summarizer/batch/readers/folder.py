"""A folder of files as input: one record a file (text, Markdown or HTML), walked safely."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from summarizer.batch.readers.records import MAX_RECORD_BYTES, Item, Record, RecordError

FOLDER_SUFFIXES = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
}


def folder_files(source: str) -> Iterator[tuple[Path, str | None]]:
    """Every entry under the folder as ``(path, problem)``, in a stable order.

    Hidden names are skipped, as are folders (walked into, never through a link). A
    symbolic link is followed only to a regular file inside the folder; a link out of
    it, a broken one, a loop, a link to a folder, and anything that is not a regular file
    (a FIFO, a socket, a device) come back with the ``problem`` that puts it in ERRORS."""
    root = Path(source).resolve()
    found: list[Path] = []
    for top, dirs, files in os.walk(root, followlinks=False):
        here = Path(top)
        links = [d for d in dirs if (here / d).is_symlink()]  # reported, never walked
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in links]
        found.extend(here / name for name in files + links if not name.startswith("."))
    for path in sorted(found):
        yield path, _problem(path, root)


def folder_records(source: str) -> Iterator[Record]:
    """One record a file: its id is the path inside the folder without the suffix.

    A file that cannot be read is keyed by its path with the suffix (``a.txt``), never by an
    id: ``Record.key`` differs from ``id`` there, so it cannot be taken for the file ``a.txt.md``
    (whose id is ``a.txt``). A file name that is not valid UTF-8 is refused like such an id in
    JSONL (its key keeps the undecodable bytes as escapes, so a re-run finds it)."""
    root = Path(source).resolve()
    for path, problem in folder_files(source):
        rel = path.relative_to(root).as_posix()
        ident = rel[: -len(path.suffix)] if path.suffix else rel
        if _has_surrogates(rel):
            yield RecordError(rel, "file name is not valid UTF-8; rename the file", None)
            continue
        if problem is not None:
            yield RecordError(rel, problem, ident)
            continue
        fmt = FOLDER_SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            yield RecordError(rel, f"unsupported file type {path.suffix or '(none)'!r}", ident)
            continue
        try:
            data = _read_regular(path.resolve(), MAX_RECORD_BYTES)
        except _TooLarge as exc:
            yield RecordError(rel, f"file is too large ({exc.size:,} bytes)", ident)
            continue
        except OSError as exc:
            yield RecordError(rel, f"cannot read file: {exc.strerror or exc}", ident)
            continue
        try:
            text: str | bytes = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if fmt == "html":  # decoded later by the charset the page declares, as a browser does
                text = data
            else:
                yield RecordError(
                    rel, f"file is not valid UTF-8 (byte {exc.start}); convert it to UTF-8", ident
                )
                continue
        if not text.strip():
            yield RecordError(rel, "empty file", ident)
            continue
        yield Item(key=ident, id=ident, text=text, input_format=fmt, where=rel)


def _has_surrogates(name: str) -> bool:
    return not name.isascii() and any("\udc80" <= ch <= "\udcff" for ch in name)


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


def _problem(path: Path, root: Path) -> str | None:
    """Why ``path`` (inside ``root``) is not a regular file we may read, or None."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except RuntimeError:  # Python 3.11 raises this for a loop
            return "symbolic link loop: not followed"
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return "symbolic link loop: not followed"
            return "broken symbolic link"
        if not target.is_relative_to(root):
            return "symbolic link to outside the folder: not followed"
        if target.is_dir():
            return "symbolic link to a folder: not followed"
        mode = target.stat().st_mode
    if stat.S_ISREG(mode):
        return None
    kinds = {stat.S_ISFIFO: "a FIFO", stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a device"}
    kind = next((name for test, name in kinds.items() if test(mode)), "a device")
    return f"not a regular file ({kind})"


def _read_regular(path: Path, limit: int) -> bytes:
    """Read at most ``limit`` bytes of a regular file; never blocks on a FIFO swapped in."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if info.st_size > limit:
            raise _TooLarge(info.st_size)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge(len(data))
    return data
